// `rmmkit udf validate|repair|sample`: fleet round-trip validation of the UDF deep links.
// Parses flags, calls lib/fleet, prints; heavy modules load lazily inside the handlers.
import { closeSync, openSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { InputError, UsageError } from '../../lib/errors.js';
import type { ApiCredentials, RequestEvent } from '../../lib/fleet/api.js';
import type { AuditMode } from '../../lib/fleet/api-run.js';
import type { ExportFormat } from '../../lib/fleet/export.js';
import type { FleetRun } from '../../lib/fleet/types.js';
import type { CommandContext } from '../context.js';
import { writeWithBackpressure } from '../io.js';

interface ValidateFlags {
  integration: string;
  api?: string;
  input?: string;
  format?: ExportFormat;
  audit: AuditMode;
  'salt-value'?: string;
  credentials?: string;
  json: boolean;
  csv: boolean;
  html?: string;
  'repair-plan'?: string;
  'max-findings': number;
  budget: number;
  'window-ms': number;
  log?: string;
}

async function readText(cwd: string, file: string): Promise<string> {
  try {
    return await readFile(resolve(cwd, file), 'utf8');
  } catch (err) {
    throw new InputError(
      file,
      `cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
}

async function credentials(ctx: CommandContext, file: string | undefined): Promise<ApiCredentials> {
  const { credentialsFrom } = await import('../../lib/fleet/api.js');
  if (file !== undefined)
    return credentialsFrom(ctx.io.env, { name: file, text: await readText(ctx.io.cwd, file) });
  return credentialsFrom(ctx.io.env);
}

/**
 * A log file, opened before the work starts (a path that cannot be written fails before the first
 * request) and appended to line by line as things happen, so a run that is stopped or fails keeps
 * the record of what it did. An existing log is appended to, never replaced.
 */
class LogFile {
  private constructor(private readonly fd: number) {}

  static async open(cwd: string, file: string | undefined): Promise<LogFile | null> {
    if (file === undefined) return null;
    try {
      return new LogFile(openSync(resolve(cwd, file), 'a', 0o600));
    } catch (err) {
      const { writeError } = await import('../../lib/io/files.js');
      throw writeError(file, err);
    }
  }

  /** Appends one line now (synchronously: lines stay in the order of events). */
  line(text: string): void {
    writeSync(this.fd, `${text}\n`);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** The integration file `file` (as the user wrote it) and the fleet profile of its link. */
async function integrationProfile(ctx: CommandContext, file: string) {
  const { loadIntegration } = await import('../../lib/integration/index.js');
  const { fleetProfileFromIntegration } = await import('../../lib/fleet/profile.js');
  const integration = await loadIntegration(resolve(ctx.io.cwd, file));
  return { integration, profile: fleetProfileFromIntegration({ ...integration, file }) };
}

/** A request log: one JSON line per request (method, path, status, timing; never a header). */
function requestLog(log: LogFile | null): ((e: RequestEvent) => void) | undefined {
  return log ? (e) => log.line(JSON.stringify(e)) : undefined;
}

function formatMs(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 120 ? `${s} s` : `${Math.round(s / 60)} min`;
}

async function runValidate(ctx: CommandContext, a: ValidateFlags): Promise<number> {
  if ((a.api === undefined) === (a.input === undefined))
    throw new UsageError('give exactly one source: --api URL (the Datto API) or --input FILE (an export)');
  if (a.json && a.csv) throw new UsageError('--json and --csv both print to standard output; give one');
  if (!Number.isInteger(a['max-findings']) || a['max-findings'] < 0)
    throw new UsageError(`--max-findings ${a['max-findings']} must be a whole number ≥ 0`);
  const fleet = await import('../../lib/fleet/index.js');
  const { integration, profile } = await integrationProfile(ctx, a.integration);
  const tty = Boolean(ctx.io.stderr.isTTY);
  const log = await LogFile.open(ctx.io.cwd, a.log);
  let run: FleetRun;
  let bar: import('cli-progress').SingleBar | null = null;
  try {
    if (a.api !== undefined) {
      const base = fleet.parseApiBase(a.api);
      const client = new fleet.DattoClient({
        baseUrl: base.href,
        credentials: await credentials(ctx, a.credentials),
        budget: a.budget,
        windowMs: a['window-ms'],
        onRequest: requestLog(log),
      });
      const started = performance.now();
      run = await fleet.validateApi(client, profile, {
        audit: a.audit,
        saltValue: a['salt-value'],
        siteUids: integration.datto?.siteUids,
        onPlan: async (plan) => {
          if (plan.audit === 'all')
            ctx.err(
              `--audit all: ${plan.devices} devices on ${plan.sites} sites need about ${plan.requests} requests (one audit per device with an ID), ${formatMs(plan.floorMs)} or more at ${client.budget.budget} requests per ${formatMs(client.budget.windowMs)}`,
            );
          if (tty) {
            const { SingleBar, Presets } = await import('cli-progress');
            bar = new SingleBar(
              {
                stream: ctx.io.stderr as unknown as NodeJS.WritableStream,
                format:
                  'devices {value}/{total} | requests {requests} ({window}/{budget} in window) | ETA {eta_formatted}',
                hideCursor: true,
                clearOnComplete: true,
              },
              Presets.shades_classic,
            );
            bar.start(Math.max(plan.devices, 1), 0, { requests: 0, window: 0, budget: client.budget.budget });
          }
        },
        onProgress: (p) => {
          (bar as import('cli-progress').SingleBar | null)?.update(p.devices, {
            requests: p.requests,
            window: p.windowUsed,
            budget: p.budget,
          });
        },
      });
      if (tty) ctx.err(`${client.requests} requests in ${formatMs(performance.now() - started)}`);
    } else {
      const file = resolve(ctx.io.cwd, a.input as string);
      run = await fleet.validateExport(file, profile, { format: a.format, saltValue: a['salt-value'] });
      run.result.summary.source = a.input as string;
    }
  } finally {
    (bar as import('cli-progress').SingleBar | null)?.stop();
    log?.close();
  }
  const { result } = run;
  const { writeFileAtomic } = await import('../../lib/io/files.js');
  if (a.html !== undefined) await writeFileAtomic(resolve(ctx.io.cwd, a.html), fleet.fleetHtml(result));
  if (a['repair-plan'] !== undefined) {
    const plan = fleet.buildRepairPlan(result, run.validator, profile);
    await writeFileAtomic(resolve(ctx.io.cwd, a['repair-plan']), fleet.repairPlanJson(plan));
    const unproven = run.validator.unprovenMismatches();
    if (unproven > 0)
      ctx.err(
        `repair plan: ${unproven} audited device${unproven === 1 ? '' : 's'} mismatched with a salt that verified no device (is --salt-value right?): the plan re-runs the link component there instead of writing an ID it cannot trust`,
      );
  }
  if (a.json) await writeWithBackpressure(ctx.io.stdout, fleet.fleetJson(result));
  else if (a.csv) await writeWithBackpressure(ctx.io.stdout, fleet.fleetCsv(result));
  else ctx.out(fleet.fleetSummaryText(result));
  return result.summary.findings > a['max-findings'] ? 1 : 0;
}

/** The flags of `udf repair`. */
interface RepairFlags {
  plan: string;
  integration: string;
  api: string;
  credentials?: string;
  yes: boolean;
  log?: string;
  budget: number;
  'window-ms': number;
}

async function runRepair(ctx: CommandContext, a: RepairFlags): Promise<number> {
  const fleet = await import('../../lib/fleet/index.js');
  const { profile } = await integrationProfile(ctx, a.integration);
  const plan = fleet.parseRepairPlan(a.plan, await readText(ctx.io.cwd, a.plan));
  // Every value the plan would write is checked against the integration before any request.
  fleet.checkPlan(a.plan, plan, profile);
  const base = fleet.parseApiBase(a.api);
  const client = new fleet.DattoClient({
    baseUrl: base.href,
    credentials: await credentials(ctx, a.credentials),
    budget: a.budget,
    windowMs: a['window-ms'],
  });
  const log = await LogFile.open(ctx.io.cwd, a.log);
  let report: Awaited<ReturnType<typeof fleet.applyRepairPlan>>;
  try {
    report = await fleet.applyRepairPlan(client, plan, profile, {
      yes: a.yes,
      log: (line) => {
        log?.line(line);
        ctx.err(line);
      },
    });
  } finally {
    log?.close();
  }
  const by = new Map<string, number>();
  for (const o of report.outcomes) by.set(o.outcome, (by.get(o.outcome) ?? 0) + 1);
  ctx.out(
    `Repair: ${report.written} written${[...by].map(([k, n]) => `, ${n} ${k}`).join('')}${a.yes ? '' : ' (dry run: pass --yes to write)'}`,
  );
  return report.outcomes.some((o) => o.outcome === 'failed') ? 1 : 0;
}

const apiOptions = (y: Argv) =>
  y
    .option('credentials', {
      type: 'string',
      describe: 'file with the API key and secret (default: DATTO_API_KEY and DATTO_API_SECRET)',
    })
    .option('budget', {
      type: 'number',
      default: 500,
      describe: 'API requests per 60 s window (Datto allows 600)',
    })
    .option('window-ms', { type: 'number', default: 60_000, hidden: true });

export function udfCommand(ctx: CommandContext) {
  return {
    command: 'udf',
    describe: 'Check the deep links in the UDFs of a whole fleet, and repair them',
    builder: (y: Argv) =>
      y
        .command({
          command: 'validate',
          describe: 'Validate every device of the Datto API (--api URL) or an export (--input FILE)',
          builder: (y: Argv) =>
            apiOptions(y)
              .option('integration', { type: 'string', demandOption: true, describe: 'the integration file' })
              .option('api', {
                type: 'string',
                describe: 'platform base URL, e.g. https://pinotage-api.centrastage.net',
              })
              .option('input', { type: 'string', describe: 'an export: .json, .jsonl or .csv' })
              .option('format', {
                choices: ['json', 'jsonl', 'csv'] as const,
                describe: 'the export format (default: by extension)',
              })
              .option('audit', {
                choices: ['none', 'flagged', 'all'] as const,
                default: 'none' as const,
                describe:
                  'fetch device audits to recompute IDs: none, devices with findings, or all (one request each)',
              })
              .option('salt-value', {
                type: 'string',
                describe: 'the salt the endpoints used (an account UID)',
              })
              .option('json', {
                type: 'boolean',
                default: false,
                describe: 'print {summary, devices} as JSON',
              })
              .option('csv', { type: 'boolean', default: false, describe: 'print one CSV row per finding' })
              .option('html', { type: 'string', describe: 'write a self-contained HTML report here' })
              .option('repair-plan', { type: 'string', describe: 'write the repair plan (JSON) here' })
              .option('max-findings', {
                type: 'number',
                default: 0,
                describe: 'exit 1 when there are more findings',
              })
              .option('log', { type: 'string', describe: 'append one JSON line per API request here' }),
          handler: (a: ValidateFlags) => {
            ctx.action = () => runValidate(ctx, a);
          },
        })
        .command({
          command: 'repair <plan>',
          describe: 'Write the links a repair plan knows through the API (only with --yes)',
          builder: (y: Argv) =>
            apiOptions(y)
              .positional('plan', { type: 'string', demandOption: true, describe: 'the repair plan (JSON)' })
              .option('integration', {
                type: 'string',
                demandOption: true,
                describe: 'the integration file the plan was made with (every value is checked against it)',
              })
              .option('api', { type: 'string', demandOption: true, describe: 'platform base URL' })
              .option('yes', {
                type: 'boolean',
                default: false,
                describe: 'perform the writes (default: dry run)',
              })
              .option('log', { type: 'string', describe: 'append one line per write or refusal here' }),
          handler: (a: RepairFlags) => {
            ctx.action = () => runRepair(ctx, a);
          },
        })
        .command({
          command: 'sample',
          describe: 'Write a generated demo fleet export for an integration (with planted problems)',
          builder: (y: Argv) =>
            y
              .option('integration', { type: 'string', demandOption: true, describe: 'the integration file' })
              .option('out', {
                type: 'string',
                demandOption: true,
                describe: 'output file: .json, .jsonl or .csv',
              })
              .option('devices', { type: 'number', default: 200, describe: 'number of devices' })
              .option('sites', { type: 'number', default: 5, describe: 'number of sites' })
              .option('salt-value', {
                type: 'string',
                default: 'demo-account',
                describe: 'the salt the IDs use',
              }),
          handler: (a: {
            integration: string;
            out: string;
            devices: number;
            sites: number;
            'salt-value': string;
          }) => {
            ctx.action = async () => {
              const fleet = await import('../../lib/fleet/index.js');
              if (!Number.isInteger(a.devices) || a.devices < 1)
                throw new UsageError('--devices must be a whole number ≥ 1');
              if (!Number.isInteger(a.sites) || a.sites < 1)
                throw new UsageError('--sites must be a whole number ≥ 1');
              const { profile } = await integrationProfile(ctx, a.integration);
              const format = fleet.formatFromName(a.out);
              if (!format) throw new UsageError('--out must end in .json, .jsonl or .csv');
              const n = await fleet.writeSampleExport(resolve(ctx.io.cwd, a.out), format, profile, {
                devices: a.devices,
                sites: a.sites,
                salt: a['salt-value'],
              });
              ctx.out(`Wrote ${n} devices to ${a.out}`);
              return 0;
            };
          },
        })
        .demandCommand(1, 'Name a udf command: validate, repair or sample.'),
    handler: () => {},
  };
}
