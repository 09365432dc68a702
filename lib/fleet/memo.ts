// Process-wide memo tables of fleet validation (the compiled device schemas, per-profile and
// per-name answers), kept in one object so a test run can start from empty ones. Not re-exported.
import type { FleetProfile } from './types.js';

export const memo = {
  /**
   * Per profile (lib/fleet/checks.ts): whether the template's own link is exactly what a full check
   * accepts (true), is not (false), or is not known yet (absent). Decided by the full check of the
   * first value that has the template's exact form, then reused for every device.
   */
  templateIsExact: new WeakMap<FleetProfile, boolean>(),
  /** Per operating-system name: whether it is macOS (a fleet has a few dozen names). */
  macOsNames: new Map<string, boolean>(),
  /** The compiled Ajv validators (lib/fleet/device.ts), built on first use. */
  validators: null as unknown,
};

/**
 * Empties every table. For tests only: a mutation-testing run reuses one process for many variants
 * of this code, and an answer cached by one variant would hide the next (test/mutation-setup.ts).
 */
export function clearFleetMemo(): void {
  memo.templateIsExact = new WeakMap();
  memo.macOsNames.clear();
  memo.validators = null;
}
