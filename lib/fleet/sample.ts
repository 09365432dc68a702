// A generated fleet for demos, tests and benchmarks: API v2 Device objects (with their audits)
// carrying planted problems, each labelled with the finding codes it must produce. Deterministic.
import { deviceId } from '../devid/recipe.js';
import { linkFor } from './profile.js';
import type { FindingCode, FleetProfile } from './types.js';

/** A generated device, its audit and the codes its planted problem must produce. */
export interface SampleDevice {
  device: Record<string, unknown>;
  audit: Record<string, unknown>;
  /** Findings of the value checks (without audit). */
  planted: FindingCode[];
  /** What recomputing the ID from the audit gives: verified, id-mismatch or id-not-recomputable. */
  audited: 'verified' | 'id-mismatch' | 'id-not-recomputable' | 'none';
  kind: SampleKind;
}

export type SampleKind =
  | 'ok-windows'
  | 'ok-mac'
  | 'empty'
  | 'foreign'
  | 'too-long'
  | 'scheme'
  | 'host'
  | 'id-shape'
  | 'clone'
  | 'malformed'
  | 'stale-mac'
  | 'host-mac';

/** One kind per index in a cycle of 40; everything else is a healthy device. */
const CYCLE: Partial<Record<number, SampleKind>> = {
  3: 'empty',
  7: 'foreign',
  11: 'too-long',
  15: 'scheme',
  19: 'host',
  23: 'id-shape',
  27: 'clone',
  31: 'malformed',
  35: 'stale-mac',
  39: 'host-mac',
  1: 'ok-mac',
  21: 'ok-mac',
};

/** mulberry32: a tiny seeded PRNG, so the same seed gives the same fleet. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hex(rand: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(rand() * 16).toString(16);
  return s;
}

export interface SampleOptions {
  devices: number;
  sites: number;
  seed?: number;
  /** The salt the endpoints hash (for an account salt: the account UID). */
  salt: string;
  /** Include malformed devices (default true). */
  malformed?: boolean;
}

export function siteUidOf(i: number): string {
  return `site-${String(i).padStart(4, '0')}-0000-4000-8000-000000000000`;
}

/** Generates the fleet lazily: one device at a time, in site order. */
export function* sampleFleet(profile: FleetProfile, options: SampleOptions): Generator<SampleDevice> {
  const rand = prng(options.seed ?? 1);
  const slot = `udf${profile.slot}`;
  let lastOkId: string | null = null;
  for (let i = 0; i < options.devices; i++) {
    let kind: SampleKind = CYCLE[i % 40] ?? 'ok-windows';
    if (kind === 'malformed' && options.malformed === false) kind = 'ok-windows';
    const site = i % options.sites;
    const siteUid = siteUidOf(site);
    const mac = `00163e${(i & 0xffffff).toString(16).padStart(6, '0')}`;
    const bb = `BB${hex(rand, 10).toUpperCase()}`;
    const sys = `SN${hex(rand, 10).toUpperCase()}`;
    const mac2 = `02${hex(rand, 10)}`;
    const isMac = kind === 'ok-mac' || kind === 'stale-mac' || kind === 'host-mac';
    // The endpoint hashes BB first; macOS starts at SYS (devid1.md §2).
    const input = isMac ? { SYS: sys } : { BB: bb, SYS: sys };
    const r = deviceId({ mac, serials: input, salt: options.salt });
    if (!('id' in r)) throw new Error('sample: DEVID1 failed on generated inputs');
    let id = r.id;
    let value: string | null = linkFor(profile, id);
    let planted: FindingCode[] = [];
    let audited: SampleDevice['audited'] = isMac ? 'verified' : 'id-not-recomputable';
    const auditMacs = [mac, mac2];
    switch (kind) {
      case 'empty':
        value = i % 80 === 3 ? null : '';
        planted = ['udf-empty'];
        audited = 'none';
        break;
      case 'foreign':
        value = 'Isolated by Ransomware Detection';
        planted = ['udf-foreign'];
        audited = 'none';
        break;
      case 'too-long':
        value = `${value}${value.includes('?') ? '&' : '?'}pad=${'x'.repeat(260)}`;
        planted = ['link-too-long'];
        break;
      case 'scheme':
        value = value.replace(/^https:/, 'http:');
        planted = ['link-scheme'];
        break;
      case 'host':
      case 'host-mac': {
        const u = new URL(value);
        u.host = 'console.elsewhere.example';
        value = u.href;
        planted = ['link-host'];
        break;
      }
      case 'id-shape':
        value = linkFor(profile, id.slice(0, 40).toUpperCase());
        planted = ['id-shape'];
        audited = 'none';
        break;
      case 'clone':
        // A cloned image: the previous healthy device's ID, in another site.
        if (lastOkId) {
          id = lastOkId;
          value = linkFor(profile, id);
          planted = ['id-clone'];
        }
        break;
      case 'stale-mac':
        // The NIC was replaced after the link was written: the stored ID is from the old MAC.
        auditMacs.splice(0, 2, `00163f${(i & 0xffffff).toString(16).padStart(6, '0')}`);
        audited = 'id-mismatch';
        break;
      default:
        break;
    }
    if (kind === 'ok-windows') lastOkId = id;
    const uid = `dev-${String(i).padStart(7, '0')}`;
    const device: Record<string, unknown> = {
      id: i + 1,
      uid,
      siteId: site + 1,
      siteUid,
      siteName: `Site ${String(site).padStart(3, '0')}`,
      hostname: `HOST-${String(i).padStart(6, '0')}`,
      operatingSystem: isMac ? 'macOS Sonoma 14.5' : 'Microsoft Windows 11 Pro 23H2',
      deviceClass: 'device',
      lastSeen: 1764000000000 + i,
      udf: { [slot]: value, udf1: null },
    };
    if (kind === 'malformed') {
      device.udf = 'not-an-object';
      planted = ['device-malformed'];
      audited = 'none';
    }
    const audit = {
      nics: auditMacs.map((m, k) => ({ instance: `nic${k}`, macAddress: m.replace(/(..)(?!$)/g, '$1:') })),
      bios: { serialNumber: sys },
      baseBoard: { manufacturer: 'Example', product: 'Board' },
    };
    if (kind === 'clone' && planted.length > 0) audited = 'id-not-recomputable';
    yield { device, audit, planted, audited, kind };
  }
}

function csvField(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Writes a sample fleet export (devices with their audits) atomically; returns the device count. */
export async function writeSampleExport(
  file: string,
  format: 'json' | 'jsonl' | 'csv',
  profile: FleetProfile,
  options: SampleOptions,
): Promise<number> {
  const { writeFileAtomic } = await import('../io/files.js');
  const parts: string[] = [];
  const slot = `udf${profile.slot}`;
  if (format === 'csv')
    parts.push(`uid,hostname,siteUid,siteName,operatingSystem,${slot},macAddresses,biosSerial\r\n`);
  else if (format === 'json') parts.push('[\n');
  let n = 0;
  for (const s of sampleFleet(profile, {
    ...options,
    malformed: format !== 'csv' && options.malformed !== false,
  })) {
    const d = s.device;
    if (format === 'csv') {
      const a = s.audit as { nics: { macAddress: string }[]; bios: { serialNumber: string } };
      const udf = d.udf as Record<string, unknown>;
      parts.push(
        `${[d.uid, d.hostname, d.siteUid, d.siteName, d.operatingSystem, udf[slot], a.nics.map((x) => x.macAddress).join(';'), a.bios.serialNumber].map(csvField).join(',')}\r\n`,
      );
    } else {
      const line = JSON.stringify({ ...d, audit: s.audit });
      parts.push(format === 'json' ? `${n > 0 ? ',\n' : ''}${line}` : `${line}\n`);
    }
    n++;
  }
  if (format === 'json') parts.push('\n]\n');
  await writeFileAtomic(file, parts.join(''));
  return n;
}
