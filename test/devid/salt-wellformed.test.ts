// DEVID1 §2: a salt that is not well-formed Unicode is BAD_SALT in all three runtimes (a lone surrogate
// in TypeScript and PowerShell, ill-formed UTF-8 bytes in sh), and well-formed salts such as `é` or
// U+FFFD itself still hash. Expected IDs are computed here from the spec's formula with node:crypto.
// Also: trimming a salt is linear in every shell (it was quadratic on long runs of blanks).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deviceId } from '../../lib/devid/recipe.js';
import { renderDevidScript } from '../../lib/render/devid-script.js';
import { needShells, run, runPowerShellBatch, runPwshCases, tempDir } from '../helpers/endpoint.js';
import { needTools } from '../helpers/tools.js';

const MAC = '00:1a:2b:3c:4d:5e';
const BB = 'CZC1234XYZ';
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
/** The spec's ID for MAC/BB above and a salt given as its UTF-8 bytes (already trimmed). */
const specId = (saltBytes: Buffer) =>
  sha(`DEVID1|001A2B3C4D5E|BB:${BB}|${saltBytes.length ? sha(saltBytes) : ''}`);

/** Ill-formed UTF-8 (Unicode table 3-7), as bytes. */
const ILL_FORMED: [string, number[]][] = [
  ['a stray continuation byte', [0x80]],
  ['a continuation byte after ASCII', [0x61, 0xbf, 0x62]],
  ['a truncated 2-byte sequence', [0xc3]],
  ['a truncated 3-byte sequence then ASCII', [0xe2, 0x82, 0x41]],
  ['a truncated 4-byte sequence at the end', [0x61, 0xf0, 0x9f, 0x98]],
  ['overlong "/" (C0 AF)', [0xc0, 0xaf]],
  ['overlong C1 BF', [0xc1, 0xbf]],
  ['overlong 3-byte (E0 80 AF)', [0xe0, 0x80, 0xaf]],
  ['overlong 4-byte (F0 80 80 AF)', [0xf0, 0x80, 0x80, 0xaf]],
  ['the high surrogate U+D800 encoded (ED A0 80)', [0xed, 0xa0, 0x80]],
  ['the low surrogate U+DFFF encoded (ED BF BF)', [0xed, 0xbf, 0xbf]],
  ['a CESU-8 surrogate pair', [0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80]],
  ['U+110000 (F4 90 80 80)', [0xf4, 0x90, 0x80, 0x80]],
  ['F5 lead byte', [0xf5, 0x80, 0x80, 0x80]],
  ['FE and FF', [0xfe, 0xff]],
  ['Latin-1 "Müller"', [0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72]],
];

/** Well-formed salts, including the edges of the table: they hash. */
const WELL_FORMED: [string, string][] = [
  ['é', 'é'],
  ['U+FFFD itself', '\uFFFD'],
  ['U+0080 (smallest 2-byte)', '\u0080'],
  ['U+07FF and U+0800', '\u07FF\u0800'],
  ['U+D7FF and U+E000 (around the surrogates)', '\uD7FF\uE000'],
  ['an emoji (a surrogate pair in UTF-16)', '\u{1F600}'],
  ['U+10FFFF (largest code point)', '\u{10FFFF}'],
  ['Müller GmbH 東京', 'Müller GmbH 東京'],
];

/** Lone surrogates, as UTF-16 (TypeScript and PowerShell strings). */
const LONE: [string, string][] = [
  ['a lone high surrogate', 'a\uD800b'],
  ['a lone low surrogate', '\uDC00'],
  ['a reversed pair', '\uDE00\uD83D'],
  ['a high surrogate at the end', 'abc\uD83D'],
  ['two high surrogates', '\uD83D\uD83D\uDE00'],
];

/** An sh word that printf turns into exactly these bytes (the driver source stays ASCII). */
const printfWord = (bytes: number[]) =>
  `"$(printf '${bytes.map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('')}')"`;

describe('DEVID1 §2: salts that are not well-formed Unicode', function () {
  this.timeout(120000);

  it('TypeScript: a lone surrogate is BAD_SALT; well-formed salts hash by the spec', () => {
    for (const [name, salt] of LONE) {
      assert.deepEqual(deviceId({ mac: MAC, serials: { BB }, salt }), { error: 'BAD_SALT' }, name);
    }
    for (const [name, salt] of WELL_FORMED) {
      const r = deviceId({ mac: MAC, serials: { BB }, salt: `  ${salt}\t` });
      assert.ok('id' in r, name);
      assert.equal(r.id, specId(Buffer.from(salt, 'utf8')), name);
    }
    // The error order of §3 holds: NO_NIC and NO_HW_ID come before BAD_SALT.
    assert.deepEqual(deviceId({ mac: 'zz', serials: { BB }, salt: '\uD800' }), { error: 'NO_NIC' });
    assert.deepEqual(deviceId({ mac: MAC, serials: { BB: '0' }, salt: '\uD800' }), { error: 'NO_HW_ID' });
  });

  it('sh, every shell: ill-formed UTF-8 bytes are BAD_SALT; well-formed bytes hash like TypeScript', async function () {
    const shells = needShells(this, 'sh runs (dash, bash, busybox, zsh)');
    const tmp = tempDir('rmmkit-utf8-');
    try {
      const hasher = join(tmp.dir, 'devid.sh');
      writeFileSync(hasher, renderDevidScript({ target: 'sh' }));
      const cases = [
        ...ILL_FORMED.map(([name, bytes]) => ({ name, bytes, want: 'BAD_SALT' })),
        ...WELL_FORMED.map(([name, s]) => {
          const bytes = [...Buffer.from(s, 'utf8')];
          return { name, bytes, want: specId(Buffer.from(bytes)) };
        }),
      ];
      // One driver per shell; the salt bytes are made by printf, so the driver file is plain ASCII.
      const lines = [`DEVID_MAC='${MAC}'; DEVID_BB='${BB}'; export DEVID_MAC DEVID_BB`];
      for (const c of cases) {
        lines.push(`DEVID_SALT=${printfWord([0x20, ...c.bytes, 0x09])}; export DEVID_SALT`);
        lines.push(`( . '${hasher}' ); printf '@@\\n'`);
      }
      const driver = join(tmp.dir, 'driver.sh');
      writeFileSync(driver, `${lines.join('\n')}\n`);
      for (const shell of shells) {
        const r = await run([...shell.argv, driver], {});
        assert.equal(r.stderr, '', shell.name);
        const outs = r.stdout.split('@@\n').slice(0, -1);
        assert.equal(outs.length, cases.length, shell.name);
        cases.forEach((c, i) => {
          assert.equal(outs[i], `${c.want}\n`, `${shell.name}: ${c.name}`);
        });
      }
    } finally {
      tmp.cleanup();
    }
  });

  it('PowerShell: a lone surrogate is BAD_SALT; well-formed salts hash like TypeScript', async function () {
    needTools(this, 'PowerShell runs', 'pwsh');
    const ps = renderDevidScript({ target: 'powershell' });
    // .NET on Linux stores environment variables as UTF-8, so a lone surrogate cannot travel through
    // the environment here (on Windows it can). The rendered script's own functions are therefore
    // called with the salt built from UTF-16 code units inside PowerShell.
    const functions = ps.slice(0, ps.indexOf('$devidOverride = '));
    assert.match(functions, /function Get-DevidId/);
    const call = (s: string) =>
      `${functions}\n$salt = -join @(${[...Array(s.length).keys()].map((i) => `[char]${s.charCodeAt(i)}`).join(', ')})\n` +
      `$r = Get-DevidId '${MAC}' '${BB}' '' '' $salt\nif ($r.Error) { [Console]::Out.Write($r.Error) } else { [Console]::Out.Write($r.Id) }`;
    const all = [
      ...LONE.map(([name, s]) => ({ name, s, want: 'BAD_SALT' })),
      ...WELL_FORMED.map(([name, s]) => ({ name, s, want: specId(Buffer.from(s, 'utf8')) })),
    ];
    const results = await runPwshCases(all.map((c) => ({ script: call(` ${c.s}\t`) })));
    all.forEach((c, i) => {
      assert.deepEqual(results[i], { stdout: c.want, stderr: '', code: 0 }, c.name);
    });
    // And through the environment the script really reads: the same IDs for well-formed values.
    const viaEnv = await runPowerShellBatch(
      ps,
      WELL_FORMED.map(([, s]) => ({ DEVID_MAC: MAC, DEVID_BB: BB, DEVID_SALT: s })),
    );
    WELL_FORMED.forEach(([name, s], i) => {
      assert.equal(viaEnv[i]?.stdout, `${specId(Buffer.from(s, 'utf8'))}\n`, name);
    });
  });

  it('sh trims a salt in linear time: 60,000 blanks on each side cost about what 7,500 do', async function () {
    const shells = needShells(this, 'sh runs (dash, bash, busybox, zsh)');
    const tmp = tempDir('rmmkit-trim-');
    try {
      const hasher = join(tmp.dir, 'devid.sh');
      writeFileSync(hasher, renderDevidScript({ target: 'sh' }));
      const want = `${specId(Buffer.from('a  b'))}\n`;
      const timed = async (shell: (typeof shells)[number], n: number) => {
        // Under 128 KiB in all, the limit of one environment string on Linux.
        const salt = `${' \t'.repeat(n / 2)}a  b${'\t '.repeat(n / 2)}`;
        let best = Number.POSITIVE_INFINITY;
        for (let i = 0; i < 3; i++) {
          const t0 = process.hrtime.bigint();
          const r = await run([...shell.argv, hasher], { DEVID_MAC: MAC, DEVID_BB: BB, DEVID_SALT: salt });
          best = Math.min(best, Number(process.hrtime.bigint() - t0));
          assert.deepEqual(r, { stdout: want, stderr: '', code: 0 }, `${shell.name} n=${n}`);
        }
        return best;
      };
      for (const shell of shells) {
        const small = await timed(shell, 7500);
        const large = await timed(shell, 60000);
        // Linear: at most ~8x (process start makes it less); quadratic would be ~64x.
        assert.ok(large / small < 24, `${shell.name}: ${(large / small).toFixed(1)}x for 8x the blanks`);
      }
    } finally {
      tmp.cleanup();
    }
  });
});
