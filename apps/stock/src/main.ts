import 'reflect-metadata';
import { APPS } from '@repo/contracts';
import { portFromEnv, runDaprApp } from '@repo/nest-dapr';
import { AppModule } from './app.module';
import { StockConfig } from './config';
import { pubsubOptions } from './pubsub';

runDaprApp(AppModule, {
  appId: APPS.stock.appId,
  port: portFromEnv(APPS.stock.appPort),
  pubsub: pubsubOptions(new StockConfig(process.env)),
}).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
