import { describe, expect, it } from '@jest/globals';
import {
  ANY,
  AccessDeniedError,
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  UnavailableError,
  WrongExpectedVersionError,
  type Position,
  type ReadPosition,
} from '@eventstore/db-client';
import type { EventMetadata } from '../envelope.js';
import { EventStoreError, EventStoreUnavailable, InvalidAppend } from '../errors.js';
import { EsdbTimeout, isConnectionError, toStoreError, withTimeout } from './esdb-errors.js';
import {
  comparePositions,
  currentRevisionToVersion,
  decodePosition,
  encodePosition,
  fromEsdbMetadata,
  fromPortPosition,
  readAllStart,
  redactConnectionString,
  revisionToVersion,
  subscribeStart,
  toClientConnectionString,
  toEsdbMetadata,
  toExpectedRevision,
  toPortPosition,
  versionToRevision,
} from './esdb-mapping.js';

const at = (n: number): Position => ({ commit: BigInt(n), prepare: BigInt(n) });

/** A log of event positions served the way EventStoreDB serves `$all` reads and subscriptions. */
const log = [at(10), at(20), at(30), at(40)];
function serverReadAll(from: ReadPosition): Position[] {
  // readAll: fromPosition is inclusive.
  return from === START ? log : log.filter((p) => typeof from === 'object' && comparePositions(p, from) >= 0);
}
function serverSubscribe(from: Position | undefined): Position[] {
  // subscribeToAll: fromPosition is exclusive.
  return from === undefined ? log : log.filter((p) => comparePositions(p, from) > 0);
}

describe('expected versions and revisions', () => {
  it('maps the port expected versions to EventStoreDB expected revisions', () => {
    expect(toExpectedRevision('any')).toBe(ANY);
    expect(toExpectedRevision('no_stream')).toBe(NO_STREAM);
    expect(toExpectedRevision('stream_exists')).toBe(STREAM_EXISTS);
    expect(toExpectedRevision(0)).toBe(NO_STREAM);
    expect(toExpectedRevision(1)).toBe(0n);
    expect(toExpectedRevision(42)).toBe(41n);
    for (const invalid of [-1, 1.5, Number.NaN]) expect(() => toExpectedRevision(invalid)).toThrow(EventStoreError);
  });

  it('maps revisions to versions and back', () => {
    expect(revisionToVersion(0n)).toBe(1);
    expect(revisionToVersion(9n)).toBe(10);
    expect(versionToRevision(1)).toBe(0n);
    expect(versionToRevision(10)).toBe(9n);
    expect(() => revisionToVersion(2n ** 60n)).toThrow(EventStoreError);
  });

  it("reads the actual version from the client's own WrongExpectedVersionError", () => {
    const existing = new WrongExpectedVersionError(undefined, { streamName: 'experiment-1', expected: 1n, current: 4n });
    expect(currentRevisionToVersion(existing.actualVersion)).toBe(5);
    const absent = new WrongExpectedVersionError(undefined, { streamName: 'experiment-2', expected: 0n, current: NO_STREAM });
    expect(currentRevisionToVersion(absent.actualVersion)).toBe(0);
  });
});

describe('positions', () => {
  it('uses the commit position as the port number', () => {
    expect(toPortPosition({ commit: 1234n, prepare: 1234n })).toBe(1234);
    expect(toPortPosition(at(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => toPortPosition({ commit: 2n ** 53n, prepare: 2n ** 53n })).toThrow(EventStoreError);
    expect(fromPortPosition(0)).toEqual({ commit: 0n, prepare: 0n });
    expect(fromPortPosition(77)).toEqual({ commit: 77n, prepare: 77n });
    for (const invalid of [-1, 0.5, Number.NaN, 2 ** 53]) expect(() => fromPortPosition(invalid)).toThrow(EventStoreError);
  });

  it('orders by commit, then prepare', () => {
    expect(comparePositions(at(1), at(2))).toBe(-1);
    expect(comparePositions({ commit: 5n, prepare: 0n }, { commit: 5n, prepare: 5n })).toBe(-1);
    expect(comparePositions(at(5), at(5))).toBe(0);
    expect(comparePositions({ commit: 6n, prepare: 0n }, at(5))).toBe(1);
  });

  it('round-trips the exact pair through the token codec', () => {
    for (const position of [at(0), { commit: 1024n, prepare: 0n }, { commit: 2n ** 63n, prepare: 2n ** 62n + 1n }]) {
      const token = encodePosition(position);
      expect(typeof token).toBe('string');
      expect(decodePosition(token)).toEqual(position);
    }
    for (const invalid of ['', '12', '1:2:3', '-1:0', 'a:b', ' 1:1', `${2n ** 64n}:0`]) {
      expect(() => decodePosition(invalid)).toThrow(EventStoreError);
    }
  });

  it("readAll: the server's inclusive fromPosition becomes the port's exclusive 'after'", () => {
    const fromZero = readAllStart(0);
    expect(fromZero).toEqual({ fromPosition: START, skipThrough: null });
    expect(serverReadAll(fromZero.fromPosition)).toEqual(log);

    const start = readAllStart(20);
    expect(start.fromPosition).toEqual(at(20));
    const served = serverReadAll(start.fromPosition);
    expect(served[0]).toEqual(at(20));
    const delivered = served.filter((p) => !start.skipThrough || comparePositions(p, start.skipThrough) > 0);
    expect(delivered).toEqual([at(30), at(40)]);
  });

  it("subscribeToAll: the server's exclusive fromPosition is the port's 'after' as it is", () => {
    expect(subscribeStart(0)).toBeUndefined();
    expect(serverSubscribe(subscribeStart(0))).toEqual(log);
    expect(subscribeStart(20)).toEqual(at(20));
    expect(serverSubscribe(subscribeStart(20))).toEqual([at(30), at(40)]);
  });
});

describe('metadata', () => {
  const metadata: EventMetadata = {
    correlationId: '0192a6f0-0000-7000-8000-000000000001',
    causationId: '0192a6f0-0000-7000-8000-000000000002',
    actor: { id: 'bjørn', role: 'staff' },
    occurredAt: '2019-01-01T00:00:00.000Z',
    schemaVersion: 2,
    source: 'api',
  };

  it("adds EventStoreDB's correlation conventions and the integrity fields", () => {
    const stored = toEsdbMetadata(metadata, { previousHash: 'p', hash: 'h' });
    expect(stored).toMatchObject({
      ...metadata,
      $correlationId: metadata.correlationId,
      $causationId: metadata.causationId,
      previousHash: 'p',
      hash: 'h',
    });
    const root = toEsdbMetadata({ ...metadata, causationId: null });
    expect(root).not.toHaveProperty('$causationId');
    expect(root).toMatchObject({ causationId: null, previousHash: null, hash: null });
  });

  it('round-trips through JSON exactly', () => {
    for (const original of [metadata, { ...metadata, causationId: null }]) {
      const stored: unknown = JSON.parse(JSON.stringify(toEsdbMetadata(original, { previousHash: null, hash: 'h' })));
      expect(fromEsdbMetadata(stored)).toStrictEqual({ metadata: original, integrity: { previousHash: null, hash: 'h' }, recordedAt: null });
    }
  });

  it("reads a copied event's original store time as its recordedAt, not as metadata (so its hash matches the source's)", () => {
    const copied = { ...metadata, recordedAt: '2019-03-04T05:06:07.089Z' };
    const stored: unknown = JSON.parse(JSON.stringify(toEsdbMetadata(copied as EventMetadata, { previousHash: 'p', hash: 'h' })));
    expect(stored).toMatchObject({ recordedAt: '2019-03-04T05:06:07.089Z' });
    expect(fromEsdbMetadata(stored)).toStrictEqual({
      metadata,
      integrity: { previousHash: 'p', hash: 'h' },
      recordedAt: '2019-03-04T05:06:07.089Z',
    });
    const garbled = fromEsdbMetadata({ ...(stored as object), recordedAt: 'yesterday' });
    expect(garbled).toMatchObject({ metadata, recordedAt: null });
  });

  it('refuses metadata that is not a JSON object', () => {
    for (const stored of [undefined, null, 'text', [1], new Uint8Array([1])]) expect(fromEsdbMetadata(stored)).toBeNull();
  });
});

describe('connection strings', () => {
  it('accepts the kurrentdb schemes', () => {
    expect(toClientConnectionString('kurrentdb://localhost:2113?tls=false')).toBe('esdb://localhost:2113?tls=false');
    expect(toClientConnectionString('kurrentdb+discover://db.example:2113')).toBe('esdb+discover://db.example:2113');
    expect(toClientConnectionString('esdb://localhost:2113?tls=false')).toBe('esdb://localhost:2113?tls=false');
  });

  it('drops credentials from messages', () => {
    expect(redactConnectionString('esdb://admin:changeit@localhost:2113?tls=false')).toBe('esdb://localhost:2113?tls=false');
    expect(redactConnectionString('esdb://localhost:2113')).toBe('esdb://localhost:2113');
  });
});

describe('errors', () => {
  const raw14 = Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 });

  it('recognises connection failures, including the raw gRPC error the client does not wrap', () => {
    expect(raw14 instanceof UnavailableError).toBe(false);
    expect(isConnectionError(raw14)).toBe(true);
    expect(isConnectionError(new UnavailableError())).toBe(true);
    expect(isConnectionError(new DeadlineExceededError())).toBe(true);
    expect(isConnectionError(new EsdbTimeout('x', 1))).toBe(true);
    expect(isConnectionError(new WrongExpectedVersionError(undefined, { streamName: 's', expected: 0n, current: 1n }))).toBe(false);
    expect(isConnectionError(new AccessDeniedError())).toBe(false);
    expect(isConnectionError('nope')).toBe(false);
  });

  it('maps client errors to the port errors, naming the server', () => {
    const unavailable = toStoreError(raw14, 'esdb://localhost:2113', 'appending to s-1');
    expect(unavailable).toBeInstanceOf(EventStoreUnavailable);
    expect(unavailable.message).toContain('esdb://localhost:2113');
    expect(toStoreError(new MaxAppendSizeExceededError(undefined, 1048576), 'x', 'appending')).toBeInstanceOf(InvalidAppend);
    const denied = toStoreError(new AccessDeniedError(), 'x', 'reading $all');
    expect(denied).toBeInstanceOf(EventStoreError);
    expect(denied).not.toBeInstanceOf(EventStoreUnavailable);
    const own = new InvalidAppend('mine');
    expect(toStoreError(own, 'x', 'y')).toBe(own);
  });
});

describe('withTimeout', () => {
  it('passes results and errors through', async () => {
    await expect(withTimeout(Promise.resolve(7), 100, 'x')).resolves.toBe(7);
    await expect(withTimeout(Promise.reject(new Error('boom')), 100, 'x')).rejects.toThrow('boom');
  });

  it('rejects as unavailable when the promise does not settle in time', async () => {
    const started = Date.now();
    const error = await withTimeout(new Promise(() => undefined), 50, 'EventStoreDB at esdb://h:2113 (reading)').catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error).toBeInstanceOf(EsdbTimeout);
    expect(error).toBeInstanceOf(EventStoreUnavailable);
    expect((error as Error).message).toBe('EventStoreDB at esdb://h:2113 (reading): no answer within 50 ms');
  });

  it('swallows a rejection that arrives after the timeout', async () => {
    let reject: (error: Error) => void = () => undefined;
    const late = new Promise<never>((_, r) => (reject = r));
    await expect(withTimeout(late, 10, 'x')).rejects.toBeInstanceOf(EsdbTimeout);
    reject(new Error('too late'));
    await new Promise((r) => setTimeout(r, 10));
  });
});
