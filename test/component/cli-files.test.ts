// `rmmkit component` over many inputs and awkward outputs (issue 14): verify and lint report every
// input (an unreadable one does not stop the rest, --json too), pack lints first (--no-lint packs
// anyway), one --out rule, over-long output and entry names are expected errors, and verify
// inflates each archive once.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyCpt } from '../../lib/component/cpt.js';
import { readZip, writeZipDatto } from '../../lib/io/zip.js';
import { runCli } from '../helpers/cli.js';
import { FIXTURES, fixture } from './helpers.js';

const T = { date: (44 << 9) | (3 << 5) | 5, time: 0 };
const GOOD = join(FIXTURES, 'current-monitor.cpt');

describe('rmmkit component: many inputs, awkward names', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rmmkit-cptf-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('verify reports every archive: an unreadable one fails alone, the others are still verified', async () => {
    writeFileSync(join(dir, 'junk.cpt'), 'not a zip at all, just text');
    const missing = join(dir, 'missing.cpt');
    const r = await runCli(['component', 'verify', join(dir, 'junk.cpt'), GOOD, missing]);
    assert.equal(r.code, 1);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 3, r.stdout);
    assert.match(lines[0]!, /^FAIL .*junk\.cpt: .*junk\.cpt: not a zip archive/);
    assert.match(lines[1]!, /^ok {3}.*current-monitor\.cpt: byte-exact/);
    assert.match(lines[2]!, /^FAIL .*missing\.cpt: .*missing\.cpt: cannot read \(ENOENT\)/);
    const j = await runCli(['component', 'verify', '--json', join(dir, 'junk.cpt'), GOOD]);
    assert.equal(j.code, 1);
    const out = JSON.parse(j.stdout) as { input: string; ok?: boolean; error?: { code: string } }[];
    assert.deepEqual(
      out.map((x) => [x.input.endsWith('junk.cpt'), x.ok, x.error?.code]),
      [
        [true, undefined, 'BAD_ZIP'],
        [false, true, undefined],
      ],
    );
    assert.equal((await runCli(['component', 'verify', GOOD, GOOD])).code, 0);
  });

  it('lint reports every input, in the order given, and exits 1 when one cannot be read', async () => {
    writeFileSync(join(dir, 'junk.cpt'), 'PK');
    const warned = join(FIXTURES, 'legacy-scripts.cpt'); // one warning: the placeholder icon
    const r = await runCli(['component', 'lint', warned, join(dir, 'junk.cpt'), warned]);
    assert.equal(r.code, 1);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(
      lines[lines.length - 1]!,
      /^0 errors, 2 warnings in 2 components; 1 input could not be read$/,
    );
    const junk = lines.findIndex((l) => l.includes('junk.cpt'));
    assert.match(lines[junk]!, /junk\.cpt: not a zip archive .*: error \[unreadable\]$/);
    assert.equal(junk, 1, r.stdout);
    assert.ok(lines[0]!.includes('legacy-scripts.cpt!icon.png: warning'), 'the first input comes first');
    assert.ok(
      lines[2]!.includes('legacy-scripts.cpt!icon.png: warning'),
      'the third input still comes after',
    );
    const j = await runCli(['component', 'lint', '--json', join(dir, 'junk.cpt'), GOOD]);
    assert.equal(j.code, 1);
    const out = JSON.parse(j.stdout) as { input: string; findings?: unknown[]; error?: { code: string } }[];
    assert.equal(out.length, 2);
    assert.equal(out[0]!.error?.code, 'BAD_ZIP');
    assert.ok(Array.isArray(out[1]!.findings));
  });

  it('pack lints first and refuses errors, naming each; --no-lint packs anyway', async () => {
    const s = join(dir, 's');
    assert.equal((await runCli(['component', 'unpack', GOOD, '--out', s])).code, 0);
    const yaml = readFileSync(join(s, 'component.yaml'), 'utf8');
    writeFileSync(
      join(s, 'component.yaml'),
      yaml.replace(/timeout: "?\d+"?/, 'timeout: "0"').replace(/type: string/, 'type: strng'),
    );
    const r = await runCli(['component', 'pack', s, '--out', join(dir, 'o.cpt')]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      /: lint found 2 errors; fix them \(rmmkit component lint .*\) or pack anyway with --no-lint:/,
    );
    assert.match(r.stderr, /component\.yaml \(general\.timeout\): \[integer-fields\] timeout is 0/);
    assert.match(r.stderr, /component\.yaml \(variables\[0\]\.type\): \[variable-type\] .*"strng"/);
    assert.ok(!existsSync(join(dir, 'o.cpt')));
    const n = await runCli(['component', 'pack', s, '--out', join(dir, 'o.cpt'), '--no-lint']);
    assert.equal(n.code, 0, n.stderr);
    assert.ok(existsSync(join(dir, 'o.cpt')));
    // warnings alone never stop a pack
    const w = join(dir, 'w');
    await runCli(['component', 'unpack', join(FIXTURES, 'legacy-scripts.cpt'), '--out', w]);
    assert.ok((await runCli(['component', 'lint', w])).stdout.includes('warning'));
    assert.equal((await runCli(['component', 'pack', w, '--out', join(dir, 'w.cpt')])).code, 0);
  });

  it('one --out rule: unpack and pack refuse an existing output unless --force, in the same words', async () => {
    const s = join(dir, 's');
    const out = join(dir, 'o.cpt');
    await runCli(['component', 'unpack', GOOD, '--out', s]);
    await runCli(['component', 'pack', s, '--out', out]);
    const p = await runCli(['component', 'pack', s, '--out', out]);
    const u = await runCli(['component', 'unpack', GOOD, '--out', s]);
    for (const r of [p, u]) {
      assert.equal(r.code, 1);
      assert.match(r.stderr, /: already exists.*; .*pass --force to replace it/);
    }
    assert.equal((await runCli(['component', 'pack', s, '--out', out, '--force'])).code, 0);
    assert.equal((await runCli(['component', 'unpack', GOOD, '--out', s, '--force'])).code, 0);
  });

  it('an --out name near the file-system limit is written; one past it is an expected error (exit 1)', async () => {
    const s = join(dir, 's');
    await runCli(['component', 'unpack', GOOD, '--out', s]);
    for (const len of [238, 250, 255]) {
      const name = `${'n'.repeat(len - 4)}.cpt`;
      const r = await runCli(['component', 'pack', s, '--out', join(dir, name)]);
      assert.equal(r.code, 0, `${len}: ${r.stderr}`);
      assert.deepEqual(readFileSync(join(dir, name)), Buffer.from(fixture('current-monitor.cpt')));
      const u = await runCli(['component', 'unpack', GOOD, '--out', join(dir, 'n'.repeat(len))]);
      assert.equal(u.code, 0, `${len}: ${u.stderr}`);
    }
    const long = join(dir, `${'n'.repeat(252)}.cpt`);
    const r = await runCli(['component', 'pack', s, '--out', long]);
    assert.equal(r.code, 1, r.stderr);
    assert.ok(
      r.stderr.includes(`${long}: cannot write (ENAMETOOLONG: a name on the path is longer`),
      r.stderr,
    );
    const u = await runCli(['component', 'unpack', GOOD, '--out', join(dir, 'n'.repeat(256))]);
    assert.equal(u.code, 1, u.stderr);
    assert.match(u.stderr, /ENAMETOOLONG/);
    // no temporary file is left behind
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.startsWith('.')),
      [],
    );
  });

  it('lint, inspect and unpack refuse an entry name over 255 bytes up front, naming the entry', async () => {
    const c = readZip('x', fixture('current-monitor.cpt')).entries;
    const name = `${'a'.repeat(252)}.msi`;
    writeFileSync(join(dir, 'long.cpt'), writeZipDatto([...c, { name, data: Buffer.from('x') }], T));
    for (const args of [['lint'], ['inspect'], ['unpack', '--out', join(dir, 'u')]]) {
      const [verb, ...rest] = args;
      const r = await runCli(['component', verb!, join(dir, 'long.cpt'), ...rest]);
      assert.equal(r.code, 1, `${verb}: ${r.stderr}${r.stdout}`);
      const text = r.stderr + r.stdout;
      assert.ok(text.includes(`unsafe entry name "${name}": 256 bytes long`), `${verb}: ${text}`);
    }
    assert.ok(!existsSync(join(dir, 'u')));
  });

  it('unpack keeps unknown attributes on <general>: unpack then pack is byte-exact, verify passes', async () => {
    const entries = readZip('x', fixture('current-monitor.cpt')).entries.map((e) =>
      e.name === 'resource.xml'
        ? {
            name: e.name,
            data: Buffer.from(
              Buffer.from(e.data)
                .toString('utf8')
                .replace('<general>', '<general future="1" note="a &amp; b">'),
            ),
          }
        : e,
    );
    const src = join(dir, 'attrs.cpt');
    writeFileSync(src, writeZipDatto(entries, T));
    assert.ok(readFileSync(src, 'utf8').length > 0);
    const v = await runCli(['component', 'verify', src]);
    assert.equal(v.code, 0, v.stdout);
    assert.equal((await runCli(['component', 'unpack', src, '--out', join(dir, 's')])).code, 0);
    assert.match(readFileSync(join(dir, 's', 'component.yaml'), 'utf8'), /future/);
    const p = await runCli(['component', 'pack', join(dir, 's'), '--out', join(dir, 'back.cpt')]);
    assert.equal(p.code, 0, p.stderr);
    assert.deepEqual(readFileSync(join(dir, 'back.cpt')), readFileSync(src));
  });

  it('verify inflates each archive once: the input, then the rewrite', () => {
    const zlib = createRequire(import.meta.url)('node:zlib') as typeof import('node:zlib');
    const original = zlib.inflateRawSync;
    let calls = 0;
    zlib.inflateRawSync = ((...a: Parameters<typeof original>) => {
      calls++;
      return original(...a);
    }) as typeof original;
    syncBuiltinESMExports();
    try {
      const bytes = fixture('current-two-attachments.cpt');
      const entries = readZip('x', bytes).entries.length;
      calls = 0;
      assert.equal(verifyCpt('x', bytes).ok, true);
      assert.equal(calls, 2 * entries);
    } finally {
      zlib.inflateRawSync = original;
      syncBuiltinESMExports();
    }
  });
});
