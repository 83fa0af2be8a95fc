import 'reflect-metadata';
import { APPS } from '@repo/contracts';
import { portFromEnv, runDaprApp } from '@repo/nest-dapr';
import { AppModule } from './app.module';

runDaprApp(AppModule, { appId: APPS['svc-b'].appId, port: portFromEnv(APPS['svc-b'].appPort) }).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
