export * from './migrate-events.js';
export * from './migration-progress-file.js';
export * from './migration-target.js';
export * from './sqlite-backup.js';
