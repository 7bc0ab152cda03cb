import { connect } from 'node:net';

/** A response read off a raw socket. */
export interface RawReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends bytes exactly as given over a fresh loopback connection and reads one HTTP/1.1 response (until the
 * server closes, or the declared length or final chunk arrives). For requests no HTTP client would send.
 */
export function sendRaw(baseUrl: string, bytes: Buffer, timeoutMs = 10_000): Promise<RawReply> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) return reject(error);
      const reply = parse(Buffer.concat(chunks));
      if (reply) resolve(reply);
      else reject(new Error(`no HTTP response (${chunks.reduce((n, c) => n + c.length, 0)} bytes received)`));
    };
    const timer = setTimeout(() => finish(new Error(`no complete response within ${timeoutMs} ms`)), timeoutMs);
    socket.on('connect', () => socket.end(bytes));
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      if (complete(Buffer.concat(chunks))) finish();
    });
    socket.on('end', () => finish());
    socket.on('close', () => finish());
    // The server may close while we are still writing a body it refused: read what it answered.
    socket.on('error', (error: NodeJS.ErrnoException) =>
      chunks.length > 0 || error.code === 'EPIPE' || error.code === 'ECONNRESET' ? finish() : finish(error),
    );
  });
}

/** The final response's head and what follows it; interim 1xx responses (100 Continue) are skipped. */
function splitHead(data: Buffer): { head: string; rest: Buffer } | null {
  let rest = data;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) return null;
    const head = rest.subarray(0, end).toString('latin1');
    rest = rest.subarray(end + 4);
    if (!/^HTTP\/1\.[01] 1\d\d/.test(head)) return { head, rest };
  }
}

function headersOf(head: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

function complete(data: Buffer): boolean {
  const split = splitHead(data);
  if (!split) return false;
  const headers = headersOf(split.head);
  if (headers['content-length'] !== undefined) return split.rest.length >= Number(headers['content-length']);
  if (headers['transfer-encoding']?.toLowerCase() === 'chunked')
    return split.rest.includes('\r\n0\r\n\r\n') || split.rest.subarray(0, 5).toString() === '0\r\n\r\n';
  return false;
}

function parse(data: Buffer): RawReply | null {
  const split = splitHead(data);
  if (!split) return null;
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(split.head);
  if (!status) return null;
  const headers = headersOf(split.head);
  let body = split.rest;
  if (headers['transfer-encoding']?.toLowerCase() === 'chunked') body = dechunk(body);
  else if (headers['content-length'] !== undefined) body = body.subarray(0, Number(headers['content-length']));
  return { status: Number(status[1]), headers, body: body.toString('utf8') };
}

function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset < data.length) {
    const lineEnd = data.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = parseInt(data.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
