import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { USER_ROLES, type UserRole } from '#domain';
import { ONE_TIME_PASSWORD_TTL_MS } from '../../../api/src/auth/user-accounts.js';
import { UsageError } from '../tracker-context.js';
import { CliUserAccounts } from './cli-user-accounts.js';

interface GrantOptions {
  organisation?: string;
  person?: string;
}

interface AddOptions extends GrantOptions {
  name?: string;
  role?: UserRole;
}

interface TokenOptions {
  name?: string;
  expires?: string;
}

function role(value: string): UserRole {
  if (!(USER_ROLES as readonly string[]).includes(value)) throw new UsageError(`role must be one of ${USER_ROLES.join(', ')}, not "${value}"`);
  return value as UserRole;
}

function oneTimePasswordLines(email: string, password: string): string {
  const days = ONE_TIME_PASSWORD_TTL_MS / 86_400_000;
  return (
    `One-time password for ${email} (shown only now; valid ${days} days, to be changed at first sign-in):\n` +
    `  ${password}\n`
  );
}

/** `users add <email> --name --role [--organisation --person]`. */
@SubCommand({
  name: 'add',
  arguments: '<email>',
  description: 'Register a user and print a one-time password (shown once)',
})
export class UsersAddCommand extends CommandRunner {
  constructor(private readonly users: CliUserAccounts) {
    super();
  }

  async run([email]: string[], options: AddOptions = {}): Promise<void> {
    if (options.name === undefined) throw new UsageError('--name <name> is required');
    if (options.role === undefined) throw new UsageError(`--role <${USER_ROLES.join('|')}> is required`);
    const accounts = await this.users.open();
    const context = this.users.commandContext();
    const outcome = await accounts.register(
      {
        userId: this.users.newId(),
        email,
        name: options.name,
        role: options.role,
        organisationId: options.organisation ?? null,
        personId: options.person ?? null,
      },
      context,
    );
    process.stdout.write(`Registered user ${outcome.id} (${options.role})\n${oneTimePasswordLines(email, outcome.oneTimePassword)}`);
  }

  @Option({ flags: '--name <name>', description: 'the name shown for the user' })
  parseName(value: string): string {
    return value;
  }

  @Option({ flags: '--role <role>', description: 'staff, lead or partner' })
  parseRole(value: string): UserRole {
    return role(value);
  }

  @Option({ flags: '--organisation <id>', description: "a partner's organisation (what they may see)" })
  parseOrganisation(value: string): string {
    return value;
  }

  @Option({ flags: '--person <id>', description: 'the person the user is (a lead leads experiments as this person)' })
  parsePerson(value: string): string {
    return value;
  }
}

/** `users role <user> <role> [--organisation --person]`. */
@SubCommand({
  name: 'role',
  arguments: '<user> <role>',
  description: "Change a user's role (by e-mail or id); their sessions and tokens are revoked at once",
})
export class UsersRoleCommand extends CommandRunner {
  constructor(private readonly users: CliUserAccounts) {
    super();
  }

  async run([user, newRole]: string[], options: GrantOptions = {}): Promise<void> {
    const account = await this.users.find(user);
    const accounts = await this.users.open();
    const outcome = await accounts.changeRole(
      account.id,
      { role: role(newRole), organisationId: options.organisation, personId: options.person },
      this.users.commandContext(),
    );
    process.stdout.write(`${account.email} is now ${newRole} (version ${outcome.version}); their sessions and tokens were revoked\n`);
  }

  @Option({ flags: '--organisation <id>', description: "a partner's organisation" })
  parseOrganisation(value: string): string {
    return value;
  }

  @Option({ flags: '--person <id>', description: 'the person the user is' })
  parsePerson(value: string): string {
    return value;
  }
}

/** `users disable <user>`. */
@SubCommand({ name: 'disable', arguments: '<user>', description: 'Disable a user (by e-mail or id); their sessions and tokens stop working at once' })
export class UsersDisableCommand extends CommandRunner {
  constructor(private readonly users: CliUserAccounts) {
    super();
  }

  async run([user]: string[]): Promise<void> {
    const account = await this.users.find(user);
    const outcome = await (await this.users.open()).disable(account.id, this.users.commandContext());
    process.stdout.write(`Disabled ${account.email} (version ${outcome.version})\n`);
  }
}

/** `users token <user> --name [--expires]`. */
@SubCommand({ name: 'token', arguments: '<user>', description: 'Issue a personal API token for a user (printed once, stored hashed)' })
export class UsersTokenCommand extends CommandRunner {
  constructor(private readonly users: CliUserAccounts) {
    super();
  }

  async run([user]: string[], options: TokenOptions = {}): Promise<void> {
    if (options.name === undefined) throw new UsageError('--name <name> is required (what the token is for)');
    const account = await this.users.find(user);
    const context = this.users.commandContext();
    const issued = await (await this.users.open()).issueToken(
      account.id,
      { tokenId: this.users.newId(), name: options.name, expiresAt: options.expires ?? null },
      context,
    );
    process.stdout.write(
      `Token "${issued.name}" (${issued.tokenId}) for ${account.email}${issued.expiresAt === null ? '' : `, expires ${issued.expiresAt}`}; shown only now:\n` +
        `  ${issued.token}\nUse it as: Authorization: Bearer <token>\n`,
    );
  }

  @Option({ flags: '--name <name>', description: 'what the token is for' })
  parseName(value: string): string {
    return value;
  }

  @Option({ flags: '--expires <date-time>', description: 'when the token stops working (ISO 8601 date-time)' })
  parseExpires(value: string): string {
    if (Number.isNaN(Date.parse(value))) throw new UsageError(`--expires must be an ISO 8601 date-time, not "${value}"`);
    return new Date(value).toISOString();
  }
}

/** `users passwd <user>`. */
@SubCommand({
  name: 'passwd',
  arguments: '<user>',
  description: "Reset a user's password: prints a new one-time password; their sessions and tokens are revoked",
})
export class UsersPasswdCommand extends CommandRunner {
  constructor(private readonly users: CliUserAccounts) {
    super();
  }

  async run([user]: string[]): Promise<void> {
    const account = await this.users.find(user);
    const outcome = await (await this.users.open()).resetPassword(account.id, this.users.commandContext());
    process.stdout.write(oneTimePasswordLines(account.email, outcome.oneTimePassword));
  }
}

/** `users list`. */
@SubCommand({ name: 'list', description: 'List the users: e-mail, name, role, organisation, status' })
export class UsersListCommand extends CommandRunner {
  constructor(private readonly users: CliUserAccounts) {
    super();
  }

  async run(): Promise<void> {
    const rows = (await this.users.open()).accounts.list().filter((a) => a.status !== 'pending');
    const lines = rows.map((a) => [a.email, a.name, a.role, a.organisationId ?? '-', a.status, a.id].join('\t'));
    process.stdout.write(['email\tname\trole\torganisation\tstatus\tid', ...lines].join('\n') + '\n');
  }
}

/** `users add|role|disable|token|passwd|list`. */
@Command({
  name: 'users',
  description: 'Manage users as staff do in the API (POST /api/users…), recorded as events by the system actor',
  subCommands: [UsersAddCommand, UsersRoleCommand, UsersDisableCommand, UsersTokenCommand, UsersPasswdCommand, UsersListCommand],
})
export class UsersCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help({ error: true });
  }
}
