import fastifyCookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/app-config.js';
import { ProblemDetailsFilter } from './http/problem-details.filter.js';
import { problemBody } from './http/problem.js';
import { answerRouterError, installRequestLimits } from './http/request-limits.js';
import { createValidationPipe } from './http/validation.js';

/** Bodies under /api are JSON; form posts belong to the web pages outside it. */
export function isJsonApiViolation(method: string, url: string, contentType: string | undefined): boolean {
  if (!url.startsWith('/api/') || !['POST', 'PUT', 'PATCH'].includes(method) || contentType === undefined) return false;
  const mediaType = contentType.split(';')[0].trim().toLowerCase();
  return mediaType !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(mediaType);
}

/** Largest accepted request body. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

export interface AppOptions {
  /**
   * Serve the interactive API docs at /docs (the JSON document at /docs-json is always served). The UI's static
   * files load through an ESM-only dependency chain that Jest's module system cannot import, so in-process tests
   * turn it off; tests of the compiled server cover it.
   */
  docsUi?: boolean;
}

/** Builds the HTTP application (used by main and by end-to-end tests). Call `listen` or use `inject`. */
export async function createApp(config: AppConfig, options: AppOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    frameworkErrors: answerRouterError,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config), adapter, {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', async (request, reply) => {
      if (isJsonApiViolation(request.method, request.url, request.headers['content-type'])) {
        await reply
          .status(415)
          .header('content-type', 'application/problem+json; charset=utf-8')
          .send(problemBody(415, 'unsupported-media-type', 'Send the body as application/json', request.url));
      }
    });
  installRequestLimits(app);
  // Session cookies (sign-in); see auth/session-cookie.ts.
  await app.register(fastifyCookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: { defaultSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'] },
    },
  });
  const openApi = new DocumentBuilder()
    .setTitle('Experiment tracker')
    .setDescription('Event-sourced tracker of experiments, collaborations, networks and their learnings')
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'A personal API token (POST /api/auth/tokens)' }, 'token')
    .addSecurityRequirements('token')
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, openApi), {
    jsonDocumentUrl: 'docs-json',
    ui: options.docsUi ?? true,
  });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
