// The findings a generated fleet must produce, computed from what the generator planted (not from
// the code under test): value findings, clone clusters, and what an audit can prove.
import type { SampleDevice } from '../../lib/fleet/sample.js';

export type AuditScope = 'none' | 'all' | ((uid: string, codes: Set<string>, clone: boolean) => boolean);

/** uid → sorted codes, for every device with at least one finding. */
export function expectedFindings(
  samples: readonly SampleDevice[],
  audit: AuditScope,
  extra: Record<string, string[]> = {},
): Map<string, string[]> {
  const codes = new Map<string, Set<string>>();
  const add = (uid: string, code: string) => {
    const s = codes.get(uid) ?? new Set<string>();
    codes.set(uid, s);
    s.add(code);
  };
  let lastOk: string | null = null;
  const clones = new Set<string>();
  for (const s of samples) {
    const uid = String(s.device.uid);
    for (const c of s.planted) add(uid, c);
    if (s.kind === 'clone' && lastOk) {
      add(lastOk, 'id-clone');
      clones.add(lastOk);
      clones.add(uid);
    }
    if (s.kind === 'ok-windows') lastOk = uid;
  }
  for (const [uid, cs] of Object.entries(extra)) for (const c of cs) add(uid, c);
  if (audit !== 'none')
    for (const s of samples) {
      const uid = String(s.device.uid);
      if (s.audited === 'none' || s.audited === 'verified') continue;
      const mine = codes.get(uid) ?? new Set<string>();
      if (audit === 'all' || audit(uid, mine, clones.has(uid))) add(uid, s.audited);
    }
  return new Map([...codes].map(([u, s]) => [u, [...s].sort()]));
}

/** uid → sorted codes of a result's devices. */
export function actualFindings(
  devices: { uid: string; findings: { code: string }[] }[],
): Map<string, string[]> {
  return new Map(devices.map((d) => [d.uid, [...new Set(d.findings.map((f) => f.code))].sort()]));
}

export function sortedEntries(m: Map<string, string[]>): [string, string[]][] {
  return [...m].sort((a, b) => a[0].localeCompare(b[0]));
}
