// Reads one device of API v2's Device shape (from the API or an export) into a FleetDevice, or says
// why it is malformed. One bad device is a finding, never the end of a run (datto-formats §5).
import { z } from 'zod';
import type { FleetAudit, FleetDevice, FleetProfile } from './types.js';

/** Any field may be null on the wire (datto-formats §5): null reads as absent. */
const text = z.string().nullish();

const auditSchema = z.looseObject({
  nics: z.array(z.looseObject({ macAddress: text }).nullable()).nullish(),
  bios: z.looseObject({ serialNumber: text }).nullish(),
  baseBoard: z.looseObject({ serialNumber: text }).nullish(),
});

const deviceSchema = z.looseObject({
  uid: z.string().min(1, 'uid is empty'),
  hostname: text,
  siteUid: z.string().min(1, 'siteUid is empty'),
  siteName: text,
  operatingSystem: text,
  udf: z.record(z.string(), z.string().nullish()).nullish(),
  /** Not in the API's Device: exports may carry the device's audit beside it. */
  audit: auditSchema.nullish(),
});

export type RawAudit = z.infer<typeof auditSchema>;

export type DeviceRead =
  | { ok: true; device: FleetDevice }
  | { ok: false; uid: string; hostname: string; siteUid: string; reason: string };

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** Audit fields ID recomputation uses; null when the audit has none of them. */
export function auditFromRaw(raw: RawAudit): FleetAudit {
  const macs: string[] = [];
  for (const nic of raw.nics ?? []) if (nic?.macAddress) macs.push(nic.macAddress);
  return {
    macs,
    biosSerial: raw.bios?.serialNumber || null,
    baseboardSerial: raw.baseBoard?.serialNumber || null,
  };
}

/** Validates a raw DeviceAudit from the API; returns null with no usable structure. */
export function readAudit(raw: unknown): FleetAudit | string {
  const r = auditSchema.safeParse(raw);
  if (!r.success)
    return r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  return auditFromRaw(r.data);
}

/** Reads one raw device; `where` names it in messages (`devices.json item 12`). */
export function readDevice(raw: unknown, profile: FleetProfile, where: string): DeviceRead {
  const r = deviceSchema.safeParse(raw);
  const obj = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  if (!r.success) {
    const why = r.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    return {
      ok: false,
      uid: str(obj.uid),
      hostname: str(obj.hostname),
      siteUid: str(obj.siteUid),
      reason: `${where}: ${why}`,
    };
  }
  const d = r.data;
  return {
    ok: true,
    device: {
      uid: d.uid,
      hostname: d.hostname ?? '',
      siteUid: d.siteUid,
      siteName: d.siteName ?? '',
      operatingSystem: d.operatingSystem ?? '',
      value: d.udf?.[`udf${profile.slot}`] ?? null,
      audit: d.audit ? auditFromRaw(d.audit) : undefined,
    },
  };
}
