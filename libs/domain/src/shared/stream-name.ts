/** Stream categories: dash-free, as EventStoreDB category projections expect (`experiment-<id>`). */
export const StreamCategory = {
  experiment: 'experiment',
  collaboration: 'collaboration',
  network: 'network',
  organisation: 'organisation',
  person: 'person',
  gathering: 'gathering',
} as const;

export type StreamCategory = (typeof StreamCategory)[keyof typeof StreamCategory];

export function streamName(category: StreamCategory, id: string): string {
  return `${category}-${id}`;
}

/** Splits `category-id` at the first dash; ids may contain dashes (UUIDs). */
export function parseStreamName(stream: string): { category: string; id: string } {
  const dash = stream.indexOf('-');
  if (dash <= 0) return { category: stream, id: '' };
  return { category: stream.slice(0, dash), id: stream.slice(dash + 1) };
}
