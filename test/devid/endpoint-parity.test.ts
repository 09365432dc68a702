// Parity of the endpoint hashers with the TypeScript library: the spec's worked examples and 1,000+
// generated tuples (random, junk, Unicode, hostile) through every sh shell here and PowerShell.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORKED_EXAMPLES } from '../../lib/devid/examples.js';
import { deviceId, JUNK_SERIALS, JUNK_UUIDS } from '../../lib/devid/recipe.js';
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
import { needTools } from '../helpers/tools.js';

/** What the TypeScript library says for a tuple: the ID or the error code, as the scripts print it. */
function expected(t: OverrideTuple): { stdout: string; code: number } {
  const r = deviceId({ mac: t.mac, serials: { BB: t.bb, SYS: t.sys, UUID: t.uuid }, salt: t.salt });
  return 'error' in r ? { stdout: `${r.error}\n`, code: 1 } : { stdout: `${r.id}\n`, code: 0 };
}

const HOSTILE = [
  '-n',
  '-e',
  '-n -e \\c',
  '%s',
  '%s%s%n',
  '\\c',
  '\\n\\t\\0',
  '$(id)',
  '`id`',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${…} is the hostile input here
  '${HOME}',
  "'",
  '"',
  "it's",
  '\u2018quoted\u2019',
  '\u201Cdq\u201D',
  '|',
  'a|b|c',
  'ABCD\r\nEFGH',
  'line1\nline2',
  '\r',
  '*',
  '?[a]',
  '~root',
  '#comment',
  '; rm -rf /',
  '&& echo',
  '\\',
  'back\\slash',
  '\t\tTAB\t',
  '--',
  '!event',
];

const UNICODE = [
  '\u0131d-\u017fn \u00df \u212a x9',
  'Stra\u00dfe-1234',
  '\u0130stanbul-77',
  'caf\u00e9 ABCD',
  'cafe\u0301 ABCD',
  '\u6771\u4eac\u30aa\u30d5\u30a3\u30b9',
  '\u{1F600}SN1234\u{1F600}',
  '\u00a0ABCD1234\u00a0',
  '\ufeffABCD1234',
  '\u212a\u212a\u212a\u212a',
  '\uff21\uff22\uff23\uff24',
  'M\u00fcller GmbH',
  '\u200b',
  '\u00ad\u200d\u00ad',
  'AB\u200bCD\u00adEF',
];

/** xorshift32: deterministic, so a failure reproduces. */
function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

function generateTuples(n: number, seed = 0xdec1d): OverrideTuple[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[rnd() % xs.length] as T;
  const hex = (k: number) => Array.from({ length: k }, () => '0123456789abcdef'[rnd() % 16]).join('');
  const alnum = (k: number) =>
    Array.from(
      { length: k },
      () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[rnd() % 62],
    ).join('');
  const junkSerials = [...JUNK_SERIALS];
  const junkUuids = [...JUNK_UUIDS];
  const decorate = (s: string) => {
    // Lower-case some letters and sprinkle separators: canonicalisation must undo both.
    let out = '';
    for (const ch of s) {
      out += rnd() % 3 === 0 ? ch.toLowerCase() : ch;
      if (rnd() % 5 === 0) out += pick([' ', '-', '.', '/', '_', '\t']);
    }
    return out;
  };
  const mac = (): string => {
    const h = hex(12);
    switch (rnd() % 12) {
      case 0:
        return h.toUpperCase();
      case 1:
        return h.match(/../g)!.join('-');
      case 2:
        return h.match(/..../g)!.join('.');
      case 3:
        return pick(['00:00:00:00:00:00', 'ff:ff:ff:ff:ff:ff', '01:00:5e:00:00:01', '33:33:00:00:00:01']);
      case 4:
        return h.slice(0, 10); // too short
      case 5:
        return `${h}0`; // too long
      case 6:
        return `${h.slice(0, 1)}${pick(['1', '3', 'b', 'f'])}${h.slice(2)}`; // multicast
      case 7:
        return pick(HOSTILE) + h + pick(HOSTILE); // hostile decorations around a valid MAC
      case 8:
        return `\u00fc${h.match(/../g)!.join('\u2013')}`; // non-ASCII separators
      case 9:
        return `${h.slice(0, 1)}${pick(['2', '6', 'a', 'e'])}:${h.slice(2).match(/../g)!.join(':')}`; // local
      default:
        return h.match(/../g)!.join(':');
    }
  };
  const serial = (uuid: boolean): string | undefined => {
    switch (rnd() % 14) {
      case 0:
        return undefined;
      case 1:
        return '';
      case 2:
        return decorate(pick(junkSerials));
      case 3:
        return uuid ? decorate(pick(junkUuids)) : decorate(pick(junkUuids)); // junk for UUID only
      case 4:
        return pick(['0', '-1', 'NA', 'OEM', 'TBD', 'a.b', '   ']);
      case 5:
        return pick(['0000000000', 'FFFFFFFF', 'xxxx', 'NNNNNNN', 'x-X-x-X']);
      case 6:
        return pick(UNICODE);
      case 7:
        return pick(HOSTILE) + alnum(6) + pick(HOSTILE);
      case 8:
        return pick(HOSTILE);
      case 9:
        return `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
      case 10:
        return `  ${alnum(4 + (rnd() % 20))}  `;
      case 11:
        return alnum(200 + (rnd() % 900)); // long serial
      default:
        return decorate(alnum(4 + (rnd() % 16)));
    }
  };
  const salt = (): string | undefined => {
    switch (rnd() % 16) {
      case 0:
        return undefined;
      case 1:
        return '';
      case 2:
        return pick([' ', '\t', ' \t \t']);
      case 3:
        return `${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${hex(12)}`;
      case 4:
        return ` \t${alnum(10)}\t `;
      case 5:
        return pick(UNICODE);
      case 6:
        return pick(HOSTILE);
      case 7:
        return `${alnum(4)}${pick(['\x01', '\x1f', '\x7f', '\n', '\r', '\x1b[31m'])}${alnum(4)}`; // BAD_SALT
      case 8:
        return pick(['\u00a0x\u00a0', '\ufeffsalt', 'x\u2028y', 'Acme Site', 'Acme  Site ']);
      case 9:
        return alnum(1024); // 1 KB salt
      case 10:
        return `${pick(UNICODE)}${alnum(1000)}`;
      case 11:
        return `\n${alnum(5)}`; // control before the text: not trimmed, BAD_SALT
      default:
        return `site-${rnd() % 300}`;
    }
  };
  const tuples: OverrideTuple[] = [];
  for (let i = 0; i < n; i++) {
    if (i % 8 === 7) {
      // The end of the chain: BB and SYS unusable, so the UUID rules (its own junk list) decide.
      const uuid =
        rnd() % 2 === 0
          ? decorate(pick(junkUuids))
          : pick([`${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`, decorate(pick(junkSerials)), '']);
      tuples.push({
        mac: mac(),
        bb: pick([undefined, '', decorate(pick(junkSerials)), 'xxxx']),
        sys: pick([undefined, '0', decorate(pick(junkSerials))]),
        uuid,
        salt: salt(),
      });
      continue;
    }
    tuples.push({ mac: mac(), bb: serial(false), sys: serial(false), uuid: serial(true), salt: salt() });
  }
  return tuples;
}

const EXAMPLE_TUPLES: OverrideTuple[] = WORKED_EXAMPLES.map((e) => ({
  mac: e.input.mac as string,
  bb: e.input.serials?.BB ?? undefined,
  sys: e.input.serials?.SYS ?? undefined,
  uuid: e.input.serials?.UUID ?? undefined,
  salt: e.input.salt ?? undefined,
}));
const GENERATED = generateTuples(1000);
const ALL = [...EXAMPLE_TUPLES, ...GENERATED];
const EXPECTED = ALL.map(expected);

function compare(
  label: string,
  results: readonly { stdout: string; code: number | null; stderr?: string }[],
  tuples = ALL,
  want = EXPECTED,
) {
  assert.equal(results.length, tuples.length, `${label}: one result per tuple`);
  const failures: string[] = [];
  results.forEach((r, i) => {
    const w = want[i] as { stdout: string; code: number };
    if (r.stdout !== w.stdout || r.code !== w.code || (r.stderr ?? '') !== '') {
      failures.push(
        `#${i} ${JSON.stringify(tuples[i])}\n    want ${JSON.stringify(w)}\n    got  ${JSON.stringify(r)}`,
      );
    }
  });
  assert.equal(
    failures.length,
    0,
    `${label}: ${failures.length} mismatches\n${failures.slice(0, 5).join('\n')}`,
  );
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
