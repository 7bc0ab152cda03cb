import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Command } from 'commander';
import { InjectCommander } from 'nest-commander';

/** How the help names the program: the documented way to call it. */
export const PROGRAM_NAME = 'npm run cli --';

/** Names the root command and describes it (the help otherwise calls it after the script file). */
@Injectable()
export class Program implements OnModuleInit {
  constructor(@InjectCommander() private readonly program: Command) {}

  onModuleInit(): void {
    this.program
      .name(PROGRAM_NAME)
      .description('Experiment tracker administration, on the same data (TRACKER_DATA_DIR, EVENT_STORE_URL) as the API');
  }
}
