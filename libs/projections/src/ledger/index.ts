export * from './ledger.projection.js';
export * from './signed-heads.js';
export * from './verify-integrity.js';
export * from './audit-bundle.js';
