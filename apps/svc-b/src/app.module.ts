import { Module } from '@nestjs/common';
import { HEALTH_ROUTE, SIDECAR_METADATA_ROUTE } from '@repo/contracts';
import { DaprModule } from '@repo/nest-dapr';
import { ApiB1Controller } from './api-b1.controller';

@Module({
  imports: [DaprModule.forRoot({ healthRoute: HEALTH_ROUTE, metadataRoute: SIDECAR_METADATA_ROUTE })],
  controllers: [ApiB1Controller],
})
export class AppModule {}
