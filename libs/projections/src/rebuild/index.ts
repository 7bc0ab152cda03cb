export * from './projection-lease.js';
export * from './rebuild-projection.js';
export * from './shadow-db.js';
export * from './stored-status.js';
