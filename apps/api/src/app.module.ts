import { Module, type DynamicModule } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from './config/app-config.js';
import { CollaborationsModule } from './collaborations/collaborations.module.js';
import { ExperimentsModule } from './experiments/experiments.module.js';
import { GatheringsModule } from './gatherings/gatherings.module.js';
import { NetworksModule } from './networks/networks.module.js';
import { OrganisationsModule } from './organisations/organisations.module.js';
import { PeopleModule } from './people/people.module.js';
import { HealthController } from './health/health.controller.js';
import { IdempotencyInterceptor } from './http/idempotency.interceptor.js';
import { InfrastructureModule } from './infrastructure/infrastructure.module.js';
import { ListsModule } from './lists/lists.module.js';
import { LearningsModule } from './learnings/learnings.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { AuditModule } from './audit/audit.module.js';
import { TimelinesModule } from './timelines/timelines.module.js';
import { DemoModule } from './demo/demo.module.js';
import { AuthModule } from './auth/auth.module.js';
import { UsersModule } from './users/users.module.js';
import { WebModule } from './web/web.module.js';

@Module({})
export class AppModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            transport: config.prettyLogs ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
            redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'],
            customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
          },
        }),
        CqrsModule.forRoot(),
        InfrastructureModule.register(config),
        OrganisationsModule,
        PeopleModule,
        ExperimentsModule,
        CollaborationsModule,
        NetworksModule,
        GatheringsModule,
        ListsModule,
        LearningsModule,
        ReportsModule,
        AuditModule,
        TimelinesModule,
        DemoModule,
        AuthModule,
        UsersModule,
        WebModule,
      ],
      controllers: [HealthController],
      providers: [{ provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor }],
    };
  }
}
