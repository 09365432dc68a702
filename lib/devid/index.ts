// The device-ID area: DEVID1 and vendor recipes, NIC ranking, deep links and collectors.
// Re-exports only.
export * from './collect-endpoint.js';
export * from './collect-linux.js';
export * from './examples.js';
export * from './jsonl.js';
export * from './link.js';
export * from './nics.js';
export * from './recipe.js';
export * from './recipe-check.js';
export * from './recipes.js';
export type * from './types.js';
export * from './vectors.js';
