export * from './learning-library.schema.js';
export * from './learning-library.projection.js';
export * from './learning-library.queries.js';
export * from './learning-cursor.js';
export * from './fts-query.js';
