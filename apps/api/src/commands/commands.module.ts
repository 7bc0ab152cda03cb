import { Module } from '@nestjs/common';
import { CommandExecutor } from './command-executor.js';

/** The command executor shared by every aggregate's command handler. */
@Module({ providers: [CommandExecutor], exports: [CommandExecutor] })
export class CommandsModule {}
