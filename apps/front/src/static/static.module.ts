import { Module } from '@nestjs/common';
import { StaticController } from './static.controller';
import { StaticFiles } from './static-files';

@Module({ controllers: [StaticController], providers: [StaticFiles] })
export class StaticModule {}
