// Builds the detection content for a sanctioned profile and proves it: every file passes rmmkit's
// own lint (strict YAML, Sentinel schema checks, Kusto parse and bind) before anything is written.
import { LineCounter, parseDocument } from 'yaml';
import { InputError, RmmkitError } from '../errors.js';
import { type BuiltFile, buildDetectionFiles } from './emit.js';
import { lintRules } from './lint.js';
import { sanctionedProfileFrom } from './profile.js';
import type { DattoSection, RuleLintFinding, SanctionedProfile } from './types.js';

/** The built files and the lint findings on them (empty when the build is sound). */
export interface DetectionBuild {
  profile: SanctionedProfile;
  files: BuiltFile[];
}

/** Builds every rule for `profile` and lints the result; throws if rmmkit's own output has any finding. */
export function buildDetection(profile: SanctionedProfile): DetectionBuild {
  const files = buildDetectionFiles(profile);
  const findings = lintBuilt(files);
  if (findings.length > 0) {
    const lines = findings.map((f) => `  ${f.file}:${f.line}:${f.column} ${f.rule}: ${f.message}`);
    throw new RmmkitError('BUG', `the built rules do not pass rmmkit's own lint:\n${lines.join('\n')}`);
  }
  return { profile, files };
}

/** Lints built files the way `detect lint` lints any rule file. */
export function lintBuilt(files: readonly BuiltFile[]): RuleLintFinding[] {
  return lintRules(files.filter((f) => f.flavor).map((f) => ({ file: f.path, text: f.text })));
}

/**
 * The `datto` section of an integration file (YAML or JSON), read without the full integration
 * loader: only this section matters to detection. Returns undefined when the file has none.
 */
export function readDattoSection(text: string, file: string): DattoSection | undefined {
  const lc = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, lineCounter: lc });
  const e = doc.errors[0];
  if (e) {
    const lp = lc.linePos(e.pos[0]);
    throw new InputError(
      file,
      `is not valid YAML${lp ? ` at line ${lp.line}, column ${lp.col}` : ''}: ${e.message.split('\n')[0]}`,
    );
  }
  const root = doc.toJS() as unknown;
  if (root === null || typeof root !== 'object' || Array.isArray(root))
    throw new InputError(file, 'must hold a mapping (an integration file)');
  const datto = (root as Record<string, unknown>).datto;
  return datto === undefined ? undefined : (datto as DattoSection);
}

/** Merges flags over an integration file's `datto` section and validates the result. */
export function profileFromSources(
  section: DattoSection | undefined,
  flags: { platform?: string; accountUid?: string; siteUids?: string[]; devices?: string[] },
  subject: string,
): SanctionedProfile {
  const merged: Record<string, unknown> = { ...(section ?? {}) };
  if (flags.platform !== undefined) merged.platform = flags.platform;
  if (flags.accountUid !== undefined) merged.accountUid = flags.accountUid;
  if (flags.siteUids !== undefined && flags.siteUids.length > 0) merged.siteUids = flags.siteUids;
  if (flags.devices !== undefined && flags.devices.length > 0) merged.devices = flags.devices;
  return sanctionedProfileFrom(merged, subject);
}
