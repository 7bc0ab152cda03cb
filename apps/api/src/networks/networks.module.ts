import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module.js';
import { NetworkCommandHandler } from './network-command.handler.js';

@Module({
  imports: [CommandsModule],
  controllers: [],
  providers: [NetworkCommandHandler],
})
export class NetworksModule {}
