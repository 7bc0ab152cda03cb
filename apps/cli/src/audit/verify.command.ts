import { CommandRunner, Option, SubCommand } from 'nest-commander';
import { verifyIntegrity } from '#projections';
import { positionOption } from '../option-values.js';
import { TrackerContext } from '../tracker-context.js';
import { describeIntegrity } from './audit-output.js';
import { catchUpAuditProjections, openAuditFiles } from './audit-files.js';

interface VerifyOptions {
  upTo?: number;
  json?: boolean;
}

/** `audit verify`: the same walk as `GET /api/audit/verify`; exit code 1 when a link is broken. */
@SubCommand({
  name: 'verify',
  description:
    "Re-walk every stream's hash chain, the ledger and its signed heads, and report the first broken link (stream, " +
    'position, event id). Exit code 0 when everything verifies, 1 when it does not',
})
export class AuditVerifyCommand extends CommandRunner {
  constructor(private readonly context: TrackerContext) {
    super();
  }

  async run(_args: string[], options: VerifyOptions = {}): Promise<void> {
    const store = await this.context.eventStore();
    if (!(await catchUpAuditProjections(this.context))) {
      process.stderr.write('warning: the ledger is behind the log (parked or being rebuilt); later events are checked by their chains only\n');
    }
    const { signatures, key } = openAuditFiles(this.context);
    try {
      const report = await verifyIntegrity(store, { db: this.context.readModels(), signatures, publicKey: key.publicKey, upTo: options.upTo });
      process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : describeIntegrity(report));
      if (!report.ok) process.exitCode = 1;
    } finally {
      signatures.close();
    }
  }

  @Option({ flags: '--up-to <position>', description: 'check the log up to this global position only (default: all of it)' })
  parseUpTo(value: string): number {
    return positionOption(value, '--up-to');
  }

  @Option({ flags: '--json', description: 'print the report as JSON (the body of GET /api/audit/verify)' })
  parseJson(): boolean {
    return true;
  }
}
