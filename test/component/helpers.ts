// Shared helpers of the component tests: fixture loading and small archive builders.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ComponentDefinition, newComponent } from '../../lib/component/index.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/component/', import.meta.url));

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, name)));
}

/** The Datto-style archives (written by the Python generator's Java-like writer). */
export const DATTO_FIXTURES = [
  'legacy-scripts.cpt',
  'current-applications.cpt',
  'current-monitor.cpt',
  'legacy-batch-noicon.cpt',
  'current-two-attachments.cpt',
];

export function allCptFixtures(): string[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.cpt'))
    .sort();
}

/** A minimal valid component for lint tests: every general field set, overridable per test. */
export function testComponent(over: Partial<ComponentDefinition> = {}, installType = 'powershell') {
  return newComponent({
    general: {
      name: 'Widget [WIN]',
      category: 'scripts',
      description: '',
      uid: 'u',
      hash: '',
      version: '1',
      timeout: '600',
      securityLevel: '1',
      installType,
    },
    body: '',
    ...over,
  });
}
