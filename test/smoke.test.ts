// Smoke test: the built CLI (dist/) runs as an installed user would run it, from a clean temp directory.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WORKED_EXAMPLES } from '../lib/devid/examples.js';
import { packageRoot } from '../lib/paths.js';

describe('built CLI smoke test', function () {
  this.timeout(120000);
  const root = packageRoot();
  const cli = join(root, 'dist', 'bin', 'rmmkit.js');
  let cwd = '';

  before(() => {
    // Build from the current sources so the test never runs a stale dist/.
    execFileSync(
      process.execPath,
      [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')],
      { cwd: root, stdio: 'pipe' },
    );
    assert.ok(existsSync(cli));
    cwd = mkdtempSync(join(tmpdir(), 'rmmkit-smoke-'));
  });
  after(() => rmSync(cwd, { recursive: true, force: true }));

  it('hashes, reports usage errors with exit 2, and prints the version', () => {
    const ok = spawnSync(
      process.execPath,
      [cli, 'devid', 'hash', '--mac', '00:1a:2b:3c:4d:5e', '--bb', 'CZC1234XYZ'],
      { cwd, encoding: 'utf8' },
    );
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(ok.stdout, `${WORKED_EXAMPLES[0]!.id}\n`);
    const bad = spawnSync(process.execPath, [cli, 'devid', 'hash', '--nope'], { cwd, encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /Unknown argument: nope/);
    const version = spawnSync(process.execPath, [cli, '--version'], { cwd, encoding: 'utf8' });
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  });

  it('hashes JSON Lines through a pipe', () => {
    const input = WORKED_EXAMPLES.map((e) => JSON.stringify(e.input)).join('\n');
    const r = spawnSync(process.execPath, [cli, 'devid', 'hash', '--jsonl', '-'], {
      cwd,
      input,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(
      r.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l).id),
      WORKED_EXAMPLES.map((e) => e.id),
    );
  });

  it('stops quietly when the reader of its output goes away (| head -1)', async () => {
    const { spawn } = await import('node:child_process');
    const line = `${JSON.stringify(WORKED_EXAMPLES[0]!.input)}\n`;
    const child = spawn(process.execPath, [cli, 'devid', 'hash', '--jsonl', '-'], {
      cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.stdout.once('data', () => child.stdout.destroy());
    child.stdin.on('error', () => {});
    // Far more output than a pipe buffer holds, so writes continue after the reader has gone.
    for (let i = 0; i < 50; i++) child.stdin.write(line.repeat(2000));
    child.stdin.end();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(stderr, '');
    assert.equal(code, 0);
  });

  it('renders the endpoint hasher from the packaged templates and the script runs', () => {
    const r = spawnSync(process.execPath, [cli, 'devid', 'script', '--target', 'sh'], {
      cwd,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.stdout.startsWith('#!/bin/sh\n'));
    const ex = WORKED_EXAMPLES[0]!;
    const run = spawnSync('/bin/sh', ['-s'], {
      cwd,
      input: r.stdout,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        DEVID_MAC: ex.input.mac as string,
        DEVID_BB: ex.input.serials?.BB as string,
      },
    });
    assert.deepEqual(
      { out: run.stdout, err: run.stderr, code: run.status },
      { out: `${ex.id}\n`, err: '', code: 0 },
    );
  });

  it('runs the demo (collect uses node-machine-id, a CommonJS module)', () => {
    const r = spawnSync(process.execPath, [cli, 'demo'], { cwd, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.match(/matches the spec/g)?.length, 5);
  });
});
