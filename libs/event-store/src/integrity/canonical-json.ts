import { EventStoreError } from '../errors.js';

/**
 * Canonical JSON, the byte string every integrity hash and signature is computed over:
 *
 * - the value is first read the way `JSON.stringify` reads it (`toJSON`, boxed primitives unwrapped, object
 *   members whose value is `undefined`, a function or a symbol left out, the same in arrays written `null`,
 *   non-finite numbers written `null`), so a value and its JSON round trip have the same canonical form;
 * - object members are sorted by key, comparing UTF-16 code units (JavaScript's default string order);
 * - no whitespace anywhere;
 * - strings and numbers are written exactly as `JSON.stringify` writes them (shortest round-trip number form,
 *   `-0` as `0`; lone surrogates escaped as `\udXXX`);
 * - the result is hashed or signed as UTF-8.
 *
 * For the values the stores hold (parsed JSON) this is the JSON Canonicalization Scheme of RFC 8785.
 * Throws on a BigInt or a cycle, as `JSON.stringify` does.
 */
export function canonicalJson(value: unknown): string {
  const text = write(value, '', []);
  if (text === undefined) throw new EventStoreError('canonicalJson: the value has no JSON form');
  return text;
}

function write(input: unknown, key: string, ancestors: object[]): string | undefined {
  let value = input;
  if (typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: (key: string) => unknown }).toJSON(key);
  }
  if (value instanceof Number || value instanceof String || value instanceof Boolean) value = value.valueOf();
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new EventStoreError('canonicalJson: BigInt has no JSON form');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return 'null';
  const object = value as object;
  if (ancestors.includes(object)) throw new EventStoreError('canonicalJson: the value contains a cycle');
  ancestors.push(object);
  let text: string;
  if (Array.isArray(object)) {
    text = '[';
    for (let i = 0; i < object.length; i++) text += (i === 0 ? '' : ',') + (write((object as unknown[])[i], String(i), ancestors) ?? 'null');
    text += ']';
  } else {
    const record = object as Record<string, unknown>;
    text = '{';
    for (const name of Object.keys(record).sort()) {
      const member = write(record[name], name, ancestors);
      if (member !== undefined) text += (text.length === 1 ? '' : ',') + JSON.stringify(name) + ':' + member;
    }
    text += '}';
  }
  ancestors.pop();
  return text;
}
