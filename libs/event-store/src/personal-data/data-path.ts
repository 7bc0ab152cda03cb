/** The value at a dotted path through plain objects (own keys only), or undefined where the path does not lead. */
export function valueAt(data: unknown, path: string): unknown {
  let value = data;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** A copy of `data` with the value at a dotted path replaced; `data` itself when the path does not lead there. */
export function withValueAt(data: unknown, path: string, value: unknown): unknown {
  const [key, ...rest] = path.split('.');
  if (typeof data !== 'object' || data === null || Array.isArray(data) || !Object.hasOwn(data, key)) return data;
  const record = data as Record<string, unknown>;
  return { ...record, [key]: rest.length === 0 ? value : withValueAt(record[key], rest.join('.'), value) };
}
