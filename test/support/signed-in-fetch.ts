/**
 * `fetch` as the test staff principal: suites written before accounts existed call `fetch(`${base}/api/…`)`
 * directly. Once a TestApp or ServerProcess registers its base URL here, such calls carry its staff token, unless
 * they send their own Authorization or Cookie header. Use {@link rawFetch} to send exactly what you write.
 */
export const rawFetch: typeof fetch = globalThis.fetch.bind(globalThis);

const tokens = new Map<string, string>();
let installed = false;

function urlOf(input: Parameters<typeof fetch>[0]): string | null {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.href;
  return null;
}

function tokenFor(url: string): string | undefined {
  for (const [base, token] of tokens) if (url === base || url.startsWith(`${base}/`)) return token;
  return undefined;
}

const signedInFetch: typeof fetch = (input, init) => {
  const url = urlOf(input);
  const token = url === null ? undefined : tokenFor(url);
  if (token === undefined) return rawFetch(input, init);
  const headers = new Headers(init?.headers);
  if (!headers.has('authorization') && !headers.has('cookie')) headers.set('authorization', `Bearer ${token}`);
  return rawFetch(input, { ...init, headers });
};

/** Direct `fetch` calls to `baseUrl` act as the holder of `token`. */
export function signFetchesTo(baseUrl: string, token: string): void {
  tokens.set(baseUrl, token);
  if (!installed) {
    globalThis.fetch = signedInFetch;
    installed = true;
  }
}

/** Stops signing `fetch` calls to `baseUrl`. */
export function stopSigningFetchesTo(baseUrl: string): void {
  tokens.delete(baseUrl);
}
