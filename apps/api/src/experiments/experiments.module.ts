import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module.js';
import { ExperimentCommandHandler } from './experiment-command.handler.js';
import { GetExperimentHandler, GetExperimentTimelineHandler } from './experiment.queries.js';
import { ExperimentsController } from './experiments.controller.js';

@Module({
  imports: [CommandsModule],
  controllers: [ExperimentsController],
  providers: [ExperimentCommandHandler, GetExperimentHandler, GetExperimentTimelineHandler],
})
export class ExperimentsModule {}
