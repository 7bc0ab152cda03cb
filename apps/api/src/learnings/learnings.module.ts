import { Module } from '@nestjs/common';
import { ListLearningsHandler } from './learning.queries.js';
import { LearningsController } from './learnings.controller.js';

/** `GET /api/learnings`: the learning library. */
@Module({ controllers: [LearningsController], providers: [ListLearningsHandler] })
export class LearningsModule {}
