// Process-wide memo tables of fleet validation (the compiled device schemas, per-profile and
// per-name answers), kept in one object so a test run can start from empty ones. Not re-exported.
import type { FleetProfile } from './types.js';

export const memo = {
  /**
   * Per profile (lib/fleet/checks.ts): true once the full check accepted a value of the template's
   * exact form (prefix + inert ID + suffix), which proves it accepts every such value.
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
