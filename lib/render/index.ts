// The rendering area: Handlebars environment, quoting helpers, PowerShell 2.0 lint, endpoint scripts.
// Re-exports only.
export * from './devid-script.js';
export * from './ps2-lint.js';
export * from './quote.js';
