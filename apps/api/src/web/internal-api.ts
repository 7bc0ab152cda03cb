import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FieldProblem } from '../http/problem.js';

/** An answer of the JSON API. */
export interface ApiReply<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  /** The parsed JSON body (null when it is not JSON). */
  json: T;
}

/** The problem+json body of a refused request. */
export interface ApiProblem {
  status: number;
  detail?: string;
  errors?: FieldProblem[];
  rule?: string;
  type?: string;
}

/** What a write sends besides its body. */
export interface WriteOptions {
  /** The version the form was rendered from (sent as If-Match). */
  ifMatch?: number;
  /** The form's one-time key (sent as Idempotency-Key): submitting twice records once. */
  idempotencyKey?: string;
}

const FORWARDED = ['cookie', 'authorization', 'accept-language', 'user-agent', 'x-forwarded-proto'] as const;

/**
 * The pages read and write through the JSON API itself, in process (Fastify's inject), as the signed-in user:
 * the same access guard (partner scope, a lead's own experiments), validation, If-Match, Idempotency-Key and
 * command handlers answer a form as they answer a script. No rule exists twice.
 */
@Injectable()
export class InternalApi {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  private get fastify(): FastifyInstance {
    return this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
  }

  /** GET `url` (under /api or /health) as the user of `request`. */
  get<T = unknown>(request: FastifyRequest, url: string): Promise<ApiReply<T>> {
    return this.send<T>(request, 'GET', url);
  }

  /** POST a JSON body as the user of `request`, with their session's CSRF token. */
  post<T = unknown>(request: FastifyRequest, url: string, body: object, options: WriteOptions = {}): Promise<ApiReply<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const credential = request.principal?.credential;
    if (credential?.kind === 'session') headers['x-csrf-token'] = credential.csrfToken;
    if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
    if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
    return this.send<T>(request, 'POST', url, headers, JSON.stringify(body));
  }

  private async send<T>(request: FastifyRequest, method: 'GET' | 'POST', url: string, extra: Record<string, string> = {}, payload?: string): Promise<ApiReply<T>> {
    const headers: Record<string, string> = { ...extra };
    for (const name of FORWARDED) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const response = await this.fastify.inject({ method, url, headers, payload });
    let json: unknown = null;
    const type = String(response.headers['content-type'] ?? '');
    if (/json/.test(type)) {
      try {
        json = JSON.parse(response.body);
      } catch {
        json = null;
      }
    }
    return { status: response.statusCode, headers: response.headers, body: response.body, json: json as T };
  }
}

/** Builds `path?query` from the defined, non-empty values. */
export function withQuery(path: string, query: Readonly<Record<string, string | number | boolean | undefined | null>>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '' || value === false) continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
}
