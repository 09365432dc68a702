// Tests of probe (zip → entries, XML → root and element paths, JSON → key paths, else first bytes)
// and redaction: no original name, e-mail, UID, URL or free text survives; structure does.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { InputError } from '../../lib/errors.js';
import { parseDosDateTime, readZip, writeZipDatto } from '../../lib/io/zip.js';
import { loadPolicyFile } from '../../lib/policy/load.js';
import { formatProbe, maskShape, probeBytes, redactBytes, sniff } from '../../lib/policy/probe.js';
import { buildPolicy } from '../../lib/policy/profile.js';
import { POLICIES_DIR } from './helpers.js';

const T = parseDosDateTime('t', '1980-01-01T00:00:00');
const utf8 = (b: Uint8Array) => Buffer.from(b).toString('utf8');

/** A made-up "vendor export" in a layout rmmkit does not know, full of things that must not leak. */
const SECRET = {
  name: 'Contoso Nightwatch Policy',
  email: 'alice.admin@contoso-msp.example',
  uid: '9b2f4c1e-77aa-4d0b-bf3e-1234567890ab',
  url: 'https://portal.contoso-msp.example/hooks/abc?token=s3cr3tT0ken',
  text: 'Call Bob on extension 4471 if Fabrikam servers page',
  site: 'Fabrikam HQ',
};

const FOREIGN_XML = `<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet href="https://portal.contoso-msp.example/style.xsl"?>
<PolicyExport version="3" exportedBy="${SECRET.email}">
  <!-- exported for ${SECRET.site} -->
  <Policy uid="${SECRET.uid}" name="${SECRET.name}">
    <Target site="${SECRET.site}"/>
    <Monitor kind="eventlog" priority="High">
      <Log>Application</Log>
      <Code>26108</Code>
      <Notes>${SECRET.text} &amp; more</Notes>
      <Webhook>${SECRET.url}</Webhook>
    </Monitor>
    <Monitor kind="srvc" priority="Critical"><Service>NightwatchSvc</Service></Monitor>
  </Policy>
</PolicyExport>`;

const FOREIGN_JSON = JSON.stringify({
  sites: { [SECRET.site]: { [SECRET.uid]: true } },
  policy: {
    name: SECRET.name,
    uid: SECRET.uid,
    monitors: [
      { type: 'eventlog', priority: 'High', codes: [26108], notify: [SECRET.email] },
      { type: 'srvc', priority: 'Low', webhook: SECRET.url, note: SECRET.text },
    ],
  },
});

function assertNoSecrets(bytes: Uint8Array, where: string) {
  // look inside nested archives too: every entry of every zip, as text
  const texts: string[] = [];
  const collect = (b: Uint8Array, depth: number) => {
    if (sniff(b) === 'zip' && depth < 3)
      for (const e of readZip('r', b, undefined, () => {}).entries) collect(e.data, depth + 1);
    else texts.push(utf8(b));
    if (sniff(b) === 'zip')
      texts.push(
        readZip('r', b, undefined, () => {})
          .entries.map((e) => e.name)
          .join('\n'),
      );
  };
  collect(bytes, 0);
  const all = texts.join('\n');
  const needles = [
    SECRET.name,
    'Contoso',
    'contoso',
    'Nightwatch',
    'alice',
    SECRET.uid,
    SECRET.uid.slice(0, 8),
    'portal',
    's3cr3t',
    'Bob',
    'Fabrikam',
    '4471',
    'Bright',
    'BvAntiSrv',
    '6f1c2a0e',
    'MaxAgeDays',
  ];
  for (const n of needles) assert.ok(!all.includes(n), `${where}: ${JSON.stringify(n)} survived redaction`);
}

describe('policy probe', () => {
  it('probes a .pcy: entries in order, nested policy.xml paths with counts, the embedded .cpt', async () => {
    const { policies } = await loadPolicyFile(join(POLICIES_DIR, 'bright-antivirus.policies.yaml'));
    const r = probeBytes('b.pcy', buildPolicy(policies[0]!));
    assert.equal(r.kind, 'zip');
    assert.deepEqual(
      r.entries?.map((e) => e.name),
      ['policy.xml', 'components/bright-antivirus-status-win.cpt'],
    );
    const xml = r.entries?.[0]?.probe;
    assert.equal(xml?.kind, 'xml');
    assert.deepEqual(xml?.root, {
      name: 'policy',
      attributes: { info: 'CentraStage Policy', format: 'rmmkit-pcy/1' },
    });
    const count = (p: string) => xml?.paths?.find((x) => x.path === p)?.count;
    assert.equal(count('policy/monitor'), 3);
    assert.equal(count('policy/monitor/responses/ticket'), 3);
    assert.equal(count('policy/monitor/eventlog/code'), 1);
    assert.deepEqual(xml?.paths?.find((x) => x.path === 'policy/monitor')?.details, ['@idx']);
    const cpt = r.entries?.[1]?.probe;
    assert.equal(cpt?.kind, 'zip');
    assert.deepEqual(
      cpt?.entries?.map((e) => e.name),
      ['command.bat', 'resource.xml'],
    );
    assert.equal(cpt?.entries?.[1]?.probe?.root?.name, 'component');
    const text = formatProbe(r).join('\n');
    assert.match(
      text,
      /^ZIP archive, \d+ bytes\nentries \(2, archive order\):\n {2}policy\.xml {2}\d+ bytes, deflated to \d+/,
    );
    assert.match(text, /policy\/monitor {2}3 {2}@idx/);
  });

  it('probes XML: root, attributes, element paths with counts and attribute names', () => {
    const r = probeBytes('x.xml', Buffer.from(FOREIGN_XML));
    assert.equal(r.kind, 'xml');
    assert.deepEqual(r.root, {
      name: 'PolicyExport',
      // shown redacted: a probe's output is safe to paste
      attributes: { version: '3', exportedBy: 'user1@example.com' },
    });
    assert.deepEqual(
      r.paths?.map((p) => [p.path, p.count, p.details.join(' ')]),
      [
        ['PolicyExport', 1, '@version @exportedBy'],
        ['PolicyExport/Policy', 1, '@uid @name'],
        ['PolicyExport/Policy/Target', 1, '@site'],
        ['PolicyExport/Policy/Monitor', 2, '@kind @priority'],
        ['PolicyExport/Policy/Monitor/Log', 1, ''],
        ['PolicyExport/Policy/Monitor/Code', 1, ''],
        ['PolicyExport/Policy/Monitor/Notes', 1, ''],
        ['PolicyExport/Policy/Monitor/Webhook', 1, ''],
        ['PolicyExport/Policy/Monitor/Service', 1, ''],
      ],
    );
  });

  it('probes JSON: key paths with counts and value types', () => {
    const r = probeBytes('x.json', Buffer.from(`\uFEFF ${FOREIGN_JSON}`));
    assert.equal(r.kind, 'json');
    const get = (p: string) => r.paths?.find((x) => x.path === p);
    assert.deepEqual(get('policy.monitors[]'), { path: 'policy.monitors[]', count: 2, details: ['object'] });
    assert.deepEqual(get('policy.monitors[].type'), {
      path: 'policy.monitors[].type',
      count: 2,
      details: ['string'],
    });
    assert.deepEqual(get('policy.monitors[].codes[]'), {
      path: 'policy.monitors[].codes[]',
      count: 1,
      details: ['number'],
    });
  });

  it('shows the first bytes of anything else', () => {
    const r = probeBytes('x.bin', Buffer.from([0x00, 0x01, 0x41, 0x42, 0xff]));
    assert.equal(r.kind, 'unknown');
    assert.deepEqual(r.head, { hex: '00 01 41 42 ff', text: '..AB.' });
  });

  it('refuses broken or hostile JSON as bad input', () => {
    for (const [text, message] of [
      ['{"a": ', /x\.json: invalid JSON/],
      [`${'['.repeat(100)}${']'.repeat(100)}`, /x\.json: JSON nested deeper than 64 levels; refused/],
    ] as const) {
      assert.throws(
        () => probeBytes('x.json', Buffer.from(text)),
        (e: unknown) => e instanceof InputError && message.test(e.message),
      );
      assert.throws(
        () => redactBytes('x.json', Buffer.from(text)),
        (e: unknown) => e instanceof InputError && message.test(e.message),
      );
    }
  });

  it('refuses a DOCTYPE in a probed XML file, and a zip-slip entry in a probed archive', () => {
    assert.throws(
      () => probeBytes('x.xml', Buffer.from('<!DOCTYPE x [<!ENTITY e "e">]><x>&e;</x>')),
      (e: unknown) => e instanceof InputError && /x\.xml: DOCTYPE declaration at line 1/.test(e.message),
    );
    const slip = writeZipDatto([{ name: 'a/../../etc/x', data: Buffer.from('x') }], T);
    assert.throws(() => probeBytes('s.zip', slip), /unsafe entry name/);
  });

  describe('redaction', () => {
    it('a foreign XML export: names, e-mails, UIDs, URLs, free text and comments replaced; layout and vocabulary kept', () => {
      const out = utf8(redactBytes('x.xml', Buffer.from(FOREIGN_XML)));
      assertNoSecrets(Buffer.from(out), 'xml');
      // same structure: the probe of the copy equals the probe of the original, paths and counts
      const a = probeBytes('a', Buffer.from(FOREIGN_XML));
      const b = probeBytes('b', Buffer.from(out));
      assert.deepEqual(b.paths, a.paths);
      assert.equal(out.split('\n').length, FOREIGN_XML.split('\n').length);
      assert.match(out, /<Log>Application<\/Log>/);
      assert.match(out, /<Code>26108<\/Code>/);
      assert.match(out, /kind="eventlog" priority="High"/);
      assert.match(out, /kind="srvc" priority="Critical"/);
      // same shapes: a UID stays a UID, an address an address, a URL a URL
      assert.match(out, /uid="00000000-0000-4000-8000-000000000001" name="Xxxxxxx Xxxxxxxxxx Xxxxxx"/);
      assert.match(out, /exportedBy="user1@example\.com"/);
      assert.match(out, /<Webhook>https:\/\/redacted1\.example\.com\/<\/Webhook>/);
      assert.match(out, /<Notes>Xxxx Xxx xx xxxxxxxxx 0000 xx Xxxxxxxx xxxxxxx xxxx &amp; xxxx<\/Notes>/);
      assert.match(out, /<!-- xxxxxxxx xxx Xxxxxxxx XX -->/);
      assert.match(out, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<\?xxx-xxxxxxxxxx xxxx="xxxxx:/);
    });

    it('a JSON export: keys kept, values replaced', () => {
      const out = redactBytes('x.json', Buffer.from(FOREIGN_JSON));
      assertNoSecrets(out, 'json');
      const v = JSON.parse(utf8(out));
      assert.equal(v.policy.uid, '00000000-0000-4000-8000-000000000001');
      assert.deepEqual(v.sites, { 'Xxxxxxxx XX': { '00000000-0000-4000-8000-000000000001': true } });
      assert.deepEqual(v.policy.monitors[0], {
        type: 'eventlog',
        priority: 'High',
        codes: [26108],
        notify: ['user1@example.com'],
      });
    });

    it('a .pcy with an embedded component: every entry, the nested .cpt and its script body', async () => {
      const { policies } = await loadPolicyFile(join(POLICIES_DIR, 'bright-antivirus.policies.yaml'));
      const p = structuredClone(policies[0]!);
      p.monitors[0]!.responses.email = [SECRET.email];
      p.monitors[0]!.responses.webhook = SECRET.url;
      p.description = SECRET.text;
      const bytes = buildPolicy(p);
      const out = redactBytes('b.pcy', bytes);
      assertNoSecrets(out, 'pcy');
      const z = readZip('r', out, undefined, () => {});
      assert.deepEqual(
        z.entries.map((e) => e.name),
        ['policy.xml', 'components/xxxxxx-xxxxxxxxx-xxxxxx-xxx.cpt'],
      );
      // the copy keeps the structure: same element paths and counts as the original
      const before = probeBytes('a', bytes).entries?.[0]?.probe?.paths;
      const after = probeBytes('b', out).entries?.[0]?.probe?.paths;
      assert.deepEqual(after, before);
      const inner = readZip('c', z.entries[1]!.data).entries;
      assert.deepEqual(
        inner.map((e) => e.name),
        ['command.bat', 'resource.xml'],
      );
      assert.match(utf8(inner[1]!.data), /<category>monitors<\/category>/);
      assert.match(utf8(inner[1]!.data), /<installType>powershell<\/installType>/);
    });

    it('real Datto component exports (test fixtures): no name, description, UID or script text survives', async () => {
      const { readdirSync, readFileSync } = await import('node:fs');
      const { readCpt } = await import('../../lib/component/cpt.js');
      const dir = new URL('../fixtures/component/', import.meta.url);
      const files = readdirSync(dir).filter((f) => f.endsWith('.cpt'));
      assert.ok(files.length >= 5);
      for (const f of files) {
        const bytes = readFileSync(new URL(f, dir));
        const c = readCpt(f, bytes);
        const out = redactBytes(f, bytes);
        const back = readCpt('redacted', out);
        const text = JSON.stringify(back.general) + Buffer.from(back.body).toString('utf8');
        const words = [c.general.name, c.general.uid, ...(c.general.description ?? '').split(/\s+/)].filter(
          (w): w is string => !!w && w.length >= 5 && /[A-Za-z]/.test(w),
        );
        for (const w of words) assert.ok(!text.includes(w), `${f}: ${JSON.stringify(w)} survived`);
        // the structure survives: same variables (names masked), same category and installType
        assert.equal(back.variables.length, c.variables.length, f);
        assert.equal(back.general.category, c.general.category, f);
        assert.equal(back.general.installType, c.general.installType, f);
        assert.equal(back.body.length, c.body.length, `${f}: the body keeps its length`);
      }
    });

    it('refuses to redact a file it cannot understand', () => {
      assert.throws(
        () => redactBytes('x.bin', Buffer.from('just some words')),
        (e: unknown) =>
          e instanceof InputError &&
          e.code === 'CANNOT_REDACT' &&
          /x\.bin: is not a ZIP, XML or JSON file/.test(e.message),
      );
    });

    it('masks the shape of text: letters x/X, digits 0, the rest kept', () => {
      assert.equal(maskShape('Ab-9 Ü_ß.'), 'Xx-0 X_x.');
    });
  });
});
