import { CommandRunner, SubCommand } from 'nest-commander';
import { reapplyForgetting } from '#event-store';
import { TrackerContext } from '../tracker-context.js';
import { FORGETTING_EVENTS, forgettingSummary } from './forgetting-events.js';

/** `people reforget`: every forgetting in the log, applied again to the key store. */
@SubCommand({
  name: 'reforget',
  description:
    'Apply every forgetting recorded in the log (PersonForgotten) to the key store again: destroys any key a restored or ' +
    'copied keys.db still holds for a forgotten person. Idempotent; safe while the API runs',
})
export class ReforgetCommand extends CommandRunner {
  constructor(private readonly context: TrackerContext) {
    super();
  }

  async run(): Promise<void> {
    const keys = this.context.personalDataKeys();
    const result = await reapplyForgetting(await this.context.eventStore(), keys, FORGETTING_EVENTS);
    process.stdout.write(`${forgettingSummary(result, this.context.config.keysFile)}\n`);
  }
}
