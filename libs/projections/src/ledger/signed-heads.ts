import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { signLedgerHead, type SignedHead, type SigningKey } from '#event-store';
import type { ReadModelDb } from '../read-model-db.js';
import { latestLedgerEntry, LEDGER_ENTRIES_TABLE, ledgerEntryAtOrBefore, type LedgerEntry } from './ledger.projection.js';

/**
 * The database of signed ledger heads, `<data dir>/ledger-signatures.db`. Deliberately not `read-models.db`:
 * that file is disposable (deleted by `restore`, its tables dropped by a rebuild), while signatures are
 * evidence: a ledger rebuilt from a changed log no longer matches the heads signed before.
 */
export type LedgerSignatureDb = Database.Database;

/** File name of the signature database inside the data directory. */
export const LEDGER_SIGNATURES_FILE = 'ledger-signatures.db';

/** The one table of the signature database; primary key (position, key): a new key signs beside the old one's heads. */
export const LEDGER_SIGNED_HEADS_TABLE = 'ledger_signed_heads';

/** Ledger entries whose ordinal is a multiple of this are signed for good; defaults to 1000. */
export const DEFAULT_SIGN_EVERY = 1000;

interface SignedRow {
  position: number;
  key_id: string;
  ordinal: number;
  head: string;
  signed_at: string;
  signature: string;
}

/** `<dataDir>/ledger-signatures.db`. */
export function ledgerSignaturesPath(dataDir: string): string {
  return join(dataDir, LEDGER_SIGNATURES_FILE);
}

/** Opens (creating if needed) a signature database: WAL, fsync on commit, a busy timeout for other processes. */
export function openLedgerSignatures(file: string): LedgerSignatureDb {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { timeout: 5000 });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(`CREATE TABLE IF NOT EXISTS ${LEDGER_SIGNED_HEADS_TABLE} (
      position INTEGER NOT NULL,
      key_id TEXT NOT NULL,
      ordinal INTEGER NOT NULL,
      head TEXT NOT NULL,
      signed_at TEXT NOT NULL,
      signature TEXT NOT NULL,
      PRIMARY KEY (position, key_id)
    ) WITHOUT ROWID`);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function toSignedHead(row: SignedRow): SignedHead {
  return { position: row.position, head: row.head, signedAt: row.signed_at, signature: row.signature, keyId: row.key_id };
}

/** The ledger head after `entry`, signed (deterministic: equal to what {@link sealLedger} stores there). */
export function signEntry(key: SigningKey, entry: Pick<LedgerEntry, 'position' | 'head' | 'recordedAt'>): SignedHead {
  return signLedgerHead(key, { position: entry.position, head: entry.head, signedAt: entry.recordedAt });
}

/** The signed ledger head covering every witnessed event up to `position`; null before the first entry. */
export function signedHeadAt(ledger: ReadModelDb, key: SigningKey, position: number): SignedHead | null {
  const entry = ledgerEntryAtOrBefore(ledger, position);
  return entry ? signEntry(key, entry) : null;
}

/** Every stored signed head (all keys), in position order, up to `upTo`. */
export function storedSignedHeads(signatures: LedgerSignatureDb, upTo = Number.MAX_SAFE_INTEGER): SignedHead[] {
  return signatures
    .prepare<[number], SignedRow>(`SELECT * FROM ${LEDGER_SIGNED_HEADS_TABLE} WHERE position <= ? ORDER BY position, key_id`)
    .all(upTo)
    .map(toSignedHead);
}

/** The newest head stored for `keyId` strictly before `position`. */
export function storedSignedHeadBefore(signatures: LedgerSignatureDb, keyId: string, position: number): SignedHead | null {
  const row = signatures
    .prepare<[string, number], SignedRow>(
      `SELECT * FROM ${LEDGER_SIGNED_HEADS_TABLE} WHERE key_id = ? AND position < ? ORDER BY position DESC LIMIT 1`,
    )
    .get(keyId, position);
  return row ? toSignedHead(row) : null;
}

/** What {@link sealLedger} did. */
export type SealOutcome =
  | { sealed: number; latest: SignedHead | null }
  /** Nothing signed: the ledger does not extend what was signed before (a rebuild still catching up, or a changed log). */
  | { refused: string; changed: boolean };

/**
 * Signs what the ledger (in `ledger`, the read-model database) has witnessed since the last seal with `key`:
 * every entry whose ordinal is a multiple of `every`, and the newest entry, in one transaction of `signatures`.
 * Earlier "newest" seals that are not such checkpoints are dropped, so the table holds the checkpoints plus one
 * head at the end. Refuses (signs nothing) while the ledger ends before a head signed earlier by any key, and
 * when the head the ledger now has at the position last signed with `key` differs from the one signed
 * (`changed`: the log under the ledger was rewritten). Writes nothing when there is nothing new.
 */
export function sealLedger(ledger: ReadModelDb, signatures: LedgerSignatureDb, key: SigningKey, every = DEFAULT_SIGN_EVERY): SealOutcome {
  const ownNewest = signatures.prepare<[string], SignedRow>(
    `SELECT * FROM ${LEDGER_SIGNED_HEADS_TABLE} WHERE key_id = ? ORDER BY position DESC LIMIT 1`,
  );
  const latest = latestLedgerEntry(ledger);
  if (!latest) return { sealed: 0, latest: null };
  const signedBefore = ownNewest.get(key.keyId);
  if (signedBefore?.position === latest.position && signedBefore.head === latest.head) {
    return { sealed: 0, latest: toSignedHead(signedBefore) };
  }
  return signatures
    .transaction((): SealOutcome => {
      const furthest = signatures.prepare<[], number | null>(`SELECT MAX(position) FROM ${LEDGER_SIGNED_HEADS_TABLE}`).pluck().get() ?? 0;
      if (latest.position < furthest) {
        return { refused: `the ledger ends at position ${latest.position}, before the head signed at ${furthest}`, changed: false };
      }
      const own = ownNewest.get(key.keyId);
      if (own) {
        const now = ledgerEntryAtOrBefore(ledger, own.position);
        if (now?.position !== own.position || now.head !== own.head) {
          return { refused: `the ledger's head at position ${own.position} is not the one signed there`, changed: true };
        }
        if (own.position === latest.position) return { sealed: 0, latest: toSignedHead(own) };
      }
      const due = ledger
        .prepare<[number, number, number, number], { position: number; ordinal: number; head: string; recorded_at: string }>(
          `SELECT position, ordinal, head, recorded_at FROM "${LEDGER_ENTRIES_TABLE}"
           WHERE position > ? AND position <= ? AND (ordinal % ? = 0 OR position = ?) ORDER BY position`,
        )
        .all(own?.position ?? 0, latest.position, every, latest.position);
      const insert = signatures.prepare<[SignedRow]>(
        `INSERT INTO ${LEDGER_SIGNED_HEADS_TABLE} (position, key_id, ordinal, head, signed_at, signature)
         VALUES (@position, @key_id, @ordinal, @head, @signed_at, @signature)`,
      );
      let newest: SignedHead | null = null;
      for (const entry of due) {
        newest = signEntry(key, { position: entry.position, head: entry.head, recordedAt: entry.recorded_at });
        insert.run({ position: entry.position, key_id: key.keyId, ordinal: entry.ordinal, head: entry.head, signed_at: entry.recorded_at, signature: newest.signature });
      }
      signatures
        .prepare<[string, number, number]>(`DELETE FROM ${LEDGER_SIGNED_HEADS_TABLE} WHERE key_id = ? AND position < ? AND ordinal % ? != 0`)
        .run(key.keyId, latest.position, every);
      return { sealed: due.length, latest: newest };
    })
    .immediate();
}
