import 'reflect-metadata';
import { APPS } from '@repo/contracts';
import { portFromEnv, runDaprApp } from '@repo/nest-dapr';
import { AppModule } from './app.module';

runDaprApp(AppModule, { appId: APPS['svc-a'].appId, port: portFromEnv(APPS['svc-a'].appPort) }).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
