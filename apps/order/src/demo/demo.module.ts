import { Module } from '@nestjs/common';
import { PublishDemoController } from './publish-demo.controller';

@Module({ controllers: [PublishDemoController] })
export class DemoModule {}
