export * from './field-cipher.js';
export * from './personal-data-keys.js';
export * from './in-memory-personal-data-keys.js';
export * from './sqlite-personal-data-keys.js';
export * from './personal-data-event-store.js';
export * from './key-store-file.js';
export * from './reapply-forgetting.js';
