export * from './event-upcasters.js';
export * from './upcasters.js';
export * from './upcasting-event-store.js';
