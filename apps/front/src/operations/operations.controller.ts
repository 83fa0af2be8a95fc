import { BadRequestException, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { Order } from '@repo/contracts';
import { relay, sendJson, type RawResponse } from '../upstream/relay';
import { Upstream } from '../upstream/upstream';
import { DEMO_NAMES, type AppStatusView, type DemoName, type DemoResultView, type RecentOrdersView } from '../web/views';
import { AppsStatusService } from './apps-status.service';
import { DemosService } from './demos.service';

/** The operations page's backend: every app's state, the last orders, and the article's demos. */
@Controller('api')
export class OperationsController {
  constructor(
    private readonly apps: AppsStatusService,
    private readonly demos: DemosService,
    private readonly upstream: Upstream,
  ) {}

  @Get('operations/apps')
  status(): Promise<AppStatusView[]> {
    return this.apps.all();
  }

  @Get('operations/orders')
  async orders(@Query('limit') limit: string | undefined, @Res() res: RawResponse): Promise<void> {
    const upstream = await this.upstream.invoke('order', 'orders', { query: { limit: limit ?? '10' } });
    if (!upstream.ok) return relay(res, upstream);
    const view: RecentOrdersView = { orders: upstream.json<Order[]>() };
    sendJson(res, 200, view);
  }

  @Post('demos/:name')
  @HttpCode(200)
  demo(@Param('name') name: string): Promise<DemoResultView> {
    if (!(DEMO_NAMES as readonly string[]).includes(name)) throw new BadRequestException(`no demo '${name}'; the demos are ${DEMO_NAMES.join(', ')}`);
    return this.demos.run(name as DemoName);
  }
}
