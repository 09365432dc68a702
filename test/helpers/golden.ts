// Golden files: a rendered artefact is compared with a reviewed copy in test/golden/. A missing golden
// file fails (it is never written from the output it should check); UPDATE_GOLDEN=1 rewrites on purpose,
// and is refused in CI so a run there can never bless its own output.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { packageRoot } from '../../lib/paths.js';

export const GOLDEN_ROOT = join(packageRoot(), 'test', 'golden');

/** True when this run should rewrite golden files; throws when that is asked for in CI. */
export function updatingGolden(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.UPDATE_GOLDEN !== '1') return false;
  if (env.CI === 'true' || env.RMMKIT_REQUIRE_TOOLS === '1') {
    throw new Error('UPDATE_GOLDEN=1 is refused in CI: regenerate golden files locally and review the diff');
  }
  return true;
}

/** Compares `actual` with the golden file at `path` (relative to test/golden), or rewrites it on purpose. */
export function assertGolden(
  path: string,
  actual: string | Uint8Array,
  env: NodeJS.ProcessEnv = process.env,
): void {
  const file = join(GOLDEN_ROOT, path);
  const shown = relative(packageRoot(), file);
  if (updatingGolden(env)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) {
    assert.fail(`${shown} is missing: create it with UPDATE_GOLDEN=1 npm test, then review it`);
  }
  const want = readFileSync(file);
  const got = typeof actual === 'string' ? Buffer.from(actual, 'utf8') : Buffer.from(actual);
  if (!want.equals(got)) {
    assert.equal(
      got.toString('utf8'),
      want.toString('utf8'),
      `${shown} differs; regenerate with UPDATE_GOLDEN=1 if intended`,
    );
    assert.fail(`${shown} differs in bytes; regenerate with UPDATE_GOLDEN=1 if intended`);
  }
}
