import 'reflect-metadata';
import { APPS } from '@repo/contracts';
import { portFromEnv, runDaprApp } from '@repo/nest-dapr';
import { AppModule } from './app.module';
import { PaymentConfig } from './config';
import { pubsubOptions } from './pubsub';

runDaprApp(AppModule, {
  appId: APPS.payment.appId,
  port: portFromEnv(APPS.payment.appPort),
  pubsub: pubsubOptions(new PaymentConfig(process.env)),
}).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
