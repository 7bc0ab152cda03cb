import fc from 'fast-check';
import {
  COMMAND_ROUTES,
  fillPath,
  paramEntity,
  pathParams,
  READ_ROUTES,
  type CommandRoute,
  type EntityKind,
  type Field,
  type Params,
  type QueryKind,
  type ReadRoute,
} from './routes.js';
import {
  BAD_DATES,
  BAD_INSTANTS,
  BAD_UUIDS,
  BLANKS,
  codePoints,
  hostileText,
  INJECTIONS,
  nearLimit,
  nonNumberJson,
  nonStringJson,
  ODD_INSTANTS,
  tooLong,
  UNICODE_EDGES,
  unknownUuid,
} from './values.js';
import type { World } from './world.js';

/**
 * `reject`: must be refused (4xx) and write nothing. `maybe`: may succeed (its writes are expected) or be refused
 * (then it writes nothing). `read`: a GET; any status below 500, never a write.
 */
export type Expectation = 'reject' | 'maybe' | 'read';

export interface HostileRequest {
  category: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Sent byte for byte over a socket instead of through the HTTP client. */
  raw?: Buffer;
  expect: Expectation;
  /** The only acceptable statuses, when the answer is known exactly. */
  statuses?: readonly number[];
  /** The server may close the connection without answering (nothing it could parse as a request arrived). */
  mayClose?: boolean;
  /** What makes it bad, for counterexamples. */
  note?: string;
}

const JSON_HEADERS = { 'content-type': 'application/json' } as const;

/** fast-check calls a `chain` callback per generated value: build each route's arbitrary once. */
function memo<K, V>(build: (key: K) => V): (key: K) => V {
  const built = new Map<K, V>();
  return (key) => {
    if (!built.has(key)) built.set(key, build(key));
    return built.get(key) as V;
  };
}

/** Keeps counterexamples readable: fast-check prints this instead of megabytes of body. */
function described(request: HostileRequest): HostileRequest {
  const clip = (text: string) => (text.length > 240 ? `${text.slice(0, 240)}… (${text.length} chars)` : text);
  const body = request.raw ?? request.body;
  const text = () => (body === undefined ? '' : clip(Buffer.isBuffer(body) ? body.subarray(0, 241).toString('latin1') : body));
  return Object.assign(request, {
    [fc.toStringMethod]: () =>
      `${request.expect} ${request.category}${request.note ? ` (${request.note})` : ''}: ${request.raw ? 'RAW ' : ''}${request.method} ${clip(request.path)} ${JSON.stringify(request.headers)} ${JSON.stringify(text())}`,
  });
}

/** A JSON text in which values made by `rawJson` are spliced in verbatim (numbers JSON.stringify cannot write). */
const RAW_MARK = '\u0000raw\u0000';
const rawJson = (text: string): string => `${RAW_MARK}${text}${RAW_MARK}`;
function toJson(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0000raw\\u0000(.*?)\\u0000raw\\u0000"/g, (_, text: string) => text);
}

type AnyField = Field | { kind: 'instant' };

/** The route's fields plus `occurredAt`, which every command body may carry. */
function fieldsOf(route: CommandRoute): Record<string, AnyField> {
  return route.plain ? { ...route.fields } : { ...route.fields, occurredAt: { kind: 'instant' } };
}

const isRequired = (field: AnyField): boolean =>
  ('required' in field && field.required !== false) || field.kind === 'number' || field.kind === 'email' || field.kind === 'secret';

const existing = (world: World, entity: EntityKind): string[] =>
  ({
    organisation: [world.organisationA, world.organisationB],
    person: [world.personA, world.personB],
    experiment: [world.experimentDesigned, world.experimentRunning],
    collaboration: [world.collaboration],
    network: [world.network],
    gathering: [world.gathering],
  })[entity];

const wrongKind = (world: World, entity: EntityKind): string[] =>
  (['organisation', 'person', 'experiment', 'collaboration', 'network', 'gathering'] as const)
    .filter((k) => k !== entity)
    .flatMap((k) => existing(world, k));

const past = (): fc.Arbitrary<string> =>
  fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2024-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
const pastDate = (): fc.Arbitrary<string> => past().map((iso) => iso.slice(0, 10));

/** A plain, valid value for a field. */
function validValue(field: AnyField, world: World): fc.Arbitrary<unknown> {
  switch (field.kind) {
    case 'text':
    case 'nullableText':
      return fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: Math.min(field.max, 60) }).map((s) => `Fuzz ${s}`.slice(0, field.max));
    case 'enum':
      return fc.constantFrom(...field.values);
    case 'ref':
      return fc.constantFrom(...existing(world, field.entity));
    case 'date':
      return pastDate();
    case 'period':
      return fc.constantFrom('2019', '2019-Q3', '2019-09', '2019-09-15');
    case 'count':
      return fc.integer({ min: 0, max: Math.min(field.max, 1000) });
    case 'number':
      return fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
    case 'themes':
      return fc.array(fc.constantFrom('sustainable urban development', 'public sector', 'energy'), { minLength: 1, maxLength: 3 });
    case 'url':
      return fc.constantFrom('https://example.org/notes', 'http://example.com/a?b=c#d');
    case 'email':
      return fc.uuid().map((u) => `fuzz-${u.slice(0, 8)}@example.org`);
    case 'secret':
      return fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 30 }).map((s) => `Fuzz-passphrase ${s}`.slice(0, field.max));
    case 'instant':
      return fc.oneof(past(), pastDate());
  }
}

/** A hostile value that may still be acceptable: edge unicode, injections, limits, odd dates. */
function edgeValue(field: AnyField, world: World): fc.Arbitrary<unknown> {
  switch (field.kind) {
    case 'text':
    case 'nullableText': {
      const fit = hostileText().map((s) => [...s].slice(0, field.max).join(''));
      const optional = field.kind === 'nullableText' || !field.required;
      return fc.oneof(
        fit,
        nearLimit(field.max).map((n) => n.text),
        ...(optional ? [fc.constant(null)] : []),
      );
    }
    case 'enum':
      return fc.constantFrom(...field.values, ...(field.required ? [] : [null]));
    case 'ref':
      return fc.constantFrom(...existing(world, field.entity).map((id) => id.toUpperCase()), ...(field.required ? [] : [null]));
    case 'date':
      return fc.constantFrom('2020-02-29', '1970-01-01', '1900-03-01', '2099-12-31', '9999-12-31', '1000-01-01');
    case 'period':
      return fc.constantFrom('0000', '9999', '2019-Q1', '2019-12', '2020-02-29', null);
    case 'count':
      return fc.constantFrom(0, field.max, null);
    case 'number':
      return fc.constantFrom(0, -0, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, Number.MAX_SAFE_INTEGER + 2, 1e-300, 0.1 + 0.2);
    case 'themes':
      return fc.array(
        hostileText().map((s) => [...s].slice(0, 80).join('')),
        { minLength: 0, maxLength: 20 },
      );
    case 'url':
      return fc.constantFrom(
        `https://example.org/${'a'.repeat(1900)}`,
        'https://例え.jp/パス',
        'https://example.org/?q=<script>',
        'https://user:pass@example.org:8443/x',
        null,
      );
    case 'email':
      return fc.constantFrom(
        'Fuzz@Example.ORG',
        'a+b@example.org',
        'ø@example.org',
        '"quoted space"@example.org',
        'x@[127.0.0.1]',
        `${'a'.repeat(64)}@example.org`,
      );
    case 'secret':
      return hostileText().map((s) => `${s}${'p'.repeat(12)}`.slice(0, field.max));
    case 'instant':
      return fc.oneof(fc.constantFrom(...ODD_INSTANTS), fc.constant(null), fc.constant(new Date(Date.now() + 60_000).toISOString()));
  }
}

const futureInstant = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.integer({ min: 10 * 60_000, max: 100 * 365 * 86_400_000 }).map((ahead) => new Date(Date.now() + ahead).toISOString()),
    fc.constantFrom('9999-12-31', '9999-12-31T23:59:59Z', '2999-01-01T00:00:00+14:00'),
  );

/** Ill-formed UTF-16: JSON can carry it (`"\ud800"`), UTF-8 storage cannot. */
const LONE_SURROGATES = ['a\ud800b', '\udfff', 'x\udc00\ud800y', `${'ok '.repeat(10)}\ud83d`];

const BAD_PERIODS = [
  '2019-Q5',
  '2019-Q0',
  '2019-q3',
  '2019-13',
  '2019-00',
  '19',
  '20190',
  '2019-Q3-01',
  '2019 Q3',
  'Q3-2019',
  ...BAD_DATES.filter((d) => !/^\d{4}$/.test(d)),
];
const BAD_URLS = [
  'javascript:alert(1)',
  'ftp://example.org/x',
  'http://',
  'example.org',
  '//example.org',
  'http://localhost',
  'https://exa mple.org',
  'file:///etc/passwd',
  'data:text/html,<script>alert(1)</script>',
  'https://',
  'mailto:a@b.c',
  '',
];

/** A value the field must refuse. */
function badValue(field: AnyField, world: World): fc.Arbitrary<unknown> {
  const required = isRequired(field);
  const nonString = required ? nonStringJson() : nonStringJson().filter((v) => v !== null);
  switch (field.kind) {
    case 'text':
    case 'nullableText':
      return fc.oneof(nonString, fc.constantFrom(...BLANKS), tooLong(field.max), fc.constantFrom(...LONE_SURROGATES));
    case 'enum':
      return fc.oneof(
        nonString,
        fc
          .constantFrom(...field.values)
          .chain((v) =>
            fc.constantFrom(
              v.toUpperCase(),
              ` ${v}`,
              `${v} `,
              `${v}\u0000`,
              `${v}\u200b`,
              v.replace(/[oe]/g, (c) => (c === 'o' ? 'о' : 'е')),
              `${v}s`,
              '',
            ),
          )
          .filter((v) => !field.values.includes(v)),
      );
    case 'ref':
      return fc.oneof(nonString, fc.constantFrom(...BAD_UUIDS), unknownUuid(), fc.constantFrom(...wrongKind(world, field.entity)));
    case 'date':
      return fc.oneof(nonString, fc.constantFrom(...BAD_DATES));
    case 'period':
      return fc.oneof(nonString, fc.constantFrom(...BAD_PERIODS));
    case 'count':
      return fc.oneof(
        fc.constantFrom(-1, field.max + 1, 1.5, -0.5, 2 ** 53, '5', true, [], {}, rawJson('1e309'), rawJson('-1e309'), rawJson('1.0e1000')),
        fc.integer({ min: field.max + 1 }),
        fc.integer({ max: -1 }),
      );
    case 'number':
      return fc.oneof(nonNumberJson(), fc.constantFrom(null, rawJson('1e309'), rawJson('-1e400')));
    case 'themes':
      return fc.oneof(
        fc.constantFrom('energy', 1, {}, true, [['nested']], [1], [null], ...(required ? [null, []] : [])),
        fc.array(fc.constant('t'), { minLength: 21, maxLength: 200 }),
        tooLong(80).map((t) => [t]),
        fc.constantFrom(...LONE_SURROGATES).map((t) => ['ok', t]),
        fc.constantFrom(...BLANKS).map((b) => ['ok', b]),
      );
    case 'email':
      return fc.oneof(
        nonString,
        fc.constantFrom(...BLANKS, 'not-an-email', '@', 'a@', '@example.org', 'a@@b.org', 'a b@example.org', ...INJECTIONS),
        tooLong(320),
      );
    case 'secret':
      return field.min > 0
        ? fc.oneof(nonString, fc.constantFrom(...BLANKS.map((b) => b.repeat(12)), 'short', '12345678901'), tooLong(field.max))
        : fc.oneof(nonString, fc.constantFrom(...BLANKS, 'wrong', ...INJECTIONS));
    case 'url':
      return fc.oneof(
        nonString,
        fc.constantFrom(...BAD_URLS),
        fc.constant(`https://example.org/${'a'.repeat(2000)}`),
        fc.constant('https://example.org/\ud800'),
      );
    case 'instant':
      return fc.oneof(
        nonStringJson().filter((v) => v !== null),
        fc.constantFrom(...BAD_INSTANTS),
        futureInstant(),
      );
  }
}

const RESERVED_NAMES = [
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
  '__lookupSetter__',
];

/** A key the body must not carry. */
const extraKey = (fields: Record<string, unknown>): fc.Arbitrary<string> => {
  const known = Object.keys(fields);
  return fc
    .oneof(
      fc.constantFrom(...RESERVED_NAMES),
      fc
        .constantFrom(...known)
        .chain((k) => fc.constantFrom(k.toUpperCase(), `${k} `, ` ${k}`, `${k}\u0000`, k.replace(/i/g, 'і'), `${k}.x`, `${k}[0]`)),
      fc.constantFrom('', 'id', 'version', 'actor', 'role', 'isAdmin', '$where', '$gt', 'a.b', '__proto__x', 'stream', 'eventId', 'experimentId'),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }),
    )
    .filter((k) => !known.includes(k) && k !== 'occurredAt');
};

/** A route's valid body: every required field, some optional ones. */
function validBody(route: CommandRoute, world: World, value: (f: AnyField) => fc.Arbitrary<unknown> = (f) => validValue(f, world)) {
  const fields = fieldsOf(route);
  const required = Object.entries(route.fields).filter(([, f]) => isRequired(f));
  const optional = Object.entries(fields).filter(([name]) => !required.some(([r]) => r === name));
  return fc
    .record({
      required: fc.tuple(...required.map(([name, f]) => value(f).map((v) => [name, v] as const))),
      optional: fc.subarray(optional).chain((chosen) => fc.tuple(...chosen.map(([name, f]) => value(f).map((v) => [name, v] as const)))),
    })
    .map(({ required: r, optional: o }) => {
      const body: Record<string, unknown> = {};
      for (const [name, v] of [...r, ...o]) body[name] = v;
      if (route.template === '/api/networks/:id/headcounts' && body.partners === undefined && body.members === undefined) body.members = 1;
      if (route.template === '/api/networks' && body.ledSince !== undefined) body.ledByOrganisationId ??= world.organisationA;
      return body;
    });
}

const routeTarget = (route: { targets: (w: World) => Params[] }, world: World): fc.Arbitrary<Params> => fc.constantFrom(...route.targets(world));

const encodeParams = (params: Params): Params => Object.fromEntries(Object.entries(params).map(([k, v]) => [k, encodeURIComponent(v)]));

const idempotencyKey = (): fc.Arbitrary<Record<string, string>> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant({}) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 6 }).map((n) => ({ 'idempotency-key': `fuzz-${n}` })) },
  );

/** A body that breaks at least one rule of the route's DTO; other fields may be hostile-but-valid. */
export function badBody(world: World): fc.Arbitrary<HostileRequest> {
  return fc
    .constantFrom(...COMMAND_ROUTES)
    .chain(
      memo((route: CommandRoute) => {
        const fields = fieldsOf(route);
        const names = Object.keys(fields);
        const requiredNames = Object.entries(route.fields)
          .filter(([, f]) => isRequired(f))
          .map(([n]) => n);
        type Break = { note: string; apply: (body: Record<string, unknown>) => unknown };
        const breakIt: fc.Arbitrary<Break> = fc.oneof(
          {
            weight: 6,
            arbitrary: fc
              .constantFrom(...names)
              .chain((name) => badValue(fields[name], world).map((v): Break => ({ note: `bad ${name}`, apply: (b) => ({ ...b, [name]: v }) }))),
          },
          ...(requiredNames.length > 0
            ? [
                {
                  weight: 2,
                  arbitrary: fc
                    .constantFrom(...requiredNames)
                    .map((name): Break => ({ note: `no ${name}`, apply: (b) => Object.fromEntries(Object.entries(b).filter(([k]) => k !== name)) })),
                },
              ]
            : []),
          {
            weight: 2,
            arbitrary: fc
              .tuple(extraKey(fields), fc.jsonValue({ maxDepth: 2 }))
              .map(([k, v]): Break => ({ note: `extra ${JSON.stringify(k)}`, apply: (b) => ({ ...b, [k]: v }) })),
          },
          {
            weight: 1,
            arbitrary: fc
              .constantFrom<unknown>([], [{}], 'text', 1, true)
              .map((v): Break => ({ note: `body ${JSON.stringify(v)}`, apply: (b) => (Array.isArray(v) && v.length === 1 ? [b] : v) })),
          },
        );
        return fc.record({
          route: fc.constant(route),
          target: routeTarget(route, world),
          body: validBody(route, world, (f) =>
            fc.oneof({ weight: 3, arbitrary: validValue(f, world) }, { weight: 1, arbitrary: edgeValue(f, world) }),
          ),
          breaks: fc.array(breakIt, { minLength: 1, maxLength: 3 }),
          headers: idempotencyKey(),
        });
      }),
    )
    .map(({ route, target, body, breaks, headers }) => {
      let broken: unknown = body;
      for (const { apply } of breaks)
        broken = typeof broken === 'object' && broken !== null && !Array.isArray(broken) ? apply(broken as Record<string, unknown>) : broken;
      return described({
        category: 'bad-body',
        note: breaks.map((b) => b.note).join(', '),
        method: 'POST',
        path: fillPath(route.template, encodeParams(target)),
        headers: { ...JSON_HEADERS, ...headers },
        body: toJson(broken),
        expect: 'reject',
      });
    });
}

/** Valid bodies whose values are hostile but allowed: their writes must land intact and be readable. */
export function edgeBody(world: World): fc.Arbitrary<HostileRequest> {
  const routes = COMMAND_ROUTES.filter((r) => r.repeatable);
  return fc
    .constantFrom(...routes)
    .chain(
      memo((route: CommandRoute) =>
        fc.record({
          route: fc.constant(route),
          target: routeTarget(route, world),
          body: validBody(route, world, (f) => fc.oneof(validValue(f, world), edgeValue(f, world))),
          headers: fc.record(
            {
              key: idempotencyKey(),
              language: fc.constantFrom('nb', 'en;q=0.1, nb', '*', 'xx-invalid;;q=', '\u00e9', 'a'.repeat(2000)),
              correlation: fc.constantFrom('not-a-uuid', '0192f1e2-0000-7000-8000-00000000dead', ''),
            },
            { requiredKeys: ['key'] },
          ),
        }),
      ),
    )
    .map(({ route, target, body, headers }) =>
      described({
        category: 'edge-body',
        method: 'POST',
        path: fillPath(route.template, encodeParams(target)),
        headers: {
          ...JSON_HEADERS,
          ...headers.key,
          ...(headers.language !== undefined ? { 'accept-language': headers.language } : {}),
          ...(headers.correlation !== undefined ? { 'x-correlation-id': headers.correlation } : {}),
        },
        body: toJson(body),
        expect: 'maybe',
      }),
    );
}

/** A plain valid command on a repeatable route: it should succeed, and deepens the world as it goes. */
export function validCommand(world: World): fc.Arbitrary<HostileRequest> {
  const routes = COMMAND_ROUTES.filter((r) => r.repeatable);
  return fc
    .constantFrom(...routes)
    .chain(memo((route: CommandRoute) => fc.tuple(fc.constant(route), routeTarget(route, world), validBody(route, world))))
    .map(([route, target, body]) =>
      described({
        category: 'valid',
        method: 'POST',
        path: fillPath(route.template, encodeParams(target)),
        headers: { ...JSON_HEADERS },
        body: toJson(body),
        expect: 'maybe',
      }),
    );
}

/** A path parameter that names nothing, the wrong kind of thing, or is not an id at all. */
const ENCODED_JUNK = [
  '%2F',
  '..%2F..%2Fhealth',
  '%2e%2e%2f%2e%2e%2f',
  '%252F',
  '%00',
  '%0d%0aSet-Cookie:%20x=1',
  '%E2%80%AE',
  '%C0%AE%C0%AE',
  '%F0%9F%92%A9',
  '.',
  '..%5C..%5C',
  '%20',
  'a;b=c',
  '%3Cscript%3E',
];

function badParam(template: string, name: string, current: string, world: World): fc.Arbitrary<string> {
  const entity = paramEntity(template, name);
  // Ids of other kinds of parts: a second id of the same kind (the other initiative) may be valid here.
  const parts: Record<string, string[]> = {
    stepId: [world.stepId],
    learningId: [world.experimentLearningId, world.collaborationLearningId, world.networkLearningId],
    activityId: [world.activityPlanned, world.activityStarted],
    initiativeId: [world.initiativeTentative, world.initiativeConfirmed],
    milestoneId: [world.collaborationMilestoneId, world.networkMilestoneId],
    insightId: [world.insightId],
    roleId: [world.roleId],
  };
  const otherParts = Object.entries(parts)
    .filter(([kind]) => kind !== name)
    .flatMap(([, values]) => values);
  const others = (entity ? wrongKind(world, entity) : otherParts).filter((id) => id !== current);
  return fc.oneof(
    { weight: 3, arbitrary: unknownUuid() },
    { weight: 3, arbitrary: fc.constantFrom(...BAD_UUIDS.filter((u) => u.trim() !== '')).map(encodeURIComponent) },
    { weight: 2, arbitrary: fc.constantFrom(...others) },
    { weight: 2, arbitrary: fc.constantFrom(...ENCODED_JUNK) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(...UNICODE_EDGES, ...INJECTIONS).map((v) => encodeURIComponent(v.replace(/[\ud800-\udfff]/g, 'x')).slice(0, 90)),
    },
    { weight: 1, arbitrary: fc.integer({ min: 101, max: 3000 }).map((n) => 'a'.repeat(n)) },
  );
}

/** Commands and reads whose path names no real entity (commands carry a valid body, so only the path is wrong). */
export function badPath(world: World): fc.Arbitrary<HostileRequest> {
  const commands = COMMAND_ROUTES.filter((r) => pathParams(r.template).length > 0);
  const reads = READ_ROUTES.filter((r) => pathParams(r.template).length > 0);
  const param = memo((key: string) => {
    const [template, name, current] = key.split(' ');
    return badParam(template, name, current, world);
  });
  const command = fc
    .constantFrom(...commands)
    .chain(
      memo((route: CommandRoute) =>
        fc.record({
          route: fc.constant(route),
          target: routeTarget(route, world),
          name: fc.constantFrom(...pathParams(route.template)),
          body: validBody(route, world),
        }),
      ),
    )
    .chain(({ route, target, name, body }) =>
      param(`${route.template} ${name} ${target[name]}`).map((value) =>
        described({
          category: 'bad-path',
          method: 'POST',
          path: fillPath(route.template, { ...encodeParams(target), [name]: value }),
          headers: { ...JSON_HEADERS },
          body: toJson(body),
          expect: 'reject',
        }),
      ),
    );
  const read = fc
    .constantFrom(...reads)
    .chain(
      memo((route: ReadRoute) =>
        fc.record({ route: fc.constant(route), target: routeTarget(route, world), name: fc.constantFrom(...pathParams(route.template)) }),
      ),
    )
    .chain(({ route, target, name }) =>
      param(`${route.template} ${name} ${target[name]}`).map((value) =>
        described({
          category: 'bad-path',
          method: 'GET',
          path: fillPath(route.template, { ...encodeParams(target), [name]: value }),
          headers: {},
          expect: 'read',
        }),
      ),
    );
  const shape = fc
    .constantFrom(
      '/API/experiments',
      '/api//experiments',
      '/api/experiments/',
      '/api/experiments;x=1',
      '/api/experiments.json',
      '/api/%65xperiments',
      '/api/experiments%20',
      '/api',
      '/api/',
    )
    .map((path) => described({ category: 'bad-path', method: 'POST', path, headers: { ...JSON_HEADERS }, body: '{}', expect: 'reject' }));
  const revoke = param('/api/auth/tokens/:id id -').map((value) =>
    described({ category: 'bad-path', method: 'DELETE', path: `/api/auth/tokens/${value}`, headers: {}, expect: 'reject' }),
  );
  return fc.oneof(
    { weight: 5, arbitrary: command },
    { weight: 4, arbitrary: read },
    { weight: 1, arbitrary: shape },
    { weight: 1, arbitrary: revoke },
  );
}

const BAD_IF_MATCH = [
  'W/"1"',
  '*',
  '"abc"',
  '""',
  '"-1"',
  '"1.0"',
  '"0x1"',
  '"1',
  '1"',
  '"1", "2"',
  `"${'9'.repeat(16)}"`,
  '"   "',
  'null',
  '\u00e9',
  `"${'1'.repeat(4000)}"`,
  'a'.repeat(8000),
];
const STALE_IF_MATCH = ['"100000"', '100001', ' "999999" '];
const BAD_IDEMPOTENCY_KEYS = ['a b', 'a\tb', 'x'.repeat(256), 'x'.repeat(10_000), '\u00e9t\u00e9', '"quoted key"\u00ff'];
const REFUSED_CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/jsonx',
  'application/json5',
  'json',
  '',
  ';',
  'text/json',
  'application/*',
  '*/*',
];

/** Valid commands with one bad header: If-Match, Idempotency-Key or Content-Type. */
export function badHeaders(world: World): fc.Arbitrary<HostileRequest> {
  return fc
    .constantFrom(...COMMAND_ROUTES)
    .chain(
      memo((route: CommandRoute) =>
        fc.record({
          route: fc.constant(route),
          target: routeTarget(route, world),
          body: validBody(route, world),
          header: fc.oneof(
            fc.constantFrom(...BAD_IF_MATCH, ...STALE_IF_MATCH).map((v): Record<string, string> => ({ 'if-match': v })),
            fc.constantFrom(...BAD_IDEMPOTENCY_KEYS).map((v): Record<string, string> => ({ 'idempotency-key': v })),
            fc.constantFrom(...REFUSED_CONTENT_TYPES).map((v): Record<string, string> => ({ 'content-type': v })),
          ),
        }),
      ),
    )
    .map(({ route, target, body, header }) =>
      described({
        category: 'bad-header',
        method: 'POST',
        path: fillPath(route.template, encodeParams(target)),
        headers: { ...JSON_HEADERS, ...header },
        body: toJson(body),
        expect: 'reject',
      }),
    );
}

/** Bodies that are not JSON, are malformed, too deep, too wide or too large for any create route. */
export function badJson(): fc.Arbitrary<HostileRequest> {
  const creates = COMMAND_ROUTES.filter((r) => pathParams(r.template).length === 0).map((r) => r.template);
  const nest = (depth: number, open: string, close: string, inner = '1') => `{"x":${open.repeat(depth)}${inner}${close.repeat(depth)}}`;
  const texts: fc.Arbitrary<{ body: string; statuses?: number[] }> = fc.oneof(
    {
      weight: 8,
      arbitrary: fc
        .constantFrom(
          '{',
          '{"title":',
          '{"a":1,}',
          "{'a':1}",
          '{"a":1}{"b":2}',
          '[1,]',
          '{"a":01}',
          '{"a" 1}',
          'undefined',
          'NaN',
          '',
          '   ',
          '\u0000',
          '{"a":"\\x41"}',
          '{"a":"\u0001"}',
          '\ufeff{}',
          '{"title":"a","title":1}',
          '{"__proto__":{"isAdmin":true}}',
          '{"constructor":{"prototype":{"isAdmin":true}}}',
          '{"a":1e999999}',
          `{"a":${'9'.repeat(5000)}}`,
          '{"a":"\\ud800"}',
          '{"a":tru}',
          'nul',
          '{"a":[}',
          '"\\u0000"',
        )
        .map((body) => ({ body })),
    },
    {
      weight: 4,
      arbitrary: fc
        .integer({ min: 33, max: 2000 })
        .chain((d) => fc.constantFrom(nest(d, '[', ']'), nest(d, '{"a":', '}')))
        .map((body) => ({ body, statuses: [400] })),
    },
    { weight: 1, arbitrary: fc.constantFrom(10_000, 100_000, 400_000).map((d) => ({ body: nest(d, '[', ']'), statuses: [400] })) },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 1001, max: 20_000 }).map((n) => ({ body: `{"themes":[${Array(n).fill('"t"').join(',')}]}`, statuses: [400] })),
    },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 201, max: 5000 })
        .map((n) => ({ body: `{${Array.from({ length: n }, (_, i) => `"k${i}":${i}`).join(',')}}`, statuses: [400] })),
    },
    { weight: 1, arbitrary: fc.constantFrom(1_100_000, 3_000_000).map((n) => ({ body: `{"title":"${'x'.repeat(n)}"}`, statuses: [413] })) },
  );
  return fc
    .tuple(fc.constantFrom(...creates), texts)
    .map(([path, { body, statuses }]) =>
      described({ category: 'bad-json', method: 'POST', path, headers: { ...JSON_HEADERS }, body, expect: 'reject', statuses }),
    );
}

function goodQueryValue(kind: QueryKind, world: World): fc.Arbitrary<string> {
  if (typeof kind === 'object') return fc.constantFrom(...kind.enum);
  switch (kind) {
    case 'limit':
      return fc.integer({ min: 1, max: 200 }).map(String);
    case 'cursor':
      return world.cursors.length > 0 ? fc.constantFrom(...world.cursors) : fc.constant('x');
    case 'text200':
    case 'theme':
    case 'actor':
      return fc.oneof(
        fc.constantFrom('energy', 'sustainable', 'system', 'anonymous'),
        hostileText().map((s) => [...s.replace(/[\ud800-\udfff]/g, '')].slice(0, 80).join('')),
      );
    case 'uuid':
      return fc.constantFrom(world.collaboration, world.personA, world.organisationA.toUpperCase());
    case 'date':
      return pastDate();
    case 'instant':
      return fc.oneof(past(), pastDate(), fc.constantFrom(...ODD_INSTANTS));
    case 'knownAt':
      return fc.oneof(fc.integer({ min: 0, max: 100 }).map(String), past());
    case 'lang':
      return fc.constantFrom('nb', 'en');
    case 'position':
      return fc.integer({ min: 0, max: 60 }).map(String);
    case 'boolean':
      return fc.constantFrom('true', 'false');
    case 'stream':
      return fc.constantFrom('experiment', `experiment-${world.experimentRunning.toUpperCase()}`, 'collaboration');
  }
}

function badQueryValue(kind: QueryKind): fc.Arbitrary<string> {
  const common = fc.oneof(fc.constantFrom('', ' ', '%00', 'null', '[object Object]', 'a'.repeat(5000)), fc.constantFrom(...INJECTIONS));
  if (typeof kind === 'object')
    return fc.oneof(
      common,
      fc.constantFrom(...kind.enum).map((v) => v.toUpperCase()),
    );
  switch (kind) {
    case 'limit':
      return fc.oneof(
        common,
        fc.constantFrom('0', '-1', '201', '1e3', '1.5', ' 5', '５', '0x10', 'Infinity', '9007199254740993', '99999999999999999999', '+5', '05'),
      );
    case 'cursor':
      return fc.oneof(
        common,
        fc.base64String({ maxLength: 80 }),
        fc.constantFrom(
          'eyJ2IjoxfQ',
          'eyJ2IjoxLCJlIjoicGVvcGxlIiwiYyI6IngiLCJpIjoxfQ',
          Buffer.from('{"v":1,"l":"learnings","o":"2019-01-01T00:00:00.000Z","p":-5}').toString('base64url'),
          '1.1',
          '-zzzzzzzzzzzz.1',
          'zzzzzzzzzzzz.zzzzzzzzzzzz',
          'x'.repeat(600),
        ),
      );
    case 'position':
      return fc.oneof(common, fc.constantFrom('-1', '1.5', '999999999999999', '9999999999999999', 'abc', '1e3'));
    case 'knownAt':
    case 'instant':
    case 'date':
      return fc.oneof(common, fc.constantFrom(...BAD_INSTANTS), fc.constantFrom('9999999999999999', '-1', '275760-09-13'));
    case 'uuid':
      return fc.oneof(common, fc.constantFrom(...BAD_UUIDS));
    case 'boolean':
      return fc.oneof(common, fc.constantFrom('TRUE', '1', '0', 'yes', 'on'));
    default:
      return fc.oneof(common, fc.constantFrom(...BLANKS), fc.constantFrom(...UNICODE_EDGES), fc.constant('x'.repeat(300)));
  }
}

const encodeQuery = (value: string) => encodeURIComponent(value.replace(/[\ud800-\udfff]/g, '\ufffd'));

/** GETs with hostile query strings: bad values, unknown and repeated parameters, array syntax, raw encodings. */
export function badQuery(world: World): fc.Arbitrary<HostileRequest> {
  return fc
    .constantFrom(...READ_ROUTES)
    .chain(
      memo((route: ReadRoute) => {
        const names = Object.keys(route.query);
        const pair = (name: string): fc.Arbitrary<string> =>
          fc
            .oneof({ weight: 2, arbitrary: goodQueryValue(route.query[name], world) }, { weight: 3, arbitrary: badQueryValue(route.query[name]) })
            .map((v) => `${name}=${encodeQuery(v)}`);
        const oddPair = fc.oneof(
          fc.constantFrom(
            'constructor=x',
            '__proto__=x',
            'toString=1',
            'prototype=1',
            'a[b]=1',
            'x=1',
            '=',
            '&',
            '&&&',
            '=x',
            'lang',
            'limit',
            'q=%',
            'q=%ZZ',
            'q=%E0%A4%A',
            'cursor=%FF%FE',
            'a=1;b=2',
            'limit=1&limit=2',
            'lang=nb&lang=en',
            'format=pdf&format=md',
          ),
          ...(names.length > 0
            ? [
                fc.constantFrom(...names).map((n) => `${n}[]=1&${n}[]=2`),
                fc.constantFrom(...names).map((n) => `${n}[0]=1`),
                fc.constantFrom(...names).map((n) => `${n.toUpperCase()}=1`),
              ]
            : []),
          fc.string({ unit: 'binary', maxLength: 12 }).map((s) => `${encodeQuery(s)}=${encodeQuery(s)}`),
        );
        const pairs =
          names.length > 0
            ? fc.array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...names).chain(pair) }, { weight: 1, arbitrary: oddPair }), {
                minLength: 1,
                maxLength: 5,
              })
            : fc.array(oddPair, { minLength: 1, maxLength: 3 });
        return fc.record({
          route: fc.constant(route),
          target: routeTarget(route, world),
          pairs,
          language: fc.option(
            fc.constantFrom('nb', 'nn-NO,en;q=0.5', '*;q=0', 'xx', ';;;', 'en-US,en;q=0.9,nb;q=0.8,'.repeat(50), '\u00e6\u00f8\u00e5'),
            { nil: undefined },
          ),
        });
      }),
    )
    .map(({ route, target, pairs, language }) =>
      described({
        category: 'bad-query',
        method: 'GET',
        path: `${fillPath(route.template, encodeParams(target))}?${pairs.join('&')}`,
        headers: language === undefined ? {} : { 'accept-language': language },
        expect: 'read',
      }),
    );
}

/** Valid reads with valid queries, to check that deep states render (reports, timelines) without errors. */
export function validRead(world: World): fc.Arbitrary<HostileRequest> {
  return fc
    .constantFrom(...READ_ROUTES)
    .chain(
      memo((route: ReadRoute) => {
        const names = Object.keys(route.query).filter((n) => n !== 'cursor' && n !== 'atPosition');
        return fc.record({
          route: fc.constant(route),
          target: routeTarget(route, world),
          pairs: fc
            .subarray(names, { maxLength: Math.min(3, names.length) })
            .chain((chosen) => fc.tuple(...chosen.map((n) => goodQueryValue(route.query[n], world).map((v) => `${n}=${encodeQuery(v)}`)))),
        });
      }),
    )
    .map(({ route, target, pairs }) =>
      described({
        category: 'valid-read',
        method: 'GET',
        path: `${fillPath(route.template, encodeParams(target))}${pairs.length > 0 ? `?${pairs.join('&')}` : ''}`,
        headers: {},
        expect: 'read',
      }),
    );
}

/** Requests no HTTP client would send: broken framing, illegal bytes, smuggling attempts, odd targets. */
export function rawRequest(world: World, host: string, auth: Record<string, string>): fc.Arbitrary<HostileRequest> {
  const line = (method: string, target: string, version = 'HTTP/1.1') => `${method} ${target} ${version}\r\n`;
  const signedIn = Object.entries(auth).map(([name, value]) => `${name}: ${value}`);
  const head = (extra: string[] = []) => [`Host: ${host}`, 'Connection: close', ...signedIn, ...extra].map((h) => `${h}\r\n`).join('');
  const invalidBody = '{"title":1}';
  const json = (body: string, extra: string[] = []) =>
    head(['Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`, ...extra]) + `\r\n${body}`;
  const build = (category: string, method: string, text: string | Buffer, expect: Expectation, statuses?: number[]): HostileRequest =>
    described({
      category: `raw-${category}`,
      method,
      path: '(raw)',
      headers: {},
      raw: Buffer.isBuffer(text) ? text : Buffer.from(text, 'latin1'),
      expect,
      statuses,
    });
  const targets = [
    '/api/../health',
    '/api/experiments/../../etc/passwd',
    '//api//experiments',
    '/api/experiments/%2e%2e/%2e%2e/health',
    '/api/./experiments',
    '/api/experiments\\..\\health',
    '/%2e%2e/%2e%2e/etc/passwd',
    'http://evil.example/api/experiments',
    '*',
    '/api/experiments#fragment',
    '/api/experiments?%',
    '/api/experiments?q=%ZZ',
    '/api/experiments/%E0%A4%A',
    '/api/experiments/%FF',
    '/api/experiments;x=1',
    `/api/experiments/${world.experimentRunning}/timeline?lang=nb&lang=en`,
    `/api/experiments/${world.experimentRunning}%2Ftimeline`,
    '/api/experiments/\u00e9',
    '/api/experiments/\u00ff\u00fe',
    `/${'a'.repeat(20_000)}`,
    `/api/experiments?q=${'b'.repeat(15_000)}`,
  ];
  const getTarget = fc.constantFrom(...targets).map((t) => build('target', 'GET', line('GET', t) + head() + '\r\n', 'read'));
  const badTarget = fc
    .constantFrom('/api/experiments/\u0000', '/api/exp eriments', '/api/experiments\r\nX-Injected: 1', '')
    .map((t) => build('target', 'GET', line('GET', t) + head() + '\r\n', 'read'));
  const headerLines = [
    'X-A: a\rb',
    'X-A: a\nInjected: 1',
    'Bad Header: 1',
    'X-A : 1',
    ':x',
    'X-A: \u0000',
    ' folded: continuation',
    'Content-Length: 1\r\nContent-Length: 2',
    'Content-Length: -1',
    'Content-Length: 1e3',
    'Transfer-Encoding: chunked\r\nContent-Length: 3',
    'Transfer-Encoding: gzip, chunked, identity',
    'X-Long: ' + 'y'.repeat(20_000),
  ];
  const badHeader = fc
    .constantFrom(...headerLines)
    .map((h) => build('header', 'POST', line('POST', '/api/experiments') + head([h]) + '\r\n', 'reject'));
  const oddHeaders = fc
    .constantFrom(
      'If-Match: "\u00e9\u00ff"',
      `If-Match: "${'\u00ff'.repeat(100)}"`,
      'Idempotency-Key: \u00c3\u00a9t\u00c3\u00a9',
      'Idempotency-Key: a\u0001b',
      'Content-Type: application/json; charset=\u00ff',
      'Content-Type: application/json; charset=utf-16',
      'Content-Type: application/json; charset=latin1',
      'Accept-Language: \u00e6\u00f8\u00e5',
      'X-Correlation-Id: \u00ff\u00fe',
      'Expect: 100-continue',
      'Host: evil.example',
    )
    .map((h) => build('header', 'POST', line('POST', '/api/experiments') + json(invalidBody, [h]), 'reject'));
  const versions = fc
    .constantFrom('HTTP/1.0', 'HTTP/1.2', 'HTTP/2.0', 'HTTP/0.9', 'http/1.1', 'HTTP/1.1 extra', 'HTTP/11', 'HTTPS/1.1')
    .map((v) => build('version', 'GET', line('GET', '/health', v) + head() + '\r\n', 'read'));
  const methods = fc
    .constantFrom('get', 'FOO', 'PROPFIND', 'GE T', 'TRACE', 'OPTIONS', 'DELETE', 'PUT', 'PATCH', 'HEAD', 'M-SEARCH', 'PURGE')
    .map((m) =>
      build(
        'method',
        m,
        line(m, '/api/experiments') + json(invalidBody),
        m === 'PUT' || m === 'PATCH' || m === 'DELETE' || m === 'HEAD' || m === 'OPTIONS' ? 'read' : 'reject',
      ),
    );
  const noHost = fc
    .constantFrom('', `Host: ${host}\r\nHost: other\r\n`)
    .map((hosts) => build('host', 'GET', `${line('GET', '/health')}${hosts}Connection: close\r\n\r\n`, 'read', hosts === '' ? [400] : undefined));
  const framing = fc.oneof(
    fc.constant(
      build(
        'framing',
        'POST',
        line('POST', '/api/experiments') + head(['Content-Type: application/json', 'Content-Length: 5']) + `\r\n${invalidBody}`,
        'reject',
      ),
    ),
    fc.constant(
      build(
        'framing',
        'POST',
        line('POST', '/api/experiments') + head(['Content-Type: application/json', 'Content-Length: 500']) + `\r\n${invalidBody}`,
        'reject',
      ),
    ),
    fc.constant(
      build(
        'framing',
        'POST',
        line('POST', '/api/experiments') +
          head(['Content-Type: application/json', 'Transfer-Encoding: chunked']) +
          `\r\n${invalidBody.length.toString(16)}\r\n${invalidBody}\r\n0\r\n\r\n`,
        'reject',
      ),
    ),
    fc.constant(
      build(
        'framing',
        'POST',
        line('POST', '/api/experiments') + head(['Content-Type: application/json', 'Transfer-Encoding: chunked']) + '\r\nzz\r\n{}\r\n0\r\n\r\n',
        'reject',
      ),
    ),
    fc.constant(
      build(
        'framing',
        'POST',
        line('POST', '/api/experiments') +
          head(['Content-Type: application/json', 'Transfer-Encoding: chunked']) +
          '\r\nffffffffffffffff\r\n{}\r\n0\r\n\r\n',
        'reject',
      ),
    ),
    fc.constant(
      build(
        'framing',
        'POST',
        line('POST', '/api/experiments') + head(['Content-Type: application/json', 'Content-Length: 99999999999']) + '\r\n{}',
        'reject',
      ),
    ),
    fc.constant(build('framing', 'GET', line('GET', '/api/experiments') + json(`{"x":${'['.repeat(50_000)}${']'.repeat(50_000)}}`), 'read')),
    fc.constant(build('framing', 'GET', line('GET', '/api/experiments') + json('{"limit":"x"}'), 'read')),
    fc.constant(
      build(
        'framing',
        'POST',
        Buffer.concat([
          Buffer.from(
            line('POST', '/api/experiments') +
              head(['Content-Type: application/json; charset=utf-16le', `Content-Length: ${Buffer.byteLength(invalidBody, 'utf16le')}`]) +
              '\r\n',
            'latin1',
          ),
          Buffer.from(invalidBody, 'utf16le'),
        ]),
        'reject',
      ),
    ),
  );
  const garbage = fc
    .uint8Array({ minLength: 1, maxLength: 200 })
    .map((bytes) => ({ ...build('garbage', 'GARBAGE', Buffer.from(bytes), 'read'), mayClose: true }));
  return fc.oneof(getTarget, badTarget, badHeader, oddHeaders, versions, methods, noHost, framing, garbage);
}

/** Otherwise valid bodies carrying invalid UTF-8 (lone bytes, overlong forms, encoded surrogates): may be stored. */
export function rawUtf8(host: string, auth: Record<string, string>): fc.Arbitrary<HostileRequest> {
  const signedIn = Object.entries(auth)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  const valid = JSON.stringify({ title: 'Raw', hypothesis: 'h', test: 't', metric: 'm', successCriteria: 's' });
  return fc
    .constantFrom([0xff, 0xfe], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x80, 0xae], [0xf0, 0x9f, 0x92])
    .map((bytes) => {
      const [before, after] = valid.split('"Raw"');
      const body = Buffer.concat([Buffer.from(`${before}"Raw `, 'utf8'), Buffer.from(bytes), Buffer.from(`"${after}`, 'utf8')]);
      const head = `POST /api/experiments HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n${signedIn}Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
      return described({
        category: 'raw-utf8',
        method: 'POST',
        path: '(raw)',
        headers: {},
        raw: Buffer.concat([Buffer.from(head, 'latin1'), body]),
        expect: 'maybe',
      });
    });
}

/** Guards the catalogue against drifting from the generators' assumptions. */
export function assertCatalogue(): void {
  for (const route of COMMAND_ROUTES) {
    for (const [name, field] of Object.entries(route.fields)) {
      if (field.kind === 'text' && field.max < 1) throw new Error(`${route.template} ${name}: bad max`);
    }
  }
  if (codePoints('🙂') !== 1) throw new Error('code points are miscounted');
}
