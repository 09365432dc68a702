// Public API of lib/detect: Datto RMM indicators, the sanctioned profile, rule emitters and the linter.
export { buildDetection, lintBuilt, profileFromSources, readDattoSection } from './build.js';
export type { BuiltFile } from './emit.js';
export {
  buildDetectionFiles,
  defenderQuery,
  ruleId,
  sentinelAnalyticRule,
  sentinelHuntingQuery,
} from './emit.js';
export {
  classifyHost,
  DATTO_PLATFORMS,
  expandHost,
  HOSTS as DATTO_HOSTS,
  hostMatches,
  INDICATORS as DATTO_INDICATORS,
  isDattoHost,
  SIGNERS as DATTO_SIGNERS,
} from './indicators.js';
export { analyzeKql, type KqlDiagnostic, tableColumns } from './kusto.js';
export { lintRules, type RuleLintInput, ruleLintFailed } from './lint.js';
export { checkDattoSection, sanctionedProfileFrom } from './profile.js';
export { buildRuleSpecs, queryFor } from './rules.js';
export { checkSentinelRule } from './sentinel-schema.js';
export type * from './types.js';
