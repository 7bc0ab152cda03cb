import { Command, CommandRunner } from 'nest-commander';
import { AuditExportCommand } from './export.command.js';
import { AuditVerifyCommand } from './verify.command.js';

/** `audit verify|export`. */
@Command({
  name: 'audit',
  description: 'Tamper evidence of the event log, as GET /api/audit/verify and /api/audit/export give it',
  subCommands: [AuditVerifyCommand, AuditExportCommand],
})
export class AuditCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help({ error: true });
  }
}
