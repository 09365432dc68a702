// A fake Datto agent for the built components: a temporary root with stub commands on PATH that
// record their arguments, a values.xml store, and the CS_* / user variables in the environment.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { loadIntegration } from '../../lib/integration/load.js';
import { renderComponentScript } from '../../lib/integration/render.js';
import type { Integration, IntegrationComponent } from '../../lib/integration/types.js';
import { packageRoot } from '../../lib/paths.js';

/** What the stub download returns; the test builds pin its SHA-256 (the examples pin the vendor's). */
export const DOWNLOAD_CONTENT = 'fake installer bytes';
export const DOWNLOAD_SHA256 = createHash('sha256').update(DOWNLOAD_CONTENT).digest('hex');

/** DEVID1 worked example 1: the inputs of the support mode and the ID they give (no salt). */
export const DEVICE = { DEVID_MAC: '00:1a:2b:3c:4d:5e', DEVID_BB: '  CZC1234XYZ  ' };
export const DEVICE_ID = '244e9c1dba980da994b0d24b29f7df91b24134f467e8e47a6ebbf6bbc5d79ca4';

export async function loadExample(name: string): Promise<Integration> {
  return loadIntegration(join(packageRoot(), 'policies', `${name}.yaml`));
}

/**
 * The example as the fake agent runs it: absolute macOS/Linux product paths moved under `root`, and
 * the download pins set to the stub's content. Windows paths stay (the PowerShell mocks answer them).
 */
export function forFakeAgent(i: Integration, root: string): Integration {
  const move = (p: string) => (p.startsWith('/') ? join(root, p) : p);
  const copy = structuredClone(i);
  for (const c of copy.components) {
    if (c.os === 'windows') continue;
    c.installed = c.installed ? move(c.installed) : c.installed;
    if (c.licence?.command) c.licence.command[0] = move(c.licence.command[0] as string);
    if (c.status?.lastUpdate) c.status.lastUpdate.command[0] = move(c.status.lastUpdate.command[0] as string);
    for (const s of c.install?.sources ?? []) if (s.source.kind === 'url') s.source.sha256 = DOWNLOAD_SHA256;
    for (const a of c.tasks?.actions ?? []) if ('command' in a) a.command[0] = move(a.command[0] as string);
  }
  return copy;
}

export function component(i: Integration, id: string): IntegrationComponent {
  const c = i.components.find((x) => x.id === id);
  if (!c) throw new Error(`no component ${id}`);
  return c;
}

/** System tools the scripts may use; everything else on PATH is a stub or absent. */
const SYSTEM_TOOLS = [
  'awk',
  'grep',
  'tr',
  'mkdir',
  'mv',
  'rm',
  'dirname',
  'date',
  'sha256sum',
  'sha1sum',
  'md5sum',
  'expr',
  'cat',
  'sed',
  'head',
  'readlink',
  'ls',
  'cut',
  'wc',
  'sort',
  'od',
  'env',
  'sleep',
  'touch',
  'chmod',
  'cp',
  'id',
];

/** A product CLI and the other stubs: record argv (fields split by \x1f, records by \x1e). */
const RECORD = `{ printf '%s' "\${0##*/}"; for a in "$@"; do printf '\\037%s' "$a"; done; printf '\\036'; } >> "$FAKE_LOG"`;

const STUBS: Record<string, string> = {
  uname: `${RECORD}\nprintf '%s\\n' "\${FAKE_UNAME:-Linux}"`,
  sw_vers: `printf '%s\\n' "\${FAKE_SWVERS:-14.5}"`,
  curl: `${RECORD}
out=
while [ $# -gt 0 ]; do
  if [ "$1" = -o ]; then out=$2; shift; fi
  shift
done
[ "\${FAKE_CURL_RC:-0}" = 0 ] || exit "$FAKE_CURL_RC"
printf '%s' "\${FAKE_DOWNLOAD-${DOWNLOAD_CONTENT}}" > "$out"`,
  installer: `${RECORD}\n. "$FAKE_ROOT/install-product.sh"`,
  dpkg: `${RECORD}\n. "$FAKE_ROOT/install-product.sh"`,
  rpm: `${RECORD}\n. "$FAKE_ROOT/install-product.sh"`,
  osascript: `${RECORD}\nexit "\${FAKE_LICENCE_RC:-0}"`,
  pgrep: `${RECORD}\n[ "\${FAKE_RUNNING:-1}" = 1 ]`,
  pkill: `${RECORD}\nexit 0`,
  rmmkit_canary: `: > "$FAKE_CANARY"`,
};

/** The product CLI an install leaves behind: records, prints FAKE_EPOCH for the status command. */
const PRODUCT_CLI = `#!/bin/sh
${RECORD}
[ -n "\${FAKE_EPOCH:-}" ] && printf '%s\\n' "$FAKE_EPOCH"
exit "\${FAKE_CLI_RC:-0}"
`;

export interface FakeRoot {
  root: string;
  bin: string;
  log: string;
  store: string;
  canary: string;
  /** PATH for the scripts: the stubs, then the chosen system tools. */
  path: string;
  /** Environment every run gets (CS_*, the store, the log). */
  env: Record<string, string>;
}

/** Makes a fake agent root (no product files yet: see installs). */
export function fakeRoot(): FakeRoot {
  const root = mkdtempSync(join(tmpdir(), 'rmmkit-agent-'));
  const bin = join(root, 'bin');
  const sys = join(root, 'sys');
  mkdirSync(bin);
  mkdirSync(sys);
  for (const [name, body] of Object.entries(STUBS)) {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  }
  const dirs = (process.env.PATH ?? '').split(delimiter);
  for (const t of SYSTEM_TOOLS) {
    const hit = dirs.map((d) => join(d, t)).find((f) => existsSync(f));
    if (hit) symlinkSync(hit, join(sys, t));
  }
  writeFileSync(join(root, 'install-product.sh'), 'exit 0\n');
  const log = join(root, 'calls.log');
  writeFileSync(log, '');
  const store = join(root, 'store', 'values.xml');
  const canary = join(root, 'CANARY');
  const path = `${bin}${delimiter}${sys}`;
  return {
    root,
    bin,
    log,
    store,
    canary,
    path,
    env: {
      PATH: path,
      FAKE_ROOT: root,
      FAKE_LOG: log,
      FAKE_CANARY: canary,
      RMMKIT_UDF_STORE: store,
      CS_ACCOUNT_UID: 'a1b2c3d4-0000-4000-8000-000000000001',
      CS_PROFILE_UID: 'b2c3d4e5-0000-4000-8000-000000000002',
      CS_PROFILE_NAME: 'Head Office',
      HOME: root,
      TMPDIR: join(root, 'tmp'),
    },
  };
}

/** Sets the product files the installer stubs (installer, dpkg, rpm) create: the recording CLI. */
export function installs(f: FakeRoot, files: string[]): void {
  const q = (p: string) => `'${p.replaceAll("'", `'\\''`)}'`;
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell expansion, not a JavaScript template
  const lines = ['[ "${FAKE_INSTALLER_RC:-0}" = 0 ] || exit "$FAKE_INSTALLER_RC"'];
  for (const file of files)
    lines.push(
      `mkdir -p ${q(dirname(file))}`,
      `cat > ${q(file)} <<'EOF'\n${PRODUCT_CLI}EOF`,
      `chmod 755 ${q(file)}`,
    );
  lines.push('exit 0');
  writeFileSync(join(f.root, 'install-product.sh'), `${lines.join('\n')}\n`);
}

/** Installs the product now, as if an earlier deploy had run. */
export function installNow(f: FakeRoot): void {
  const r = spawnSync('/bin/sh', [join(f.root, 'install-product.sh')], { env: f.env });
  if (r.status !== 0) throw new Error('the install stub failed');
}

/** The recorded calls since the log was last cleared: argv arrays. */
export function calls(f: FakeRoot): string[][] {
  const text = readFileSync(f.log, 'utf8');
  return text
    .split('\x1e')
    .filter(Boolean)
    .map((r) => r.split('\x1f'));
}

export function clearCalls(f: FakeRoot): void {
  writeFileSync(f.log, '');
}

/** Custom<slot> in the store, unescaped, or null. Parsed here independently of the script's awk. */
export function storeValue(f: FakeRoot, slot: number): string | null {
  if (!existsSync(f.store)) return null;
  const xml = readFileSync(f.store, 'utf8');
  const m = new RegExp(`<value name="Custom${slot}" type="string">([^<]*)</value>`).exec(xml);
  if (!m) return null;
  return (m[1] as string)
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&apos;', "'")
    .replaceAll('&amp;', '&');
}

/** Writes a component's script into the root's job folder (with its attachments) and returns its path. */
export function jobFolder(
  f: FakeRoot,
  i: Integration,
  c: IntegrationComponent,
): { dir: string; script: string } {
  const dir = join(f.root, 'job', c.id);
  mkdirSync(dir, { recursive: true });
  mkdirSync(join(f.root, 'tmp'), { recursive: true });
  const script = join(dir, c.os === 'windows' ? 'command.ps1' : 'command.sh');
  writeFileSync(script, renderComponentScript(i, c));
  for (const { source } of c.install?.sources ?? [])
    if (source.kind === 'attachment') writeFileSync(join(dir, source.name), readFileSync(source.path));
  const ls = c.licence?.script?.source;
  if (ls?.kind === 'attachment') writeFileSync(join(dir, ls.name), readFileSync(ls.path));
  return { dir, script };
}

/** Parses the monitor blocks of stdout. */
export function resultBlocks(stdout: string): { results: string[]; diagnostics: string[] } {
  const results = [...stdout.matchAll(/<-Start Result->\n([\s\S]*?)\n<-End Result->/g)].map(
    (m) => m[1] as string,
  );
  const diagnostics = [...stdout.matchAll(/<-Start Diagnostic->\n([\s\S]*?)\n<-End Diagnostic->/g)].map(
    (m) => m[1] as string,
  );
  return { results, diagnostics };
}
