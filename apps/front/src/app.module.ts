import { Module } from '@nestjs/common';
import { HEALTH_ROUTE, SIDECAR_METADATA_ROUTE } from '@repo/contracts';
import { DaprModule } from '@repo/nest-dapr';
import { OperationsModule } from './operations/operations.module';
import { ShopModule } from './shop/shop.module';
import { StaticModule } from './static/static.module';
import { UpstreamModule } from './upstream/upstream.module';

@Module({
  imports: [DaprModule.forRoot({ healthRoute: HEALTH_ROUTE, metadataRoute: SIDECAR_METADATA_ROUTE }), UpstreamModule, ShopModule, OperationsModule, StaticModule],
})
export class AppModule {}
