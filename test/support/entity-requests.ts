import { expect } from '@jest/globals';
import type { Reply, TestApp } from './test-app.js';

/** A valid UUID that names nothing. */
export const UNKNOWN_ID = '0192f1e2-0000-7000-8000-00000000dead';

/** POSTs a create command and returns the new entity's id. */
export async function createEntity(app: TestApp, path: string, body: Record<string, unknown>): Promise<string> {
  const reply = await app.post(path, body);
  expect(reply.status).toBe(201);
  return reply.json<{ id: string }>().id;
}

/** Expects 201 with `{id, version: 1}`, Location `/api/<collection>/<id>` and ETag "1"; returns the id. */
export function expectCreated(reply: Reply, collection: string): string {
  expect(reply.status).toBe(201);
  const { id, version } = reply.json<{ id: string; version: number }>();
  expect(version).toBe(1);
  expect(reply.headers.etag).toBe('"1"');
  expect(reply.headers.location).toBe(`/api/${collection}/${id}`);
  return id;
}

/** Expects 200 with `{id, version}` in the body and the version as ETag; returns the body (with created ids). */
export function expectChanged(reply: Reply, id: string, version: number): Record<string, unknown> {
  expect(reply.status).toBe(200);
  expect(reply.headers.etag).toBe(`"${version}"`);
  const body = reply.json();
  expect(body).toMatchObject({ id, version });
  return body;
}

/** Expects a 422 problem naming `rule`. */
export function expectRule(reply: Reply, rule: string): void {
  expect(reply.status).toBe(422);
  expect(reply.headers['content-type']).toContain('application/problem+json');
  expect(reply.json()).toMatchObject({ status: 422, rule });
}

/** The fields a 400 problem names, each once. */
export function badFields(reply: Reply): string[] {
  expect(reply.status).toBe(400);
  return [...new Set(reply.json<{ errors: Array<{ field: string }> }>().errors.map((e) => e.field))];
}

/** Global position of the newest event: as `knownAt`, it hides everything recorded after this call. */
export async function headPosition(app: TestApp): Promise<number> {
  return (await app.get('/health')).json<{ store: { lastPosition: number } }>().store.lastPosition;
}
