import { Command, CommandRunner } from 'nest-commander';
import { LearningSummaryCommand } from './learning-summary.command.js';

/** `report learning-summary …`. */
@Command({
  name: 'report',
  description: 'Build a report from the events, exactly as the API does (GET /api/reports/…)',
  subCommands: [LearningSummaryCommand],
})
export class ReportCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help({ error: true });
  }
}
