// Fleet validation of UDF deep links (issue 11): profile, sources, checks, reports, repair.
// Re-exports only.

export * from './api.js';
export * from './api-run.js';
export * from './checks.js';
export * from './device.js';
export * from './export.js';
export * from './profile.js';
export * from './repair.js';
export * from './report.js';
export * from './run.js';
export * from './sample.js';
export * from './types.js';
export * from './validate.js';
