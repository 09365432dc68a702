// The start-up fast path of `rmmkit component pack` (bin/fast.ts): it takes only plain command lines,
// and for those it must do exactly what the full parser does — same exit code, same output, same
// archive bytes. The built bundle is checked too: one file, the V8 code cache accepted, no parser.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fastMain, fastPackOptions } from '../bin/fast.js';
import { main } from '../bin/main.js';
import { runCli, runEntry } from './helpers/cli.js';
import { tempDir } from './helpers/endpoint.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FIXTURE = join(ROOT, 'test', 'fixtures', 'component', 'current-applications.cpt');

describe('CLI fast path: which command lines it takes', () => {
  const taken: [string[], object][] = [
    [
      ['component', 'pack', 'src', '--out', 'a.cpt'],
      { dirs: ['src'], out: 'a.cpt', outDir: undefined, layout: undefined, force: false, lint: true },
    ],
    [
      ['component', 'pack', 'a', 'b', '--out-dir=dist', '--force', '--no-lint', '--layout', 'legacy'],
      { dirs: ['a', 'b'], out: undefined, outDir: 'dist', layout: 'legacy', force: true, lint: false },
    ],
    [
      ['component', 'pack', '--out', 'x.cpt', 'src'],
      { dirs: ['src'], out: 'x.cpt', outDir: undefined, layout: undefined, force: false, lint: true },
    ],
    // No output flag at all is still pack's own usage error, which the fast path reports the same way.
    [
      ['component', 'pack', 'src'],
      { dirs: ['src'], out: undefined, outDir: undefined, layout: undefined, force: false, lint: true },
    ],
  ];
  for (const [args, want] of taken)
    it(`takes ${args.join(' ')}`, () => {
      assert.deepEqual(fastPackOptions(args), want);
    });

  const left: string[][] = [
    ['component', 'unpack', 'x.cpt', '--out', 'src'],
    ['component', 'pack', '--help'],
    ['component', 'pack', 'src', '-h'],
    ['component', 'pack', 'src', '--out', 'a', '--out', 'b'],
    ['component', 'pack', 'src', '--force', '--force'],
    ['component', 'pack', 'src', '--outDir', 'd'],
    ['component', 'pack', 'src', '--out'],
    ['component', 'pack', 'src', '--out', '--force'],
    ['component', 'pack', 'src', '--layout', 'modern', '--out', 'a'],
    ['component', 'pack', 'src', '--force=false', '--out', 'a'],
    ['component', 'pack', 'src', '--no-force', '--out', 'a'],
    ['component', 'pack', 'src', '--lint', '--out', 'a'],
    ['component', 'pack', '--', '-src', '--out', 'a'],
    ['component', 'pack', 'src', '-o', 'a'],
    ['component', 'pack'],
    ['--version'],
    ['pack', 'component', 'src', '--out', 'a'],
  ];
  for (const args of left)
    it(`leaves ${JSON.stringify(args.join(' '))} to the full parser`, () => {
      assert.equal(fastPackOptions(args), null);
    });
});

describe('CLI fast path: the same result as the full parser', function () {
  this.timeout(60_000);
  let dir: string;
  before(async () => {
    dir = tempDir('rmmkit-fast-').dir;
    const r = await runCli(['component', 'unpack', FIXTURE, '--out', join(dir, 'src')]);
    assert.equal(r.code, 0, r.stderr);
    // A folder lint refuses (a timeout of 0) and one that is not a source folder at all.
    cpSync(join(dir, 'src'), join(dir, 'bad'), { recursive: true });
    const yaml = join(dir, 'bad', 'component.yaml');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace('timeout: "3600"', 'timeout: "0"'));
    mkdirSync(join(dir, 'empty'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const cases: [string, (run: string) => string[], (run: string) => void][] = [
    ['one folder', (o) => ['component', 'pack', 'src', '--out', `${o}/a.cpt`], () => {}],
    [
      'an existing output without --force',
      (o) => ['component', 'pack', 'src', '--out', `${o}/a.cpt`],
      (o) => writeFileSync(join(dir, o, 'a.cpt'), 'keep'),
    ],
    [
      'an existing output with --force, legacy layout',
      (o) => ['component', 'pack', 'src', '--out', `${o}/a.cpt`, '--force', '--layout', 'legacy'],
      (o) => writeFileSync(join(dir, o, 'a.cpt'), 'old'),
    ],
    ['lint errors', (o) => ['component', 'pack', 'bad', '--out', `${o}/b.cpt`], () => {}],
    [
      'lint errors with --no-lint',
      (o) => ['component', 'pack', 'bad', '--out', `${o}/b.cpt`, '--no-lint'],
      () => {},
    ],
    [
      'three folders, one bad, --out-dir',
      (o) => ['component', 'pack', 'src', 'bad', 'empty', `--out-dir=${o}`],
      () => {},
    ],
    [
      '--out and --out-dir',
      (o) => ['component', 'pack', 'src', '--out', `${o}/a.cpt`, '--out-dir', o],
      () => {},
    ],
    ['neither --out nor --out-dir', () => ['component', 'pack', 'src'], () => {}],
    ['two folders to one --out', (o) => ['component', 'pack', 'src', 'bad', '--out', `${o}/a.cpt`], () => {}],
    [
      'the output inside the source folder',
      () => ['component', 'pack', 'src', '--out', 'src/x.cpt'],
      () => {},
    ],
    ['a missing folder', (o) => ['component', 'pack', 'nowhere', '--out', `${o}/n.cpt`], () => {}],
    ['a bad SOURCE_DATE_EPOCH', (o) => ['component', 'pack', 'src', '--out', `${o}/e.cpt`], () => {}],
  ];
  for (const [name, argv, prepare] of cases)
    it(name, async () => {
      const results = [];
      for (const which of ['full', 'fast'] as const) {
        const o = `out-${which}`;
        rmSync(join(dir, o), { recursive: true, force: true });
        mkdirSync(join(dir, o));
        prepare(o);
        const env = {
          NO_COLOR: '1',
          ...(name.includes('SOURCE_DATE_EPOCH') ? { SOURCE_DATE_EPOCH: 'soon' } : {}),
        };
        const entry = which === 'full' ? main : fastMain;
        const r = await runEntry(entry, argv(o), { cwd: dir, env });
        assert.notEqual(r.code, null, `${which}: the fast path must take ${argv(o).join(' ')}`);
        const files = Object.fromEntries(
          ['a.cpt', 'b.cpt', 'n.cpt', 'e.cpt', 'src.cpt', 'bad.cpt', 'empty.cpt']
            .filter((f) => existsSync(join(dir, o, f)))
            .map((f) => [f, readFileSync(join(dir, o, f)).toString('base64')]),
        );
        const same = (s: string) => s.replaceAll(o, 'OUT');
        results.push({ code: r.code, stdout: same(r.stdout), stderr: same(r.stderr), files });
      }
      assert.deepEqual(results[1], results[0]);
      // Not a vacuous comparison: every case printed something.
      assert.ok(`${results[0]?.stdout}${results[0]?.stderr}`.length > 0);
    });
  it('packs bytes equal to a direct write of the same folder', async () => {
    const r = await runEntry(fastMain, ['component', 'pack', 'src', '--out', 'direct.cpt', '--force'], {
      cwd: dir,
    });
    assert.equal(r.code, 0, r.stderr);
    const { readCpt, writeCpt } = await import('../lib/component/cpt.js');
    const bytes = readFileSync(join(dir, 'direct.cpt'));
    // The fixture itself: pack of its unpacked folder rebuilds it byte for byte.
    assert.deepEqual(Buffer.from(writeCpt(readCpt('x', bytes))), bytes);
    assert.deepEqual(bytes, readFileSync(FIXTURE));
  });
});

describe('CLI fast path: the built bundle', function () {
  this.timeout(120_000);
  const out = join(ROOT, '.tmp', 'bundle-test', 'bin');
  before(() => {
    rmSync(join(ROOT, '.tmp', 'bundle-test'), { recursive: true, force: true });
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'bundle-cli.mjs')], {
      encoding: 'utf8',
      env: { ...process.env, RMMKIT_BUNDLE_OUT: `${out}/` },
    });
    assert.equal(r.status, 0, r.stderr);
  });
  after(() => rmSync(join(ROOT, '.tmp', 'bundle-test'), { recursive: true, force: true }));

  it('is one CommonJS file with a code cache the running Node accepts, and packs the same bytes', () => {
    assert.ok(existsSync(join(out, 'fast.cjs')));
    assert.ok(existsSync(join(out, 'fast.cjs.cache')));
    const dir = tempDir('rmmkit-fast-bundle-').dir;
    try {
      const cli = join(out, 'rmmkit.js');
      const unpack = spawnSync(
        process.execPath,
        [cli, 'component', 'unpack', FIXTURE, '--out', join(dir, 'src')],
        {
          encoding: 'utf8',
        },
      );
      assert.equal(unpack.status, 0, unpack.stderr);
      const r = spawnSync(
        process.execPath,
        [cli, 'component', 'pack', join(dir, 'src'), '--out', join(dir, 'a.cpt')],
        {
          encoding: 'utf8',
          env: { ...process.env, RMMKIT_TRACE_CODE_CACHE: '1' },
        },
      );
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /^rmmkit: code cache used$/m);
      assert.deepEqual(readFileSync(join(dir, 'a.cpt')), readFileSync(FIXTURE));
      // A cache V8 rejects (damaged here; another Node version in practice) only costs the compile.
      writeFileSync(join(out, 'fast.cjs.cache'), 'not a code cache');
      const damaged = spawnSync(
        process.execPath,
        [cli, 'component', 'pack', join(dir, 'src'), '--out', join(dir, 'b.cpt')],
        { encoding: 'utf8', env: { ...process.env, RMMKIT_TRACE_CODE_CACHE: '1' } },
      );
      assert.equal(damaged.status, 0, damaged.stderr);
      assert.match(damaged.stderr, /^rmmkit: code cache not used$/m);
      assert.deepEqual(readFileSync(join(dir, 'b.cpt')), readFileSync(FIXTURE));
      // A command line the fast path leaves alone still works, through the full parser.
      const help = spawnSync(process.execPath, [cli, 'component', 'pack', '--help'], { encoding: 'utf8' });
      assert.equal(help.status, 0, help.stderr);
      assert.match(help.stdout, /--out-dir/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('does not contain the argument parser', async () => {
    const { build } = await import('esbuild');
    const r = await build({
      entryPoints: [join(ROOT, 'bin', 'fast.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(r.metafile.inputs);
    assert.ok(inputs.some((i) => i.includes('lib/component/cpt.ts')));
    assert.deepEqual(
      inputs.filter((i) => /node_modules\/(yargs|cliui|zod)\//.test(i)),
      [],
    );
  });
});
