import { Logger, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions, NestMicroservice } from '@nestjs/microservices';
import { DaprPubSubServer, type DaprPubSubServerOptions } from '../pubsub/dapr-pubsub.server';
import { messageValidationPipe, requestValidationPipe } from './message-validation.pipe';

export interface DaprAppOptions {
  /** The port the sidecar's `--app-port` points at; 0 picks a free one (tests). */
  port: number;
  /** Default: every interface, so a Kubernetes Service can reach apps that serve outside traffic. */
  host?: string;
  /** Subscribe with `@EventPattern`; omitted for apps that only publish or serve HTTP. */
  pubsub?: Omit<DaprPubSubServerOptions, 'httpAdapter'>;
  /** Name in logs. */
  appId?: string;
}

/**
 * Creates and starts a Dapr app: request DTO validation, the pub/sub transport (before `listen`, so its routes
 * precede Nest's 404 handler and the sidecar finds `/dapr/subscribe` as soon as the port answers), shutdown
 * hooks for SIGTERM/SIGINT, then listen.
 */
export async function runDaprApp(rootModule: Type<unknown>, options: DaprAppOptions): Promise<INestApplication> {
  const app = await NestFactory.create(rootModule, { bufferLogs: false });
  app.enableShutdownHooks();
  app.useGlobalPipes(requestValidationPipe());
  if (options.pubsub) {
    const strategy = new DaprPubSubServer({ ...options.pubsub, httpAdapter: app.getHttpAdapter() });
    // Listeners are set up on `startAllMicroservices`, after the pipe is in (without deferring, Nest binds them
    // at connect time and a pipe added later is ignored). The app itself runs the modules' init hooks, once.
    const microservice = app.connectMicroservice<MicroserviceOptions>({ strategy }, { deferInitialization: true });
    microservice.useGlobalPipes(messageValidationPipe());
    (microservice as unknown as NestMicroservice).setIsInitHookCalled(true);
    await app.startAllMicroservices();
  }
  await app.listen(options.port, options.host ?? '0.0.0.0');
  new Logger(options.appId ?? 'App').log(`listening on ${await app.getUrl()}`);
  return app;
}
