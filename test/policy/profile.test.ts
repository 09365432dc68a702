// Tests of the rmmkit-pcy/1 writer and reader: exact policy.xml per the spec, round trip of every
// example, determinism, refusal of hostile archives, and unknown later-profile content kept.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCpt, writeCpt } from '../../lib/component/cpt.js';
import { InputError } from '../../lib/errors.js';
import { parseDosDateTime, readZip, writeZipDatto } from '../../lib/io/zip.js';
import { diffPolicies } from '../../lib/policy/diff.js';
import { loadPolicyFile } from '../../lib/policy/load.js';
import { buildPolicy, PCY1, readPolicy, writePolicyXml } from '../../lib/policy/profile.js';
import type { ComponentMonitor, Policy } from '../../lib/policy/types.js';
import { brightStatus } from './fixtures.js';
import {
  exampleIntegrationFilesWithPolicies,
  examplePolicyFiles,
  POLICIES_DIR,
  smallPolicy,
} from './helpers.js';

const T = parseDosDateTime('t', '1980-01-01T00:00:00');
const zip = (...entries: [string, string | Uint8Array][]) =>
  writeZipDatto(
    entries.map(([name, data]) => ({
      name,
      data: typeof data === 'string' ? Buffer.from(data, 'utf8') : data,
    })),
    T,
  );

/** Text that deflate cannot squeeze far (a linear congruential sequence of letters). */
function noise(n: number): string {
  let x = 12345;
  let s = '';
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    s += String.fromCharCode(97 + ((x >> 16) % 26));
  }
  return s;
}

function refuses(bytes: Uint8Array, message: RegExp, code?: string) {
  assert.throws(
    () => readPolicy('bad.pcy', bytes),
    (err: unknown) => {
      assert.ok(err instanceof InputError, `expected an InputError, got ${err}`);
      assert.match(err.message, message);
      if (code) assert.equal(err.code, code);
      return true;
    },
  );
}

/** policy.xml of smallPolicy(), written by hand from shared/specs/pcy.md (not from the writer). */
const SMALL_XML = [
  '<?xml version="1.0" encoding="UTF-8" standalone="no"?><policy info="CentraStage Policy" format="rmmkit-pcy/1">',
  '    <general>',
  '        <name>Small &amp; &lt;simple&gt;</name>',
  '        <description/>',
  '        <type>monitoring</type>',
  '        <scope>site</scope>',
  '        <enabled>false</enabled>',
  '    </general>',
  '    <monitor idx="0">',
  '        <type>eventlog</type>',
  '        <priority>High</priority>',
  '        <autoresolveMins>60</autoresolveMins>',
  '        <eventlog>',
  '            <logName>Application</logName>',
  '            <source>Bright Antivirus</source>',
  '            <code>26108</code>',
  '            <code>7</code>',
  '            <eventType>Error</eventType>',
  '            <eventType>Warning</eventType>',
  '            <triggerCount>2</triggerCount>',
  '            <windowMins>30</windowMins>',
  '        </eventlog>',
  '        <responses>',
  '            <email>a@example.com</email>',
  '            <ticket>true</ticket>',
  '            <webhook>https://hooks.example.com/x?a=1&amp;b=2</webhook>',
  '        </responses>',
  '    </monitor>',
  '    <monitor idx="1">',
  '        <type>process</type>',
  '        <priority>Low</priority>',
  '        <process>',
  '            <processName>BvAntiSrv.exe</processName>',
  '            <state>stopped</state>',
  '        </process>',
  '        <responses>',
  '            <ticket>false</ticket>',
  '        </responses>',
  '    </monitor>',
  '</policy>',
].join('\n');

describe('rmmkit-pcy/1 profile', () => {
  it('writes policy.xml exactly as the spec describes (declaration, root, 4-space indent, no trailing newline)', () => {
    assert.equal(writePolicyXml(smallPolicy()), SMALL_XML);
  });

  it('puts policy.xml first, then one components/<slug>.cpt per embedded component, with pinned timestamps', async () => {
    const { policies } = await loadPolicyFile(join(POLICIES_DIR, 'bright-antivirus.policies.yaml'));
    const bytes = buildPolicy(policies[0]!);
    const z = readZip('x.pcy', bytes, undefined, () => {});
    assert.deepEqual(
      z.entries.map((e) => e.name),
      ['policy.xml', 'components/bright-antivirus-status-win.cpt'],
    );
    assert.ok(z.dattoFingerprint, 'same zip conventions as a .cpt');
    assert.equal(z.dosDateTime?.date, T.date);
    assert.equal(z.dosDateTime?.time, T.time);
    // the embedded component is the fixture, byte for byte
    const fixture = readFileSync(join(POLICIES_DIR, 'components/bright-antivirus-status-win.cpt'));
    assert.ok(Buffer.from(z.entries[1]!.data).equals(fixture));
    const xml = Buffer.from(z.entries[0]!.data).toString('utf8');
    assert.match(
      xml,
      /<comp_script>\n {12}<componentUid>6f1c2a0e-5b7d-4c3e-9a41-2d8e7f6b1c35<\/componentUid>/,
    );
    assert.match(xml, /<entry>components\/bright-antivirus-status-win\.cpt<\/entry>/);
    assert.match(xml, /<variable idx="0">\n {16}<name>MaxAgeDays<\/name>\n {16}<value>7<\/value>/);
  });

  for (const file of examplePolicyFiles()) {
    it(`round trip: build → read → normalize equals the source for ${file.split('/').pop()}`, async () => {
      const { policies } = await loadPolicyFile(file);
      assert.ok(policies.length > 0);
      for (const p of policies) {
        const back = readPolicy('x.pcy', buildPolicy(p));
        assert.deepEqual(back, p);
        assert.deepEqual(diffPolicies(p, back), []);
        // and again: the rebuilt bytes are identical
        assert.ok(Buffer.from(buildPolicy(back)).equals(Buffer.from(buildPolicy(p))));
      }
    });
  }

  for (const file of exampleIntegrationFilesWithPolicies()) {
    it(`integration file ${file.split('/').pop()}: rmmkit build writes each policy; read back it equals the file's`, async () => {
      const { loadIntegration } = await import('../../lib/integration/load.js');
      const { buildIntegration } = await import('../../lib/integration/build.js');
      const { validatePolicies } = await import('../../lib/policy/validate.js');
      const { integrationResolver } = await import('../../lib/policy/artefacts.js');
      const integration = await loadIntegration(file);
      const built = await buildIntegration(integration);
      const pcys = [...built.files.keys()].filter((k) => k.endsWith('.pcy'));
      assert.equal(pcys.length, integration.policies.length);
      // The source, normalized on its own (against the components the same build made).
      const models = new Map(built.components.map((b) => [b.component.id, b.model]));
      const r = await validatePolicies(integration.policies, {
        resolveComponent: integrationResolver(models, POLICIES_DIR),
      });
      assert.deepEqual(
        r.issues.filter((i) => i.severity === 'error'),
        [],
      );
      pcys.forEach((k, i) => {
        const back = readPolicy(k, built.files.get(k) as Uint8Array);
        assert.deepEqual(back, r.policies[i]);
        assert.ok(built.files.has(k.replace(/\.pcy$/, '.sheet.md')));
        assert.ok(built.files.has(k.replace(/\.pcy$/, '.sheet.html')));
      });
      // A component monitor embeds the component the build made, byte for byte.
      for (const p of r.policies)
        for (const m of p.monitors)
          if (m.type === 'component' && m.component.strategy === 'embed') {
            const mine = built.components.find((b) => b.model.general.uid === m.component.uid);
            assert.ok(mine, `component monitor of ${p.name} names a built component`);
            // as the .cpt the build wrote reads back (the zip timestamp included)
            assert.deepEqual(m.component.component, readCpt(mine.file, mine.bytes));
          }
    });
  }

  it('is deterministic: the same policy gives the same bytes; SOURCE_DATE_EPOCH moves only the timestamp', () => {
    const a = buildPolicy(smallPolicy());
    const b = buildPolicy(smallPolicy());
    assert.ok(Buffer.from(a).equals(Buffer.from(b)));
    const c = buildPolicy(smallPolicy(), { sourceDateEpoch: Date.UTC(2026, 10, 29, 12, 0, 0) / 1000 });
    assert.equal(c.length, a.length);
    const z = readZip('c', c);
    assert.equal(z.dosDateTime?.date, ((2026 - 1980) << 9) | (11 << 5) | 29);
    assert.equal(z.dosDateTime?.time, 12 << 11);
  });

  it('round-trips a uid reference, a response component, e-mail, webhook and text needing escapes', () => {
    const status = readCpt('s', writeCpt(brightStatus()));
    const p: Policy = {
      ...smallPolicy(),
      description: 'line one\r\nline "two" & <three>\ttabbed',
      monitors: [
        {
          type: 'component',
          component: {
            strategy: 'uid',
            uid: '11111111-2222-4333-8444-555555555555',
            name: 'Disk check [WIN]',
          },
          variables: [{ name: 'Threshold', value: '90 %' }],
          intervalMins: 5,
          priority: 'Critical',
          responses: {
            email: [],
            ticket: false,
            component: {
              strategy: 'embed',
              uid: status.general.uid!,
              name: status.general.name!,
              component: status,
            },
          },
        },
        {
          type: 'service',
          service: 'BrightAvSvc',
          state: 'running',
          priority: 'Information',
          autoResolveMins: 1,
          responses: { email: ['x@example.com', 'y@example.com'], ticket: true },
        },
      ],
    };
    const bytes = buildPolicy(p);
    const back = readPolicy('x.pcy', bytes);
    assert.deepEqual(back, p);
    const xml = Buffer.from(readZip('x', bytes, undefined, () => {}).entries[0]!.data).toString('utf8');
    assert.match(xml, /<type>srvc<\/type>/);
    assert.match(xml, /<type>comp_script<\/type>/);
    assert.ok(!/<entry>/.test(xml.split('<responses>')[0]!), 'a uid reference has no entry');
  });

  it('stores one entry for a component used twice, and distinct slugs for distinct components of one name', () => {
    const a = readCpt('a', writeCpt(brightStatus()));
    const b = readCpt('b', writeCpt({ ...brightStatus(), body: Buffer.from('Write-Host other\n') }));
    const mon = (c: typeof a, n: number): ComponentMonitor => ({
      type: 'component',
      component: { strategy: 'embed', uid: c.general.uid!, name: c.general.name!, component: c },
      variables: [{ name: 'MaxAgeDays', value: String(n) }],
      intervalMins: 15,
      priority: 'High',
      responses: { email: [], ticket: false },
    });
    const p: Policy = { ...smallPolicy(), monitors: [mon(a, 1), mon(a, 2), mon(b, 3)] };
    const names = readZip('x', buildPolicy(p), undefined, () => {}).entries.map((e) => e.name);
    assert.deepEqual(names, [
      'policy.xml',
      'components/bright-antivirus-status-win.cpt',
      'components/bright-antivirus-status-win-2.cpt',
    ]);
    assert.deepEqual(readPolicy('x', buildPolicy(p)), p);
  });

  describe('reading refuses hostile or foreign input with a clear error', () => {
    const xml = (body: string) => zip(['policy.xml', body]);
    const cases: [string, Uint8Array, RegExp, string?][] = [
      [
        'a DOCTYPE (entity expansion)',
        xml(`<?xml version="1.0"?><!DOCTYPE policy [<!ENTITY a "aaaa">]><policy format="rmmkit-pcy/1"/>`),
        /bad\.pcy!policy\.xml: DOCTYPE declaration at line 1: document types and entities are refused/,
        'DOCTYPE',
      ],
      [
        'a zip-slip entry name',
        zip(['policy.xml', SMALL_XML], ['../evil.cpt', 'x']),
        /unsafe entry name "\.\.\/evil\.cpt"/,
        'UNSAFE_ENTRY',
      ],
      [
        'an absolute entry name',
        zip(['policy.xml', SMALL_XML], ['/etc/passwd', 'x']),
        /unsafe entry name "\/etc\/passwd"/,
        'UNSAFE_ENTRY',
      ],
      [
        'folders deeper than components/',
        zip(['policy.xml', SMALL_XML], ['a/b/c.cpt', 'x']),
        /at most one folder level/,
        'UNSAFE_ENTRY',
      ],
      [
        'a zip bomb',
        zip(['policy.xml', SMALL_XML], ['components/bomb.cpt', Buffer.alloc(20 * 1024 * 1024)]),
        /compression ratio above 1000:1/,
        'ZIP_BOMB',
      ],
      [
        'oversized policy.xml',
        xml(`<policy>${noise(4 * 1024 * 1024)}</policy>`),
        /bad\.pcy!policy\.xml: 4194321 bytes of XML; at most 4194304 bytes are read/,
        'TOO_LARGE',
      ],
      [
        'elements nested 100 000 deep',
        xml(`${'<a>'.repeat(100000)}${'</a>'.repeat(100000)}`),
        /bad\.pcy!policy\.xml: (cannot be parsed|elements nested deeper)/,
        'BAD_XML',
      ],
      [
        'no policy.xml',
        zip(['other.xml', '<x/>']),
        /no policy\.xml entry \(entries: other\.xml\).*policy probe/,
        'NOT_A_POLICY',
      ],
      ['not a zip', Buffer.from('<policy/>'), /not a zip archive/],
      ['malformed XML', xml('<policy><general></policy>'), /invalid XML at line 1/],
      [
        'a foreign root element',
        xml('<Policies version="9"><x/></Policies>'),
        /the root element is <Policies>, expected <policy>.*policy probe/,
        'BAD_POLICY',
      ],
      [
        'a policy without the rmmkit format',
        xml('<policy info="CentraStage Policy"><general/></policy>'),
        /format is missing; rmmkit reads rmmkit-pcy\/1 .*probe --redact/,
      ],
      [
        'an unknown priority token',
        xml(SMALL_XML.replace('<priority>High</priority>', '<priority>Urgent</priority>')),
        /monitor\[0\]\.priority: "Urgent" is not a known value; expected one of Critical, High, Moderate, Low, Information/,
      ],
      [
        'an event code that is not a number',
        xml(SMALL_XML.replace('<code>7</code>', '<code>seven</code>')),
        /monitor\[0\]\.eventlog\.code\[1\]: "seven" is not a whole number/,
      ],
      [
        'a missing required element',
        xml(SMALL_XML.replace('            <logName>Application</logName>\n', '')),
        /monitor\[0\]\.eventlog\.logName: is missing/,
      ],
    ];
    for (const [name, bytes, message, code] of cases) it(name, () => refuses(bytes, message, code));

    it('an embedded component the archive lacks', () => {
      const p = smallPolicy();
      const status = readCpt('s', writeCpt(brightStatus()));
      p.monitors[1] = {
        type: 'component',
        component: { strategy: 'embed', uid: 'u', name: 'n', component: status },
        variables: [],
        intervalMins: 1,
        priority: 'Low',
        responses: { email: [], ticket: false },
      };
      const entries = readZip('x', buildPolicy(p), undefined, () => {}).entries.slice(0, 1);
      refuses(
        writeZipDatto(entries, T),
        /monitor\[1\]\.comp_script\.entry names entry "components\/n\.cpt", which the archive does not hold/,
      );
    });
  });

  it('keeps what a later profile adds: unknown elements, an unknown monitor type, extra entries', () => {
    const later = SMALL_XML.replace('format="rmmkit-pcy/1"', 'format="rmmkit-pcy/2"')
      .replace(
        '<enabled>false</enabled>',
        '<enabled>false</enabled>\n        <targets><site uid="s1"/><site uid="s2"/></targets>',
      )
      .replace(
        '<windowMins>30</windowMins>',
        '<windowMins>30</windowMins>\n            <computerName>*</computerName>',
      )
      .replace('<ticket>true</ticket>', '<ticket>true</ticket>\n            <sms>+15550100</sms>')
      .replace(
        '</policy>',
        '    <monitor idx="2">\n        <type>perf_disk</type>\n        <threshold unit="%">90</threshold>\n    </monitor>\n    <schedule days="Mon"/>\n</policy>',
      );
    const bytes = zip(['policy.xml', later], ['notes/readme.txt', 'later profile notes']);
    const p = readPolicy('later.pcy', bytes);
    assert.equal(p.extras?.format, 'rmmkit-pcy/2');
    assert.deepEqual(Object.keys(p.extras?.elements ?? {}).sort(), [
      'general',
      'monitor[0].eventlog',
      'monitor[0].responses',
      'policy',
    ]);
    assert.equal(p.monitors.length, 2, 'the known monitors are read');
    assert.deepEqual(
      p.extras?.elements?.policy?.map((e) => e.name),
      ['monitor', 'schedule'],
    );
    assert.equal(p.extras?.entries?.[0]?.name, 'notes/readme.txt');
    // written back and read again, nothing is lost
    const again = readPolicy('again.pcy', buildPolicy(p));
    assert.deepEqual(again, p);
    const xml = writePolicyXml(p);
    assert.match(xml, /format="rmmkit-pcy\/2"/);
    assert.match(xml, /<targets>\n {12}<site uid="s1"\/>\n {12}<site uid="s2"\/>\n {8}<\/targets>/);
    assert.match(xml, /<threshold unit="%">90<\/threshold>/);
    // the known part is the small policy
    const known = { ...p };
    delete known.extras;
    assert.deepEqual(known, smallPolicy());
  });

  it('reads an ordinary zip too: stored entries, a directory entry, another timestamp (test/fixtures/policy/repacked-stored.pcy, made with Python zipfile)', async () => {
    const bytes = readFileSync(join(POLICIES_DIR, '../test/fixtures/policy/repacked-stored.pcy'));
    const z = readZip('r', bytes, undefined, () => {});
    assert.equal(z.dattoFingerprint, false);
    assert.ok(z.info.every((e) => e.method === 0));
    const { policies } = await loadPolicyFile(join(POLICIES_DIR, 'bright-antivirus.policies.yaml'));
    const p = readPolicy('repacked-stored.pcy', bytes);
    assert.deepEqual(diffPolicies(p, policies[0]!), []);
    assert.equal(p.extras, undefined, 'the directory entry is not kept as an unknown entry');
    // rebuilt in rmmkit's own form: the same bytes as building the source
    assert.ok(Buffer.from(buildPolicy(p)).equals(Buffer.from(buildPolicy(policies[0]!))));
  });

  it('has every element name and token in the one PCY1 table', () => {
    const xml = writePolicyXml(smallPolicy());
    const names = [...xml.matchAll(/<([A-Za-z_][\w.-]*)/g)].map((m) => m[1]!);
    const table = JSON.stringify(PCY1);
    for (const n of new Set(names)) assert.ok(table.includes(`"${n}"`), `<${n}> is not in PCY1`);
  });
});
