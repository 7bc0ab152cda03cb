import { Module } from '@nestjs/common';
import { AuditCommand } from './audit/audit.command.js';
import { BackupCommand } from './storage/backup.command.js';
import { MigrateCommand } from './storage/migrate.command.js';
import { RestoreCommand } from './storage/restore.command.js';
import { PeopleCommand } from './people/people.command.js';
import { Program } from './program.js';
import { ProjectionsCommand } from './projections/projections.command.js';
import { ReportCommand } from './report/report.command.js';
import { TrackerContext } from './tracker-context.js';
import { CliUserAccounts } from './users/cli-user-accounts.js';
import { UsersCommand } from './users/users.command.js';

/** The `tracker` command line: the API's storage, driven by commands instead of HTTP. */
@Module({
  providers: [
    Program,
    TrackerContext,
    ...ProjectionsCommand.registerWithSubCommands(),
    BackupCommand,
    RestoreCommand,
    MigrateCommand,
    ...ReportCommand.registerWithSubCommands(),
    ...AuditCommand.registerWithSubCommands(),
    CliUserAccounts,
    ...UsersCommand.registerWithSubCommands(),
    ...PeopleCommand.registerWithSubCommands(),
  ],
})
export class CliModule {}
