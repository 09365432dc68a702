// Tests of the CLI (bin/main.ts, bin/commands/*) run in-process: stdout, stderr and exit codes.

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createContext } from '../bin/context.js';
import { COMMANDS, main } from '../bin/main.js';
import { WORKED_EXAMPLES } from '../lib/devid/examples.js';
import { packageVersion } from '../lib/paths.js';
import { runCli } from './helpers/cli.js';
import { assertGolden } from './helpers/golden.js';
import { withSysfs } from './helpers/sysfs.js';
import { needTools } from './helpers/tools.js';

const ex1 = WORKED_EXAMPLES[0]!;

describe('rmmkit CLI', () => {
  it('prints the version', async () => {
    assert.deepEqual(await runCli(['--version']), { code: 0, stdout: `${packageVersion()}\n`, stderr: '' });
  });

  it('prints help that matches every help block of the README, for every command', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const blocks = [...readme.matchAll(/```text\n\$ rmmkit ((?:[a-z-]+ )*)--help\n([\s\S]*?)\n```/g)];
    const pinned = blocks.map((b) => (b[1] ?? '').trim());
    for (const required of [
      '',
      'devid',
      'devid hash',
      'devid link',
      'devid collect',
      'devid script',
      'component',
      'component unpack',
      'component pack',
      'component verify',
      'component lint',
      'component inspect',
    ]) {
      assert.ok(pinned.includes(required), `README has no help block for "rmmkit ${required} --help"`);
    }
    for (const [, command, text] of blocks) {
      const args = [...(command ?? '').trim().split(' ').filter(Boolean), '--help'];
      const r = await runCli(args);
      assert.equal(r.code, 0);
      assert.equal(r.stdout.trimEnd(), text, `README help of rmmkit ${args.join(' ')} is out of date`);
    }
  });

  const usage: [string, string[], RegExp][] = [
    ['no command', [], /Name a command/],
    ['unknown command', ['frobnicate'], /Unknown argument: frobnicate/],
    ['unknown flag', ['devid', 'hash', '--mac', 'x', '--bogus'], /Unknown argument: bogus/],
    ['hash without inputs', ['devid', 'hash'], /needs --mac/],
    ['jsonl with flags', ['devid', 'hash', '--jsonl', '-', '--mac', 'x'], /drop --mac/],
    [
      'link without id or mac',
      ['devid', 'link', '--template', 'https://a.example/{ID}'],
      /either --id or --mac/,
    ],
    ['link without template', ['devid', 'link', '--id', ex1.id], /Missing required argument: template/],
    ['script without target', ['devid', 'script'], /Missing required argument: target/],
    ['script with an unknown target', ['devid', 'script', '--target', 'bat'], /Invalid values:/],
    [
      'script with a bad salt source',
      ['devid', 'script', '--target', 'sh', '--salt', 'env:1X'],
      /not an environment variable name/,
    ],
    [
      'script with an unknown salt source',
      ['devid', 'script', '--target', 'sh', '--salt', 'accout'],
      /--salt "accout": use account, site, none or env:NAME/,
    ],
    [
      'a missing positional is named',
      ['component', 'unpack'],
      /^rmmkit: missing positional argument <cpt>: usage is "rmmkit component unpack <cpt>" \(got 0, need at least 1\)$/m,
    ],
    [
      'link with --id and hash inputs',
      ['devid', 'link', '--template', 'https://a.example/{ID}', '--id', ex1.id, '--salt-value', 'x'],
      /--id is the finished ID; drop --bb, --sys, --uuid and --salt-value/,
    ],
    // One rule: a flag value the command cannot use is a usage error that names the flag and the value.
    [
      'hash with a bad MAC',
      ['devid', 'hash', '--mac', 'zz', '--bb', 'ABCD1234'],
      /^rmmkit: --mac "zz": no usable MAC/m,
    ],
    [
      'hash with an all-F MAC',
      ['devid', 'hash', '--mac', 'ff:ff:ff:ff:ff:ff', '--bb', 'ABCD1234', '--json'],
      /--mac "ff:ff:ff:ff:ff:ff": no usable MAC/,
    ],
    [
      'link with a bad MAC',
      [
        'devid',
        'link',
        '--template',
        'https://a.example/{ID}',
        '--mac',
        '01:00:5e:00:00:01',
        '--bb',
        'ABCD1234',
      ],
      /--mac "01:00:5e:00:00:01": no usable MAC/,
    ],
    [
      'hash with a control character in the salt',
      ['devid', 'hash', '--mac', '00:1a:2b:3c:4d:5e', '--bb', 'ABCD1234', '--salt-value', 'a\u0001b'],
      /--salt-value "a\\u0001b": the salt contains a control character after trimming spaces and tabs, or is not well-formed Unicode/,
    ],
    [
      'hash with the old --salt spelling and a value that reads as a source',
      ['devid', 'hash', '--mac', '00:1a:2b:3c:4d:5e', '--bb', 'ABCD1234', '--salt', 'account'],
      /--salt "account" is ambiguous here: .*--salt-value/,
    ],
    [
      'hash with --salt and --salt-value',
      ['devid', 'hash', '--mac', '00:1a:2b:3c:4d:5e', '--bb', 'ABCD1234', '--salt', 'a', '--salt-value', 'b'],
      /give the salt once/,
    ],
    [
      'link with a bad ID',
      ['devid', 'link', '--template', 'https://a.example/{ID}', '--id', 'ABC'],
      /--id "ABC": not a DEVID1 ID/,
    ],
    [
      'link with an http template',
      ['devid', 'link', '--template', 'http://a.example/{ID}', '--id', ex1.id],
      /--template "http:\/\/a.example\/\{ID\}": uses scheme "http:"/,
    ],
    [
      'link to a host other than the declared one',
      [
        'devid',
        'link',
        '--template',
        'https://evil.example/{ID}',
        '--host',
        'partner.bright-av.web',
        '--id',
        ex1.id,
      ],
      /--template "https:\/\/evil.example\/\{ID\}" \(with --host "partner.bright-av.web"\): .*declared host is "partner.bright-av.web"/,
    ],
    [
      'collect with an http template',
      ['devid', 'collect', '--sys-root', '/nonexistent', '--template', 'http://a.example/{ID}'],
      /--template "http:\/\/a.example\/\{ID\}": uses scheme "http:"/,
    ],
    [
      'collect with a template on another host than --host',
      [
        'devid',
        'collect',
        '--sys-root',
        '/nonexistent',
        '--template',
        'https://a.example/{ID}',
        '--host',
        'b.example',
      ],
      /declared host is "b.example"/,
    ],
    [
      'collect with --host but no template',
      ['devid', 'collect', '--sys-root', '/nonexistent', '--host', 'b.example'],
      /--host checks the link of --template/,
    ],
    [
      'script with an http template',
      ['devid', 'script', '--target', 'sh', '--template', 'http://a.example/{ID}'],
      /--template "http:\/\/a.example\/\{ID\}": uses scheme "http:"/,
    ],
    [
      'script with the old --link spelling and a bad template',
      ['devid', 'script', '--target', 'sh', '--link', 'https://a.example/'],
      /--template "https:\/\/a.example\/": must contain \{ID\} exactly once/,
    ],
    [
      'script with a template on another host than --host',
      [
        'devid',
        'script',
        '--target',
        'powershell',
        '--template',
        'https://a.example/{ID}',
        '--host',
        'b.example',
      ],
      /declared host is "b.example"/,
    ],
    [
      'script with --template and --link',
      [
        'devid',
        'script',
        '--target',
        'sh',
        '--template',
        'https://a.example/{ID}',
        '--link',
        'https://a.example/{ID}',
      ],
      /give the link template once/,
    ],
  ];
  for (const [name, args, message] of usage) {
    it(`exits 2 on usage error: ${name}`, async () => {
      const r = await runCli(args);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, message);
      assert.match(r.stderr, /--help/);
    });
  }

  it('lists each lazily loaded command with the name and description its own module gives', async () => {
    const ctx = createContext({
      stdout: { write: () => true },
      stderr: { write: () => true },
      stdin: Readable.from([]),
      env: {},
      cwd: '/',
    });
    for (const c of COMMANDS) {
      const mod = (await c.load())(ctx);
      assert.equal(mod.command, c.command);
      assert.equal(mod.describe, c.describe);
    }
    // Every integration command (one module gives several) has its row in the table.
    const { integrationCommands } = await import('../bin/commands/integration.js');
    for (const m of integrationCommands(ctx)) {
      assert.ok(
        COMMANDS.some((c) => c.command === m.command),
        `${m.command} is missing from COMMANDS in bin/main.ts`,
      );
    }
  });

  it('hashes one device', async () => {
    const r = await runCli(['devid', 'hash', '--mac', '00:1a:2b:3c:4d:5e', '--bb', '  CZC1234XYZ  ']);
    assert.deepEqual(r, { code: 0, stdout: `${ex1.id}\n`, stderr: '' });
  });

  it('hashes one device as JSON', async () => {
    const r = await runCli([
      'devid',
      'hash',
      '--mac',
      '00-1A-2B-3C-4D-5E',
      '--bb',
      'czc1234xyz',
      '--salt-value',
      'Acme Site',
      '--json',
    ]);
    const ex2 = WORKED_EXAMPLES[1]!;
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout), { id: ex2.id, source: 'BB', canonical: ex2.canonical });
  });

  it('explains a failed hash and exits 1', async () => {
    const r = await runCli([
      'devid',
      'hash',
      '--mac',
      '00:1a:2b:3c:4d:5e',
      '--bb',
      'To be filled by O.E.M.',
      '--sys',
      '0',
    ]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      /^rmmkit: NO_HW_ID: .*BB "To be filled by O.E.M." → junk-list; SYS "0" → too-short; UUID absent/,
    );
    assert.doesNotMatch(r.stderr, /at .*\.ts/, 'an expected error must not print a stack');
  });

  it('prints {error} with --json on a failed hash', async () => {
    const r = await runCli(['devid', 'hash', '--mac', '00:1a:2b:3c:4d:5e', '--bb', 'NONE', '--json']);
    assert.equal(r.code, 1);
    assert.deepEqual(JSON.parse(r.stdout), { error: 'NO_HW_ID' });
  });

  it('keeps the old --salt VALUE spelling on hash, with a warning', async () => {
    const ex2 = WORKED_EXAMPLES[1]!;
    const args = ['devid', 'hash', '--mac', '00-1A-2B-3C-4D-5E', '--bb', 'czc1234xyz'];
    const old = await runCli([...args, '--salt', 'Acme Site']);
    assert.equal(old.code, 0);
    assert.equal(old.stdout, `${ex2.id}\n`);
    assert.match(old.stderr, /warning: --salt VALUE is now spelled --salt-value VALUE/);
    assert.deepEqual(await runCli([...args, '--salt-value', 'Acme Site']), {
      code: 0,
      stdout: `${ex2.id}\n`,
      stderr: '',
    });
  });

  it('shows an Examples section in the help of every devid command', async () => {
    for (const cmd of ['hash', 'link', 'collect', 'script']) {
      const r = await runCli(['devid', cmd, '--help']);
      assert.match(r.stdout, new RegExp(`\nExamples:\n {2}rmmkit devid ${cmd} `), cmd);
      // --salt is a source on script and a hidden alias of --salt-value elsewhere; --link is hidden.
      assert.doesNotMatch(
        r.stdout,
        cmd === 'script' ? /--link/ : /--salt\s|--link/,
        `${cmd}: hidden alias shown`,
      );
    }
  });

  it('hashes JSON Lines from stdin, one output line per input line', async () => {
    const input = `${WORKED_EXAMPLES.map((e) => JSON.stringify(e.input)).join('\n')}\n{oops\n`;
    const r = await runCli(['devid', 'hash', '--jsonl', '-'], { stdin: input });
    assert.equal(r.code, 1);
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.slice(0, 5).map((l) => l.id),
      WORKED_EXAMPLES.map((e) => e.id),
    );
    assert.equal(lines[5].error, 'BAD_INPUT');
    assert.equal(lines[5].line, 6);
    assert.match(r.stderr, /1 of 6 line\(s\) in stdin were not valid input/);
  });

  it('hashes a JSON Lines file and exits 0 when every line parses, even with device errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rmmkit-cli-'));
    try {
      const file = join(dir, 'devices.jsonl');
      writeFileSync(file, `${JSON.stringify(ex1.input)}\n{"mac":"00:00:00:00:00:00"}\n`);
      const r = await runCli(['devid', 'hash', '--jsonl', file]);
      assert.equal(r.code, 0);
      assert.equal(
        r.stdout,
        `${JSON.stringify({ id: ex1.id, source: 'BB', canonical: ex1.canonical })}\n{"error":"NO_NIC"}\n`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names a missing JSON Lines file', async () => {
    const r = await runCli(['devid', 'hash', '--jsonl', '/nonexistent/devices.jsonl']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /\/nonexistent\/devices\.jsonl: cannot read \(ENOENT\)/);
  });

  it('builds a link from an ID and from hash inputs', async () => {
    const tpl = 'https://partner.bright-av.web/console/device?id={ID}';
    const host = 'partner.bright-av.web';
    const a = await runCli(['devid', 'link', '--template', tpl, '--host', host, '--id', ex1.id]);
    const b = await runCli([
      'devid',
      'link',
      '--template',
      tpl,
      '--host',
      host,
      '--mac',
      '00:1a:2b:3c:4d:5e',
      '--bb',
      'CZC1234XYZ',
    ]);
    assert.deepEqual(a, {
      code: 0,
      stdout: `https://partner.bright-av.web/console/device?id=${ex1.id}\n`,
      stderr: '',
    });
    assert.deepEqual(b, a);
    const json = await runCli(['devid', 'link', '--template', tpl, '--host', host, '--id', ex1.id, '--json']);
    assert.deepEqual(JSON.parse(json.stdout), { link: a.stdout.trimEnd(), id: ex1.id, host });
  });

  it('warns when no host is declared', async () => {
    const r = await runCli(['devid', 'link', '--template', 'https://evil.example/{ID}', '--id', ex1.id]);
    assert.equal(r.code, 0);
    assert.match(
      r.stderr,
      /warning: no --host declared; the link is checked against the template's own host "evil.example"/,
    );
  });

  it('refuses a repeated flag as a usage error instead of crashing', async () => {
    const r = await runCli([
      'devid',
      'hash',
      '--mac',
      'zz',
      '--mac',
      '00:1a:2b:3c:4d:5e',
      '--bb',
      'CZC1234XYZ',
    ]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--mac was given more than once; give it once/);
    const sysRoot = await runCli(['devid', 'collect', '--sys-root', '/a', '--sys-root', '/b']);
    assert.equal(sysRoot.code, 2);
    assert.match(sysRoot.stderr, /--sys-root was given more than once/);
  });

  it('names an unreadable JSON Lines path whatever the file-system error', async () => {
    const r = await runCli(['devid', 'hash', '--jsonl', '/etc/passwd/x']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^rmmkit: \/etc\/passwd\/x: cannot read \(ENOTDIR\)$/m);
  });

  it('collects from a fake sysfs tree', async function () {
    needTools(this, 'devid collect on a fake sysfs tree', 'linux');
    await withSysfs('usb-dock-and-wifi', async (root) => {
      const r = await runCli(['devid', 'collect', '--sys-root', root, '--json']);
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.equal(out.chosen, 'eth9');
      assert.equal(out.result.source, 'BB');
      // The ID is the SHA-256 of the canonical string, computed independently (sha256sum) and pasted.
      assert.deepEqual(out.result, {
        id: 'ae52a3110a0632e117d083ca4da9285c643bb311931db153947483d57f38a13c',
        source: 'BB',
        canonical: `DEVID1|54BF64010203|BB:7XYZ123CN1296314A0123|`,
      });
      assert.ok(out.osInstallId === null || typeof out.osInstallId === 'string');
      const withLink = await runCli([
        'devid',
        'collect',
        '--sys-root',
        root,
        '--json',
        '--template',
        'https://partner.bright-av.web/d/{ID}',
      ]);
      assert.equal(JSON.parse(withLink.stdout).link, `https://partner.bright-av.web/d/${out.result.id}`);
      const badTemplate = await runCli([
        'devid',
        'collect',
        '--sys-root',
        root,
        '--template',
        'http://partner.bright-av.web/{ID}',
      ]);
      assert.equal(badTemplate.code, 2);
      assert.equal(
        badTemplate.stdout,
        '',
        'a bad template must fail before anything is collected or printed',
      );
      assert.match(
        badTemplate.stderr,
        /--template "http:\/\/partner.bright-av.web\/\{ID\}": uses scheme "http:"/,
      );
      const emptySalt = await runCli(['devid', 'collect', '--sys-root', root, '--salt-value', ' \t ']);
      assert.equal(emptySalt.code, 0);
      assert.match(
        emptySalt.stderr,
        /^rmmkit: warning: the salt given is empty after trimming spaces and tabs; the ID is computed without a salt$/m,
      );
      assert.match(
        emptySalt.stdout,
        /^id {8}ae52a3110a0632e117d083ca4da9285c643bb311931db153947483d57f38a13c$/m,
      );
      const salted = await runCli(['devid', 'collect', '--sys-root', root, '--salt-value', 'x']);
      assert.equal(salted.stderr, '');
      const text = await runCli(['devid', 'collect', '--sys-root', root]);
      assert.match(
        text.stdout,
        /^chosen {3}eth9 54BF64010203 \(globally unique MAC, not a hypervisor OUI, internal bus, wired/m,
      );
      assert.match(text.stdout, /never hashed/);
    });
  });

  it('reports an unexpected exception as a bug with its stack and exit 70', async () => {
    let stderr = '';
    const code = await main(['devid', 'hash', '--mac', '00:1a:2b:3c:4d:5e', '--bb', 'CZC1234XYZ'], {
      stdout: {
        write: () => {
          throw new TypeError('stdout exploded');
        },
      },
      stderr: {
        write: (c: string) => {
          stderr += c;
          return true;
        },
      },
      stdin: Readable.from(['']),
      env: {},
      cwd: process.cwd(),
    });
    assert.equal(code, 70);
    assert.match(stderr, /internal error; this is a bug in rmmkit/);
    assert.match(stderr, /TypeError: stdout exploded\n\s+at /);
  });

  it('prints the endpoint script on stdout, byte for byte the reviewed golden file', async () => {
    const link = 'https://partner.bright-av.web/console/device?id={ID}';
    for (const [target, salt, golden] of [
      ['sh', 'site', 'devid/devid-site-link.sh'],
      ['powershell', 'env:VENDOR_SALT', 'devid/devid-env-link.ps1'],
    ] as const) {
      const r = await runCli([
        'devid',
        'script',
        '--target',
        target,
        '--salt',
        salt,
        '--template',
        link,
        '--host',
        'partner.bright-av.web',
      ]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
      assertGolden(golden, r.stdout);
    }
  });

  it('writes the endpoint script atomically with --out and leaves no temp file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rmmkit-cli-'));
    try {
      const file = join(dir, 'devid.sh');
      writeFileSync(file, 'old contents');
      const link = 'https://partner.bright-av.web/console/device?id={ID}';
      const r = await runCli([
        'devid',
        'script',
        '--target',
        'sh',
        '--out',
        file,
        '--template',
        link,
        '--host',
        'partner.bright-av.web',
        '--salt',
        'site',
        '--force',
      ]);
      assert.deepEqual(r, { code: 0, stdout: '', stderr: '' });
      assertGolden('devid/devid-site-link.sh', readFileSync(file, 'utf8'));
      // Without --force an existing file is refused and kept, as component pack does.
      writeFileSync(file, 'old contents');
      const refused = await runCli(['devid', 'script', '--target', 'sh', '--out', file]);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /devid\.sh: already exists; pass --force to replace it/);
      assert.equal(readFileSync(file, 'utf8'), 'old contents');
      // The old --link spelling still works (hidden alias).
      const old = await runCli([
        'devid',
        'script',
        '--target',
        'sh',
        '--salt',
        'site',
        '--link',
        link,
        '--out',
        file,
        '--force',
      ]);
      assert.equal(old.code, 0);
      assertGolden('devid/devid-site-link.sh', readFileSync(file, 'utf8'));
      assert.equal(statSync(file).mode & 0o777, 0o755);
      assert.deepEqual(readdirSync(dir), ['devid.sh']);
      const missing = await runCli([
        'devid',
        'script',
        '--target',
        'sh',
        '--out',
        join(dir, 'no', 'such', 'x.sh'),
      ]);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /no\/such\/x\.sh: cannot write \(ENOENT\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a bad --template before writing anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rmmkit-cli-'));
    try {
      const file = join(dir, 'devid.ps1');
      const r = await runCli([
        'devid',
        'script',
        '--target',
        'powershell',
        '--out',
        file,
        '--template',
        'http://a.example/{ID}',
      ]);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /only https: is allowed/);
      assert.deepEqual(readdirSync(dir), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs the demo and checks the worked examples', async () => {
    const r = await runCli(['demo']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.match(/matches the spec/g)?.length, 5);
    for (const ex of WORKED_EXAMPLES) assert.ok(r.stdout.includes(`device?id=${ex.id}`));
    // The Bright example's monitoring policy is built and its sheet named.
    assert.match(
      r.stdout,
      /Monitoring policy: out\/bright-antivirus\/policies\/bright-antivirus-alerts\.pcy/,
    );
    assert.match(
      r.stdout,
      /build sheet out\/bright-antivirus\/policies\/bright-antivirus-alerts\.sheet\.html/,
    );
  });
});
