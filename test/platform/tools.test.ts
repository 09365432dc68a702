// The suite's tool check in both modes, proven on a child mocha run with a PATH that holds only node:
// missing tools skip with one SKIPPED line per group and a summary, or fail under RMMKIT_REQUIRE_TOOLS=1.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../lib/paths.js';
import { run, tempDir } from '../helpers/endpoint.js';
import { findTool, skipLine, TOOLS } from '../helpers/tools.js';

const ROOT = packageRoot();
const FIXTURE = join(ROOT, 'test', 'fixtures', 'platform', 'needs-tools.fixture.ts');

/** Runs the fixture spec in a child mocha whose PATH holds only a folder with `node` in it. */
async function runFixture(env: NodeJS.ProcessEnv) {
  const tmp = tempDir('rmmkit-tools-');
  try {
    const bin = join(tmp.dir, 'bin');
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    const mocha = join(ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js');
    // HOME points at an empty folder, so ~/.dotnet/tools/pwsh is not found either.
    return await run(
      [process.execPath, mocha, '--no-config', '--import=tsx/esm', '--require', 'test/setup.ts', FIXTURE],
      { PATH: bin, HOME: tmp.dir, ...env },
      undefined,
      ROOT,
    );
  } finally {
    tmp.cleanup();
  }
}

describe('tool check', function () {
  this.timeout(60000);

  it('finds nothing on a PATH that holds only node', () => {
    const tmp = tempDir('rmmkit-path-');
    try {
      symlinkSync(process.execPath, join(tmp.dir, 'node'));
      for (const name of ['dash', 'busybox', 'zsh', 'shellcheck', 'chromium', 'python3'] as const) {
        assert.equal(findTool(name, tmp.dir), null, name);
      }
    } finally {
      tmp.cleanup();
    }
  });

  it('without RMMKIT_REQUIRE_TOOLS: skips each group visibly, once, and ends with a summary', async () => {
    const r = await runFixture({});
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /1 passing/);
    assert.match(r.stdout, /2 pending/);
    const lines = r.stdout.split('\n').map((l) => l.trim());
    assert.ok(lines.includes(skipLine('fixture PowerShell group', ['pwsh'])), r.stdout);
    assert.ok(lines.includes(skipLine('fixture shell group', ['dash', 'bash', 'busybox', 'zsh'])), r.stdout);
    assert.equal(lines.filter((l) => l.startsWith('SKIPPED: fixture PowerShell group')).length, 1);
    assert.match(
      r.stdout,
      /SKIPPED 2 groups for missing tools: fixture PowerShell group \(pwsh\); fixture shell group \(dash, bash, busybox, zsh\)\./,
    );
    assert.ok(skipLine('x', ['pwsh']).includes(TOOLS.pwsh.install));
  });

  it('with RMMKIT_REQUIRE_TOOLS=1: a missing tool fails the test instead', async () => {
    const r = await runFixture({ RMMKIT_REQUIRE_TOOLS: '1' });
    assert.notEqual(r.code, 0);
    assert.match(r.stdout, /1 passing/);
    assert.match(r.stdout, /2 failing/);
    assert.match(
      r.stdout,
      /fixture PowerShell group needs pwsh, which this machine lacks, and RMMKIT_REQUIRE_TOOLS=1/,
    );
    assert.doesNotMatch(r.stdout, /pending/);
  });
});
