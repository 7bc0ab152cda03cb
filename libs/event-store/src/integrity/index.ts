export * from './canonical-json.js';
export * from './chain.js';
export * from './chain-checker.js';
export * from './signing.js';
