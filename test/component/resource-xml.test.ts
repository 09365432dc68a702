// Tests of lib/component/resource-xml: byte-exact round trips in both layouts, layout conversion,
// unknown elements kept in place, and refusal of hostile or broken XML.
import assert from 'node:assert/strict';
import { readCpt } from '../../lib/component/cpt.js';
import { MAX_RESOURCE_XML, readResourceXml, writeResourceXml } from '../../lib/component/resource-xml.js';
import { InputError } from '../../lib/errors.js';
import { readZip } from '../../lib/io/zip.js';
import { DATTO_FIXTURES, fixture } from './helpers.js';

const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

describe('resource.xml', () => {
  const files = ['legacy.resource.xml', 'current.resource.xml'];
  for (const f of files) {
    it(`writes ${f} back byte for byte`, () => {
      const src = fixture(f);
      const r = readResourceXml(f, src);
      assert.equal(text(writeResourceXml(r)), text(src));
      assert.deepEqual(Buffer.from(writeResourceXml(r)), Buffer.from(src));
    });
  }

  for (const f of DATTO_FIXTURES) {
    it(`round-trips resource.xml of ${f} and survives a layout round trip`, () => {
      const xml = readZip(f, fixture(f)).entries.find((e) => e.name === 'resource.xml')!.data;
      const r = readResourceXml(f, xml);
      assert.deepEqual(Buffer.from(writeResourceXml(r)), Buffer.from(xml));
      const other = r.xml.layout === 'legacy' ? 'current' : 'legacy';
      const converted = writeResourceXml(r, { layout: other });
      const back = readResourceXml('converted', converted);
      assert.equal(back.xml.layout, other);
      assert.deepEqual(back.general, r.general);
      assert.deepEqual(back.variables, r.variables);
      assert.deepEqual(back.postConditions, r.postConditions);
      assert.equal(text(writeResourceXml(back, { layout: r.xml.layout })), text(xml));
    });
  }

  it('reads the legacy quirks: both empty spellings, raw CR/CRLF, minimal escaping, verbatim hash', () => {
    const r = readResourceXml('legacy', fixture('legacy.resource.xml'));
    assert.equal(r.xml.layout, 'legacy');
    assert.equal(
      r.general.description,
      'Sets the widget mode.\r\nRuns as SYSTEM; "quotes" and café stay raw, 2 > 1.\rEnd.',
    );
    assert.equal(r.general.hash, '5f3a9c0e7b21d48a6c9e0f1b2a3d4c5e');
    assert.deepEqual(r.xml.pairs, ['variable[2].defaultVal']);
    assert.equal(r.variables[0]!.options[1]!.name, 'Fast > safe');
    assert.equal(r.variables[0]!.options[0]!.value, '');
    assert.equal(r.postConditions.length, 2);
    assert.deepEqual(
      r.postConditions.map((p) => p.resource),
      ['stdout', 'stderr'],
    );
    const out = text(writeResourceXml(r));
    assert.ok(out.includes('<defaultVal></defaultVal>') && out.includes('<defaultVal />'));
    assert.ok(!out.endsWith('\n'));
  });

  it('keeps an unknown element in place, in both layouts', () => {
    const r = readResourceXml('current', fixture('current.resource.xml'));
    assert.equal(r.general.uninstallType, '');
    const legacy = text(writeResourceXml(r, { layout: 'legacy' }));
    assert.match(
      legacy,
      / {2}<\/variable>\n {2}<futureSetting mode='x'>\n {4}<inner>kept &amp; in place<\/inner>\n {2}<\/futureSetting>\n<\/component>$/,
    );
  });

  it('keeps other escapings, comments and CDATA verbatim', () => {
    const src =
      "<component info='CentraStage Component'>\n  <general>\n    <name>A &#62; &quot;B&quot; [WIN]</name>\n  </general>\n  <!-- a note -->\n  <x><![CDATA[<raw>]]> tail</x>\n</component>";
    const r = readResourceXml('t', src);
    assert.equal(r.general.name, 'A > "B" [WIN]');
    assert.equal(text(writeResourceXml(r)), src);
  });

  it('keeps a hand-edited hybrid (2-space indent, double quotes, <x/>, other declaration) byte for byte', () => {
    const src =
      '<?xml version="1.0" encoding="utf-8"?>\n<component info="CentraStage Component">\n  <general>\n    <name>n</name>\n    <hash/>\n  </general>\n  <future>\n    <a>1</a>\n  </future>\n</component>';
    const r = readResourceXml('t', src);
    assert.equal(r.xml.layout, 'legacy');
    assert.equal(text(writeResourceXml(r)), src);
  });

  it('writes a new component in the current layout', () => {
    const r = readResourceXml('t', '<component info="x"><general><name>n</name></general></component>');
    r.xml = { layout: 'current' };
    assert.equal(
      text(writeResourceXml(r)),
      '<?xml version="1.0" encoding="UTF-8" standalone="no"?><component info="CentraStage Component">\n    <general>\n        <name>n</name>\n    </general>\n</component>',
    );
  });

  const bad: [string, string | Uint8Array, RegExp][] = [
    [
      'a DOCTYPE',
      '<!DOCTYPE component [<!ENTITY x "y">]><component/>',
      /DOCTYPE declaration at line 1.*refused/,
    ],
    ['an entity declaration', '<component>\n<!ENTITY x "y"></component>', /ENTITY declaration at line 2/],
    [
      'a __proto__ element',
      '<component><general><__proto__>x</__proto__></general></component>',
      /__proto__/,
    ],
    [
      'invalid UTF-8',
      new Uint8Array([0x3c, 0x61, 0x3e, 0xff, 0x3c, 0x2f, 0x61, 0x3e]),
      /not valid UTF-8 \(first bad byte at offset 3\)/,
    ],
    [
      'a non-integer idx',
      "<component><variable idx='1.5'><name>a</name></variable></component>",
      /variable\[0\] has idx="1.5"; idx must be a whole number/,
    ],
    [
      'a missing idx',
      '<component><postCondition><text>a</text></postCondition></component>',
      /postCondition\[0\] has no idx/,
    ],
    ['another root', '<policy/>', /root element is <policy>/],
    ['broken XML', '<component><general></component>', /invalid XML at line 1/],
    [
      'an unknown entity',
      '<component><general><name>&nbsp;</name></general></component>',
      /unknown entity &nbsp;/,
    ],
    ['a BOM', '\ufeff<component/>', /byte-order mark/],
    [
      'deep nesting',
      `<component>${'<x>'.repeat(5000)}${'</x>'.repeat(5000)}</component>`,
      /nested deeper than 64 levels/,
    ],
  ];
  for (const [name, src, message] of bad) {
    it(`refuses ${name}, naming the input`, () => {
      assert.throws(
        () => readResourceXml('"x.cpt!resource.xml"', src),
        (e: unknown) =>
          e instanceof InputError && /^"x\.cpt!resource\.xml": /.test(e.message) && message.test(e.message),
      );
    });
  }

  it('names the first bad UTF-8 byte, an empty document and a comment before the root', () => {
    const utf8 = (bytes: number[], offset: number) =>
      assert.throws(
        () => readResourceXml('x.xml', Buffer.from([0x3c, 0x61, 0x3e, ...bytes, 0x3c, 0x2f, 0x61, 0x3e])),
        new RegExp(`first bad byte at offset ${offset}\\)`),
      );
    utf8([0xed, 0xa0, 0x80], 3); // a surrogate
    utf8([0xe0, 0x80, 0x80], 3); // overlong
    utf8([0xf4, 0x90, 0x80, 0x80], 3); // above U+10FFFF
    utf8([0x41, 0xff], 4);
    for (const empty of ['', '  \n'])
      assert.throws(
        () => readResourceXml('x.xml', empty),
        /^Error: x\.xml: is empty; expected a <component> document$|x\.xml: is empty/,
      );
    assert.throws(
      () => readResourceXml('x.xml', ''),
      (e: unknown) => e instanceof InputError && !/undefined/.test(e.message),
    );
    assert.throws(
      () =>
        readResourceXml(
          'x.xml',
          '<!-- note --><component info="CentraStage Component"><general/></component>',
        ),
      /outside <component> \(rmmkit keeps only whitespace there; move it inside <component>\)/,
    );
  });

  it('refuses 100 MB of XML before parsing', () => {
    // 0xFF bytes are invalid UTF-8 and not XML: getting the size error, not a decoding or parse
    // error, proves the size is checked before anything reads the content.
    const big = Buffer.alloc(100 * 1024 * 1024, 0xff);
    assert.throws(
      () => readResourceXml('big.xml', big),
      /104857600 bytes of XML; resource.xml may be at most/,
    );
    assert.ok(MAX_RESOURCE_XML < big.length);
  });

  it('reads the body, icon and attachment of the fixtures', () => {
    const c = readCpt('current-applications.cpt', fixture('current-applications.cpt'));
    assert.equal(c.attachments[0]!.name, 'widget-agent.msi');
    assert.equal(c.attachments[0]!.data.length, 5000);
  });
  it('reads many quirky variables in linear time (each quirk is recorded in place, not copied)', () => {
    const xmlOf = (n: number) => {
      const vars = [];
      for (let k = 0; k < n; k++) vars.push(`<variable idx="${k}"><name>&#65;</name></variable>`);
      return `<component info="CentraStage Component"><general/>${vars.join('')}</component>`;
    };
    const time = (n: number) => {
      const src = xmlOf(n);
      const t0 = performance.now();
      const r = readResourceXml('many.xml', src);
      const t = performance.now() - t0;
      assert.equal(r.variables.length, n);
      assert.equal(Object.keys(r.xml.raw ?? {}).length, n);
      return t;
    };
    time(1000); // warm up the JIT
    // 8x the input: linear reading gives a ratio near 8, copying on each addition gave ~64. The wide
    // gap and the best of three keep a shared, noisy machine from failing the linear case.
    const small = Math.min(time(2500), time(2500), time(2500));
    const large = Math.min(time(20000), time(20000), time(20000));
    assert.ok(large / small < 24, `2.5k variables: ${small.toFixed(0)} ms, 20k: ${large.toFixed(0)} ms`);
  });
});
