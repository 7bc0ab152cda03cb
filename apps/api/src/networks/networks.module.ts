import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module.js';
import { NetworkCommandHandler } from './network-command.handler.js';
import { GetNetworkHandler } from './network.queries.js';
import { NetworksController } from './networks.controller.js';

@Module({
  imports: [CommandsModule],
  controllers: [NetworksController],
  providers: [NetworkCommandHandler, GetNetworkHandler],
})
export class NetworksModule {}
