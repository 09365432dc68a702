// `rmmkit devid …`: hash device inputs, build deep links, collect this machine's inputs.
// Parses flags, calls lib/devid, prints; nothing else.
import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import type { Argv } from 'yargs';
import { runEndpointHasher } from '../../lib/devid/collect-endpoint.js';
import { type CollectedInputs, collectLinux } from '../../lib/devid/collect-linux.js';
import { hashJsonlStream } from '../../lib/devid/jsonl.js';
import { buildDeepLink, checkLinkTemplate, type LinkPolicy, templateHost } from '../../lib/devid/link.js';
import { describeNic } from '../../lib/devid/nics.js';
import {
  canonicalMac,
  deviceId,
  isDeviceId,
  saltHex,
  traceSources,
  trimSalt,
} from '../../lib/devid/recipe.js';
import type { Recipe, RecipeOk } from '../../lib/devid/recipes.js';
import type { DeviceIdInput, DeviceIdOk, DevidErrorCode } from '../../lib/devid/types.js';
import { InputError, RmmkitError, UsageError } from '../../lib/errors.js';
import { writeFileAtomic } from '../../lib/io/files.js';
import { parseSaltSource, renderDevidScript, type ScriptTarget } from '../../lib/render/devid-script.js';
import type { CommandContext } from '../context.js';
import { writeWithBackpressure } from '../io.js';
import { checkOutputFile } from '../out-file.js';
import {
  devidCheckCommand,
  devidVectorsCommand,
  RECIPE_DESCRIPTION,
  recipeFromFlag,
} from './devid-recipes.js';

const ERROR_TEXT: Record<DevidErrorCode, string> = {
  NO_NIC: 'no usable MAC address (need 12 hex digits, not all 0 or F, not multicast)',
  NO_HW_ID: 'no usable hardware serial (BB, SYS and UUID are absent or junk)',
  BAD_SALT:
    'the salt contains a control character after trimming spaces and tabs, or is not well-formed Unicode',
};

/*
 * Flag rules shared by every devid command (README, "Command line"):
 * - a flag VALUE the command cannot use (--mac zz, --template http://…, --salt-value with a control
 *   character, --id ABC, --salt accout) is a usage error, exit 2, naming the flag and echoing the value;
 * - the link template is --template, checked against --host (default: the template's own host);
 * - --salt-value is a literal salt (hash, link, collect); --salt is a salt SOURCE (script). The old
 *   --salt VALUE of hash/link/collect stays as a hidden alias unless its value reads as a source;
 * - --out refuses an existing file unless --force, as component does.
 */

interface SaltFlags {
  saltValue?: string;
  /** Hidden alias of --salt-value on hash, link and collect (the spelling before 0.2). */
  salt?: string;
}

interface HashFlags extends SaltFlags {
  mac?: string;
  bb?: string;
  sys?: string;
  uuid?: string;
  recipe?: string;
}

const saltValueOption = <T>(y: Argv<T>) =>
  y
    .option('salt-value', {
      type: 'string',
      describe: 'the salt itself, e.g. the Datto account UID (spaces and tabs around it are trimmed)',
    })
    .option('salt', { type: 'string', hidden: true, describe: 'old spelling of --salt-value' });

const hashOptions = (y: Argv) =>
  saltValueOption(
    y
      .option('mac', { type: 'string', describe: 'MAC address of the chosen NIC, any notation' })
      .option('bb', { type: 'string', describe: 'baseboard (motherboard) serial' })
      .option('sys', { type: 'string', describe: 'system / BIOS serial' })
      .option('uuid', { type: 'string', describe: 'SMBIOS system UUID' })
      .option('recipe', { type: 'string', describe: RECIPE_DESCRIPTION }),
  );

/** The recipe a --recipe flag names and its link policy, or DEVID1's (undefined) without the flag. */
async function recipeAndPolicy(
  ctx: CommandContext,
  file: string | undefined,
): Promise<{ recipe: Recipe | undefined; policyOf: (host: string) => LinkPolicy }> {
  if (file === undefined) return { recipe: undefined, policyOf: (host) => ({ host }) };
  const recipe = await recipeFromFlag(ctx, file);
  const { recipeLinkPolicy } = await import('../../lib/devid/recipes.js');
  return { recipe, policyOf: (host) => recipeLinkPolicy(recipe, host) };
}

/** The literal salt of hash/link/collect: --salt-value, or the old --salt spelling when unambiguous. */
function saltFromFlags(ctx: CommandContext, a: SaltFlags): string | undefined {
  if (a.salt === undefined) return a.saltValue;
  if (a.saltValue !== undefined)
    throw new UsageError('give the salt once, as --salt-value (--salt is its old spelling)');
  // These read as a salt SOURCE (what --salt means on devid script): refuse rather than guess.
  if (/^(?:account|site|none)$|^env:/.test(a.salt)) {
    throw new UsageError(
      `--salt ${JSON.stringify(a.salt)} is ambiguous here: --salt names a salt source only on devid script; give the salt itself with --salt-value`,
    );
  }
  ctx.err('rmmkit: warning: --salt VALUE is now spelled --salt-value VALUE on devid hash, link and collect');
  return a.salt;
}

/** Checks the flag values of one hash: a bad --mac or salt is a usage error that echoes the value. */
function inputFromFlags(ctx: CommandContext, a: HashFlags): DeviceIdInput {
  const salt = saltFromFlags(ctx, a);
  if (a.mac !== undefined && canonicalMac(a.mac) === null) {
    throw new UsageError(`--mac ${JSON.stringify(a.mac)}: ${ERROR_TEXT.NO_NIC}`);
  }
  if (salt !== undefined && saltHex(salt) === null) {
    throw new UsageError(
      `${a.salt === undefined ? '--salt-value' : '--salt'} ${JSON.stringify(salt)}: ${ERROR_TEXT.BAD_SALT}`,
    );
  }
  return { mac: a.mac, serials: { BB: a.bb, SYS: a.sys, UUID: a.uuid }, salt };
}

/**
 * Checks --template against --host (default: the template's own host) before anything is done, as a
 * usage error naming both flags; returns the host the links are checked against.
 */
function checkTemplateFlag(
  ctx: CommandContext,
  template: string,
  declared: string | undefined,
  policyOf: (host: string) => LinkPolicy = (host) => ({ host }),
): string {
  const host = declared ?? templateHost(template);
  const problems =
    host === null ? ['is not an absolute https URL'] : checkLinkTemplate(template, policyOf(host));
  if (problems.length > 0) {
    const hostNote = declared === undefined ? '' : ` (with --host ${JSON.stringify(declared)})`;
    throw new UsageError(`--template ${JSON.stringify(template)}${hostNote}: ${problems.join('; ')}`);
  }
  if (declared === undefined) {
    ctx.err(
      `rmmkit: warning: no --host declared; the link is checked against the template's own host ${JSON.stringify(host)}`,
    );
  }
  return host as string;
}

const templateOptions = <T>(y: Argv<T>, describe: string) =>
  y
    .option('template', {
      type: 'string',
      describe: `${describe}, e.g. https://partner.vendor.example/console/device?id={ID}`,
    })
    .option('host', {
      type: 'string',
      describe: "the vendor's declared host the link must keep (recommended); default: the template's host",
    });

/** `devid collect` warns when the salt it was given trims to nothing: the ID is then unsalted. */
function warnEmptySalt(ctx: CommandContext, salt: string | undefined): void {
  if (salt !== undefined && trimSalt(salt) === '') {
    ctx.err(
      'rmmkit: warning: the salt given is empty after trimming spaces and tabs; the ID is computed without a salt',
    );
  }
}

/** Explains a failed hash with the per-source trace, so a technician sees which value was junk. */
function explainFailure(input: DeviceIdInput, result: { error: DevidErrorCode }): string {
  let text = `${result.error}: ${ERROR_TEXT[result.error]}`;
  if (result.error === 'NO_HW_ID') {
    const trace = traceSources(input.serials)
      .map((t) => `${t.source} ${t.raw === null ? 'absent' : `${JSON.stringify(t.raw)} → ${t.rejected}`}`)
      .join('; ');
    text += ` [${trace}]`;
  }
  return text;
}

async function hashOne(
  ctx: CommandContext,
  input: DeviceIdInput,
  json: boolean,
  recipe?: Recipe,
): Promise<DeviceIdOk | RecipeOk> {
  // DEVID1 keeps its own fast path; any --recipe (devid1 included) goes through the recipe compiler.
  const result =
    recipe === undefined
      ? deviceId(input)
      : (await import('../../lib/devid/recipes.js')).recipeDeviceId(recipe, input);
  if ('error' in result) {
    if (json) ctx.out(JSON.stringify(result));
    throw new RmmkitError(result.error, explainFailure(input, result));
  }
  return result;
}

/** What a collection yields: the ID (or why there is none) and its link when a template is given. */
export interface CollectedId {
  result: DeviceIdOk | RecipeOk | { error: DevidErrorCode | 'NOT_ROOT' };
  link: string | null;
}

/** Hashes a collection once; `linkOf` builds the checked link (null without a template). */
export function identifyCollected(
  c: CollectedInputs,
  salt: string | undefined,
  linkOf: (id: string) => string | null,
  recipeId?: (input: DeviceIdInput) => DeviceIdOk | RecipeOk | { error: DevidErrorCode },
): CollectedId {
  const input = { mac: c.nics[0]?.mac, serials: c.serials, salt };
  const result = c.error ? { error: c.error } : (recipeId ?? deviceId)(input);
  return { result, link: 'id' in result ? linkOf(result.id) : null };
}

/** Human-readable lines describing a collection and its ID; shared by `devid collect` and `demo`. */
export function describeCollected(c: CollectedInputs, { result, link }: CollectedId): string[] {
  const lines: string[] = [];
  lines.push(`platform  ${c.platform}`);
  if (c.nics.length === 0) lines.push('NICs      none usable');
  c.nics.forEach((nic, i) => {
    lines.push(`${i === 0 ? 'chosen' : 'also   '}   ${nic.name} ${nic.canonicalMac} (${describeNic(nic)})`);
  });
  for (const t of traceSources(c.serials)) {
    lines.push(
      `serial    ${t.source}: ${t.raw === null ? 'absent' : `${JSON.stringify(t.raw)}${t.rejected ? ` (skipped: ${t.rejected})` : ''}`}`,
    );
  }
  for (const note of c.notes) lines.push(`note      ${note}`);
  if ('error' in result) {
    const why =
      result.error === 'NOT_ROOT'
        ? 'DMI serials are readable by root only; run as root'
        : ERROR_TEXT[result.error];
    lines.push(`error     ${result.error}: ${why}`);
  } else {
    lines.push(
      `source    ${result.source ?? 'none (the recipe has no serial part)'}`,
      `id        ${result.id}`,
    );
    if (link) lines.push(`link      ${link}`);
  }
  return lines;
}

/** The OS-install ID from node-machine-id: a diagnostic only, never an input of the hash. */
function osInstallId(): string | null {
  try {
    // node-machine-id is CommonJS without named exports Node can detect, so load it with require.
    const { machineIdSync } = createRequire(import.meta.url)(
      'node-machine-id',
    ) as typeof import('node-machine-id');
    return machineIdSync(true) || null;
  } catch {
    return null;
  }
}

const LINK_EXAMPLE = "'https://vendor.example/d/{ID}'";

export function devidCommand(ctx: CommandContext) {
  return {
    command: 'devid',
    describe: 'Compute DEVID1 device IDs and vendor-console deep links',
    builder: (y: Argv) =>
      y
        .command({
          command: 'hash',
          describe: 'Hash one device (--mac …) or a JSON Lines file (--jsonl FILE|-)',
          builder: (y: Argv) =>
            hashOptions(y)
              .option('jsonl', {
                type: 'string',
                nargs: 1,
                describe: 'JSON Lines input, one device per line; - for stdin',
              })
              .option('json', { type: 'boolean', default: false, describe: 'print {id, source, canonical}' })
              .example('$0 devid hash --mac 00:1a:2b:3c:4d:5e --bb CZC1234XYZ', '')
              .example(
                '$0 devid hash --mac 00:1a:2b:3c:4d:5e --bb CZC1234XYZ --salt-value "$SALT" --json',
                '',
              )
              .example('$0 devid hash --jsonl fleet.jsonl > ids.jsonl', ''),
          handler: (a: HashFlags & { jsonl?: string; json: boolean }) => {
            ctx.action = async () => {
              if (a.jsonl !== undefined) {
                if (
                  a.mac !== undefined ||
                  a.bb !== undefined ||
                  a.sys !== undefined ||
                  a.uuid !== undefined ||
                  a.salt !== undefined ||
                  a.saltValue !== undefined
                ) {
                  throw new UsageError(
                    '--jsonl takes its inputs from the file; drop --mac, --bb, --sys, --uuid and --salt-value',
                  );
                }
                return hashJsonlCommand(ctx, a.jsonl, a.recipe);
              }
              if (a.mac === undefined)
                throw new UsageError('devid hash needs --mac (with --bb, --sys or --uuid) or --jsonl FILE');
              const input = inputFromFlags(ctx, a);
              const recipe = a.recipe === undefined ? undefined : await recipeFromFlag(ctx, a.recipe);
              const r = await hashOne(ctx, input, a.json, recipe);
              ctx.out(a.json ? JSON.stringify(r) : r.id);
              return 0;
            };
          },
        })
        .command({
          command: 'link',
          describe: 'Print the checked deep link for an ID (--id) or for hash inputs (--mac …)',
          builder: (y: Argv) =>
            templateOptions(hashOptions(y), 'link template with {ID}')
              .demandOption('template')
              .option('id', {
                type: 'string',
                describe: "an ID of the recipe (DEVID1's: 64 lower-case hex digits)",
              })
              .option('json', { type: 'boolean', default: false, describe: 'print {link, id, host}' })
              .example(`$0 devid link --template ${LINK_EXAMPLE} --host vendor.example --id "$ID"`, '')
              .example(
                '$0 devid link --template "$TEMPLATE" --mac 00:1a:2b:3c:4d:5e --bb CZC1234XYZ --json',
                '',
              ),
          handler: (a: HashFlags & { template: string; host?: string; id?: string; json: boolean }) => {
            ctx.action = async () => {
              if ((a.id === undefined) === (a.mac === undefined))
                throw new UsageError('devid link needs either --id or --mac (with serial flags)');
              if (
                a.id !== undefined &&
                [a.bb, a.sys, a.uuid, a.saltValue, a.salt].some((v) => v !== undefined)
              )
                throw new UsageError('--id is the finished ID; drop --bb, --sys, --uuid and --salt-value');
              const { recipe, policyOf } = await recipeAndPolicy(ctx, a.recipe);
              if (a.id !== undefined && recipe === undefined && !isDeviceId(a.id))
                throw new UsageError(
                  `--id ${JSON.stringify(a.id)}: not a DEVID1 ID (64 lower-case hex digits)`,
                );
              const input = a.mac === undefined ? undefined : inputFromFlags(ctx, a);
              const host = checkTemplateFlag(ctx, a.template, a.host, policyOf);
              const policy = policyOf(host);
              if (a.id !== undefined && policy.idPattern && !policy.idPattern.test(a.id))
                throw new UsageError(
                  `--id ${JSON.stringify(a.id)}: not an ID of recipe ${recipe?.name} (${policy.idPattern.source})`,
                );
              const id = a.id ?? (await hashOne(ctx, input as DeviceIdInput, false, recipe)).id;
              const link = buildDeepLink(a.template, id, policy);
              ctx.out(a.json ? JSON.stringify({ link, id, host }) : link);
              return 0;
            };
          },
        })
        .command({
          command: 'collect',
          describe: "Read this machine's DEVID1 inputs (NICs, serials) and print them with the ID",
          builder: (y: Argv) =>
            templateOptions(saltValueOption(y), 'also print the deep link built from this template')
              .option('sys-root', {
                type: 'string',
                default: '/sys',
                describe: 'where sysfs is mounted (Linux)',
              })
              .option('json', { type: 'boolean', default: false, describe: 'machine-readable output' })
              .option('recipe', { type: 'string', describe: RECIPE_DESCRIPTION })
              .example('$0 devid collect --salt-value "$CS_ACCOUNT_UID"', '')
              .example(`$0 devid collect --template ${LINK_EXAMPLE} --host vendor.example --json`, ''),
          handler: (
            a: SaltFlags & {
              template?: string;
              host?: string;
              sysRoot: string;
              json: boolean;
              recipe?: string;
            },
          ) => {
            ctx.action = async () => {
              const salt = saltFromFlags(ctx, a);
              const { recipe, policyOf } = await recipeAndPolicy(ctx, a.recipe);
              if (salt !== undefined && saltHex(salt) === null) {
                throw new UsageError(
                  `${a.salt === undefined ? '--salt-value' : '--salt'} ${JSON.stringify(salt)}: ${ERROR_TEXT.BAD_SALT}`,
                );
              }
              if (a.host !== undefined && a.template === undefined)
                throw new UsageError('--host checks the link of --template; give --template too');
              // Check the template before collecting, so a bad one fails fast and loses nothing.
              const host =
                a.template === undefined ? undefined : checkTemplateFlag(ctx, a.template, a.host, policyOf);
              warnEmptySalt(ctx, salt);
              const linkOf = (id: string) =>
                a.template !== undefined && host ? buildDeepLink(a.template, id, policyOf(host)) : null;
              if (process.platform === 'darwin' || process.platform === 'win32') {
                return collectWithScript(ctx, process.platform, salt, a.json, linkOf, recipe);
              }
              if (process.platform !== 'linux') {
                throw new RmmkitError(
                  'UNSUPPORTED',
                  `devid collect supports Linux, macOS and Windows, not ${process.platform}; run the endpoint script (rmmkit devid script)`,
                );
              }
              const c = await collectLinux({ sysRoot: a.sysRoot });
              const recipes = recipe === undefined ? undefined : await import('../../lib/devid/recipes.js');
              const identified = identifyCollected(
                c,
                salt,
                linkOf,
                recipe === undefined || recipes === undefined
                  ? undefined
                  : (input) => recipes.recipeDeviceId(recipe, input),
              );
              const { result, link } = identified;
              if (a.json) {
                const report = {
                  ...c,
                  chosen: c.nics[0]?.name ?? null,
                  trace: traceSources(c.serials),
                  result,
                  link,
                };
                ctx.out(JSON.stringify({ ...report, osInstallId: osInstallId() }, null, 2));
              } else {
                for (const line of describeCollected(c, identified)) ctx.out(line);
                ctx.out(
                  `os-id     ${osInstallId() ?? 'unavailable'} (node-machine-id; diagnostic, never hashed)`,
                );
              }
              if ('error' in result) ctx.err(`rmmkit: this machine has no device ID: ${result.error}`);
              return 'error' in result ? 1 : 0;
            };
          },
        })
        .command({
          command: 'script',
          describe: 'Write the endpoint hasher script (PowerShell or POSIX sh)',
          builder: (y: Argv) =>
            templateOptions(
              y
                .option('target', {
                  choices: ['powershell', 'sh'] as const,
                  demandOption: true,
                  describe: 'powershell (Windows, PowerShell 2.0 to 7) or sh (macOS and Linux)',
                })
                .option('out', { type: 'string', describe: 'write to FILE (atomically) instead of stdout' })
                .option('force', {
                  type: 'boolean',
                  default: false,
                  describe: 'replace --out if it exists',
                }),
              'print the deep link built from this template instead of the bare ID',
            )
              .option('link', { type: 'string', hidden: true, describe: 'old spelling of --template' })
              .option('salt', {
                type: 'string',
                default: 'account',
                describe:
                  'salt source on the endpoint: account (CS_ACCOUNT_UID), site (CS_PROFILE_UID), none, or env:NAME',
              })
              .option('udf', {
                type: 'string',
                describe: 'also write the link into this UDF: a slot number, or env:NAME (needs --template)',
              })
              .option('udf-store', {
                type: 'string',
                describe: 'sh: the values.xml path to write (default: the documented agent path)',
              })
              .option('recipe', { type: 'string', describe: RECIPE_DESCRIPTION })
              .example(
                '$0 devid script --target powershell --salt env:VENDOR_SALT --out devid.ps1 --force',
                '',
              )
              .example(`$0 devid script --target sh --template ${LINK_EXAMPLE} --host vendor.example`, ''),
          handler: (a: {
            target: ScriptTarget;
            out?: string;
            force: boolean;
            template?: string;
            link?: string;
            host?: string;
            salt: string;
            udf?: string;
            udfStore?: string;
            recipe?: string;
          }) => {
            ctx.action = async () => {
              if (a.template !== undefined && a.link !== undefined)
                throw new UsageError(
                  'give the link template once, as --template (--link is its old spelling)',
                );
              const template = a.template ?? a.link;
              if (a.host !== undefined && template === undefined)
                throw new UsageError('--host checks the link of --template; give --template too');
              const salt = parseSaltSource(a.salt);
              const { recipe, policyOf } = await recipeAndPolicy(ctx, a.recipe);
              const host =
                template === undefined ? undefined : checkTemplateFlag(ctx, template, a.host, policyOf);
              let text: string;
              if (a.udf !== undefined) {
                if (template === undefined)
                  throw new UsageError('--udf needs --template (the UDF receives the link)');
                const { parseUdfSlotSource, renderDevidUdfScript } = await import(
                  '../../lib/integration/render.js'
                );
                text = renderDevidUdfScript({
                  target: a.target,
                  salt,
                  link: template,
                  host,
                  udf: parseUdfSlotSource(a.udf),
                  store: a.udfStore,
                  ...(recipe !== undefined ? { recipe } : {}),
                });
              } else {
                if (a.udfStore !== undefined) throw new UsageError('--udf-store goes with --udf');
                text = renderDevidScript({ target: a.target, salt, link: template, host, recipe });
              }
              if (a.out === undefined) {
                ctx.io.stdout.write(text);
                return 0;
              }
              await checkOutputFile(a.out, a.out, a.force, 'the script file');
              await writeFileAtomic(a.out, text, {
                mode: a.target === 'sh' ? 0o755 : 0o644,
                createParent: false,
                // Without --force, not even a file created since the check above is replaced.
                replace: a.force,
              });
              return 0;
            };
          },
        })
        .example('$0 devid hash --mac 00:1a:2b:3c:4d:5e --bb CZC1234XYZ', '')
        .example('$0 devid script --target sh --out devid.sh', '')
        .command(devidVectorsCommand(ctx))
        .command(devidCheckCommand(ctx))
        .demandCommand(1, 'Name a devid command: hash, link, collect, script, vectors or check.'),
    handler: () => {},
  };
}

/** `devid collect` on macOS and Windows: runs the endpoint hasher itself and reports what it chose. */
function collectWithScript(
  ctx: CommandContext,
  platform: 'darwin' | 'win32',
  salt: string | undefined,
  json: boolean,
  linkOf: (id: string) => string | null,
  recipe?: Recipe,
): number {
  const run = runEndpointHasher(platform, salt, recipe);
  const link = 'id' in run.result ? linkOf(run.result.id) : null;
  if (json) {
    const report = { platform, chosen: run.nic || null, result: run.result, link, runner: run.runner };
    ctx.out(JSON.stringify(report, null, 2));
  } else {
    ctx.out(`platform  ${platform} (endpoint hasher run with ${run.runner})`);
    ctx.out(`chosen    ${run.nic || 'none'}`);
    ctx.out('error' in run.result ? `error     ${run.result.error}` : `id        ${run.result.id}`);
    if (link) ctx.out(`link      ${link}`);
  }
  if ('error' in run.result) ctx.err(`rmmkit: this machine has no device ID: ${run.result.error}`);
  return 'error' in run.result ? 1 : 0;
}

async function hashJsonlCommand(ctx: CommandContext, file: string, recipeFile?: string): Promise<number> {
  // A recipe's canonical string may hold any character (raw serials), so its lines go through JSON.stringify.
  let format: ((input: DeviceIdInput) => string) | undefined;
  if (recipeFile !== undefined) {
    const recipe = await recipeFromFlag(ctx, recipeFile);
    const { recipeDeviceId } = await import('../../lib/devid/recipes.js');
    format = (input) => JSON.stringify(recipeDeviceId(recipe, input));
  }
  const source = file === '-' ? ctx.io.stdin : createReadStream(file, { highWaterMark: 1 << 16 });
  try {
    const summary = await hashJsonlStream(
      source as AsyncIterable<Buffer>,
      (chunk) => writeWithBackpressure(ctx.io.stdout, chunk),
      format,
    );
    if (summary.badLines > 0) {
      ctx.err(
        `rmmkit: ${summary.badLines} of ${summary.lines} line(s) in ${file === '-' ? 'stdin' : file} were not valid input (see BAD_INPUT lines)`,
      );
      return 1;
    }
    return 0;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    // Any failure of a file-system call on the input (ENOENT, EACCES, EISDIR, ENOTDIR, EIO …).
    if (e.syscall && e.code !== 'EPIPE')
      throw new InputError(file, `cannot read (${e.code})`, { cause: err });
    throw err;
  }
}
