import { Module } from '@nestjs/common';
import { HEALTH_ROUTE, SIDECAR_METADATA_ROUTE } from '@repo/contracts';
import { DaprModule } from '@repo/nest-dapr';
import { CartModule } from './cart/cart.module';

@Module({
  imports: [DaprModule.forRoot({ healthRoute: HEALTH_ROUTE, metadataRoute: SIDECAR_METADATA_ROUTE }), CartModule],
})
export class AppModule {}
