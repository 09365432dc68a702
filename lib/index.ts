// The public API of rmmkit. Re-exports only: every name here is a supported entry point.
export * from './component/index.js';
export * from './detect/index.js';
export * from './devid/index.js';
export * from './errors.js';
export * from './fleet/index.js';
export * from './integration/index.js';
export * from './io/index.js';
export * from './paths.js';
export * from './policy/index.js';
export * from './render/index.js';
