import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CommandRunner, Option, SubCommand } from 'nest-commander';
import { ProblemException } from '../../../api/src/http/problem.js';
import { BuildReport, BuildReportHandler } from '../../../api/src/reports/report.queries.js';
import { formatBytes } from '../storage/storage-output.js';
import { TrackerContext, UsageError } from '../tracker-context.js';
import { learningSummarySpec, type LearningSummaryOptions } from './learning-summary-request.js';

interface Options extends LearningSummaryOptions {
  out?: string;
}

/** `report learning-summary`: the same bytes as `GET /api/reports/learning-summary` with the same parameters. */
@SubCommand({
  name: 'learning-summary',
  description:
    'What the learnings say: by theme and source, decisions counted, key learnings, open questions. Built from the events at or ' +
    'below --at-position (default: the newest) by the API\'s own code: the same options give the same bytes as the API',
})
export class LearningSummaryCommand extends CommandRunner {
  constructor(private readonly context: TrackerContext) {
    super();
  }

  async run(_args: string[], options: Options = {}): Promise<void> {
    const spec = learningSummarySpec(options);
    if (spec.format === 'pdf' && options.out === undefined && process.stdout.isTTY) {
      throw new UsageError('A PDF is binary: write it to a file with --out <file> (or redirect stdout)');
    }
    const store = await this.context.eventStore();
    let report;
    try {
      report = await new BuildReportHandler(store).execute(new BuildReport(spec));
    } catch (error) {
      if (error instanceof ProblemException) throw new UsageError(error.message.replace(/^atPosition/, '--at-position'));
      throw error;
    }
    if (options.out === undefined) {
      await new Promise<void>((done, fail) => process.stdout.write(report.body, (error) => (error ? fail(error) : done())));
      return;
    }
    const file = resolve(options.out);
    writeFileSync(file, report.body);
    process.stderr.write(`Wrote ${file} (${formatBytes(Buffer.byteLength(report.body))}, ${report.contentType}; as the API names it: ${report.filename})\n`);
  }

  @Option({ flags: '--from <date>', description: 'learnings whose business time is on or after this date (from 00:00 Oslo) or date-time' })
  parseFrom(value: string): string {
    return value;
  }

  @Option({ flags: '--to <date>', description: 'learnings on or before this date (to its end, Oslo) or date-time' })
  parseTo(value: string): string {
    return value;
  }

  @Option({ flags: '--theme <theme>', description: "only learnings with this theme, ignoring case (their own themes, else their source's)" })
  parseTheme(value: string): string {
    return value;
  }

  @Option({ flags: '--collaboration <id>', description: 'only this collaboration and its experiments' })
  parseCollaboration(value: string): string {
    return value;
  }

  @Option({ flags: '--format <format>', description: 'md (default), html, json or pdf', choices: ['md', 'html', 'json', 'pdf'] })
  parseFormat(value: string): string {
    return value;
  }

  @Option({ flags: '--lang <lang>', description: 'en (default) or nb', choices: ['en', 'nb'] })
  parseLang(value: string): string {
    return value;
  }

  @Option({ flags: '--at-position <n>', description: 'build from the events at or below this global position (default: the newest)' })
  parseAtPosition(value: string): string {
    return value;
  }

  @Option({ flags: '--out <file>', description: 'write the report to this file instead of stdout' })
  parseOut(value: string): string {
    return value;
  }
}
