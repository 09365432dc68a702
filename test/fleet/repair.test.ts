// What a repair plan may make rmmkit write, against the fake Datto API on 127.0.0.1: a plan is
// checked against the integration before any request (a forged value, slot or template is refused
// naming the entry), a value that is foreign on the device now is kept whatever the plan says, a
// wrong salt plans no writes, and the log is appended line by line.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../lib/errors.js';
import { validateApi } from '../../lib/fleet/api-run.js';
import {
  applyRepairPlan,
  buildRepairPlan,
  checkPlan,
  parseRepairPlan,
  type RepairPlan,
  repairPlanJson,
} from '../../lib/fleet/repair.js';
import { runCli } from '../helpers/cli.js';
import type { FakeDatto } from './fake-datto.js';
import {
  fakeClient,
  KEY,
  profile,
  SECRET,
  seededFleet,
  startFake,
  writeBrightIntegration,
} from './fixtures.js';

const WINDOW = 400;
const LINK = `https://partner.bright-av.web/console/device?id=${'c'.repeat(64)}`;

const client = (fake: FakeDatto) => fakeClient(fake);

/** A copy of a plan through its JSON (what a person edits), changed by `edit`. */
function edited(plan: RepairPlan, edit: (p: RepairPlan) => void): RepairPlan {
  const copy = parseRepairPlan('plan.json', repairPlanJson(plan));
  edit(copy);
  return copy;
}

describe('udf repair: what a plan may write', function () {
  this.timeout(60_000);
  let fake: FakeDatto;
  let plan: RepairPlan;
  beforeEach(async () => {
    fake = await startFake({ ...seededFleet(120, 4, 7).seed, limit: 30, windowMs: WINDOW });
    const run = await validateApi(client(fake), profile, { audit: 'all' });
    plan = buildRepairPlan(run.result, run.validator, profile);
  });
  afterEach(() => fake.stop());

  it('refuses a forged value, another slot or another integration, naming the entry, before any request', () => {
    const at = plan.entries.findIndex((e) => e.action === 'write-udf');
    const uid = plan.entries[at]?.uid as string;
    assert.ok(at >= 0);
    const setValue = (value: string) => (p: RepairPlan) => {
      Object.assign(p.entries[at] as object, { value });
    };
    const cases: [string, (p: RepairPlan) => void, RegExp][] = [
      [
        'a javascript: URL',
        setValue('javascript:alert(document.cookie)//'),
        /is not a link of this integration/,
      ],
      ['a line break after the link', setValue(`${LINK}\nwritten dev-x: forged`), /control character/],
      ['an empty value (it would clear the slot)', setValue(''), /is empty/],
      [
        'another host',
        setValue(LINK.replace('partner.bright-av.web', 'evil.example')),
        /not a Bright Antivirus link|points to/,
      ],
      ['an ID of the wrong shape', setValue(LINK.replace('c'.repeat(64), 'C'.repeat(64))), /is not/],
      ['extra text after the link', setValue(`${LINK}&x=1`), /must be exactly/],
      [
        'another slot',
        (p) => {
          Object.assign(p.entries[at] as object, { slot: 1 });
        },
        /writes udf1; the plan and the integration write udf5 only/,
      ],
      [
        'another template',
        (p) => Object.assign(p, { template: 'https://evil.example/{ID}' }),
        /was made for the link/,
      ],
      [
        'another slot for the whole plan',
        (p) => Object.assign(p, { slot: 1 }),
        /was made for the link .* in udf1/,
      ],
    ];
    for (const [name, edit, message] of cases) {
      const forged = edited(plan, edit);
      assert.throws(
        () => checkPlan('plan.json', forged, profile),
        (e: unknown) =>
          e instanceof InputError &&
          e.message.startsWith('plan.json: ') &&
          message.test(e.message) &&
          (/was made for/.test(e.message) || e.message.includes(`entries[${at}] ("${uid}")`)),
        name,
      );
    }
    // The plan as built passes.
    checkPlan('plan.json', plan, profile);
    // Over 255 characters, a dot segment or a control character in a uid: refused by the plan's schema.
    for (const [name, edit] of [
      ['over 255 characters', setValue(`${LINK}&p=${'x'.repeat(255)}`)],
      ['uid ..', (p: RepairPlan) => Object.assign(p.entries[at] as object, { uid: '..' })],
      ['uid .', (p: RepairPlan) => Object.assign(p.entries[at] as object, { uid: '.' })],
      ['uid with a line break', (p: RepairPlan) => Object.assign(p.entries[at] as object, { uid: 'a\nb' })],
    ] as const) {
      const text = repairPlanJson(plan).replace(/^/, '');
      const raw = JSON.parse(text) as RepairPlan;
      edit(raw);
      assert.throws(
        () => parseRepairPlan('plan.json', JSON.stringify(raw)),
        /plan\.json: is not a repair plan/,
        name,
      );
    }
  });

  it('keeps a value that is foreign on the device now, even when the plan entry says it is not', async () => {
    const i = plan.entries.findIndex((e) => e.foreign);
    assert.ok(i >= 0);
    const forged = edited(plan, (p) => {
      p.entries = [
        Object.assign(p.entries[i] as RepairPlan['entries'][number], {
          action: 'write-udf' as const,
          value: LINK,
          foreign: false,
        }),
      ];
    });
    checkPlan('plan.json', forged, profile);
    const kept = await applyRepairPlan(client(fake), forged, profile, { yes: true, log: () => {} });
    assert.deepEqual(
      kept.outcomes.map((o) => o.outcome),
      ['foreign-kept'],
    );
    assert.equal(fake.writes.length, 0);
    (forged.entries[0] as { overwriteForeign: boolean }).overwriteForeign = true;
    const over = await applyRepairPlan(client(fake), forged, profile, { yes: true, log: () => {} });
    assert.deepEqual(
      over.outcomes.map((o) => o.outcome),
      ['written'],
    );
    assert.equal(fake.writes.length, 1);
  });

  it('plans no UDF write with a salt that verified no device (a wrong --salt-value)', async () => {
    const right = plan.entries.filter((e) => e.action === 'write-udf').length;
    assert.ok(right > 0, 'with the right salt some values are known');
    const run = await validateApi(client(fake), profile, { audit: 'all', saltValue: 'not-the-account' });
    assert.equal(run.result.summary.recompute.verified, 0);
    assert.ok(run.result.summary.recompute.mismatch > 0);
    const wrong = buildRepairPlan(run.result, run.validator, profile);
    assert.deepEqual(
      wrong.entries.filter((e) => e.action === 'write-udf'),
      [],
    );
    assert.ok(run.validator.unprovenMismatches() > 0);
  });
});

describe('rmmkit udf repair (CLI): the integration, the log', function () {
  this.timeout(60_000);
  let fake: FakeDatto;
  let dir: string;
  const env = { NO_COLOR: '1', DATTO_API_KEY: KEY, DATTO_API_SECRET: SECRET };
  before(async () => {
    fake = await startFake({ ...seededFleet(60, 3, 9).seed, windowMs: WINDOW });
    dir = mkdtempSync(join(tmpdir(), 'rmmkit-repair-'));
    writeBrightIntegration(dir);
    const made = await runCli(
      [
        'udf',
        'validate',
        '--integration',
        'bright.yaml',
        '--api',
        fake.url,
        '--window-ms',
        String(WINDOW),
        '--audit',
        'all',
        '--repair-plan',
        'plan.json',
      ],
      { env, cwd: dir },
    );
    assert.equal(made.code, 1, made.stderr);
  });
  after(async () => {
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const repair = (...more: string[]) =>
    runCli(
      [
        'udf',
        'repair',
        'plan.json',
        '--integration',
        'bright.yaml',
        '--api',
        fake.url,
        '--window-ms',
        String(WINDOW),
        ...more,
      ],
      { env, cwd: dir },
    );

  it('needs --integration, and refuses a forged plan before any request', async () => {
    const none = await runCli(['udf', 'repair', 'plan.json', '--api', fake.url], { env, cwd: dir });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /Missing required argument: integration/);
    const plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as RepairPlan;
    const w = plan.entries.find((e) => e.action === 'write-udf');
    assert.ok(w);
    w.value = 'javascript:alert(1)//';
    writeFileSync(join(dir, 'forged.json'), JSON.stringify(plan));
    const before = fake.log.length;
    const r = await runCli(
      [
        'udf',
        'repair',
        'forged.json',
        '--integration',
        'bright.yaml',
        '--api',
        fake.url,
        '--window-ms',
        String(WINDOW),
        '--yes',
      ],
      { env, cwd: dir },
    );
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /forged\.json: entries\[\d+\] \("dev-\d+"\) would write "javascript:alert\(1\)\/\/", which is not a link of this integration/,
    );
    assert.equal(fake.log.length, before, 'not one request');
    assert.equal(fake.writes.length, 0);
  });

  it('appends the log line by line across runs; a log that cannot be opened stops the run before any request', async () => {
    const dry = await repair('--log', 'repair.log');
    assert.equal(dry.code, 0, dry.stderr);
    const first = readFileSync(join(dir, 'repair.log'), 'utf8');
    assert.match(first, /^would-write dev-/m);
    const yes = await repair('--yes', '--log', 'repair.log');
    assert.equal(yes.code, 0, yes.stderr);
    const both = readFileSync(join(dir, 'repair.log'), 'utf8');
    assert.ok(both.startsWith(first), 'the first run is kept');
    assert.match(both.slice(first.length), /^written dev-/m);
    // Every line went to stderr too, in the same order.
    assert.equal(both.slice(first.length), yes.stderr);
    mkdirSync(join(dir, 'a-folder'));
    const before = fake.log.length;
    const bad = await repair('--yes', '--log', 'a-folder');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /a-folder: cannot write \(EISDIR/);
    assert.equal(fake.log.length, before);
    for (const t of [dry.stdout, dry.stderr, yes.stdout, yes.stderr, bad.stderr, both])
      for (const secret of [KEY, SECRET, ...fake.issued]) assert.ok(!t.includes(secret), 'a secret leaked');
  });
});
