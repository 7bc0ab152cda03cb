export * from './audit-trail.projection.js';
export * from './audit-trail.queries.js';
export * from './audit-csv.js';
