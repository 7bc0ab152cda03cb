import { Module } from '@nestjs/common';
import { CommandExecutor } from './command-executor.js';
import { EntityReferences } from './entity-references.js';

/** The command executor and reference checks shared by every aggregate's command handlers. */
@Module({ providers: [CommandExecutor, EntityReferences], exports: [CommandExecutor, EntityReferences] })
export class CommandsModule {}
