import { Command, CommandRunner } from 'nest-commander';
import { ReforgetCommand } from './reforget.command.js';

/** `people reforget`. */
@Command({
  name: 'people',
  description: "People's personal data: the key store (keys.db) that crypto-shreds it",
  subCommands: [ReforgetCommand],
})
export class PeopleCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help({ error: true });
  }
}
