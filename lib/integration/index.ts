// The integration area: the integration file's schema, loader and normalized types.
// Re-exports only.
export * from './load.js';
export * from './schema.js';
export type * from './types.js';
