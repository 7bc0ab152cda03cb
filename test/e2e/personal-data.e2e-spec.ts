import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { EventStore, storedEventsOf, type RecordedEvent } from '#event-store';
import { ProjectionRunner } from '#projections';
import { createEntity, expectRule } from '../support/entity-requests.js';
import { TestApp, testCard, type TestUser } from '../support/test-app.js';

/** The personal data the tests look for, everywhere, after the forgetting. */
const NAME = 'Solveig Glemmeby';
const SURNAME = 'Glemmeby';
const BACKGROUND = 'Sykepleier fra Kvaløysletta';
const ROLE_TITLE = 'Naboskapsverter';
const LEARNING = 'Nabolagsprat virker best om kvelden';
const NEEDLES = [NAME, SURNAME, BACKGROUND, 'Kvaløysletta', ROLE_TITLE];

/** The text of a PDF: its raw bytes plus every inflated stream, with hex strings (`<4b61…>`) decoded. */
function pdfText(pdf: Buffer): string {
  const parts = [pdf.toString('latin1')];
  let at = 0;
  for (;;) {
    const start = pdf.indexOf('stream', at);
    if (start < 0) break;
    const begin = pdf[start + 6] === 0x0d ? start + 8 : start + 7;
    const end = pdf.indexOf('endstream', begin);
    if (end < 0) break;
    try {
      parts.push(inflateSync(pdf.subarray(begin, end)).toString('latin1'));
    } catch {
      // not a deflated stream
    }
    at = end + 9;
  }
  const text = parts.join('\n');
  const joined = text.replace(/>\s*-?\d+(\.\d+)?\s*</g, '');
  const decoded = joined.replace(/<([0-9a-fA-F\s]+)>/g, (_, hex: string) => Buffer.from(hex.replace(/\s/g, ''), 'hex').toString('latin1'));
  return `${text}\n${decoded}`;
}

function latin1(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

/** True when any needle occurs in the bytes, as UTF-8 (or, for a PDF's WinAnsi text, as Latin-1). */
function holdsAny(bytes: Buffer | string, needles: readonly string[] = NEEDLES): string | null {
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  for (const needle of needles) {
    if (buffer.includes(Buffer.from(needle, 'utf8')) || buffer.includes(Buffer.from(needle, 'latin1'))) return needle;
    if (buffer.toString('utf8').toLowerCase().includes(needle.toLowerCase())) return needle;
  }
  return null;
}

function fileBytes(file: string): Buffer {
  return Buffer.concat(['', '-wal', '-journal'].filter((s) => existsSync(`${file}${s}`)).map((s) => readFileSync(`${file}${s}`)));
}

describe('personal data: encrypted per person, forgotten by destroying the key, exported on request', () => {
  let app: TestApp;
  let lead: TestUser;
  let partner: TestUser;
  let person: string;
  let other: string;
  let network: string;
  let experiment: string;
  let collaboration: string;
  let organisation: string;

  /** Every read the API offers that could show the person, with the bodies as bytes. */
  async function everyRead(): Promise<Array<[string, Buffer]>> {
    const urls = [
      `/api/people/${person}`,
      `/api/people/${person}/timeline`,
      `/api/people/${person}/timeline?lang=nb`,
      '/api/people',
      `/api/networks/${network}`,
      `/api/networks/${network}/timeline`,
      `/api/experiments/${experiment}`,
      `/api/experiments/${experiment}/timeline`,
      `/api/collaborations/${collaboration}/timeline`,
      '/api/timeline',
      '/api/timeline?lang=nb',
      '/api/learnings',
      `/api/learnings?q=${encodeURIComponent(SURNAME)}`,
      '/api/audit',
      '/api/audit?format=csv',
      '/api/audit/export',
      `/api/reports/networks/${network}/growth?format=json`,
      `/api/reports/networks/${network}/growth?format=svg`,
      ...['md', 'html', 'json', 'pdf'].flatMap((format) => [
        `/api/reports/learning-summary?format=${format}`,
        `/api/reports/collaborations/${collaboration}?format=${format}`,
      ]),
    ];
    const replies: Array<[string, Buffer]> = [];
    for (const url of urls) {
      const response = await fetch(`${app.baseUrl}${url}`);
      expect([url, response.status]).toEqual([url, 200]);
      const body = Buffer.from(await response.arrayBuffer());
      replies.push([url, url.includes('format=pdf') ? Buffer.from(pdfText(body), 'latin1') : body]);
    }
    return replies;
  }

  const storedFiles = () => [join(app.dataDir, 'events.db'), join(app.dataDir, 'read-models.db')];

  beforeAll(async () => {
    app = await TestApp.start();
    organisation = await createEntity(app, '/api/organisations', { name: 'Tromsø kommune (test data)', kind: 'municipality' });
    person = await createEntity(app, '/api/people', { name: NAME, background: BACKGROUND });
    other = await createEntity(app, '/api/people', { name: 'Kari Blirværende', background: 'Stays in the tracker' });
    expect((await app.post(`/api/people/${person}/roles`, { organisationId: organisation, title: ROLE_TITLE, from: '2019-01-01' })).status).toBe(200);
    network = await createEntity(app, '/api/networks', { name: 'Nabolagsnettverket (test data)', kind: 'network' });
    expect((await app.post(`/api/networks/${network}/members`, { personId: person })).status).toBe(200);
    expect((await app.post(`/api/networks/${network}/members`, { personId: other })).status).toBe(200);
    collaboration = await createEntity(app, '/api/collaborations', {
      title: 'Naboskap i Tromsø (test data)',
      partnerOrganisationId: organisation,
      themes: ['neighbourhoods'],
    });
    experiment = await createEntity(app, '/api/experiments', testCard({ title: 'Kveldsprat (test data)', leadId: person, collaborationId: collaboration }));
    expect((await app.post(`/api/experiments/${experiment}/start`, {})).status).toBe(200);
    expect(
      (
        await app.post(`/api/experiments/${experiment}/learnings`, {
          observation: 'Twice as many came in the evening',
          learning: LEARNING,
          decision: 'persevere',
          reliability: 'medium',
          themes: ['neighbourhoods'],
        })
      ).status,
    ).toBe(200);
    lead = await app.newUser({ role: 'lead', personId: other });
    partner = await app.newUser({ role: 'partner', organisationId: organisation });
  });

  afterAll(async () => {
    await app?.close();
  });

  describe('before the forgetting', () => {
    it('stores every personal field encrypted: the events file and a signed bundle hold no name, background or membership', async () => {
      const adapter = storedEventsOf(app.app.get(EventStore));
      const stored: RecordedEvent[] = [];
      for await (const batch of adapter.readAll()) stored.push(...batch);
      const registered = stored.find((e) => e.streamId === `person-${person}` && e.type === 'PersonRegistered');
      expect(registered?.data).toEqual({ personId: person, personal: expect.objectContaining({ $enc: 'v1', key: expect.any(String) }) });
      const joined = stored.find((e) => e.type === 'MemberJoined');
      expect(joined?.data).toEqual({ networkId: network, personId: expect.objectContaining({ $enc: 'v1' }) });
      expect(holdsAny(JSON.stringify(stored))).toBeNull();
      expect(holdsAny(fileBytes(join(app.dataDir, 'events.db')))).toBeNull();
      const bundle = await app.get('/api/audit/export');
      expect(bundle.status).toBe(200);
      expect(holdsAny(bundle.body)).toBeNull();
      const memberships = bundle.json<{ events: Array<{ type?: string; data?: unknown }> }>().events.filter((e) => e.type === 'MemberJoined');
      expect(memberships).toHaveLength(2);
      expect(holdsAny(JSON.stringify(memberships), [person, other])).toBeNull();
    });

    it('shows the person where they are named (the checks below can fail)', async () => {
      const reads = await everyRead();
      const showing = reads.filter(([, body]) => holdsAny(body, [NAME]) !== null).map(([url]) => url);
      expect(showing).toEqual(
        expect.arrayContaining([`/api/people/${person}`, '/api/people', `/api/people/${person}/timeline`, `/api/network/${network}/timeline`.replace('network/', 'networks/'), '/api/timeline']),
      );
      expect(holdsAny(fileBytes(join(app.dataDir, 'read-models.db')), [NAME])).toBe(NAME);
      const pdf = reads.find(([url]) => url === '/api/reports/learning-summary?format=pdf')?.[1];
      expect(pdf?.toString('latin1')).toContain(latin1(LEARNING.split(' ')[0]));
    });

    it('exports everything held about the person, decrypted (staff only)', async () => {
      const reply = await app.get(`/api/people/${person}/export`);
      expect(reply.status).toBe(200);
      expect(reply.headers['content-disposition']).toContain(`person-${person}-export.json`);
      const data = reply.json<{
        keyState: string;
        forgotten: boolean;
        person: { name: string; background: string; roles: Array<{ title: string }> };
        events: Array<{ type: string; classification: string; data: Record<string, unknown> }>;
        mentions: Array<{ type: string; streamId: string; summary: string; data: Record<string, unknown> }>;
      }>();
      expect(data).toMatchObject({ format: 'tracker-personal-data-export/1', subject: { kind: 'person', id: person }, keyState: 'active', forgotten: false });
      expect(data.person).toMatchObject({ name: NAME, background: BACKGROUND, roles: [expect.objectContaining({ title: ROLE_TITLE })] });
      expect(data.events.map((e) => [e.type, e.classification])).toEqual([
        ['PersonRegistered', 'personal'],
        ['RoleAssumed', 'personal'],
      ]);
      expect(data.events[0].data).toEqual({ personId: person, personal: { name: NAME, background: BACKGROUND } });
      expect(data.mentions.map((m) => [m.type, m.streamId])).toEqual(
        expect.arrayContaining([
          ['MemberJoined', `network-${network}`],
          ['ExperimentDesigned', `experiment-${experiment}`],
        ]),
      );
      expect(data.mentions.find((m) => m.type === 'MemberJoined')?.data).toEqual({ networkId: network, personId: person });
    });
  });

  describe('who may forget and export', () => {
    it('refuses leads (403) and partners (the same 404 as an unknown person, as for every person route)', async () => {
      expect((await lead.client.post(`/api/people/${person}/forget`, { reason: 'Asked to be forgotten' })).status).toBe(403);
      expect((await lead.client.get(`/api/people/${person}/export`)).status).toBe(403);
      expect((await partner.client.post(`/api/people/${person}/forget`, { reason: 'Asked to be forgotten' })).status).toBe(404);
      expect((await partner.client.get(`/api/people/${person}/export`)).status).toBe(404);
      expect((await app.get(`/api/people/${person}`)).json()).toMatchObject({ forgotten: false, name: NAME });
    });

    it('answers 404 for an unknown person, 400 without a reason, 422 for a reason that names them', async () => {
      const unknown = '0192f000-0000-7000-8000-0000000000ff';
      expect((await app.post(`/api/people/${unknown}/forget`, { reason: 'Asked to be forgotten' })).status).toBe(404);
      expect((await app.get(`/api/people/${unknown}/export`)).status).toBe(404);
      const missing = await app.post(`/api/people/${person}/forget`, {});
      expect(missing.status).toBe(400);
      expect(missing.json<{ errors: Array<{ field: string }> }>().errors.map((e) => e.field)).toContain('reason');
      expect((await app.post(`/api/people/${person}/forget`, { reason: '   ' })).status).toBe(400);
      expectRule(await app.post(`/api/people/${person}/forget`, { reason: `${SURNAME} asked us to` }), 'person.reason-contains-personal-data');
      expect((await app.get(`/api/people/${person}`)).json()).toMatchObject({ forgotten: false, name: NAME });
    });
  });

  describe('after the forgetting', () => {
    beforeAll(async () => {
      const reply = await app.post(`/api/people/${person}/forget`, { reason: 'Asked to be forgotten (GDPR art. 17)' });
      expect(reply.status).toBe(200);
      expect(reply.json()).toEqual({ id: person, version: 3 });
      expect(reply.headers.etag).toBe('"3"');
    });

    it('forgetting again is refused with person.already-forgotten, appending nothing', async () => {
      const head = await app.app.get(EventStore).headPosition();
      expectRule(await app.post(`/api/people/${person}/forget`, { reason: 'Asked again' }), 'person.already-forgotten');
      expect(await app.app.get(EventStore).headPosition()).toBe(head);
    });

    it('records PersonForgotten without personal data, and nothing more can be recorded about them', async () => {
      const events = await app.app.get(EventStore).readStream(`person-${person}`);
      expect(events.at(-1)).toMatchObject({ type: 'PersonForgotten', data: { personId: person, reason: 'Asked to be forgotten (GDPR art. 17)' } });
      const head = await app.app.get(EventStore).headPosition();
      expectRule(await app.post(`/api/people/${person}/revise`, { name: 'Someone Else' }), 'person.forgotten');
      const rejoin = await app.post(`/api/networks/${network}/members`, { personId: person });
      expect(rejoin.status).toBe(422);
      expect(await app.app.get(EventStore).headPosition()).toBe(head);
    });

    it('shows "forgotten person" in their place in every read, timeline, report, audit view and export', async () => {
      const reads = await everyRead();
      for (const [url, body] of reads) expect([url, holdsAny(body)]).toEqual([url, null]);
      const view = (await app.get(`/api/people/${person}`)).json();
      expect(view).toMatchObject({ forgotten: true, name: null, background: null, roles: [] });
      const timeline = (await app.get(`/api/networks/${network}/timeline`)).json<{ items: Array<{ summary: string }> }>();
      expect(timeline.items.map((i) => i.summary)).toEqual(expect.arrayContaining(['Member joined: a forgotten person', 'Member joined: Kari Blirværende']));
      const global = (await app.get('/api/timeline?lang=nb')).json<{ items: Array<{ type: string; summary: string }> }>();
      expect(global.items.find((i) => i.type === 'ExperimentDesigned')?.summary).toContain('ansvarlig: en glemt person');
      expect((await app.get('/api/people')).body).toContain('Kari Blirværende');
    });

    it('exports what is left: the events with their personal fields unreadable', async () => {
      const reply = await app.get(`/api/people/${person}/export`);
      expect(reply.status).toBe(200);
      expect(holdsAny(reply.body)).toBeNull();
      const data = reply.json<{ keyState: string; forgotten: boolean; events: Array<{ type: string; data: unknown; forgottenFields: string[] }> }>();
      expect(data).toMatchObject({ keyState: 'forgotten', forgotten: true });
      expect(data.events.map((e) => [e.type, e.forgottenFields])).toEqual([
        ['PersonRegistered', ['personal']],
        ['RoleAssumed', ['personal']],
        ['PersonForgotten', []],
      ]);
      expect(data.events[0].data).toEqual({ personId: person, personal: null });
    });

    it('leaves no byte of their name or background in events.db, read-models.db (with their WALs) or keys.db', () => {
      for (const file of storedFiles()) expect([file, holdsAny(fileBytes(file))]).toEqual([file, null]);
      expect(holdsAny(fileBytes(join(app.dataDir, 'keys.db')))).toBeNull();
    });

    it('still verifies the audit trail: the chain covers the ciphertext, which did not change', async () => {
      const report = await app.get('/api/audit/verify');
      expect(report.status).toBe(200);
      expect(report.json()).toMatchObject({ ok: true });
    });

    it('keeps them forgotten through a full rebuild of the read models', async () => {
      const dataDir = app.dataDir;
      const before = (await app.get('/api/timeline')).json();
      await app.app.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(join(dataDir, `read-models.db${suffix}`), { force: true });
      app = await TestApp.start({}, dataDir);
      const runner = app.app.get(ProjectionRunner);
      expect(await runner.waitFor(await app.app.get(EventStore).headPosition(), 10_000)).toBe(true);
      expect((await app.get('/api/timeline')).json()).toEqual(before);
      const reads = await everyRead();
      for (const [url, body] of reads) expect([url, holdsAny(body)]).toEqual([url, null]);
      for (const file of storedFiles()) expect([file, holdsAny(fileBytes(file))]).toEqual([file, null]);
      expect((await app.get('/api/audit/verify')).json()).toMatchObject({ ok: true });
      const timeline = (await app.get(`/api/networks/${network}/timeline`)).json<{ items: Array<{ summary: string }> }>();
      expect(timeline.items.map((i) => i.summary)).toContain('Member joined: a forgotten person');
    });

    it('rebuilds a single projection in place the same way', async () => {
      const runner = app.app.get(ProjectionRunner);
      await runner.rebuild('timelines');
      await runner.rebuild('catalogue');
      expect(await runner.waitFor(await app.app.get(EventStore).headPosition(), 10_000)).toBe(true);
      for (const url of [`/api/people/${person}/timeline`, '/api/people', '/api/timeline']) expect([url, holdsAny((await app.get(url)).body)]).toEqual([url, null]);
    });
  });
});
