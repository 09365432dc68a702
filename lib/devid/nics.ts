// Ranking of network adapters for DEVID1 (spec §6.2): which NIC's MAC a collector hashes.
// Pure: collectors (lib/devid/collect-*.ts, the endpoint scripts) gather records, this orders them.
import { canonicalMac, isLocallyAdministered } from './recipe.js';
import type { NicRecord, RankedNic } from './types.js';

/** OUIs (first three octets) of hypervisors' virtual adapters, with the vendor for messages. */
export const VIRTUAL_OUIS: Readonly<Record<string, string>> = {
  '000569': 'VMware',
  '000C29': 'VMware',
  '001C14': 'VMware',
  '005056': 'VMware',
  '00155D': 'Hyper-V',
  '0003FF': 'Hyper-V',
  '080027': 'VirtualBox',
  '0A0027': 'VirtualBox',
  '001C42': 'Parallels',
  '00163E': 'Xen',
  '525400': 'QEMU',
};

/** Compares two tie-break values: numbers numerically, strings by their UTF-8 bytes. */
function compareOrder(a: number | string, b: number | string): number {
  const aNumber = typeof a === 'number';
  // A number (Windows Index, macOS unit) before a name, whichever is first.
  if (aNumber !== (typeof b === 'number')) return aNumber ? -1 : 1;
  if (aNumber) return (a as number) - (b as number);
  // Stryker disable next-line StringLiteral: Buffer.from reads an empty encoding name as utf8
  return Buffer.compare(Buffer.from(a as string, 'utf8'), Buffer.from(b as string, 'utf8'));
}

/**
 * Drops adapters without a usable MAC and sorts the rest, best first: globally administered,
 * not a virtual OUI, internal bus, wired, then the OS tie-break. The first is the one to hash.
 */
export function rankNics(nics: readonly NicRecord[]): RankedNic[] {
  const ranked: RankedNic[] = [];
  for (const nic of nics) {
    const mac = canonicalMac(nic.mac);
    if (mac === null) continue;
    ranked.push({
      ...nic,
      canonicalMac: mac,
      locallyAdministered: isLocallyAdministered(mac),
      virtualOui: VIRTUAL_OUIS[mac.slice(0, 6)] ?? null,
    });
  }
  const key = (n: RankedNic): number[] => [
    n.locallyAdministered ? 1 : 0,
    n.virtualOui ? 1 : 0,
    n.bus === 'external' ? 1 : 0,
    n.wireless ? 1 : 0,
  ];
  return ranked.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) {
      const d = (ka[i] as number) - (kb[i] as number);
      if (d !== 0) return d;
    }
    return compareOrder(a.order, b.order);
  });
}

/** A one-line human explanation of why `nic` is where it is in the ranking. */
export function describeNic(nic: RankedNic): string {
  return [
    nic.locallyAdministered ? 'locally administered MAC' : 'globally unique MAC',
    nic.virtualOui ? `virtual adapter (${nic.virtualOui} OUI)` : 'not a hypervisor OUI',
    nic.bus === 'external' ? 'external bus (USB/Thunderbolt)' : 'internal bus',
    nic.wireless ? 'wireless' : 'wired',
    `tie-break ${JSON.stringify(nic.order)}`,
  ].join(', ');
}
