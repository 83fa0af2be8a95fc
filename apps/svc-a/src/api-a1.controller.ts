import { Controller, Get, Res } from '@nestjs/common';
import { SvcBClient } from './svc-b.client';

/** The subset of Express's response this controller writes. */
interface RawResponse {
  status(code: number): RawResponse;
  type(contentType: string): RawResponse;
  send(body: Buffer): void;
}

/** The article's svc-a: `GET /api-a1` answers with whatever svc-b's `api-b1` answered (status and body). */
@Controller()
export class ApiA1Controller {
  constructor(private readonly svcB: SvcBClient) {}

  @Get('api-a1')
  async apiA1(@Res() res: RawResponse): Promise<void> {
    const reply = await this.svcB.apiB1();
    res.status(reply.status).type(reply.contentType).send(reply.body);
  }
}
