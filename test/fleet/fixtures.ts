// Shared fixtures of the fleet tests: the Bright example's profile and a seeded fake-API fleet.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DattoClient } from '../../lib/fleet/api.js';
import { fleetProfileFromIntegration } from '../../lib/fleet/profile.js';
import { sampleFleet, siteUidOf } from '../../lib/fleet/sample.js';
import type { FleetIntegration, FleetProfile } from '../../lib/fleet/types.js';
import { FakeDatto, type FakeSeed } from './fake-datto.js';

export const ACCOUNT = 'acct-7f3e2a10-0000-4000-8000-000000000001';
export const KEY = 'KEY-9c1f0b7e44d2';
export const SECRET = 'SECRET-5a8e3d21c9f7b6';

/** The Bright Antivirus example (datto-formats §7), in the integration contract's shape. */
export const BRIGHT: FleetIntegration = {
  vendor: 'Bright',
  product: 'Bright Antivirus',
  file: 'bright-antivirus.yaml',
  link: {
    template: 'https://partner.bright-av.web/console/device?id={ID}',
    hosts: ['partner.bright-av.web'],
    salt: { kind: 'account' },
    udf: { slot: 5, variable: 'udfSlot', max: 30, allowSlot1: false },
  },
};

export const profile: FleetProfile = fleetProfileFromIntegration(BRIGHT);

export interface SeededFleet {
  seed: FakeSeed;
  samples: ReturnType<typeof generate>;
}

function generate(devices: number, sites: number) {
  return [...sampleFleet(profile, { devices, sites, salt: ACCOUNT })];
}

/** A seeded fleet for the fake API, with one device the account listing misses and one only it lists. */
export function seededFleet(devices = 120, sites = 4, pageSize = 7): SeededFleet {
  const samples = generate(devices, sites);
  const seed: FakeSeed = {
    key: KEY,
    secret: SECRET,
    accountUid: ACCOUNT,
    sites: Array.from({ length: sites }, (_, i) => ({
      uid: siteUidOf(i),
      name: `Site ${String(i).padStart(3, '0')}`,
    })),
    devices: samples.map((s) => ({ raw: s.device, site: String(s.device.siteUid), audit: s.audit })),
    notInAccount: ['dev-0000002'],
    accountOnly: [
      {
        raw: {
          uid: 'dev-orphan',
          hostname: 'ORPHAN-1',
          siteUid: 'site-gone',
          siteName: 'Deleted site',
          operatingSystem: 'Microsoft Windows 10',
          udf: { udf5: null },
        },
      },
    ],
    pageSize,
  };
  return { seed, samples };
}

export async function startFake(seed: FakeSeed): Promise<FakeDatto> {
  return new FakeDatto(seed).start();
}

/** The timing of the fake-API tests: a short window and budget, quick back-offs. */
export const FAKE_WINDOW_MS = 400;
export const FAKE_BUDGET = 25;

/** A client of a fake Datto API with the tests' credentials and timing; `extra` overrides any option. */
export function fakeClient(
  fake: FakeDatto,
  extra: Partial<ConstructorParameters<typeof DattoClient>[0]> = {},
): DattoClient {
  return new DattoClient({
    baseUrl: fake.url,
    credentials: { key: KEY, secret: SECRET },
    budget: FAKE_BUDGET,
    windowMs: FAKE_WINDOW_MS,
    backoffMs: 10,
    blockedBackoffMs: 50,
    timeoutMs: 2000,
    ...extra,
  });
}

/** Writes the Bright example integration file into `dir` as bright.yaml, its link in udf5 (the fixtures' slot). */
export function writeBrightIntegration(dir: string): void {
  writeFileSync(
    join(dir, 'bright.yaml'),
    readFileSync(new URL('../../policies/bright-antivirus.yaml', import.meta.url), 'utf8').replace(
      'slot: 7',
      'slot: 5',
    ),
  );
}
