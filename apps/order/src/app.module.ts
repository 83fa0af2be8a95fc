import { Module } from '@nestjs/common';
import { HEALTH_ROUTE, SIDECAR_METADATA_ROUTE } from '@repo/contracts';
import { DaprModule } from '@repo/nest-dapr';
import { DemoModule } from './demo/demo.module';
import { OrdersModule } from './orders/orders.module';

@Module({
  imports: [DaprModule.forRoot({ healthRoute: HEALTH_ROUTE, metadataRoute: SIDECAR_METADATA_ROUTE }), OrdersModule, DemoModule],
})
export class AppModule {}
