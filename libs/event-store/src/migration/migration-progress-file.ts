import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { EventStoreError } from '../errors.js';
import type { MigrationCheckpoint, MigrationCheckpointStore } from './migrate-events.js';

/** The JSON kept in a migration progress file. */
export interface MigrationProgressRecord extends MigrationCheckpoint {
  format: 1;
  /** The source, as described by the caller (no credentials). */
  source: string;
  /** The target, as described by the caller (no credentials). */
  target: string;
  updatedAt: string;
}

/**
 * A migration's checkpoint in a JSON file, replaced atomically (write, fsync, rename) on every save. A file
 * written for another source or target is not used: {@link ignored} then says why, and the next save
 * replaces it.
 */
export class MigrationProgressFile implements MigrationCheckpointStore {
  /** Why an existing file was not used, once {@link load} has run. */
  ignored: string | null = null;

  constructor(
    readonly file: string,
    readonly source: string,
    readonly target: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  load(): MigrationCheckpoint | null {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new EventStoreError(`Cannot read the migration progress file ${this.file}`, { cause: error });
    }
    const record = parseRecord(text);
    if (!record) {
      this.ignored = `${this.file} is not a migration progress file`;
      return null;
    }
    if (record.source !== this.source || record.target !== this.target) {
      this.ignored = `${this.file} is the progress of a migration from ${record.source} to ${record.target}`;
      return null;
    }
    const { position, last, copied, skipped, completed } = record;
    return { position, last, copied, skipped, completed };
  }

  save(checkpoint: MigrationCheckpoint): void {
    const record: MigrationProgressRecord = {
      format: 1,
      source: this.source,
      target: this.target,
      ...checkpoint,
      updatedAt: this.clock().toISOString(),
    };
    const temporary = `${this.file}.tmp`;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const fd = openSync(temporary, 'w');
      try {
        writeSync(fd, `${JSON.stringify(record, null, 2)}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, this.file);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw new EventStoreError(`Cannot write the migration progress file ${this.file}`, { cause: error });
    }
  }

  remove(): void {
    rmSync(this.file, { force: true });
  }
}

function parseRecord(text: string): MigrationProgressRecord | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Partial<MigrationProgressRecord>;
  const last = record.last;
  const lastValid =
    last === null ||
    (typeof last === 'object' &&
      last !== undefined &&
      typeof last.streamId === 'string' &&
      typeof last.eventId === 'string' &&
      Number.isSafeInteger(last.version));
  const valid =
    record.format === 1 &&
    typeof record.source === 'string' &&
    typeof record.target === 'string' &&
    Number.isSafeInteger(record.position) &&
    (record.position ?? -1) >= 0 &&
    Number.isSafeInteger(record.copied) &&
    Number.isSafeInteger(record.skipped) &&
    typeof record.completed === 'boolean' &&
    lastValid;
  return valid ? (record as MigrationProgressRecord) : null;
}
