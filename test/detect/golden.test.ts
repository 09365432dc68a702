// Golden files of `detect build` for one profile: any change to a rule shows up as a reviewable diff.
// Regenerate on purpose with UPDATE_GOLDEN=1, then review the diff.

import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDetectionFiles } from '../../lib/detect/emit.js';
import { assertGolden, updatingGolden } from '../helpers/golden.js';

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), '..', 'golden', 'detect');
const files = buildDetectionFiles({
  platform: 'merlot',
  accountUid: '7f1d2c3b-aaaa-4bbb-8ccc-123456789abc',
  siteUids: ['0d3a7c2e-1b4f-4c55-9a0e-5b8e2f1c9d77'],
  devices: ['pc-1', 'pc-2'],
});

function listTree(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listTree(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

describe('detect build golden files', () => {
  // Rewriting on purpose (UPDATE_GOLDEN=1, refused in CI) goes through the shared helper.
  if (updatingGolden()) for (const f of files) assertGolden(join('detect', f.path), f.text);

  it('has exactly the built files', () => {
    assert.deepEqual(
      listTree(GOLDEN).sort(),
      files.map((f) => f.path),
    );
  });

  for (const f of files) {
    it(f.path, () => {
      assertGolden(join('detect', f.path), f.text);
    });
  }
});
