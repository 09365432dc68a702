// Unit tests of lib/component/resource-xml.ts at its edges: UTF-8 validation offsets (from the UTF-8
// definition, RFC 3629 §4), the size cap, layout detection, reachable tokenizer refusals, and the
// writer's reconciliation of a recorded order with a changed model (written against mutation survivors).
import assert from 'node:assert/strict';
import {
  firstInvalidUtf8,
  MAX_RESOURCE_XML,
  readResourceXml,
  writeResourceXml,
} from '../../lib/component/resource-xml.js';
import { InputError } from '../../lib/errors.js';

const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');
const refuses = (src: string | Uint8Array, message: string, code = 'BAD_XML') =>
  assert.throws(
    () => readResourceXml('t.xml', src),
    (e: unknown) => e instanceof InputError && e.code === code && e.message === `t.xml: ${message}`,
    message,
  );

describe('resource.xml edges', () => {
  it('finds the first byte that breaks UTF-8 (RFC 3629 ranges)', () => {
    const cases: [string, number[], number][] = [
      ['ASCII', [0x41, 0x42], -1],
      ['2-byte é', [0xc3, 0xa9], -1],
      ['3-byte €', [0xe2, 0x82, 0xac], -1],
      ['4-byte 😀', [0xf0, 0x9f, 0x98, 0x80], -1],
      ['U+D7FF', [0xed, 0x9f, 0xbf], -1],
      ['U+E000', [0xee, 0x80, 0x80], -1],
      ['U+10FFFF', [0xf4, 0x8f, 0xbf, 0xbf], -1],
      ['U+0800 (smallest 3-byte)', [0xe0, 0xa0, 0x80], -1],
      ['U+10000 (smallest 4-byte)', [0xf0, 0x90, 0x80, 0x80], -1],
      ['a lone continuation byte', [0x41, 0x80], 1],
      ['overlong C0', [0x41, 0xc0, 0x80], 1],
      ['overlong C1', [0xc1, 0xbf], 0],
      ['overlong 3-byte', [0xe0, 0x9f, 0xbf], 0],
      ['overlong 4-byte', [0xf0, 0x8f, 0xbf, 0xbf], 0],
      ['a surrogate ED A0', [0x41, 0xed, 0xa0, 0x80], 1],
      ['above U+10FFFF (F4 90)', [0xf4, 0x90, 0x80, 0x80], 0],
      ['F5 lead byte', [0xf5, 0x80, 0x80, 0x80], 0],
      ['FF', [0x41, 0x42, 0xff], 2],
      ['a truncated 2-byte sequence', [0x41, 0xc3], 1],
      ['a truncated 3-byte sequence', [0xe2, 0x82], 0],
      ['a bad third byte', [0xe2, 0x82, 0x41], 0],
      ['a bad fourth byte', [0xf0, 0x9f, 0x98, 0x41], 0],
      ['valid, then bad', [0xc3, 0xa9, 0xe2, 0x82, 0xac, 0x80], 5],
    ];
    for (const [name, bytes, at] of cases) assert.equal(firstInvalidUtf8(new Uint8Array(bytes)), at, name);
  });

  it('caps the size before parsing: exactly the cap is read, one byte more refused', () => {
    const doc = (size: number) => {
      const head = '<component info="CentraStage Component">';
      const tail = '</component>';
      return head + ' '.repeat(size - head.length - tail.length) + tail;
    };
    assert.equal(readResourceXml('t.xml', doc(MAX_RESOURCE_XML)).xml.layout, 'legacy');
    refuses(
      doc(MAX_RESOURCE_XML + 1),
      `${MAX_RESOURCE_XML + 1} bytes of XML; resource.xml may be at most ${MAX_RESOURCE_XML} bytes`,
      'TOO_LARGE',
    );
    refuses(
      Buffer.from(doc(MAX_RESOURCE_XML + 1)),
      `${MAX_RESOURCE_XML + 1} bytes of XML; resource.xml may be at most ${MAX_RESOURCE_XML} bytes`,
      'TOO_LARGE',
    );
  });

  it('tells the layout by the first indent, else by the declaration', () => {
    const d = '<?xml version="1.0" encoding="UTF-8" standalone="no"?>';
    const body = (indent: string) =>
      `<component info="CentraStage Component">\n${indent}<general/>\n</component>`;
    assert.equal(readResourceXml('t', body('  ')).xml.layout, 'legacy');
    assert.equal(readResourceXml('t', d + body('  ')).xml.layout, 'legacy');
    assert.equal(readResourceXml('t', body('    ')).xml.layout, 'current');
    assert.equal(readResourceXml('t', body('   ')).xml.layout, 'legacy');
    assert.equal(readResourceXml('t', d + body('   ')).xml.layout, 'current');
    assert.equal(readResourceXml('t', d + body('\t')).xml.layout, 'current');
    // what differs from the layout is recorded, and only that
    const other = '<?xml version="1.0"?>';
    const r = readResourceXml('t', `${other}\n${body('    ')}\n`);
    assert.deepEqual(
      r.xml,
      { layout: 'current', declaration: other, afterDeclaration: '\n', trailing: '\n', short: '/>' }.short
        ? { layout: 'current', declaration: other, afterDeclaration: '\n', trailing: '\n' }
        : {},
    );
    assert.equal(text(writeResourceXml(r)), `${other}\n${body('    ')}\n`);
  });

  it('refuses what the tokenizer itself must refuse, naming line and column', () => {
    refuses('<component/>\n<component/>', 'invalid XML at line 1, column 13: content after the root element');
    refuses('<component/>\n\n<x/>', 'invalid XML at line 1, column 13: content after the root element');
    refuses('<component/> x', 'invalid XML at line 1, column 13: content after the root element');
    refuses(
      '<component __proto__="1"/>',
      'invalid XML at line 1, column 12: attribute name "__proto__" is not allowed',
    );
    refuses(
      '<component><general><name>&constructor;</name></general></component>',
      'general.name: unknown entity &constructor; (only the five XML entities exist)',
    );
    refuses(
      '<component><general><name>&#xD800;</name></general></component>',
      'general.name: invalid character reference &#xD800;',
    );
    refuses('<x/>', 'the root element is <x>, expected <component>');
    refuses('  \n', 'is empty; expected a <component> document');
  });

  it('reads a general element written <general></general> back as such', () => {
    const src = "<component info='CentraStage Component'>\n  <general></general>\n</component>";
    const r = readResourceXml('t', src);
    assert.deepEqual(r.xml.pairs, ['general']);
    assert.equal(text(writeResourceXml(r)), src);
  });

  it('writes variables and post-conditions added after reading in place: after their last sibling', () => {
    const src =
      "<component info='CentraStage Component'>\n  <general>\n    <name>n</name>\n  </general>\n  <variable idx='0'>\n    <name>a</name>\n  </variable>\n  <future/>\n  <postCondition idx='0'>\n    <text>E</text>\n  </postCondition>\n</component>";
    const r = readResourceXml('t', src);
    assert.equal(text(writeResourceXml(r)), src);
    r.variables.push({ idx: 1, name: 'b', options: [] });
    r.postConditions.push({ idx: 1, text: 'F' });
    assert.equal(
      text(writeResourceXml(r)),
      "<component info='CentraStage Component'>\n  <general>\n    <name>n</name>\n  </general>\n  <variable idx='0'>\n    <name>a</name>\n  </variable>\n  <variable idx='1'>\n    <name>b</name>\n  </variable>\n  <future/>\n  <postCondition idx='0'>\n    <text>E</text>\n  </postCondition>\n  <postCondition idx='1'>\n    <text>F</text>\n  </postCondition>\n</component>",
    );
    // removing them drops their elements and keeps the unknown one in place
    r.variables = [];
    r.postConditions = [];
    assert.equal(
      text(writeResourceXml(r)),
      "<component info='CentraStage Component'>\n  <general>\n    <name>n</name>\n  </general>\n  <future/>\n</component>",
    );
  });

  it('keeps extra attributes of a variable and renumbers idx from the model', () => {
    const src =
      '<component info="CentraStage Component">\n    <general/>\n    <variable idx="0" note="x">\n        <name>a</name>\n    </variable>\n</component>';
    const r = readResourceXml('t', src);
    assert.equal(text(writeResourceXml(r)), src);
    r.variables[0]!.idx = 4;
    assert.ok(text(writeResourceXml(r)).includes('<variable idx="4" note="x">'));
  });
});

describe('resource.xml: what is recorded, and reading odd but valid documents', () => {
  const current = (inner: string) =>
    `<?xml version="1.0" encoding="UTF-8" standalone="no"?><component info="CentraStage Component">\n${inner}\n</component>`;
  const legacy = (inner: string) => `<component info='CentraStage Component'>\n${inner}\n</component>`;

  it('records nothing but the layout for documents written exactly as Datto writes them', () => {
    const c = current(
      '    <general>\n        <name>A &amp; B [WIN]</name>\n        <hash/>\n        <version>1</version>\n    </general>\n    <variable idx="0">\n        <name>m</name>\n        <selectionKeyValue idx="0">\n            <name>One</name>\n            <value>1</value>\n        </selectionKeyValue>\n        <type>map</type>\n        <defaultVal/>\n    </variable>\n    <postCondition idx="0">\n        <consequence>warn</consequence>\n        <text>x</text>\n    </postCondition>',
    );
    const r = readResourceXml('t', c);
    assert.deepEqual(r.xml, { layout: 'current' });
    assert.equal(text(writeResourceXml(r)), c);
    const l = legacy(
      "  <general>\n    <name>n</name>\n    <hash />\n  </general>\n  <variable idx='0'>\n    <name>v</name>\n  </variable>",
    );
    const rl = readResourceXml('t', l);
    assert.deepEqual(rl.xml, { layout: 'legacy' });
    assert.equal(text(writeResourceXml(rl)), l);
  });

  it('reads attributes with spaces around =, in any order, idx of two digits', () => {
    const r = readResourceXml(
      't',
      "<component info = 'CentraStage Component'>\n  <general/>\n  <variable note='n' idx='10'>\n    <name>v</name>\n  </variable>\n</component>",
    );
    assert.equal(r.xml.rootAttrs, undefined);
    assert.equal(r.variables[0]!.idx, 10);
    assert.deepEqual(r.xml.attrs, {
      'variable[0]': [
        { name: 'note', value: 'n' },
        { name: 'idx', value: '10' },
      ],
    });
  });

  it('keeps a leaf with attributes or child elements, and a repeated leaf, as unknown elements in place', () => {
    const src = legacy(
      "  <general>\n    <name lang='en'>n</name>\n    <category>a<b/></category>\n    <version>1</version>\n    <version>2</version>\n  </general>",
    );
    const r = readResourceXml('t', src);
    assert.deepEqual(r.general, { version: '1' });
    assert.equal(text(writeResourceXml(r)), src);
  });

  it('keeps a processing instruction inside <component> verbatim', () => {
    const src = legacy('  <?rmmkit note?>\n  <general/>');
    const r = readResourceXml('t', src);
    assert.equal(text(writeResourceXml(r)), src);
  });

  it('reports a second root after a closed one as content after the root', () => {
    refuses(
      '<component></component><x/>',
      'invalid XML at line 1, column 24: content after the root element',
    );
    assert.equal(readResourceXml('t', '<component/> \n').xml.trailing, ' \n');
  });

  it('allows exactly 64 levels of nesting', () => {
    const nest = (n: number) => `<component>${'<a>'.repeat(n)}${'</a>'.repeat(n)}</component>`;
    assert.equal(readResourceXml('t', nest(63)).xml.layout, 'legacy');
    refuses(nest(64), 'invalid XML at line 1, column 201: elements nested deeper than 64 levels');
  });

  it('passes on the validator’s own messages, with line and column', () => {
    refuses(
      '<component></x></component>',
      "invalid XML at line 1, column 12: Expected closing tag 'component' (opened in line 1, col 1) instead of closing tag 'x'.",
    );
    refuses('<component a/>', "invalid XML at line 1, column 12: boolean attribute 'a' is not allowed.");
    refuses(
      Buffer.from('\ufeff<component/>'),
      'starts with a byte-order mark; Datto writes resource.xml without one',
    );
  });
});

describe('resource.xml writer details', () => {
  const cur = (inner: string) =>
    `<?xml version="1.0" encoding="UTF-8" standalone="no"?><component info="CentraStage Component">\n${inner}\n</component>`;

  it('re-indents nested unknown elements on a layout change, and keeps mixed content inline', () => {
    const src = cur(
      '    <general/>\n    <future a="1">\n        <b>\n            <c>1</c>\n        </b>\n    </future>\n    <mixed>x<y/>z</mixed>',
    );
    const r = readResourceXml('t', src);
    assert.equal(text(writeResourceXml(r)), src);
    assert.equal(
      text(writeResourceXml(r, { layout: 'legacy' })),
      "<component info='CentraStage Component'>\n  <general />\n  <future a='1'>\n    <b>\n      <c>1</c>\n    </b>\n  </future>\n  <mixed>x<y />z</mixed>\n</component>",
    );
  });

  it('keeps a recorded escaping while the value is unchanged, escapes minimally once it changes', () => {
    const r = readResourceXml('t', cur('    <general>\n        <name>A &#62; B</name>\n    </general>'));
    assert.ok(text(writeResourceXml(r)).includes('<name>A &#62; B</name>'));
    r.general.name = 'C > D';
    assert.ok(text(writeResourceXml(r)).includes('<name>C &gt; D</name>'));
    // a recorded escaping that does not decode (a hand-edited source) is not trusted either
    r.xml.raw = { 'general.name': '&bogus;' };
    assert.ok(text(writeResourceXml(r)).includes('<name>C &gt; D</name>'));
  });

  it('keeps an attribute value as written in its own layout, quote entities included', () => {
    const src = cur('    <general/>\n    <future note="it&apos;s &quot;x&quot;"/>');
    assert.equal(text(writeResourceXml(readResourceXml('t', src))), src);
  });

  it('round-trips empty leaves written as pairs inside options, and a variable without a name', () => {
    const src = cur(
      '    <general/>\n    <variable idx="0">\n        <selectionKeyValue idx="0">\n            <name>A</name>\n            <value></value>\n        </selectionKeyValue>\n        <selectionKeyValue idx="1">\n            <name></name>\n            <value>b</value>\n        </selectionKeyValue>\n        <type>map</type>\n    </variable>',
    );
    const r = readResourceXml('t', src);
    assert.deepEqual(r.xml.pairs, [
      'variable[0].selectionKeyValue[0].value',
      'variable[0].selectionKeyValue[1].name',
    ]);
    assert.equal(r.variables[0]!.name, undefined);
    assert.equal(text(writeResourceXml(r)), src);
  });
});
