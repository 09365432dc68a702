// Parity of the endpoint hashers with the TypeScript library: the spec's worked examples and 1,000+
// generated tuples (random, junk, Unicode, hostile) through every sh shell here and PowerShell.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORKED_EXAMPLES } from '../../lib/devid/examples.js';
import { deviceId } from '../../lib/devid/recipe.js';
import { EXAMPLE_TUPLES as EXAMPLE_VECTOR_TUPLES, generateTuples } from '../../lib/devid/vectors.js';
import { renderDevidScript } from '../../lib/render/devid-script.js';
import {
  mapLimit,
  needShells,
  type OverrideTuple,
  overrideEnv,
  run,
  runPowerShellBatch,
  runShDriver,
  tempDir,
} from '../helpers/endpoint.js';
import { assertRunsMatch } from '../helpers/parity.js';
import { needTools } from '../helpers/tools.js';

/** What the TypeScript library says for a tuple: the ID or the error code, as the scripts print it. */
function expected(t: OverrideTuple): { stdout: string; code: number } {
  const r = deviceId({ mac: t.mac, serials: { BB: t.bb, SYS: t.sys, UUID: t.uuid }, salt: t.salt });
  return 'error' in r ? { stdout: `${r.error}\n`, code: 1 } : { stdout: `${r.id}\n`, code: 0 };
}

const EXAMPLE_TUPLES: OverrideTuple[] = [...EXAMPLE_VECTOR_TUPLES];
const GENERATED = generateTuples(1000);
const ALL = [...EXAMPLE_TUPLES, ...GENERATED];
const EXPECTED = ALL.map(expected);

/** Parity of runs with the library's IDs (all tuples unless a subset is given). */
function compare(
  label: string,
  results: readonly { stdout: string; code: number | null; stderr?: string }[],
  tuples: readonly OverrideTuple[] = ALL,
  want: readonly { stdout: string; code: number }[] = EXPECTED,
) {
  assertRunsMatch(label, results, tuples, want);
}

describe('endpoint hasher parity with the TypeScript library', function () {
  this.timeout(120000);
  const sh = renderDevidScript({ target: 'sh' });
  const ps = renderDevidScript({ target: 'powershell' });

  it('covers every outcome in the generated tuples', () => {
    const outcomes = new Set(EXPECTED.map((e) => (e.code === 0 ? 'ID' : e.stdout.trim())));
    assert.deepEqual([...outcomes].sort(), ['BAD_SALT', 'ID', 'NO_HW_ID', 'NO_NIC']);
    assert.ok(ALL.length >= 1005);
    // Every link of the source chain is reached often enough for a bug in it to show.
    const sources = new Map<string, number>();
    for (const t of ALL) {
      const r = deviceId({ mac: t.mac, serials: { BB: t.bb, SYS: t.sys, UUID: t.uuid }, salt: t.salt });
      if ('source' in r) sources.set(r.source, (sources.get(r.source) ?? 0) + 1);
    }
    for (const source of ['BB', 'SYS', 'UUID'])
      assert.ok((sources.get(source) ?? 0) >= 20, `${source}: ${sources.get(source)}`);
    for (const ex of WORKED_EXAMPLES) assert.ok(EXPECTED.some((e) => e.stdout === `${ex.id}\n`));
  });

  it(`sh under dash, bash, bash --posix, busybox sh and zsh --emulate sh: ${ALL.length} tuples each`, async function () {
    const shells = needShells(this, 'sh runs (dash, bash, busybox, zsh)');
    assert.equal(shells.length, 5);
    await mapLimit(shells, 2, async (shell) => {
      const { results, stderr } = await runShDriver(shell, sh, ALL);
      assert.equal(stderr, '', `${shell.name} wrote to stderr`);
      compare(shell.name, results);
    });
  });

  // The script exports LC_ALL=C itself; these runs prove a hostile caller locale cannot leak in.
  // Every locale-sensitive shell, in parallel (they are independent processes), on the first 300 tuples.
  it('sh under bash, zsh and busybox with LANG=tr_TR.UTF-8, LC_ALL=C.UTF-8 and LC_ALL=POSIX', async function () {
    const all = needShells(this, 'sh runs (dash, bash, busybox, zsh)');
    // Without the locale the shells would silently fall back to C and prove nothing.
    needTools(this, 'sh under the Turkish locale', 'tr_TR.UTF-8');
    const tuples = ALL.slice(0, 300);
    const jobs: [string, NodeJS.ProcessEnv][] = [
      ['LANG=tr_TR.UTF-8', { LANG: 'tr_TR.UTF-8' }],
      ['LC_ALL=C.UTF-8', { LC_ALL: 'C.UTF-8' }],
      ['LC_ALL=POSIX', { LC_ALL: 'POSIX' }],
    ];
    const shells = all.filter((s) => ['bash', 'zsh --emulate sh', 'busybox sh'].includes(s.name));
    const runs = jobs.flatMap(([label, env]) => shells.map((shell) => ({ label, env, shell })));
    await mapLimit(runs, 2, async ({ label, env, shell }) => {
      const { results, stderr } = await runShDriver(shell, sh, tuples, env);
      assert.equal(stderr, '', `${shell.name} ${label} wrote to stderr`);
      compare(`${shell.name} ${label}`, results, tuples, EXPECTED.slice(0, 300));
    });
  });

  it('sh run as a program (not sourced) with the real environment: examples and 60 tuples, every shell', async function () {
    const shells = needShells(this, 'sh runs (dash, bash, busybox, zsh)');
    const tmp = tempDir('rmmkit-direct-');
    try {
      const file = join(tmp.dir, 'devid.sh');
      writeFileSync(file, sh);
      const tuples = ALL.slice(0, 65);
      for (const shell of shells) {
        const results = await mapLimit(tuples, 4, (t) =>
          run([...shell.argv, file], { ...overrideEnv(t), LANG: 'tr_TR.UTF-8' }),
        );
        compare(`${shell.name} direct`, results, tuples, EXPECTED.slice(0, 65));
      }
    } finally {
      tmp.cleanup();
    }
  });

  it(`PowerShell: ${ALL.length} tuples, byte for byte (culture en-US and tr-TR)`, async function () {
    needTools(this, 'PowerShell runs', 'pwsh');
    // The engine must really run under each culture, or the tr-TR run would prove nothing.
    const cultures = await runPowerShellBatch(
      '[Console]::Out.Write([Globalization.CultureInfo]::CurrentCulture.Name)',
      [{}],
      {
        LANG: 'tr_TR.UTF-8',
        LC_ALL: 'tr_TR.UTF-8',
      },
    );
    assert.equal(cultures[0]?.stdout, 'tr-TR');
    for (const lang of ['en_US.UTF-8', 'tr_TR.UTF-8']) {
      const results = await runPowerShellBatch(ps, ALL.map(overrideEnv), {
        LANG: lang,
        LC_ALL: lang,
      });
      compare(`PowerShell (${lang})`, results);
    }
  });

  it('prints the deep link instead of the ID with --template, in both languages', async function () {
    const shells = needShells(this, 'sh runs (dash, bash, busybox, zsh)');
    const template = 'https://partner.bright-av.web/console/device?id={ID}&src=rmm';
    const tuples = ALL.slice(0, 40);
    const want = tuples.map((t) => {
      const e = expected(t);
      return e.code === 0 ? { stdout: template.replace('{ID}', e.stdout.trim()) + '\n', code: 0 } : e;
    });
    const shLink = renderDevidScript({ target: 'sh', link: template });
    for (const shell of shells) {
      const { results } = await runShDriver(shell, shLink, tuples);
      compare(`${shell.name} link`, results, tuples, want);
    }
    needTools(this, 'PowerShell runs', 'pwsh');
    const psLink = renderDevidScript({ target: 'powershell', link: template });
    compare('PowerShell link', await runPowerShellBatch(psLink, tuples.map(overrideEnv)), tuples, want);
  });

  it('says NO_SHA256_TOOL when no hash tool is on PATH (sh) and otherwise uses shasum or openssl', async function () {
    const shells = needShells(this, 'sh runs (dash, bash, busybox, zsh)');
    const tmp = tempDir('rmmkit-nohash-');
    try {
      const file = join(tmp.dir, 'devid.sh');
      writeFileSync(file, sh);
      const ex = EXAMPLE_TUPLES[1] as OverrideTuple;
      for (const shell of shells) {
        const abs = (await run(['sh', '-c', `command -v ${shell.argv[0]}`], {})).stdout.trim();
        const r = await run([abs, ...shell.argv.slice(1), file], {
          ...overrideEnv(ex),
          PATH: '/nonexistent',
        });
        assert.deepEqual(r, { stdout: 'NO_SHA256_TOOL\n', stderr: '', code: 1 }, shell.name);
      }
      // Only openssl (or only shasum) on PATH: link it alone into a directory.
      const { symlinkSync, existsSync } = await import('node:fs');
      for (const tool of ['openssl', 'shasum']) {
        const path = (await run(['sh', '-c', `command -v ${tool}`], {})).stdout.trim();
        if (!path || !existsSync(path)) continue;
        const bin = join(tmp.dir, `only-${tool}`);
        const { mkdirSync } = await import('node:fs');
        mkdirSync(bin);
        symlinkSync(path, join(bin, tool));
        if (tool === 'shasum') {
          const perl = (await run(['sh', '-c', 'command -v perl'], {})).stdout.trim();
          if (perl) symlinkSync(perl, join(bin, 'perl'));
        }
        const r = await run(['/bin/dash', file], { ...overrideEnv(ex), PATH: bin });
        assert.deepEqual(
          r,
          { stdout: `${(WORKED_EXAMPLES[1] as { id: string }).id}\n`, stderr: '', code: 0 },
          tool,
        );
      }
    } finally {
      tmp.cleanup();
    }
  });
});
