import { Module } from '@nestjs/common';
import { HEALTH_ROUTE, SIDECAR_METADATA_ROUTE } from '@repo/contracts';
import { DaprModule } from '@repo/nest-dapr';
import { OrderDemoModule } from './demo/order-demo.module';
import { PaymentsModule } from './payments/payments.module';

@Module({
  imports: [DaprModule.forRoot({ healthRoute: HEALTH_ROUTE, metadataRoute: SIDECAR_METADATA_ROUTE }), PaymentsModule, OrderDemoModule],
})
export class AppModule {}
