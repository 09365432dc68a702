// Parity of the endpoint hashers compiled from the example recipes (policies/recipes/) with an
// independent implementation (test/helpers/recipe-reference.ts): the same 1,005 hostile, junk and
// Unicode tuples as DEVID1, through every sh shell and real pwsh under en-US and tr-TR.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRecipe, normalizeRecipe, type Recipe } from '../../lib/devid/recipes.js';
import { EXAMPLE_TUPLES, generateTuples, type VectorTuple } from '../../lib/devid/vectors.js';
import { renderDevidScript } from '../../lib/render/devid-script.js';
import {
  mapLimit,
  needShells,
  overrideEnv,
  run,
  runPowerShellBatch,
  runShDriver,
  shellcheck,
  tempDir,
} from '../helpers/endpoint.js';
import { assertGolden } from '../helpers/golden.js';
import { assertRunsMatch } from '../helpers/parity.js';
import { EXAMPLE_RECIPES, referenceId } from '../helpers/recipe-reference.js';
import { needTools } from '../helpers/tools.js';

const ALL: VectorTuple[] = [...EXAMPLE_TUPLES, ...generateTuples(1000)];
/** The DEVID1 recipe is run by endpoint-parity.test.ts; these are the others. */
const VENDOR_RECIPES = EXAMPLE_RECIPES.filter((n) => n !== 'devid1');

/** What a script must print for a tuple: the reference ID, or the error code. */
function want(recipe: Recipe, t: VectorTuple): { stdout: string; code: number } {
  const r = referenceId(recipe, t);
  return 'error' in r ? { stdout: `${r.error}\n`, code: 1 } : { stdout: `${r.id}\n`, code: 0 };
}

const recipes = new Map<string, Recipe>();
before(async () => {
  for (const name of EXAMPLE_RECIPES) recipes.set(name, await loadRecipe(`policies/recipes/${name}.yaml`));
});

describe('recipe scripts: the example recipes compile to clean, pinned scripts', () => {
  it('devid1.yaml renders exactly the default DEVID1 scripts (so endpoint-parity covers it)', () => {
    const r = recipes.get('devid1') as Recipe;
    for (const target of ['sh', 'powershell'] as const) {
      assert.equal(renderDevidScript({ target, recipe: r }), renderDevidScript({ target }));
    }
  });

  for (const name of VENDOR_RECIPES) {
    it(`${name}: golden sh and PowerShell (the PowerShell 2.0 lint runs while rendering), shellcheck clean`, function () {
      const recipe = recipes.get(name) as Recipe;
      const sh = renderDevidScript({ target: 'sh', recipe, salt: { kind: 'site' } });
      const ps = renderDevidScript({ target: 'powershell', recipe, salt: { kind: 'site' } });
      assertGolden(`devid/recipe-${name}.sh`, sh);
      assertGolden(`devid/recipe-${name}.ps1`, ps);
      assert.match(ps, /^[\x09\x0a\x20-\x7e]*$/, 'PowerShell source is ASCII');
      needTools(this, 'shellcheck of the recipe scripts', 'shellcheck');
      assert.equal(shellcheck(sh), '');
    });
  }
});

describe('recipe scripts: parity with the independent implementation', function () {
  this.timeout(600000);

  it('the tuples reach every outcome under every vendor recipe', () => {
    for (const name of VENDOR_RECIPES) {
      const recipe = recipes.get(name) as Recipe;
      const outcomes = new Set(
        ALL.map((t) => want(recipe, t)).map((w) => (w.code === 0 ? 'ID' : w.stdout.trim())),
      );
      const needed = recipe.parts.some((p) => p.kind === 'salt')
        ? ['BAD_SALT', 'ID', 'NO_HW_ID', 'NO_NIC']
        : ['ID', 'NO_HW_ID', 'NO_NIC'];
      assert.deepEqual([...outcomes].sort(), needed, name);
    }
  });

  for (const name of VENDOR_RECIPES) {
    it(`${name}: sh under dash, bash, bash --posix, busybox sh and zsh --emulate sh, ${ALL.length} tuples each`, async function () {
      const shells = needShells(this, 'sh runs (dash, bash, busybox, zsh)');
      const recipe = recipes.get(name) as Recipe;
      const script = renderDevidScript({ target: 'sh', recipe });
      const expected = ALL.map((t) => want(recipe, t));
      await mapLimit(shells, 2, async (shell) => {
        const { results, stderr } = await runShDriver(shell, script, ALL);
        assert.equal(stderr, '', `${shell.name} wrote to stderr`);
        assertRunsMatch(`${name} ${shell.name}`, results, ALL, expected);
      });
    });

    it(`${name}: sh under bash, zsh and busybox with LANG=tr_TR.UTF-8 and LC_ALL=C.UTF-8, 200 tuples`, async function () {
      const all = needShells(this, 'sh runs (dash, bash, busybox, zsh)');
      needTools(this, 'sh under the Turkish locale', 'tr_TR.UTF-8');
      const recipe = recipes.get(name) as Recipe;
      const script = renderDevidScript({ target: 'sh', recipe });
      const tuples = ALL.slice(0, 200);
      const expected = tuples.map((t) => want(recipe, t));
      const shells = all.filter((s) => ['bash', 'zsh --emulate sh', 'busybox sh'].includes(s.name));
      const runs = [{ LANG: 'tr_TR.UTF-8' }, { LC_ALL: 'C.UTF-8' }].flatMap((env) =>
        shells.map((shell) => ({ env, shell })),
      );
      await mapLimit(runs, 2, async ({ env, shell }) => {
        const { results, stderr } = await runShDriver(shell, script, tuples, env);
        assert.equal(stderr, '', `${shell.name} wrote to stderr`);
        assertRunsMatch(`${name} ${shell.name} ${JSON.stringify(env)}`, results, tuples, expected);
      });
    });

    it(`${name}: PowerShell, ${ALL.length} tuples under en-US and tr-TR`, async function () {
      needTools(this, 'PowerShell runs', 'pwsh');
      const recipe = recipes.get(name) as Recipe;
      const script = renderDevidScript({ target: 'powershell', recipe });
      const expected = ALL.map((t) => want(recipe, t));
      for (const lang of ['en_US.UTF-8', 'tr_TR.UTF-8']) {
        const results = await runPowerShellBatch(script, ALL.map(overrideEnv), { LANG: lang, LC_ALL: lang });
        assertRunsMatch(`${name} PowerShell (${lang})`, results, ALL, expected);
      }
    });
  }

  it('MD5 and SHA-1 fall back to md5/shasum/openssl, and say NO_MD5_TOOL / NO_SHA1_TOOL without any', async function () {
    needShells(this, 'sh runs (dash, bash, busybox, zsh)');
    const tmp = tempDir('rmmkit-recipe-tools-');
    try {
      const ex = EXAMPLE_TUPLES[1] as VectorTuple;
      const cases: [string, string, string[]][] = [
        ['bare-mac-trim-serial-md5', 'NO_MD5_TOOL', ['md5sum', 'openssl']],
        ['sha1-base64url-22', 'NO_SHA1_TOOL', ['sha1sum', 'shasum', 'openssl']],
      ];
      for (const [name, missing, tools] of cases) {
        const recipe = recipes.get(name) as Recipe;
        const file = join(tmp.dir, `${name}.sh`);
        writeFileSync(file, renderDevidScript({ target: 'sh', recipe }));
        const none = await run(['/bin/dash', file], { ...overrideEnv(ex), PATH: '/nonexistent' });
        assert.deepEqual(none, { stdout: `${missing}\n`, stderr: '', code: 1 }, name);
        let tried = 0;
        for (const t of tools) {
          const path = (await run(['sh', '-c', `command -v ${t}`], {})).stdout.trim();
          if (!path || !existsSync(path)) continue;
          const bin = join(tmp.dir, `${name}-only-${t}`);
          mkdirSync(bin);
          symlinkSync(path, join(bin, t));
          if (t === 'shasum') {
            const perl = (await run(['sh', '-c', 'command -v perl'], {})).stdout.trim();
            if (perl) symlinkSync(perl, join(bin, 'perl'));
          }
          // SHA-1 recipe 4 hashes its salt with SHA-256 too: give it sha256sum beside the SHA-1 tool.
          if (recipe.parts.some((p) => p.kind === 'salt' && p.form === 'sha256')) {
            const s256 = (await run(['sh', '-c', 'command -v sha256sum'], {})).stdout.trim();
            if (s256 && t !== 'openssl' && t !== 'shasum') symlinkSync(s256, join(bin, 'sha256sum'));
          }
          // No base64(1) on this PATH: the base64url encoding is done in shell arithmetic.
          const r = await run(['/bin/dash', file], { ...overrideEnv(ex), PATH: bin });
          assert.deepEqual(r, { ...want(recipe, ex), stderr: '' }, `${name} with only ${t}`);
          tried++;
        }
        assert.ok(tried >= 2, `${name}: at least two of ${tools.join(', ')} are installed here`);
        if (name === 'bare-mac-trim-serial-md5') {
          // BSD/macOS md5(1) is not installed here: two stand-ins print its answer in both known forms
          // (the bare digest of macOS, and the tagged form), computed by an absolute md5sum.
          const md5sum = (await run(['sh', '-c', 'command -v md5sum'], {})).stdout.trim();
          for (const [label, format] of [
            ['bare', '%s\\n'],
            ['tagged', 'MD5 (stdin) = %s\\n'],
          ] as const) {
            const bin = join(tmp.dir, `md5-${label}`);
            mkdirSync(bin);
            const fake = join(bin, 'md5');
            writeFileSync(fake, `#!/bin/sh\nset -- $(${md5sum})\nprintf '${format}' "$1"\n`, { mode: 0o755 });
            const r = await run(['/bin/dash', file], { ...overrideEnv(ex), PATH: bin });
            assert.deepEqual(r, { ...want(recipe, ex), stderr: '' }, `${name} with a ${label} md5`);
          }
        }
      }
    } finally {
      tmp.cleanup();
    }
  });
});

// The branches the example recipes leave out: upper-case hex, padded base64, a raw salt, a literal
// full of quote and shell characters, lower-case colon and upper-case dash MACs, UUID-first sources
// without the junk list, a source prefix, and an empty joiner.
const BRANCH_RECIPES: [string, Recipe][] = [
  [
    'hex-upper, raw salt, hostile literal',
    normalizeRecipe({
      name: 'branches-a',
      parts: [
        { literal: `v1'"$x\`\\ %s` },
        { mac: { separator: ':', case: 'lower' } },
        { serial: { normalize: 'devid1', sources: ['UUID', 'SYS', 'BB'], junk: false, withSource: true } },
        { salt: { form: 'raw' } },
      ],
      joiner: '|',
      hash: 'sha256',
      encoding: 'hex-upper',
      truncate: 40,
    }),
  ],
  [
    'padded base64 of MD5, raw SYS serial, empty joiner',
    normalizeRecipe({
      name: 'branches-b',
      parts: [{ serial: { normalize: 'raw', sources: ['SYS'], junk: false } }, { mac: { separator: '-' } }],
      joiner: '',
      hash: 'md5',
      encoding: 'base64',
    }),
  ],
];

describe('recipe scripts: the other branches of the model', function () {
  this.timeout(600000);
  const tuples = ALL.slice(0, 300);
  for (const [label, recipe] of BRANCH_RECIPES) {
    it(`${label}: five shells and pwsh (en-US, tr-TR), ${tuples.length} tuples`, async function () {
      const shells = needShells(this, 'sh runs (dash, bash, busybox, zsh)');
      const expected = tuples.map((t) => want(recipe, t));
      assert.ok(expected.filter((e) => e.code === 0).length >= 50, 'enough tuples hash');
      const sh = renderDevidScript({ target: 'sh', recipe });
      assert.equal(shellcheck(sh) ?? '', '');
      await mapLimit(shells, 2, async (shell) => {
        const { results, stderr } = await runShDriver(shell, sh, tuples);
        assert.equal(stderr, '', `${shell.name} wrote to stderr`);
        assertRunsMatch(`${label} ${shell.name}`, results, tuples, expected);
      });
      needTools(this, 'PowerShell runs', 'pwsh');
      const ps = renderDevidScript({ target: 'powershell', recipe });
      for (const lang of ['en_US.UTF-8', 'tr_TR.UTF-8']) {
        const results = await runPowerShellBatch(ps, tuples.map(overrideEnv), { LANG: lang, LC_ALL: lang });
        assertRunsMatch(`${label} PowerShell (${lang})`, results, tuples, expected);
      }
    });
  }
});
