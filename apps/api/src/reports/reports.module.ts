import { Module } from '@nestjs/common';
import { BuildReportHandler } from './report.queries.js';
import { ReportsController } from './reports.controller.js';

/** `GET /api/reports/…`: learning summary, collaboration status and network growth. */
@Module({ controllers: [ReportsController], providers: [BuildReportHandler] })
export class ReportsModule {}
