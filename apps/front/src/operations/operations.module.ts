import { Module } from '@nestjs/common';
import { AppsStatusService } from './apps-status.service';
import { DemosService } from './demos.service';
import { OperationsController } from './operations.controller';

@Module({ controllers: [OperationsController], providers: [AppsStatusService, DemosService] })
export class OperationsModule {}
