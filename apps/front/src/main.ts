import 'reflect-metadata';
import { APPS } from '@repo/contracts';
import { portFromEnv, runDaprApp } from '@repo/nest-dapr';
import { AppModule } from './app.module';

runDaprApp(AppModule, { appId: APPS.front.appId, port: portFromEnv(APPS.front.appPort) }).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
