// Reads one device of API v2's Device shape (from the API or an export) into a FleetDevice, or says
// why it is malformed. One bad device is a finding, never the end of a run (datto-formats §5).
//
// The shapes are JSON Schemas compiled once by Ajv: a 100,000-device run validates every device,
// and a compiled validator checks the parsed object in place (no copy), several times faster than a
// parsing schema library on this path (bench/fleet.ts). Only the fields the checks read are
// constrained; everything else in the API's Device is let through.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { memo } from './memo.js';
import type { FleetAudit, FleetDevice, FleetProfile } from './types.js';

/** Any field may be null on the wire (datto-formats §5): null reads as absent. */
const TEXT = { type: ['string', 'null'] } as const;
const NONEMPTY = { type: 'string', minLength: 1 } as const;

const AUDIT_SCHEMA = {
  type: 'object',
  properties: {
    nics: {
      type: ['array', 'null'],
      items: { type: ['object', 'null'], properties: { macAddress: TEXT } },
    },
    bios: { type: ['object', 'null'], properties: { serialNumber: TEXT } },
    baseBoard: { type: ['object', 'null'], properties: { serialNumber: TEXT } },
  },
} as const;

const DEVICE_SCHEMA = {
  type: 'object',
  required: ['uid', 'siteUid'],
  properties: {
    uid: NONEMPTY,
    siteUid: NONEMPTY,
    hostname: TEXT,
    siteName: TEXT,
    operatingSystem: TEXT,
    udf: { type: ['object', 'null'], additionalProperties: TEXT },
    /** Not in the API's Device: exports may carry the device's audit beside it. */
    audit: { ...AUDIT_SCHEMA, type: ['object', 'null'] },
  },
} as const;

/** What a validated raw audit holds (the fields ID recomputation reads). */
export interface RawAudit {
  nics?: ({ macAddress?: string | null } | null)[] | null;
  bios?: { serialNumber?: string | null } | null;
  baseBoard?: { serialNumber?: string | null } | null;
}

interface RawDevice {
  uid: string;
  hostname?: string | null;
  siteUid: string;
  siteName?: string | null;
  operatingSystem?: string | null;
  udf?: Record<string, string | null> | null;
  audit?: RawAudit | null;
}

interface Validators {
  device: ValidateFunction<RawDevice>;
  audit: ValidateFunction<RawAudit>;
}

/** The validators, compiled on first use (a command that never reads a device never pays for it). */
function validators(): Validators {
  let compiled = memo.validators as Validators | null;
  // Stryker disable next-line ConditionalExpression: true compiles again on every call: the same validators, only slower (false fails every device test)
  if (!compiled) {
    // allErrors: a malformed device's message names up to three problems, not only the first. (Each
    // union type here is a type or null, which strict mode allows without allowUnionTypes.)
    const ajv = new Ajv({
      allErrors: true,
      // Stryker disable next-line BooleanLiteral: false only stops Ajv refusing mistakes in these fixed schemas, which have none
      strict: true,
    });
    compiled = {
      device: ajv.compile<RawDevice>(DEVICE_SCHEMA),
      audit: ajv.compile<RawAudit>(AUDIT_SCHEMA),
    };
    memo.validators = compiled;
  }
  return compiled;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

/** One Ajv error as `path: what is allowed` (`audit.nics.0: must be an object or null`). */
function describe(e: ErrorObject): string {
  const path = e.instancePath.slice(1).split('/').join('.');
  if (e.keyword === 'required') {
    // Only the device itself requires fields, so the path is the root.
    const key = String((e.params as { missingProperty: string }).missingProperty);
    return `${key}: is missing; a device has a non-empty ${key}`;
  }
  const where = path || '(root)';
  if (e.keyword === 'type') {
    const t = (e.params as { type: string | string[] }).type;
    const names = (Array.isArray(t) ? t : String(t).split(',')).map((x) => TYPE_NAMES[x] ?? x);
    return `${where}: must be ${names.join(' or ')}`;
  }
  // The only other keyword these schemas use (a new one needs its own message here).
  return `${where}: is empty`;
}

/** The distinct problems of a failed validation, at most `max`, joined for a finding's message. */
function problems(errors: ErrorObject[] | null | undefined, max: number): string {
  // A failed validation has at least one error.
  const lines = [...new Set((errors as ErrorObject[]).map(describe))];
  return lines.slice(0, max).join('; ');
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** Audit fields ID recomputation uses; null when the audit has none of them. */
export function auditFromRaw(raw: RawAudit): FleetAudit {
  const macs: string[] = [];
  const nics = raw.nics;
  if (nics) for (const nic of nics) if (nic?.macAddress) macs.push(nic.macAddress);
  return {
    macs,
    biosSerial: raw.bios?.serialNumber || null,
    baseboardSerial: raw.baseBoard?.serialNumber || null,
  };
}

/** Validates a raw DeviceAudit from the API; a string naming what is wrong when it has no usable structure. */
export function readAudit(raw: unknown): FleetAudit | string {
  const { audit } = validators();
  if (!audit(raw)) return problems(audit.errors, 10);
  return auditFromRaw(raw);
}

/**
 * Reads one raw device. `where` names it in messages (`devices.json device 12`); give a function
 * when building the name costs something, it is called only for a malformed device.
 */
export function readDevice(raw: unknown, profile: FleetProfile, where: string | (() => string)): DeviceRead {
  const { device } = validators();
  if (!device(raw)) {
    const obj = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    return {
      ok: false,
      uid: str(obj.uid),
      hostname: str(obj.hostname),
      siteUid: str(obj.siteUid),
      reason: `${typeof where === 'string' ? where : where()}: ${problems(device.errors, 3)}`,
    };
  }
  const d = raw;
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

export type DeviceRead =
  | { ok: true; device: FleetDevice }
  | { ok: false; uid: string; hostname: string; siteUid: string; reason: string };
