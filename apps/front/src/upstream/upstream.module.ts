import { Global, Module } from '@nestjs/common';
import { FrontConfig, frontConfigProvider } from '../config';
import { Upstream } from './upstream';

@Global()
@Module({ providers: [Upstream, frontConfigProvider], exports: [Upstream, FrontConfig] })
export class UpstreamModule {}
