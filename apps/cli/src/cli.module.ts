import { Module } from '@nestjs/common';
import { Program } from './program.js';
import { ProjectionsCommand } from './projections/projections.command.js';
import { TrackerContext } from './tracker-context.js';

/** The `tracker` command line: the API's storage, driven by commands instead of HTTP. */
@Module({
  providers: [Program, TrackerContext, ...ProjectionsCommand.registerWithSubCommands()],
})
export class CliModule {}
