import { Module } from '@nestjs/common';
import { HEALTH_ROUTE, SIDECAR_METADATA_ROUTE } from '@repo/contracts';
import { DaprModule } from '@repo/nest-dapr';
import { ApiA1Controller } from './api-a1.controller';
import { SvcBClient } from './svc-b.client';

@Module({
  imports: [DaprModule.forRoot({ healthRoute: HEALTH_ROUTE, metadataRoute: SIDECAR_METADATA_ROUTE })],
  controllers: [ApiA1Controller],
  providers: [SvcBClient],
})
export class AppModule {}
