// Tests written to catch bugs a mutation review planted and the old suite missed (issue 14), plus the
// fixes found with them: escaping in resource.xml, attribute values across a layout change, invalid
// character references, the icon size and timeout rules, new components shaped like Datto exports.
import assert from 'node:assert/strict';
import { readCpt, writeCpt } from '../../lib/component/cpt.js';
import { componentUid, NEW_COMPONENT_DEFAULTS, newComponent } from '../../lib/component/index.js';
import { lintComponent } from '../../lib/component/lint.js';
import { readResourceXml, writeResourceXml } from '../../lib/component/resource-xml.js';
import { InputError } from '../../lib/errors.js';
import { testComponent } from './helpers.js';

const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');
/** The five XML entities and numeric references, decoded here independently of the reader. */
const decode = (raw: string) =>
  raw
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&#([0-9]+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(
      /&(lt|gt|quot|apos|amp);/g,
      (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!,
    );
/** Every attribute of the document, decoded, in document order. */
const attrsOf = (doc: string) =>
  [...doc.replace(/^<\?xml[^?]*\?>/, '').matchAll(/\s([\w:]+)=(?:"([^"]*)"|'([^']*)')/g)].map(
    (m) => `${m[1]}=${decode(m[2] ?? m[3]!)}`,
  );

describe('resource.xml escaping', () => {
  it('escapes & < > in text (Datto: minimal escaping) and reads them back', () => {
    const c = newComponent({
      general: { name: 'Tom & Jerry <beta> [WIN]', category: 'scripts', installType: 'powershell' },
      body: '',
    });
    const xml = text(writeResourceXml(c));
    assert.ok(xml.includes('<name>Tom &amp; Jerry &lt;beta&gt; [WIN]</name>'), xml);
    assert.equal(readResourceXml('t', xml).general.name, 'Tom & Jerry <beta> [WIN]');
    // a value that is already an entity's spelling is escaped again, not passed through
    const d = newComponent({ general: { name: '&amp; [WIN]', description: 'a "q" \'s\'' }, body: '' });
    const dx = text(writeResourceXml(d));
    assert.ok(dx.includes('<name>&amp;amp; [WIN]</name>'), dx);
    assert.ok(dx.includes('<description>a "q" \'s\'</description>'), 'quotes stay raw in text');
  });

  const attrDoc = (q: string, indent: string, decl: string) =>
    `${decl}<component info=${q}it's "x"${q}>\n${indent}<general>\n${indent}${indent}<name>n</name>\n${indent}</general>\n${indent}<variable idx=${q}0${q} note=${q}a &amp; b &lt; c${q}>\n${indent}${indent}<name>v</name>\n${indent}</variable>\n${indent}<future k=${q}1 &gt; 0${q}${q === '"' ? '/>' : ' />'}\n</component>`.replace(
      /it's "x"/,
      q === '"' ? "it's &quot;x&quot;" : 'it&apos;s "x"',
    );

  for (const [from, to, src] of [
    ['current', 'legacy', attrDoc('"', '    ', '<?xml version="1.0" encoding="UTF-8" standalone="no"?>')],
    ['legacy', 'current', attrDoc("'", '  ', '')],
  ] as const)
    it(`keeps every attribute value across a layout change (${from} → ${to} → ${from})`, () => {
      const r = readResourceXml('t', src);
      assert.equal(r.xml.layout, from);
      const before = attrsOf(src);
      assert.deepEqual(before, ['info=it\'s "x"', 'idx=0', 'note=a & b < c', 'k=1 > 0']);
      const there = text(writeResourceXml(r, { layout: to }));
      assert.deepEqual(attrsOf(there), before, there);
      // each value is escaped for the quote it is written in, and only for that quote
      if (to === 'legacy') assert.ok(there.includes(`info='it&apos;s "x"'`), there);
      else assert.ok(there.includes(`info="it's &quot;x&quot;"`), there);
      const back = readResourceXml('t', there);
      const again = text(writeResourceXml(back, { layout: from }));
      assert.equal(again, src, 'the round trip gives the original bytes');
    });

  it('keeps unknown attributes on <general> (unpack, pack and verify see the same element)', () => {
    const src =
      '<?xml version="1.0" encoding="UTF-8" standalone="no"?><component info="CentraStage Component">\n    <general future="1" b="x &amp; y">\n        <name>n</name>\n    </general>\n</component>';
    const r = readResourceXml('t', src);
    assert.equal(text(writeResourceXml(r)), src);
    assert.ok(text(writeResourceXml(r, { layout: 'legacy' })).includes("<general future='1' b='x &amp; y'>"));
  });

  const refs: [string, string][] = [
    ['&#0;', 'NUL'],
    ['&#x0;', 'NUL in hex'],
    ['&#xD800;', 'a lone high surrogate'],
    ['&#xDFFF;', 'a lone low surrogate'],
    ['&#55296;', 'a surrogate in decimal'],
    ['&#x110000;', 'above U+10FFFF'],
    ['&#1114112;', 'above U+10FFFF in decimal'],
  ];
  for (const [ref, what] of refs)
    it(`refuses the invalid character reference ${ref} (${what}), naming the input and the field`, () => {
      assert.throws(
        () =>
          readResourceXml(
            'x.cpt!resource.xml',
            `<component><general><name>a${ref}b</name></general></component>`,
          ),
        (e: unknown) =>
          e instanceof InputError &&
          e.message.startsWith('x.cpt!resource.xml: ') &&
          e.message.includes(`general.name: invalid character reference ${ref}`),
      );
    });
  it('accepts the edges of the valid ranges: U+D7FF, U+E000, U+10FFFF, U+0001', () => {
    const r = readResourceXml(
      't',
      '<component><general><name>&#xD7FF;&#xE000;&#x10FFFF;&#1;</name></general></component>',
    );
    assert.equal(r.general.name, '\ud7ff\ue000\u{10ffff}\u0001');
  });
});

describe('lint rules the old suite did not pin', () => {
  const rules = (over: Parameters<typeof testComponent>[0]) =>
    lintComponent(testComponent({ body: "Write-Host 'ok'\n", ...over })).map(
      (f) => `${f.rule} ${f.path ?? f.entry}`,
    );
  const png = (w: number, h: number) => {
    const b = Buffer.alloc(45);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
    b.writeUInt32BE(13, 8);
    b.write('IHDR', 12, 'latin1');
    b.writeUInt32BE(w, 16);
    b.writeUInt32BE(h, 20);
    b[24] = 8;
    b[25] = 6;
    b.write('IEND', 37, 'latin1');
    return b;
  };
  for (const [w, h, warns] of [
    [48, 48, false],
    [48, 47, true],
    [47, 48, true],
    [49, 48, true],
    [48, 96, true],
  ] as const)
    it(`icon ${w}×${h}: ${warns ? 'warns (either side off is wrong)' : 'is quiet'}`, () => {
      const found = lintComponent(testComponent({ body: "Write-Host 'ok'\n", icon: png(w, h) })).filter(
        (f) => f.rule === 'comstore-icon',
      );
      assert.deepEqual(
        found.map((f) => f.message),
        warns ? [`icon is ${w}×${h}; ComStore wants 48×48`] : [],
      );
    });

  for (const [timeout, ok] of [
    ['1', true],
    ['3600', true],
    ['0', false],
    ['-5', false],
  ] as const)
    it(`timeout ${timeout}: ${ok ? 'accepted' : 'refused (a positive number of seconds)'}`, () => {
      const c = testComponent({ body: '' });
      c.general.timeout = timeout;
      const f = lintComponent(c).filter((x) => x.path === 'general.timeout');
      assert.deepEqual(
        f.map((x) => [x.rule, x.severity, x.message]),
        ok ? [] : [['integer-fields', 'error', `timeout is ${timeout}; write a positive number of seconds`]],
      );
    });

  it("accepts Datto's own post-condition resource stdout,stderr and still flags others", () => {
    const pc = (resource: string) => ({ consequence: 'warn', resource, text: 'ERROR', qualifier: 'found' });
    assert.deepEqual(rules({ postConditions: [pc('stdout'), pc('stderr'), pc('stdout,stderr')] }), [
      'comstore-icon icon.png',
    ]);
    assert.deepEqual(rules({ postConditions: [pc('stdout, stderr'), pc('both')] }), [
      'post-condition postConditions[0].resource',
      'post-condition postConditions[1].resource',
      'comstore-icon icon.png',
    ]);
  });

  it('flags an unknown variable type (strng) as an error; string, boolean, map and date pass', () => {
    const v = (type: string | undefined) => ({
      name: `v_${type}`,
      type,
      direction: 'false',
      description: '',
      defaultVal: '',
    });
    const c = testComponent({
      body: '',
      variables: [v('string'), v('boolean'), v('date'), v('strng'), v(undefined)],
    });
    const f = lintComponent(c).filter((x) => x.rule === 'variable-type');
    assert.deepEqual(
      f.map((x) => [x.severity, x.path, x.message]),
      [
        [
          'error',
          'variables[3].type',
          'variable "v_strng" has type "strng"; allowed: string, boolean, map, date',
        ],
        [
          'error',
          'variables[4].type',
          'variable "v_undefined" has type ""; allowed: string, boolean, map, date',
        ],
      ],
    );
  });
});

describe('newComponent: a new component looks like a current Datto export', () => {
  // Built inside each test (not when the file loads), so a mutation tester sees the calls.
  const made = () => {
    const c = newComponent({
      general: { name: 'Widget Agent - Check [WIN]', category: 'scripts', installType: 'powershell' },
      body: "Write-Host 'ok'\r\n",
    });
    return { c, xml: text(writeResourceXml(c)) };
  };

  it('writes the declaration, a line break, and every general field in export order', () => {
    const { xml } = made();
    assert.equal(
      xml,
      [
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
        '<component info="CentraStage Component">',
        '    <general>',
        '        <name>Widget Agent - Check [WIN]</name>',
        '        <category>scripts</category>',
        '        <description/>',
        '        <uid>1c424bdc-152e-5ff5-8aa8-96ef57e8f583</uid>',
        '        <hash/>',
        '        <version>1</version>',
        '        <timeout>3600</timeout>',
        '        <securityLevel>1</securityLevel>',
        '        <installType>powershell</installType>',
        '    </general>',
        '</component>',
      ].join('\n'),
    );
  });

  it('derives the uid as a version-5 UUID of category and name (same as Python uuid.uuid5)', () => {
    // python3 -c "import uuid; print(uuid.uuid5(uuid.UUID('6f1d3a52-4c0e-4b8e-9a57-2d7c9e8b1f04'), 'scripts\nWidget Agent - Check [WIN]'))"
    assert.equal(
      componentUid('Widget Agent - Check [WIN]', 'scripts'),
      '1c424bdc-152e-5ff5-8aa8-96ef57e8f583',
    );
    assert.notEqual(
      componentUid('Widget Agent - Check [WIN]', 'applications'),
      componentUid('Widget Agent - Check [WIN]', 'scripts'),
    );
  });

  it('derives the uid of a component without name or category from empty strings', () => {
    // python3: uuid.uuid5(uuid.UUID('6f1d3a52-4c0e-4b8e-9a57-2d7c9e8b1f04'), '\n')
    assert.equal(newComponent({ general: {}, body: '' }).general.uid, '5190b17c-2846-56e9-800a-58d4fc5f7702');
    assert.equal(Buffer.from(newComponent({ general: {}, body: 'é' }).body).toString('hex'), 'c3a9');
  });

  it('keeps what the definition gives, defaults only what it leaves out', () => {
    const d = newComponent({ general: { name: 'n [WIN]', uid: 'u-1', timeout: '60', hash: '' }, body: '' });
    assert.deepEqual(d.general, { ...NEW_COMPONENT_DEFAULTS, name: 'n [WIN]', uid: 'u-1', timeout: '60' });
  });

  it('passes lint apart from the icon, and survives a write and a read unchanged', () => {
    const { c, xml } = made();
    assert.deepEqual(
      lintComponent(c).map((f) => f.rule),
      ['comstore-icon'],
    );
    const back = readCpt('new.cpt', writeCpt(c));
    assert.deepEqual(back.general, c.general);
    assert.equal(text(writeResourceXml(back)), xml);
  });
});
