// --salt env:NAME must not name a variable that a supported shell sets or changes (the shells would
// compute different IDs), in any spelling of case (Windows treats Path and PATH as one variable).
// The list is checked against what the installed shells really set, started with an empty
// environment: an independent source, so a name missing from the library's list fails here.
import assert from 'node:assert/strict';
import { checkSaltEnvName, parseSaltSource } from '../../lib/render/devid-script.js';
import { needShells, run } from '../helpers/endpoint.js';

/** Names from the review, each with a mixed-case spelling. */
const FROM_REVIEW = [
  'SHLVL',
  'EPOCHSECONDS',
  'EPOCHREALTIME',
  'SRANDOM',
  'UID',
  'EUID',
  'OPTERR',
  'HISTCMD',
  'COLUMNS',
  'LINES',
  'USERNAME',
  'TTY',
  'signals',
  'Path',
  'Pwd',
  'pAtH',
  'lc_all',
  'Devid_Salt',
];

describe('salt variable names', function () {
  this.timeout(60000);

  for (const name of FROM_REVIEW) {
    it(`refuses env:${name}`, () => {
      assert.match(checkSaltEnvName(name) ?? '', /cannot carry a salt/);
    });
  }

  it('accepts names no shell owns, in any case', () => {
    for (const name of ['VENDOR_SALT', 'BrightSalt', 'CS_ACCOUNT_UID', 'MY_PATHWAY', 'status_code']) {
      assert.equal(checkSaltEnvName(name), null, name);
      assert.deepEqual(parseSaltSource(`env:${name}`), { kind: 'env', name });
    }
  });

  it('refuses every variable the installed shells set when started with an empty environment', async function () {
    needShells(this, 'sh runs (dash, bash, busybox, zsh)');
    const listings: [string, string[]][] = [
      ['dash', ['dash', '-c', 'set']],
      ['bash', ['bash', '-c', 'compgen -v']],
      ['bash --posix', ['bash', '--posix', '-c', 'set']],
      ['busybox sh', ['busybox', 'sh', '-c', 'set']],
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a zsh parameter expansion, not a JS template
      ['zsh', ['zsh', '-c', 'print -l ${(k)parameters}']],
      ['zsh --emulate sh', ['zsh', '--emulate', 'sh', '-c', 'set']],
    ];
    const missed: string[] = [];
    for (const [shell, argv] of listings) {
      // `env -i`: nothing inherited but HOME, so every other name listed was set by the shell itself.
      // (HOME points nowhere: bash -c on a socket stdin would otherwise read ~/.bashrc.)
      const r = await run(['env', '-i', 'HOME=/nonexistent', ...argv], {});
      assert.equal(r.code, 0, `${shell}: ${r.stderr}`);
      const names = new Set(
        r.stdout
          .split('\n')
          .map((l) => /^([A-Za-z_][A-Za-z0-9_]*)(?:=|$)/.exec(l)?.[1])
          .filter((n): n is string => n !== undefined),
      );
      assert.ok(names.size > 5, `${shell} listed too little: ${r.stdout.slice(0, 200)}`);
      for (const n of names) if (checkSaltEnvName(n) === null) missed.push(`${shell}: ${n}`);
    }
    assert.deepEqual(missed, []);
  });
});
