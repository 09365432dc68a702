// The repair plan (which devices need their link rewritten, and how) and its execution through
// the API: writes only when asked, never over a foreign value the plan does not release, logs
// every write, and a second run changes nothing.
import { z } from 'zod';
import { InputError } from '../errors.js';
import type { DattoClient } from './api.js';
import { checkValue } from './checks.js';
import { linkFor } from './profile.js';
import type { FindingCode, FleetProfile, FleetResult } from './types.js';
import { type FleetValidator, INFO_CODES } from './validate.js';

/** A device uid goes into a request path: no dot segment (`.`, `..`) and no control character. */
const UID = z
  .string()
  .min(1)
  .refine((u) => u !== '.' && u !== '..', 'a dot segment (. or ..) is no device uid')
  .refine((u) => !/[\x00-\x1f\x7f]/.test(u), 'a device uid has no control characters');

const ENTRY = z.strictObject({
  uid: UID,
  hostname: z.string(),
  siteUid: z.string(),
  slot: z.number().int().min(1).max(300),
  /** write-udf: the API writes `value`; rerun-component: run the link component as a quick job. */
  action: z.enum(['write-udf', 'rerun-component']),
  codes: z.array(z.string()),
  /** The slot's value when the plan was made; a write happens only while it is still this. */
  current: z.string().nullable(),
  value: z.string().max(255).optional(),
  /** The slot holds someone else's value: written only when this is set to true by hand. */
  foreign: z.boolean(),
  overwriteForeign: z.boolean(),
});

export const REPAIR_PLAN = z.strictObject({
  rmmkitRepairPlan: z.literal(1),
  source: z.string(),
  template: z.string(),
  slot: z.number().int(),
  entries: z.array(ENTRY),
});

export type RepairPlan = z.infer<typeof REPAIR_PLAN>;
export type RepairEntry = z.infer<typeof ENTRY>;

/** Codes that a rewrite of the link does not address (a listing gap, a malformed record). */
const NOT_REPAIRABLE: ReadonlySet<FindingCode> = new Set([
  'device-malformed',
  'listing-account-missing',
  'listing-site-missing',
  'listing-site-failed',
]);

/**
 * Builds the plan from a finished validation: every device with a link or ID finding. The API
 * write is planned only where the right value is known (an audit proved the ID); everything
 * else is a re-run of the link component on the device.
 */
export function buildRepairPlan(
  result: FleetResult,
  validator: FleetValidator,
  profile: FleetProfile,
): RepairPlan {
  const entries: RepairEntry[] = [];
  for (const d of result.devices) {
    const codes = [...new Set(d.findings.map((f) => f.code))].filter(
      (c) => !INFO_CODES.has(c) && !NOT_REPAIRABLE.has(c),
    );
    if (codes.length === 0) continue;
    const current = validator.currentValue(d.uid) ?? null;
    const id = validator.knownId(d.uid);
    const value = id ? linkFor(profile, id) : undefined;
    // A clone member whose ID the audit proved is the original: nothing to do for it.
    if (value !== undefined && value === current) continue;
    entries.push({
      uid: d.uid,
      hostname: d.hostname,
      siteUid: d.siteUid,
      slot: profile.slot,
      action: value !== undefined ? 'write-udf' : 'rerun-component',
      codes,
      current,
      ...(value !== undefined ? { value } : {}),
      foreign: codes.includes('udf-foreign'),
      overwriteForeign: false,
    });
  }
  entries.sort((a, b) => a.uid.localeCompare(b.uid));
  return {
    rmmkitRepairPlan: 1,
    source: result.summary.source,
    template: profile.template,
    slot: profile.slot,
    entries,
  };
}

export function repairPlanJson(plan: RepairPlan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

/** Reads a plan file's text; an InputError names the file and every problem. */
export function parseRepairPlan(name: string, text: string): RepairPlan {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new InputError(name, `is not JSON (${(err as Error).message})`);
  }
  const r = REPAIR_PLAN.safeParse(raw);
  if (!r.success)
    throw new InputError(
      name,
      `is not a repair plan:\n${r.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n')}`,
    );
  for (const [i, e] of r.data.entries.entries())
    if (e.action === 'write-udf' && e.value === undefined)
      throw new InputError(name, `entries[${i}] (${e.uid}) is write-udf but has no value`);
  return r.data;
}

/**
 * Checks a plan against the integration it is applied for, before any request: the plan was made
 * for this integration (its template and slot), every entry writes that slot, and every value it
 * writes is exactly this integration's link for an ID of the recipe's shape (nothing a hand-edited
 * or forged plan could slip in: another host or scheme, a control character, over 255
 * characters, an empty value that would clear the slot). Throws naming the entry and the reason.
 */
export function checkPlan(name: string, plan: RepairPlan, profile: FleetProfile): void {
  if (plan.template !== profile.template || plan.slot !== profile.slot)
    throw new InputError(
      name,
      `was made for the link ${plan.template} in udf${plan.slot}; the integration writes ${profile.template} in udf${profile.slot}`,
    );
  for (const [i, e] of plan.entries.entries()) {
    const at = `entries[${i}] (${JSON.stringify(e.uid)})`;
    if (e.slot !== plan.slot)
      throw new InputError(
        name,
        `${at} writes udf${e.slot}; the plan and the integration write udf${plan.slot} only`,
      );
    if (e.value === undefined) continue;
    const check = checkValue(profile, e.value);
    if (check.findings.length > 0 || check.exact !== true)
      throw new InputError(
        name,
        `${at} would write ${JSON.stringify(e.value.slice(0, 100))}, which is not a link of this integration${check.findings[0] ? ` (${check.findings[0].message})` : ` (it must be exactly ${profile.template} with an ID)`}`,
      );
  }
}

export type RepairOutcome =
  | 'written'
  | 'would-write'
  | 'already'
  | 'changed-since-plan'
  | 'foreign-kept'
  | 'rerun-component'
  | 'failed';

export interface RepairReport {
  outcomes: { uid: string; outcome: RepairOutcome; detail: string }[];
  written: number;
}

/**
 * Performs the plan's API writes; call checkPlan first. Without `yes` nothing is written (outcome
 * `would-write`). A write happens only while the device still holds the plan's `current` value,
 * and never over a value that is not this integration's (read again from the device, whatever the
 * plan says) unless the entry sets `overwriteForeign`. `log` gets one line per write and per
 * refusal, awaited before the next request.
 */
export async function applyRepairPlan(
  client: DattoClient,
  plan: RepairPlan,
  profile: FleetProfile,
  options: { yes: boolean; log: (line: string) => void | Promise<void> },
): Promise<RepairReport> {
  const outcomes: RepairReport['outcomes'] = [];
  let written = 0;
  const note = async (uid: string, outcome: RepairOutcome, detail: string) => {
    outcomes.push({ uid, outcome, detail });
    await options.log(`${outcome} ${uid}: ${detail}`);
  };
  for (const e of plan.entries) {
    const field = `udf${e.slot}`;
    if (e.action === 'rerun-component') {
      await note(
        e.uid,
        'rerun-component',
        `run the link component on ${JSON.stringify(e.hostname || e.uid)} (${e.codes.join(', ')})`,
      );
      continue;
    }
    const value = e.value as string;
    let now: string | null;
    try {
      const dev = (await client.request('GET', `/api/v2/device/${encodeURIComponent(e.uid)}`)) as {
        udf?: Record<string, unknown> | null;
      } | null;
      const v = dev?.udf?.[field];
      now = typeof v === 'string' && v !== '' ? v : null;
    } catch (err) {
      await note(e.uid, 'failed', `reading the device failed: ${(err as Error).message}`);
      continue;
    }
    if (now === value) {
      await note(e.uid, 'already', `${field} already holds the planned link`);
      continue;
    }
    if (now !== (e.current === '' ? null : e.current)) {
      await note(
        e.uid,
        'changed-since-plan',
        `${field} changed since the plan was made; not written (validate again)`,
      );
      continue;
    }
    // Someone else's value, by the plan's word or by what the device holds now.
    const foreign = e.foreign || (now !== null && !checkValue(profile, now).ours);
    if (foreign && !e.overwriteForeign) {
      await note(
        e.uid,
        'foreign-kept',
        `${field} holds a foreign value; set overwriteForeign in the plan to replace it`,
      );
      continue;
    }
    if (!options.yes) {
      await note(e.uid, 'would-write', `${field} = ${value} (pass --yes to write)`);
      continue;
    }
    try {
      await client.request('POST', `/api/v2/device/${encodeURIComponent(e.uid)}/udf`, { [field]: value });
      written++;
      await note(
        e.uid,
        'written',
        `${field} = ${value} (was ${now === null ? 'empty' : JSON.stringify(now)})`,
      );
    } catch (err) {
      await note(e.uid, 'failed', `writing ${field} failed: ${(err as Error).message}`);
    }
  }
  return { outcomes, written };
}
