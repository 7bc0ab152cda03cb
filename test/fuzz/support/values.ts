import fc from 'fast-check';

/** Unicode that trips naive text handling: lone surrogates, NUL, bidi overrides, combining marks, emoji. */
export const UNICODE_EDGES = [
  '\ud800',
  '\udfff',
  'a\ud83db',
  '\udc00\ud800',
  '\u0000',
  'a\u0000b',
  '\u0001\u0002\u001f\u007f',
  '\u0085\u2028\u2029',
  '\u202egnp.exe',
  '\u2066x\u2069\u202d\u202c',
  '\u200b\u200c\u200d\u2060',
  '\ufeffBOM',
  '\ufffe\uffff',
  'e\u0301',
  'Z\u0336\u0335\u0334\u0337\u0338',
  `e${'\u0301'.repeat(300)}`,
  `a${'\u0489'.repeat(1000)}`,
  '👩‍👩‍👧‍👦',
  '🇳🇴🏳️‍🌈',
  '👍🏽👍🏿',
  '𝕳𝖊𝖑𝖑𝖔',
  '\ud83d\ude00'.repeat(200),
  'ﷺ ﷽',
  'Ⅻ ǅ ß ẞ İ ı',
  'Æøå ÆØÅ',
  'ट्रॉन्डहाइम',
  'תל אביב العربية',
  '\u{10ffff}\u{e0001}\u{e007f}',
  '\ufe0f'.repeat(50),
] as const;

/** Strings aimed at SQL, FTS5 MATCH, templates, spreadsheets, markup, paths and headers. */
export const INJECTIONS = [
  "' OR '1'='1",
  "'; DROP TABLE events; --",
  'Robert"); DROP TABLE read_models;--',
  '1; SELECT * FROM sqlite_master',
  "' UNION SELECT name, sql FROM sqlite_master --",
  '"unterminated',
  'NEAR(a b, 2)',
  'a OR b AND NOT c',
  '*',
  '^start',
  'title:green',
  '-excluded',
  '{title hypothesis}: x',
  '"" ""',
  'a" OR "b',
  '\\',
  '%',
  '_',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%2e%2e%2f%2e%2e%2f',
  'a\r\nSet-Cookie: session=evil',
  'a\nLocation: https://evil.example',
  '{{7*7}}',
  '${7*7}',
  '<%= 7*7 %>',
  '#{7*7}',
  "=cmd|' /C calc'!A0",
  '+SUM(1,2)',
  '-2+3',
  '@SUM(A1:A9)',
  '\t=1+1',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '</title><svg onload=alert(1)>',
  '[click](javascript:alert(1))',
  '| a | b |\n|---|---|',
  '\n# Heading\n---\n',
  '%s%s%s%n',
  'null',
  'undefined',
  'NaN',
  '__proto__',
  'constructor',
  '{"a":1}',
  '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY y SYSTEM "file:///etc/passwd">]>',
  '(',
  ')',
  '\\u0000',
] as const;

/** Whitespace only, as `\S` sees it. */
export const BLANKS = ['', ' ', '   ', '\t', '\n', '\r\n', '\u00a0', '\u2003', '\u3000', '\ufeff', ' \t\n '] as const;

/** Calendar dates that do not exist or are not `YYYY-MM-DD`. */
export const BAD_DATES = [
  '2019-02-30',
  '2019-02-29',
  '2019-04-31',
  '2019-13-01',
  '2019-00-10',
  '2019-01-00',
  '2019-01-32',
  '0000-01-01',
  '0000-00-00',
  '10000-01-01',
  '+010000-01-01',
  '-0001-01-01',
  '2019-1-1',
  '20190101',
  '2019/01/01',
  '01.02.2019',
  ' 2019-01-01',
  '2019-01-01 ',
  '2019-01-01\u0000',
  '٢٠١٩-٠١-٠١',
  '２０１９-01-01',
  'today',
  'yesterday',
  '',
  'null',
  '2019-01-01T00:00:00Z',
  '1546300800',
] as const;

/** Business times (`occurredAt`, `asOf`, `from`...) that are malformed or impossible. */
export const BAD_INSTANTS = [
  ...BAD_DATES.filter((d) => !d.startsWith('2019-01-01T')),
  '2019-01-01T10:00',
  '2019-01-01T10:00:00',
  '2019-01-01T25:00Z',
  '2019-01-01T10:60Z',
  '2019-01-01T10:00:61Z',
  '2019-02-30T10:00Z',
  '2019-01-01T10:00:00.1234567890Z',
  '2019-01-01T10:00:00+1',
  '2019-01-01T10:00:00+01:0',
  '2019-01-01T10:00:00 +01:00',
  '2019-01-01t10:00:00z',
  '2019-01-01T10:00:00Z[Europe/Oslo]',
  'Tue, 01 Jan 2019 10:00:00 GMT',
  '2019-W01-1',
  '2019-001',
] as const;

/** Odd but possibly acceptable business times: offsets without a colon, year edges, leap days, 24:00. */
export const ODD_INSTANTS = [
  '2019-01-01T10:00:00+0100',
  '2019-01-01T10:00:00-0000',
  '2019-01-01T10:00:00+14:00',
  '2019-01-01T10:00:00-12:00',
  '2019-01-01T10:00:00+99:99',
  '2019-01-01T24:00Z',
  '2020-02-29',
  '1900-02-29',
  '1970-01-01T00:00:00Z',
  '1969-12-31T23:59:59.999Z',
  '0100-01-01',
  '0001-01-01T00:00Z',
  '1000-01-01',
  '2019-03-31T02:30:00+02:00',
  '2019-10-27',
] as const;

/** Strings that are not UUIDs (or are UUID-like but malformed). */
export const BAD_UUIDS = [
  'not-a-uuid',
  '',
  ' ',
  '0192f1e2-0000-7000-8000-00000000dead ',
  ' 0192f1e2-0000-7000-8000-00000000dead',
  '{0192f1e2-0000-7000-8000-00000000dead}',
  '0192f1e200007000800000000000dead',
  '0192f1e2-0000-7000-8000-00000000deadbeef',
  '0192f1e2-0000-7000-8000-00000000dea',
  '0192f1e2-0000-7000-8000-00000000deaz',
  'g192f1e2-0000-7000-8000-00000000dead',
  '0192f1e2_0000_7000_8000_00000000dead',
  '0192f1e2-0000-7000-8000-00000000dead\u0000',
  '0192f1e2-0000-7000-8000-00000000dеad',
  'urn:uuid:0192f1e2-0000-7000-8000-00000000dead',
  '../0192f1e2-0000-7000-8000-00000000dead',
  '1',
  '-1',
  'null',
  'undefined',
  '[object Object]',
] as const;

/** UUIDs that name nothing, in either case (the nil UUID included). */
export const UNKNOWN_UUIDS = [
  '0192f1e2-0000-7000-8000-00000000dead',
  '0192F1E2-0000-7000-8000-00000000DEAD',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
  '6ba7b810-9dad-11d1-80b4-00c04fd430c8',
] as const;

export const unknownUuid = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(...UNKNOWN_UUIDS),
    fc.uuid().map((u) => u.toUpperCase()),
    fc.uuid(),
  );

/** JSON values of every type other than a string. */
export const nonStringJson = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.constant([]),
    fc.constant({}),
    fc.array(fc.string(), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  );

/** JSON values of every type other than a finite number. */
export const nonNumberJson = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.string({ maxLength: 10 }),
    fc.constantFrom('1', '1e3', '0x10', 'NaN', 'Infinity', ''),
    fc.boolean(),
    fc.constant([1]),
    fc.constant({ value: 1 }),
  );

/** Any hostile text: unicode edges, injections and random unicode, possibly combined. */
export const hostileText = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...UNICODE_EDGES) },
    { weight: 3, arbitrary: fc.constantFrom(...INJECTIONS) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }) },
    {
      weight: 2,
      arbitrary: fc
        .array(fc.oneof(fc.constantFrom(...UNICODE_EDGES), fc.constantFrom(...INJECTIONS), fc.string({ maxLength: 5 })), {
          minLength: 2,
          maxLength: 4,
        })
        .map((parts) => parts.join('')),
    },
  );

/** Code points in a string, which is how text limits are meant to count. */
export function codePoints(text: string): number {
  return [...text].length;
}

/** A string of more than `max` code points, built from units chosen to dodge naive length checks. */
export const tooLong = (max: number): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.constantFrom('x', 'é', '\u0301', '🙂', '\ufe0f', '\ufe0e', '\u200b', '😀\ufe0f', 'a\ufe0f'),
      fc.oneof(
        { weight: 4, arbitrary: fc.constant(max + 1) },
        { weight: 4, arbitrary: fc.integer({ min: max + 1, max: max * 3 + 10 }) },
        { weight: 1, arbitrary: fc.constantFrom(20_000, 64 * 1024) },
      ),
    )
    .map(([unit, count]) => {
      const units = Math.ceil(count / codePoints(unit));
      return `x${unit.repeat(units)}`;
    });

/** A string whose length straddles `max` (code points): at it, one under, or one over. */
export const nearLimit = (max: number): fc.Arbitrary<{ text: string; over: boolean }> =>
  fc.tuple(fc.constantFrom('a', 'ø', '🙂', 'e\u0301'), fc.constantFrom(-1, 0, 1)).map(([unit, delta]) => {
    const target = max + delta;
    const perUnit = codePoints(unit);
    const text = `${unit.repeat(Math.floor(target / perUnit))}${'b'.repeat(target % perUnit)}`;
    return { text, over: codePoints(text) > max };
  });
