// Shared helpers of the policy tests: example files, loading YAML text, a small hand-made policy.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPolicySource } from '../../lib/policy/load.js';
import type { Policy } from '../../lib/policy/types.js';
import { type ResolveComponent, uidOnlyResolver } from '../../lib/policy/validate.js';

export const POLICIES_DIR = fileURLToPath(new URL('../../policies/', import.meta.url));
export const FIXTURES = fileURLToPath(new URL('../fixtures/policy/', import.meta.url));

/** Every policy-only example file in policies/ (integration files, with components, are not). */
export function examplePolicyFiles(): string[] {
  return readdirSync(POLICIES_DIR)
    .filter((f) => f.endsWith('.yaml') && !/^components:/m.test(readFileSync(join(POLICIES_DIR, f), 'utf8')))
    .map((f) => join(POLICIES_DIR, f));
}

/** Every integration example in policies/ that carries `policies:`. */
export function exampleIntegrationFilesWithPolicies(): string[] {
  return readdirSync(POLICIES_DIR)
    .filter((f) => {
      const text = f.endsWith('.yaml') ? readFileSync(join(POLICIES_DIR, f), 'utf8') : '';
      return /^components:/m.test(text) && /^policies:/m.test(text);
    })
    .map((f) => join(POLICIES_DIR, f));
}

export async function loadYaml(text: string, resolve: ResolveComponent = uidOnlyResolver): Promise<Policy[]> {
  return (await loadPolicySource('test.yaml', text, resolve)).policies;
}

/** A policy with one Event Log and one Process monitor, as normalized data (no YAML involved). */
export function smallPolicy(): Policy {
  return {
    name: 'Small & <simple>',
    description: '',
    scope: 'site',
    enabled: false,
    monitors: [
      {
        type: 'eventlog',
        log: 'Application',
        source: 'Bright Antivirus',
        codes: [26108, 7],
        eventTypes: ['Error', 'Warning'],
        trigger: { count: 2, windowMins: 30 },
        priority: 'High',
        autoResolveMins: 60,
        responses: { email: ['a@example.com'], ticket: true, webhook: 'https://hooks.example.com/x?a=1&b=2' },
      },
      {
        type: 'process',
        process: 'BvAntiSrv.exe',
        state: 'stopped',
        priority: 'Low',
        responses: { email: [], ticket: false },
      },
    ],
  };
}

/** Runs `fn` with a fresh temporary folder, removed afterwards. */
export async function inTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'rmmkit-policy-'));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function writeFiles(dir: string, files: Record<string, string | Uint8Array>): void {
  for (const [name, data] of Object.entries(files)) writeFileSync(join(dir, name), data);
}
