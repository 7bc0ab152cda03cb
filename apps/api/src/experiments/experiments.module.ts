import { Module } from '@nestjs/common';
import { CommandExecutor } from '../commands/command-executor.js';
import { ExperimentCommandHandler } from './experiment-command.handler.js';
import { GetExperimentHandler, GetExperimentTimelineHandler } from './experiment.queries.js';
import { ExperimentsController } from './experiments.controller.js';

@Module({
  controllers: [ExperimentsController],
  providers: [CommandExecutor, ExperimentCommandHandler, GetExperimentHandler, GetExperimentTimelineHandler],
})
export class ExperimentsModule {}
