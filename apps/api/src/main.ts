import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory.js';
import { AppConfig, ConfigError } from './config/app-config.js';

async function bootstrap(): Promise<void> {
  let config: AppConfig;
  try {
    config = AppConfig.fromEnvironment();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const app = await createApp(config);
  await app.listen({ port: config.port, host: '0.0.0.0' });
  new Logger('Tracker').log(
    `Listening on http://localhost:${config.port} (API docs at /docs, health at /health); data in ${config.dataDir}`,
  );
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`The tracker could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
