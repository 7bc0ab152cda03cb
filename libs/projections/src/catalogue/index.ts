export * from './catalogue.schema.js';
export * from './catalogue.projection.js';
export * from './catalogue.queries.js';
export * from './cursor.js';
