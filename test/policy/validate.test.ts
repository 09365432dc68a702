// Tests of policy validation: every bad input of issue 10 is reported with its path and YAML line,
// all problems of a file at once; good input normalizes with the documented defaults.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readCpt } from '../../lib/component/cpt.js';
import { InputError, ValidationError } from '../../lib/errors.js';
import { fileResolver, loadPolicySource } from '../../lib/policy/load.js';
import { type ResolveComponent, validatePolicies } from '../../lib/policy/validate.js';
import { brightStatus, scriptsComponent } from './fixtures.js';
import { FIXTURES, loadYaml, POLICIES_DIR } from './helpers.js';

/** Resolves integration-style ids: `status-win` (monitors) and `scan-win` (scripts); anything else fails. */
const idResolver: ResolveComponent = (ref) => {
  if (typeof ref === 'object') return { uid: ref.uid, name: ref.name };
  if (ref === 'status-win') return { component: brightStatus() };
  if (ref === 'scan-win') return { component: scriptsComponent() };
  return { error: `no component with id ${JSON.stringify(ref)} in this integration file` };
};

async function issuesOf(yaml: string, resolve: ResolveComponent = idResolver) {
  try {
    await loadPolicySource('test.yaml', yaml, resolve);
  } catch (err) {
    assert.ok(err instanceof ValidationError, `expected a ValidationError, got ${err}`);
    return err.issues.filter((i) => i.severity === 'error');
  }
  assert.fail('expected the file to be refused');
}

/** A one-monitor policy file; the monitor's YAML starts at line 5. */
const one = (monitor: string) => `rmmkit: 1
policies:
  - name: P
    monitors:
${monitor
  .trim()
  .split('\n')
  .map((l, k) => `${k === 0 ? '      - ' : '        '}${l}`)
  .join('\n')}
`;

const EV = 'type: eventlog\nlog: Application\nsource: S\ncodes: [1]\neventTypes: [Error]';

describe('policy validation', () => {
  const cases: [name: string, yaml: string, path: string, message: RegExp, line: number][] = [
    [
      'event ID above 65535',
      one(EV.replace('[1]', '[1, 70000]')),
      'policies[0].monitors[0].codes[1]',
      /70000 is too large; the most allowed is 65535/,
      8,
    ],
    ['event ID below 0', one(EV.replace('[1]', '[-1]')), 'policies[0].monitors[0].codes[0]', /-1/, 8],
    [
      'event ID not a number',
      one(EV.replace('[1]', '[abc]')),
      'policies[0].monitors[0].codes[0]',
      /"abc" is not a number: an event ID is a whole number from 0 to 65535/,
      8,
    ],
    [
      'no event IDs',
      one(EV.replace('[1]', '[]')),
      'policies[0].monitors[0].codes',
      /needs at least 1 item/,
      8,
    ],
    [
      'empty log name',
      one(EV.replace('log: Application', 'log: ""')),
      'policies[0].monitors[0].log',
      /the log name may not be empty/,
      6,
    ],
    [
      'blank log name',
      one(EV.replace('log: Application', 'log: "   "')),
      'policies[0].monitors[0].log',
      /may not be empty/,
      6,
    ],
    [
      'unknown priority',
      one(`${EV}\npriority: Urgent`),
      'policies[0].monitors[0].priority',
      /"Urgent" is not allowed; use one of "Critical", "High", "Moderate", "Low", "Information"/,
      10,
    ],
    [
      'unknown event type',
      one(EV.replace('[Error]', '[Error, Fatal]')),
      'policies[0].monitors[0].eventTypes[1]',
      /"Fatal" is not allowed; use one of "Error", "Warning", "Information", "Success Audit", "Failure Audit", "Critical", "Verbose"/,
      9,
    ],
    [
      'unknown monitor type',
      one('type: ping\nhost: x'),
      'policies[0].monitors[0].type',
      /"ping" is not a monitor type; use one of eventlog, component, process, service/,
      5,
    ],
    [
      'windowMins without count',
      one(`${EV}\ntrigger: { windowMins: 60 }`),
      'policies[0].monitors[0].trigger.count',
      /windowMins is set without count/,
      10,
    ],
    [
      'a bad e-mail address',
      one(`${EV}\nresponses: { email: [ok@example.com, "not an address"] }`),
      'policies[0].monitors[0].responses.email[1]',
      /"not an address" is not an e-mail address/,
      10,
    ],
    [
      'a webhook that is not a URL',
      one(`${EV}\nresponses: { webhook: "hooks.example.com/x" }`),
      'policies[0].monitors[0].responses.webhook',
      /is not a URL; write https:\/\/host\/path/,
      10,
    ],
    [
      'a plain-http webhook',
      one(`${EV}\nresponses: { webhook: "http://hooks.example.com/x" }`),
      'policies[0].monitors[0].responses.webhook',
      /uses http; a webhook must use https/,
      10,
    ],
    [
      'a webhook with credentials',
      one(`${EV}\nresponses: { webhook: "https://u:p@hooks.example.com/x" }`),
      'policies[0].monitors[0].responses.webhook',
      /carries a user name or password/,
      10,
    ],
    [
      'a component monitor on a scripts component',
      one('type: component\ncomponent: scan-win\nintervalMins: 5'),
      'policies[0].monitors[0].component',
      /component "Bright Antivirus Quick Scan \[WIN\]" is of category "scripts"; a component monitor runs a component of category "monitors"/,
      6,
    ],
    [
      'an unknown component id',
      one('type: component\ncomponent: nope\nintervalMins: 5'),
      'policies[0].monitors[0].component',
      /no component with id "nope"/,
      6,
    ],
    [
      'a variable the component does not define',
      one('type: component\ncomponent: status-win\nintervalMins: 5\nvariables: { MaxAge: "7" }'),
      'policies[0].monitors[0].variables.MaxAge',
      /defines no input variable "MaxAge"; it defines MaxAgeDays, Mode, Verbose/,
      8,
    ],
    [
      'a boolean variable given text',
      one('type: component\ncomponent: status-win\nintervalMins: 5\nvariables: { Verbose: "yes" }'),
      'policies[0].monitors[0].variables.Verbose',
      /"yes" is not a boolean; variable Verbose takes true or false/,
      8,
    ],
    [
      'a selection value not among the options',
      one('type: component\ncomponent: status-win\nintervalMins: 5\nvariables: { Mode: everything }'),
      'policies[0].monitors[0].variables.Mode',
      /"everything" is not among the options of Mode: "Everything", "Service only"/,
      8,
    ],
    [
      'a variable given a list',
      one('type: component\ncomponent: status-win\nintervalMins: 5\nvariables: { MaxAgeDays: [7] }'),
      'policies[0].monitors[0].variables.MaxAgeDays',
      /expected text, a number or true\/false, found a list/,
      8,
    ],
    [
      'a text variable given a YAML boolean',
      one('type: component\ncomponent: status-win\nintervalMins: 5\nvariables: { MaxAgeDays: true }'),
      'policies[0].monitors[0].variables.MaxAgeDays',
      /variable MaxAgeDays is text; write "true" in quotes/,
      8,
    ],
    [
      'a uid reference that is not a UID',
      one('type: component\ncomponent: { uid: abc, name: X }\nintervalMins: 5'),
      'policies[0].monitors[0].component.uid',
      /"abc" is not a component UID/,
      6,
    ],
    [
      'a component monitor without interval',
      one('type: component\ncomponent: status-win'),
      'policies[0].monitors[0].intervalMins',
      /is required/,
      5,
    ],
    [
      'a misspelt key',
      one(`${EV}\nautoResolve: 60`),
      'policies[0].monitors[0]',
      /unknown key "autoResolve"/,
      5,
    ],
    [
      'auto-resolve of zero minutes',
      one(`${EV}\nautoResolveMins: 0`),
      'policies[0].monitors[0].autoResolveMins',
      /0 is too small; the least allowed is 1/,
      10,
    ],
    [
      'an empty process name',
      one('type: process\nprocess: ""'),
      'policies[0].monitors[0].process',
      /the process name may not be empty/,
      6,
    ],
    [
      'an unknown process state',
      one('type: process\nprocess: a.exe\nstate: paused'),
      'policies[0].monitors[0].state',
      /"paused" is not allowed; use one of "stopped", "running"/,
      7,
    ],
    [
      'a service monitor without a service',
      one('type: service\nstate: stopped'),
      'policies[0].monitors[0].service',
      /is required/,
      5,
    ],
    [
      'duplicate monitors',
      one(`${EV}\n`).replace(/\n$/, `\n      - ${EV.replaceAll('\n', '\n        ')}\n`),
      'policies[0].monitors[1]',
      /duplicate monitor: the same Event Log monitor as policies\[0\]\.monitors\[0\]/,
      10,
    ],
    [
      'a policy without monitors',
      'policies:\n  - name: P\n    monitors: []\n',
      'policies[0].monitors',
      /a policy needs at least one monitor/,
      3,
    ],
    [
      'a policy without a name',
      `policies:\n  - monitors:\n      - ${EV.replaceAll('\n', '\n        ')}\n`,
      'policies[0].name',
      /is required/,
      2,
    ],
    [
      'an unknown scope',
      `policies:\n  - name: P\n    scope: tenant\n    monitors:\n      - ${EV.replaceAll('\n', '\n        ')}\n`,
      'policies[0].scope',
      /"tenant" is not allowed; use one of "global", "site"/,
      3,
    ],
    [
      'two policies of one name',
      `policies:\n  - name: P\n    monitors:\n      - ${EV.replaceAll('\n', '\n        ')}\n  - name: p\n    monitors:\n      - ${EV.replaceAll('\n', '\n        ')}\n`,
      'policies[1].name',
      /policy name "p" is also used by policies\[0\]/,
      9,
    ],
    ['an unknown top-level key', `vendor: X\npolicies: []\n`, 'vendor', /unknown top-level key "vendor"/, 1],
  ];

  for (const [name, yaml, path, message, line] of cases) {
    it(`reports ${name} with its path and line`, async () => {
      const issues = await issuesOf(yaml);
      const hit = issues.find((i) => i.path === path);
      assert.ok(hit, `no issue at ${path}; got ${JSON.stringify(issues, null, 1)}`);
      assert.match(hit.message, message);
      assert.match(hit.message, new RegExp(`\\(line ${line}, column \\d+\\)$`));
    });
  }

  it('reports every problem of a file at once, across policies and monitors', async () => {
    const yaml = `policies:
  - name: A
    monitors:
      - type: eventlog
        log: ""
        source: S
        codes: [99999]
        eventTypes: [Bad]
        priority: Urgent
      - type: process
        process: x.exe
        responses: { email: [nope], webhook: "ftp://x" }
  - name: B
    monitors:
      - type: component
        component: scan-win
        intervalMins: 0
`;
    const issues = await issuesOf(yaml);
    assert.deepEqual(issues.map((i) => i.path).sort(), [
      'policies[0].monitors[0].codes[0]',
      'policies[0].monitors[0].eventTypes[0]',
      'policies[0].monitors[0].log',
      'policies[0].monitors[0].priority',
      'policies[0].monitors[1].responses.email[0]',
      'policies[0].monitors[1].responses.webhook',
      'policies[1].monitors[0].component',
      'policies[1].monitors[0].intervalMins',
    ]);
  });

  it('refuses a YAML alias bomb instead of expanding it', async () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let k = 1; k < 12; k++)
      lines.push(
        `a${k}: &a${k} [${Array(10)
          .fill(`*a${k - 1}`)
          .join(', ')}]`,
      );
    lines.push('policies: *a11');
    await assert.rejects(
      loadPolicySource('bomb.yaml', `${lines.join('\n')}\n`, idResolver),
      (e: unknown) =>
        e instanceof InputError && /bomb\.yaml: cannot be read: Excessive alias count/.test(e.message),
    );
  });

  it('loads a policy file written as JSON', async () => {
    const [p] = await loadYaml(
      JSON.stringify({
        policies: [{ name: 'J', monitors: [{ type: 'service', service: 'Spooler', priority: 'Low' }] }],
      }),
    );
    assert.equal(p?.monitors[0]?.priority, 'Low');
  });

  it('allows the same events twice with other trigger counts (an escalation), not the same trigger', async () => {
    const mon = (count: number, priority: string) =>
      `      - ${EV.replaceAll('\n', '\n        ')}\n        trigger: { count: ${count}, windowMins: 60 }\n        priority: ${priority}\n`;
    const ok = await loadYaml(
      `policies:\n  - name: P\n    monitors:\n${mon(1, 'Moderate')}${mon(10, 'Critical')}`,
    );
    assert.equal(ok[0]?.monitors.length, 2);
    const issues = await issuesOf(
      `policies:\n  - name: P\n    monitors:\n${mon(1, 'Moderate')}${mon(1, 'Critical')}`,
    );
    assert.deepEqual(
      issues.map((i) => i.path),
      ['policies[0].monitors[1]'],
    );
  });

  it('reports invalid YAML with its line', async () => {
    await assert.rejects(
      loadPolicySource('bad.yaml', 'policies:\n  - name: [unclosed\n', idResolver),
      /bad\.yaml: invalid YAML at line \d+/,
    );
  });

  it('normalizes with the documented defaults and the component order of variables', async () => {
    const [p] = await loadYaml(
      `policies:
  - name: " Defaults "
    monitors:
      - type: eventlog
        log: Application
        source: S
        codes: ["26108", 7]
        eventTypes: [Error]
      - type: component
        component: status-win
        intervalMins: 15
        variables: { Verbose: true, MaxAgeDays: 7, Mode: Service only }
      - type: service
        service: Spooler
        responses: { email: soc@example.com, webhook: "https://Hooks.Example.com/a b" }
`,
      idResolver,
    );
    assert.ok(p);
    assert.equal(p.name, 'Defaults');
    assert.equal(p.description, '');
    assert.equal(p.scope, 'global');
    assert.equal(p.enabled, true);
    const [ev, comp, svc] = p.monitors;
    assert.deepEqual(ev, {
      type: 'eventlog',
      log: 'Application',
      source: 'S',
      codes: [26108, 7],
      eventTypes: ['Error'],
      trigger: { count: 1 },
      priority: 'Moderate',
      responses: { email: [], ticket: false },
    });
    assert.equal(comp?.type, 'component');
    if (comp?.type === 'component') {
      assert.deepEqual(comp.variables, [
        { name: 'MaxAgeDays', value: '7' },
        { name: 'Mode', value: 'Service only' },
        { name: 'Verbose', value: 'true' },
      ]);
      assert.equal(comp.component.strategy, 'embed');
      assert.equal(comp.component.uid, '6f1c2a0e-5b7d-4c3e-9a41-2d8e7f6b1c35');
    }
    assert.deepEqual(svc?.responses, {
      email: ['soc@example.com'],
      ticket: false,
      webhook: 'https://hooks.example.com/a%20b',
    });
    assert.equal(svc?.type === 'service' && svc.state, 'stopped');
  });

  it('validates raw policies from an integration file (no YAML positions) through validatePolicies', async () => {
    const r = await validatePolicies(
      [{ name: 'X', monitors: [{ type: 'component', component: 'status-win', intervalMins: 15 }] }],
      { resolveComponent: idResolver },
    );
    assert.deepEqual(r.issues, []);
    assert.equal(r.policies[0]?.monitors[0]?.type, 'component');
    const bad = await validatePolicies(
      [{ name: 'X', monitors: [{ type: 'component', component: 'scan-win', intervalMins: 15 }] }],
      {
        resolveComponent: idResolver,
        prefix: 'integration.policies',
      },
    );
    assert.equal(bad.policies.length, 0);
    assert.equal(bad.issues[0]?.path, 'integration.policies[0].monitors[0].component');
    assert.equal(bad.issues[0]?.line, undefined);
    const notList = await validatePolicies({ name: 'X' });
    assert.match(notList.issues[0]?.message ?? '', /expected a list of policies, found a mapping/);
  });

  it('resolves .cpt paths relative to the policy file, and says why a path fails', async () => {
    const resolve = fileResolver(POLICIES_DIR);
    const ok = await resolve('components/bright-antivirus-status-win.cpt', { path: 'x', role: 'monitor' });
    assert.ok('component' in ok && ok.component.general.category === 'monitors');
    const missing = await resolve('components/none.cpt', { path: 'x', role: 'monitor' });
    assert.ok('error' in missing && /cannot read "components\/none\.cpt" \(ENOENT\)/.test(missing.error));
    const id = await resolve('status-win', { path: 'x', role: 'monitor' });
    assert.ok(
      'error' in id &&
        /not a \.cpt path, and a policy-only file has no components to name by id/.test(id.error),
    );
    const scripts = await fileResolver(FIXTURES)('quick-scan-scripts.cpt', { path: 'x', role: 'monitor' });
    assert.ok('component' in scripts);
    assert.equal(scripts.component.general.category, 'scripts');
    // the fixture .cpt files are the fixture definitions, packed
    assert.deepEqual(
      readCpt(
        'a',
        (await import('node:fs')).readFileSync(
          join(POLICIES_DIR, 'components/bright-antivirus-status-win.cpt'),
        ),
      ).general,
      brightStatus().general,
    );
  });
});

describe('policies of an integration file (buildPolicyArtefacts)', () => {
  it('resolves component ids to the built components and writes .pcy and sheets under policies/', async () => {
    const { buildPolicyArtefacts } = await import('../../lib/policy/artefacts.js');
    const { readPolicy } = await import('../../lib/policy/profile.js');
    const raw = [
      {
        name: 'Bright Antivirus alerts',
        monitors: [
          { type: 'component', component: 'status-win', intervalMins: 15, variables: { MaxAgeDays: '7' } },
        ],
      },
    ];
    const r = await buildPolicyArtefacts(raw, {
      subject: 'bright.yaml',
      components: new Map([['status-win', brightStatus()]]),
      baseDir: POLICIES_DIR,
    });
    assert.deepEqual(
      [...r.files.keys()],
      [
        'policies/bright-antivirus-alerts.pcy',
        'policies/bright-antivirus-alerts.sheet.md',
        'policies/bright-antivirus-alerts.sheet.html',
        // the embedded component, beside the .pcy as the sheet says
        'policies/components/bright-antivirus-status-win.cpt',
      ],
    );
    const beside = r.files.get('policies/components/bright-antivirus-status-win.cpt') as Uint8Array;
    assert.equal(readCpt('beside.cpt', beside).general.uid, brightStatus().general.uid);
    const p = readPolicy('x', r.files.get('policies/bright-antivirus-alerts.pcy') as Uint8Array);
    assert.equal(
      p.monitors[0]?.type === 'component' && p.monitors[0].component.name,
      'Bright Antivirus Status [WIN]',
    );
    await assert.rejects(
      buildPolicyArtefacts(
        [{ name: 'X', monitors: [{ type: 'component', component: 'deploy-win', intervalMins: 5 }] }],
        {
          subject: 'bright.yaml',
          components: new Map([['status-win', brightStatus()]]),
          baseDir: POLICIES_DIR,
          locate: () => ({ line: 42, column: 9 }),
        },
      ),
      /bright\.yaml is not valid \(1 error\):\n {2}policies\[0\]\.monitors\[0\]\.component: no component with id "deploy-win" in this integration file; ids are status-win, or write a \.cpt path or \{ uid, name \} \(line 42, column 9\)/,
    );
  });
});

describe('JSON Schema of the policy file', () => {
  it('the committed schema/policies.schema.json is the one generated from the zod shapes', async () => {
    const { policyFileJsonSchema } = await import('../../lib/policy/validate.js');
    const { readFileSync, writeFileSync } = await import('node:fs');
    const path = join(POLICIES_DIR, '../schema/policies.schema.json');
    const text = `${JSON.stringify(policyFileJsonSchema(), null, 2)}\n`;
    if (process.env.UPDATE_GOLDEN === '1' && !process.env.CI) writeFileSync(path, text);
    // compared as data: the committed file is formatted by biome
    assert.deepEqual(
      JSON.parse(readFileSync(path, 'utf8')),
      JSON.parse(text),
      'schema/policies.schema.json is stale (UPDATE_GOLDEN=1 to regenerate)',
    );
    const s = JSON.parse(text);
    // every monitor type of the table is in the schema, with its fields
    const types = s.properties.policies.items.properties.monitors.items.oneOf.map(
      (o: { properties: { type: { const: string } } }) => o.properties.type.const,
    );
    assert.deepEqual(types, ['eventlog', 'component', 'process', 'service']);
  });
});
