import { Command, CommandRunner } from 'nest-commander';
import { RebuildCommand } from './rebuild.command.js';
import { ResumeCommand } from './resume.command.js';
import { StatusCommand } from './status.command.js';

/** `projections status|rebuild [name]|resume <name>`. */
@Command({
  name: 'projections',
  description: 'Inspect, resume and rebuild the read models (projections) in read-models.db',
  subCommands: [StatusCommand, RebuildCommand, ResumeCommand],
})
export class ProjectionsCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help({ error: true });
  }
}
