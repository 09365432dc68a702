// Public API of lib/policy: the policy model, validation of `policies:`, the rmmkit-pcy/1 profile,
// diff, probe and build sheets.
export * from './artefacts.js';
export * from './diff.js';
export * from './load.js';
export { type FieldKind, type FieldSpec, MONITOR_TYPES, type MonitorTypeRow } from './monitor-types.js';
export * from './probe.js';
export {
  buildPolicy,
  PCY1,
  type PolicyBuildOptions,
  pcyEntries,
  readPolicy,
  slugify,
  writePolicyXml,
} from './profile.js';
export * from './sheet.js';
export type * from './types.js';
export { EVENT_TYPES, PRIORITIES, RUN_STATES, SCOPES } from './types.js';
export * from './validate.js';
