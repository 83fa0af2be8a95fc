import { Module } from '@nestjs/common';
import { HEALTH_ROUTE, SIDECAR_METADATA_ROUTE } from '@repo/contracts';
import { DaprModule } from '@repo/nest-dapr';
import { AllocationsModule } from './allocations/allocations.module';
import { OrderDemoModule } from './demo/order-demo.module';
import { ProductsModule } from './products/products.module';

@Module({
  imports: [DaprModule.forRoot({ healthRoute: HEALTH_ROUTE, metadataRoute: SIDECAR_METADATA_ROUTE }), ProductsModule, AllocationsModule, OrderDemoModule],
})
export class AppModule {}
