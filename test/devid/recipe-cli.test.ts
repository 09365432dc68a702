// The recipe verbs of the CLI: devid hash|link|script --recipe, devid vectors, devid check --expect.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORKED_EXAMPLES } from '../../lib/devid/examples.js';
import { loadRecipe, type Recipe } from '../../lib/devid/recipes.js';
import { EXAMPLE_TUPLES, generateTuples, type VectorTuple } from '../../lib/devid/vectors.js';
import { runCli } from '../helpers/cli.js';
import { run, tempDir } from '../helpers/endpoint.js';
import { referenceId } from '../helpers/recipe-reference.js';
import { needTools } from '../helpers/tools.js';

const MD5 = 'policies/recipes/bare-mac-trim-serial-md5.yaml';
const SHA1 = 'policies/recipes/sha1-base64url-22.yaml';
const RAW = 'policies/recipes/colon-mac-raw-serial-sha256.yaml';
const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

let tmp: { dir: string; cleanup: () => void };
before(() => {
  tmp = tempDir('rmmkit-recipe-cli-');
});
after(() => tmp.cleanup());

/** A reference CSV for `tuples`, with the IDs an independent implementation of `recipe` gives. */
function referenceCsv(name: string, recipe: Recipe, tuples: readonly VectorTuple[]): string {
  const q = (s: string | undefined) => `"${(s ?? '').replaceAll('"', '""')}"`;
  const lines = ['mac,bb,sys,uuid,salt,id'];
  for (const t of tuples) {
    const r = referenceId(recipe, t);
    if ('id' in r) lines.push([t.mac, t.bb, t.sys, t.uuid, t.salt, r.id].map(q).join(','));
  }
  const file = join(tmp.dir, name);
  writeFileSync(file, `${lines.join('\r\n')}\r\n`);
  return file;
}

/** Tuples that hash under every example recipe (sane MACs and serials, some salts). */
const GOOD = [...EXAMPLE_TUPLES, ...generateTuples(300)].filter(
  (t) => !/[\r\n]/.test(`${t.bb}${t.sys}${t.uuid}${t.salt}`),
);

describe('devid hash|link|script --recipe', () => {
  it('hash: the recipe decides the ID, DEVID1 stays the default, legacy hashes warn on stderr', async () => {
    const args = ['devid', 'hash', '--mac', '00-1A-2B-3C-4D-5E', '--bb', '  czc1234xyz '];
    const r = await runCli([...args, '--recipe', MD5]);
    assert.deepEqual([r.code, r.stdout], [0, `${md5('001a2b3c4d5e-czc1234xyz')}\n`]);
    assert.match(r.stderr, /warning: .*bare-mac-trim-serial-md5\.yaml: hash: md5 is legacy/);
    const d = await runCli(['devid', 'hash', '--mac', '00:1a:2b:3c:4d:5e', '--bb', '  CZC1234XYZ  ']);
    assert.equal(d.stdout, `${WORKED_EXAMPLES[0]?.id}\n`);
    const named = await runCli([
      'devid',
      'hash',
      '--mac',
      '00:1a:2b:3c:4d:5e',
      '--bb',
      '  CZC1234XYZ  ',
      '--recipe',
      'devid1',
    ]);
    assert.deepEqual([named.stdout, named.stderr], [`${WORKED_EXAMPLES[0]?.id}\n`, '']);
  });

  it('hash --jsonl: one result per line under the recipe, canonical strings JSON-escaped', async () => {
    const lines = [
      '{"mac":"00:1a:2b:3c:4d:5e","serials":{"BB":"AB|\\"cd\\"\\tef"}}',
      '{"mac":"01:00:5e:00:00:01","serials":{"BB":"ABCD"}}',
    ];
    const r = await runCli(['devid', 'hash', '--jsonl', '-', '--recipe', RAW], {
      stdin: `${lines.join('\n')}\n`,
    });
    assert.equal(r.code, 0, r.stderr);
    const out = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    const canonical = '00:1A:2B:3C:4D:5E|AB|"cd"\tef';
    assert.deepEqual(out, [
      { id: createHash('sha256').update(canonical).digest('hex'), source: 'BB', canonical },
      { error: 'NO_NIC' },
    ]);
  });

  it('link: IDs of the recipe go into the link; base64 recipes and IDs of another shape are refused', async () => {
    const base = [
      'devid',
      'link',
      '--template',
      'https://console.example.com/d/{ID}',
      '--host',
      'console.example.com',
    ];
    const r = await runCli([
      ...base,
      '--mac',
      '00-1A-2B-3C-4D-5E',
      '--bb',
      'czc1234xyz',
      '--salt-value',
      'Acme Site',
      '--recipe',
      SHA1,
    ]);
    const recipe = await loadRecipe(SHA1);
    const want = referenceId(recipe, { mac: '00-1A-2B-3C-4D-5E', bb: 'czc1234xyz', salt: 'Acme Site' });
    assert.equal(r.stdout, `https://console.example.com/d/${'id' in want ? want.id : '?'}\n`);
    const wrong = await runCli([...base, '--id', 'f'.repeat(64), '--recipe', SHA1]);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /--id "f{64}": not an ID of recipe sha1-base64url-22/);
    const b64 = join(tmp.dir, 'b64.yaml');
    writeFileSync(b64, 'parts: [mac, serial]\njoiner: "|"\nhash: sha256\nencoding: base64\n');
    const refused = await runCli([
      ...base,
      '--mac',
      '00-1A-2B-3C-4D-5E',
      '--bb',
      'czc1234xyz',
      '--recipe',
      b64,
    ]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /use encoding: base64url for a deep link/);
  });

  it('script: the written sh hasher computes the recipe (run under dash)', async function () {
    needTools(this, 'running the written script', 'dash');
    const file = join(tmp.dir, 'md5.sh');
    const r = await runCli([
      'devid',
      'script',
      '--target',
      'sh',
      '--recipe',
      MD5,
      '--salt',
      'none',
      '--out',
      file,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const out = await run(['dash', file], { DEVID_MAC: '00-1A-2B-3C-4D-5E', DEVID_BB: ' czc1234xyz\t' });
    assert.deepEqual(out, { stdout: `${md5('001a2b3c4d5e-czc1234xyz')}\n`, stderr: '', code: 0 });
  });

  it('refuses a recipe file with every problem named, and a missing one by name', async () => {
    const bad = join(tmp.dir, 'bad.yaml');
    writeFileSync(
      bad,
      'parts: [{serial: {normalize: raw}}, {salt: {form: raw}}, mac, mac]\njoiner: "-"\nhash: sha256\ntruncate: 8\n',
    );
    const r = await runCli(['devid', 'hash', '--mac', '00-1A-2B-3C-4D-5E', '--recipe', bad]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /bad\.yaml is not valid \(3 errors\)/);
    assert.match(
      r.stderr,
      /parts\[3\]: repeats mac \(already parts\[2\]\); each may occur once \(line 1, column 63\)/,
    );
    assert.match(r.stderr, /truncate: is 8; at least 16/);
    assert.match(r.stderr, /can contain the joiner "-"/);
    const missing = await runCli([
      'devid',
      'script',
      '--target',
      'sh',
      '--recipe',
      join(tmp.dir, 'nope.yaml'),
    ]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /nope\.yaml: cannot read the recipe \(ENOENT\)/);
  });
});

describe('devid vectors', () => {
  it('writes the worked examples and N generated tuples, expected values from the recipe', async () => {
    const r = await runCli(['devid', 'vectors', '--recipe', SHA1, '--count', '40']);
    assert.equal(r.code, 0);
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(lines.length, 45);
    const recipe = await loadRecipe(SHA1);
    for (const v of lines) {
      const t = {
        mac: v.input.mac,
        bb: v.input.serials.BB ?? undefined,
        sys: v.input.serials.SYS ?? undefined,
        uuid: v.input.serials.UUID ?? undefined,
        salt: v.input.salt ?? undefined,
      };
      const want = referenceId(recipe, t);
      if ('error' in want) assert.deepEqual(v.expected, want);
      else assert.deepEqual([v.expected.id, v.expected.canonical], [want.id, want.canonical]);
    }
    const out = join(tmp.dir, 'v.jsonl');
    assert.equal((await runCli(['devid', 'vectors', '--count', '0', '--out', out])).code, 0);
    assert.equal((await runCli(['devid', 'vectors', '--count', '-1'])).code, 2);
  });
});

describe('devid check --expect', () => {
  it('passes when every reference pair matches (exit 0)', async () => {
    const recipe = await loadRecipe(SHA1);
    const csv = referenceCsv('ok.csv', recipe, GOOD);
    const r = await runCli(['devid', 'check', '--recipe', SHA1, '--expect', csv]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /recipe sha1-base64url-22: (\d+) of \1 reference pairs match/);
  });

  // Each console differs from the recipe file by one change; check must name exactly that change.
  const CASES: [string, string, (r: Recipe) => Recipe, RegExp][] = [
    [
      'MAC case',
      RAW,
      (r) => ({ ...r, parts: r.parts.map((p) => (p.kind === 'mac' ? { ...p, case: 'lower' } : p)) }),
      /MAC case: upper → lower/,
    ],
    [
      'part order',
      MD5,
      (r) => ({ ...r, parts: [...r.parts].reverse() }),
      /part order: mac, serial → serial, mac/,
    ],
    ['hash', MD5, (r) => ({ ...r, hash: 'sha1' }), /hash: md5 → sha1/],
    ['encoding', MD5, (r) => ({ ...r, encoding: 'hex-upper' }), /encoding: hex → hex-upper/],
    ['truncation', RAW, (r) => ({ ...r, truncate: 16 }), /truncation: none → 16/],
    ['joiner', MD5, (r) => ({ ...r, joiner: ':' }), /joiner: "-" → ":"/],
    [
      'encoding and cut',
      RAW,
      (r) => ({ ...r, encoding: 'base64url', truncate: 22 }),
      /encoding: hex → base64url, and cut to 22 characters \(truncate: 22\)/,
    ],
  ];
  for (const [label, file, change, message] of CASES) {
    it(`names the one change that fixes every pair: ${label}`, async () => {
      const csv = referenceCsv(`${label}.csv`, change(await loadRecipe(file)), GOOD);
      const r = await runCli(['devid', 'check', '--recipe', file, '--expect', csv]);
      assert.equal(r.code, 1);
      assert.match(
        r.stdout,
        /first mismatch: .* line 2\n {2}inputs {4}mac "00:1a:2b:3c:4d:5e", bb " {2}CZC1234XYZ {2}"/,
      );
      assert.match(r.stdout, /\n {2}hashed {4}"/);
      assert.match(r.stdout, message);
      assert.equal(r.stdout.split('\n  - ').length - 1, 1, r.stdout);
    });
  }

  it('says so when no single change helps, and reports errors as such', async () => {
    const file = join(tmp.dir, 'far.csv');
    writeFileSync(file, 'id,mac,bb,sys,uuid,salt\nnot-an-id,00:00:00:00:00:00,ABCD1234,,,\n');
    const r = await runCli(['devid', 'check', '--recipe', MD5, '--expect', file, '--json']);
    assert.equal(r.code, 1);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(report.firstMismatch, {
      line: 2,
      input: { mac: '00:00:00:00:00:00', serials: { BB: 'ABCD1234', SYS: '', UUID: '' }, salt: '' },
      expected: 'not-an-id',
      got: 'NO_NIC',
      canonical: null,
    });
    assert.deepEqual(report.suggestions, []);
    const text = await runCli(['devid', 'check', '--recipe', MD5, '--expect', file]);
    assert.match(text.stdout, /hashed {4}nothing \(NO_NIC\)\n[\s\S]*no single change/);
  });

  it('refuses a CSV without the documented header, naming the file and line', async () => {
    const file = join(tmp.dir, 'hdr.csv');
    writeFileSync(file, 'mac,serial,id\n00:1a:2b:3c:4d:5e,X,abc\n');
    const r = await runCli(['devid', 'check', '--expect', file]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /hdr\.csv: line 1: the header must name the columns mac,bb,sys,uuid,salt,id .*missing bb, sys, uuid, salt; unknown serial/,
    );
  });
});

describe('README: the vendor-recipe worked example', () => {
  const CSV = 'policies/recipes/bright-av-reference.csv';
  it('the reference CSV in the README is the file, and its IDs are MD5 of hand-written strings', async () => {
    const { readFileSync } = await import('node:fs');
    const csv = readFileSync(CSV, 'utf8');
    const readme = readFileSync('README.md', 'utf8');
    for (const line of csv.trimEnd().split('\n')) assert.ok(readme.includes(`   ${line}\n`), line);
    const ids = csv
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',').at(-1));
    assert.deepEqual(ids, [
      md5('001a2b3c4d5e-CZC1234XYZ'),
      md5('3c52820a11f0-5CD1234ABC'),
      md5('f48e389b27c1-MXL9876543'),
      md5('a4bb6d1234ef-4C4C4544-0031-3510-8052-B4C04F4B4B32'),
    ]);
  });

  it('the upper-case draft fails and names the fix; the example recipe passes', async () => {
    const draft = join(tmp.dir, 'bright-av.yaml');
    writeFileSync(
      draft,
      'name: bright-av\nparts:\n  - mac: { separator: "", case: upper }\n  - serial: { normalize: trim, sources: [BB, SYS, UUID] }\njoiner: "-"\nhash: md5\nencoding: hex\n',
    );
    const r = await runCli(['devid', 'check', '--recipe', draft, '--expect', CSV]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /recipe bright-av: 0 of 4 reference pairs match\n/);
    assert.match(r.stdout, / {2}hashed {4}"001A2B3C4D5E-CZC1234XYZ"\n/);
    assert.match(
      r.stdout,
      /one change makes every pair match:\n {2}- MAC case: upper → lower \(parts\[0\]\.mac\.case: lower\)\n$/,
    );
    const ok = await runCli(['devid', 'check', '--recipe', MD5, '--expect', CSV]);
    assert.deepEqual(
      [ok.code, ok.stdout],
      [0, 'recipe bare-mac-trim-serial-md5: 4 of 4 reference pairs match\n'],
    );
  });
});

describe('devid collect --recipe', () => {
  it('hashes the collected inputs with the recipe and links its ID (fake sysfs)', async function () {
    needTools(this, 'devid collect on a fake sysfs tree', 'linux');
    const { withSysfs } = await import('../helpers/sysfs.js');
    const recipe = await loadRecipe(SHA1);
    await withSysfs('usb-dock-and-wifi', async (root) => {
      const template = 'https://partner.bright-av.web/d/{ID}';
      const r = await runCli([
        'devid',
        'collect',
        '--sys-root',
        root,
        '--json',
        '--recipe',
        SHA1,
        '--salt-value',
        'Acme Site',
        '--template',
        template,
      ]);
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      const want = referenceId(recipe, {
        mac: out.nics[0].mac,
        bb: out.serials.BB ?? undefined,
        sys: out.serials.SYS ?? undefined,
        uuid: out.serials.UUID ?? undefined,
        salt: 'Acme Site',
      });
      assert.ok('id' in want);
      assert.equal(out.result.id, want.id);
      assert.equal(out.result.canonical, want.canonical);
      assert.equal(out.link, `https://partner.bright-av.web/d/${want.id}`);
    });
  });

  it('parses an upper-case hex ID of a recipe as an ID, not as an error code', async () => {
    const { parseHasherOutput } = await import('../../lib/devid/collect-endpoint.js');
    const id = 'ABCDEF0123456789ABCDEF0123456789';
    assert.deepEqual(parseHasherOutput(`nic=en0\n${id}\n`, 'sh', /^[0-9A-F]{32}$/).result, { id });
    assert.deepEqual(parseHasherOutput('nic=en0\nNO_MD5_TOOL\n', 'sh', /^[0-9A-F]{32}$/).result, {
      error: 'NO_MD5_TOOL',
    });
  });
});
