import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CommandRunner, Option, SubCommand } from 'nest-commander';
import { AuditTrailBroken, buildAuditBundle, InvalidBundleRequest, sealLedger } from '#projections';
import { resolveFilter } from '../../../api/src/audit/audit.controller.js';
import { ProblemException } from '../../../api/src/http/problem.js';
import { positionOption } from '../option-values.js';
import { formatBytes, formatCount } from '../storage/storage-output.js';
import { TrackerContext, UsageError } from '../tracker-context.js';
import { catchUpAuditProjections, openAuditFiles } from './audit-files.js';

interface ExportOptions {
  stream?: string;
  actor?: string;
  type?: string;
  from?: string;
  to?: string;
  previous?: number;
  out?: string;
}

/** `audit export`: the signed bundle of `GET /api/audit/export`, for partners to verify offline. */
@SubCommand({
  name: 'export',
  description:
    'Write a signed bundle of the audit trail (events, hash chain, Ed25519 signature over the ledger head) that ' +
    'tools/verify-bundle.mjs verifies offline. Without filters: the whole log up to the ledger head',
})
export class AuditExportCommand extends CommandRunner {
  constructor(private readonly context: TrackerContext) {
    super();
  }

  async run(_args: string[], options: ExportOptions = {}): Promise<void> {
    const { previous, out, ...filters } = options;
    let filter;
    try {
      filter = resolveFilter(filters);
    } catch (error) {
      if (error instanceof ProblemException) throw new UsageError(`--to must not be before --from`);
      throw error;
    }
    const store = await this.context.eventStore();
    if (!(await catchUpAuditProjections(this.context))) {
      process.stderr.write('warning: the ledger is behind the log (parked or being rebuilt); the bundle ends where it is\n');
    }
    const db = this.context.readModels();
    const { signatures, key } = openAuditFiles(this.context);
    try {
      sealLedger(db, signatures, key);
      const bundle = await buildAuditBundle(store, { db, signatures, key, filter, previous }).catch((error: unknown) => {
        if (error instanceof AuditTrailBroken) throw new Error(`${error.message}. Nothing was signed; run \`audit verify\` to see the broken link`);
        if (error instanceof InvalidBundleRequest) throw new UsageError(error.message);
        throw error;
      });
      const json = `${JSON.stringify(bundle, null, 2)}\n`;
      const summary =
        `${formatCount(bundle.statement.events)} events up to position ${formatCount(bundle.statement.ledger.position)}, ` +
        `signed by key ${bundle.statement.keyId}${bundle.statement.complete ? ' (the whole log)' : ''}`;
      if (out === undefined) {
        await new Promise<void>((done, fail) => process.stdout.write(json, (error) => (error ? fail(error) : done())));
        process.stderr.write(`Exported ${summary}\n`);
        return;
      }
      const file = resolve(out);
      writeFileSync(file, json, { flag: 'wx' });
      process.stderr.write(`Wrote ${file} (${formatBytes(Buffer.byteLength(json))}): ${summary}\n`);
    } finally {
      signatures.close();
    }
  }

  @Option({ flags: '--stream <stream>', description: 'a stream (experiment-<id>) or a category (experiment)' })
  parseStream(value: string): string {
    return value;
  }

  @Option({ flags: '--actor <id>', description: 'only events by this actor id' })
  parseActor(value: string): string {
    return value;
  }

  @Option({ flags: '--type <type>', description: 'only events of this type (e.g. StepLogged)' })
  parseType(value: string): string {
    return value;
  }

  @Option({ flags: '--from <date>', description: 'recorded on or after this date (00:00 Oslo) or date-time' })
  parseFrom(value: string): string {
    return value;
  }

  @Option({ flags: '--to <date>', description: 'recorded on or before this date (its end, Oslo) or date-time' })
  parseTo(value: string): string {
    return value;
  }

  @Option({ flags: '--previous <position>', description: "statement.ledger.position of the recipient's previous bundle" })
  parsePrevious(value: string): number {
    return positionOption(value, '--previous', 1);
  }

  @Option({ flags: '--out <file>', description: 'write the bundle to this new file (refused if it exists) instead of stdout' })
  parseOut(value: string): string {
    return value;
  }
}
