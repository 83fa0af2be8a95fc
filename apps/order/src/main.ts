import 'reflect-metadata';
import { APPS } from '@repo/contracts';
import { portFromEnv, runDaprApp } from '@repo/nest-dapr';
import { AppModule } from './app.module';
import { PUBSUB_OPTIONS } from './pubsub';

runDaprApp(AppModule, { appId: APPS.order.appId, port: portFromEnv(APPS.order.appPort), pubsub: PUBSUB_OPTIONS }).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
