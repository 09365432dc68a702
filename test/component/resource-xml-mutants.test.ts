// Edges of lib/component/resource-xml.ts that the broader tests let pass (found by mutation testing):
// references in text, validator messages with and without a column, UTF-8 lead bytes at their range
// ends (RFC 3629 §4), what is recorded for odd but valid documents, and where the writer puts
// children the model gained. Expected documents are written out by hand from the two layouts.
import assert from 'node:assert/strict';
import {
  firstInvalidUtf8,
  readResourceXml,
  writeResourceXml,
  writeResourceXmlText,
} from '../../lib/component/resource-xml.js';
import type { ResourceXml, XmlFidelity } from '../../lib/component/types.js';
import { InputError } from '../../lib/errors.js';

const DECL = '<?xml version="1.0" encoding="UTF-8" standalone="no"?>';
const cur = (inner: string) => `${DECL}<component info="CentraStage Component">\n${inner}\n</component>`;
const legacy = (inner: string) => `<component info='CentraStage Component'>\n${inner}\n</component>`;
const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');
const roundTrip = (src: string) => {
  const r = readResourceXml('t', src);
  assert.equal(text(writeResourceXml(r)), src);
  return r;
};
const refuses = (src: string, message: string) =>
  assert.throws(
    () => readResourceXml('t.xml', src),
    (e: unknown) => {
      assert.ok(e instanceof InputError, String(e));
      assert.equal(e.message, `t.xml: ${message}`);
      assert.equal(e.code, 'BAD_XML');
      return true;
    },
  );

describe('resource.xml: references, messages, UTF-8 lead bytes', () => {
  it('decodes &apos; and refuses an ampersand that starts no reference', () => {
    const name = (raw: string) => `<component><general><name>${raw}</name></general></component>`;
    assert.equal(readResourceXml('t', name('it&apos;s &quot;x&quot;')).general.name, `it's "x"`);
    refuses(name('a &#; b'), 'general.name: a bare "&" (write &amp;)');
    refuses(name('a &#x; b'), 'general.name: a bare "&" (write &amp;)');
    // a reference by a name with digits or an underscore is a reference, just to no known entity
    refuses(name('&a1;'), 'general.name: unknown entity &a1; (only the five XML entities exist)');
    refuses(name('&_x;'), 'general.name: unknown entity &_x; (only the five XML entities exist)');
  });

  it("passes on the validator's line, and a column only when it gives one", () => {
    refuses('<?xml version="1.0"?>\n<!-- nothing -->\n', 'invalid XML at line 1: Start tag expected.');
    refuses(
      '<component>\n  <general>\n    <name>a</b>\n  </general>\n</component>',
      "invalid XML at line 3, column 12: Expected closing tag 'name' (opened in line 3, col 5) instead of closing tag 'b'.",
    );
  });

  it('finds a bad byte at the ends of the lead-byte ranges (C2 starts 2-byte, 80..C1 start nothing)', () => {
    const cases: [string, number[], number][] = [
      ['U+0080, the smallest 2-byte (C2 80)', [0xc2, 0x80], -1],
      ['U+00A9 then FF', [0xc2, 0xa9, 0xff], 2],
      ['three continuation bytes', [0x80, 0x80, 0x80], 0],
      ['four continuation bytes', [0x80, 0x80, 0x80, 0x80], 0],
      ['A, then BF and three continuation bytes', [0x41, 0xbf, 0x80, 0x80, 0x80], 1],
      ['C1 then three continuation bytes', [0xc1, 0x80, 0x80, 0x80], 0],
    ];
    for (const [what, bytes, at] of cases) assert.equal(firstInvalidUtf8(new Uint8Array(bytes)), at, what);
  });
});

describe('resource.xml: what is recorded for odd but valid documents', () => {
  it('tells the layout by the indent on the line of the first child, after a blank line', () => {
    const src = `${DECL}<component info="CentraStage Component">\n  \n    <general/>\n</component>`;
    assert.equal(readResourceXml('t', src).xml.layout, 'current');
    const old = "<component info='CentraStage Component'>\n    \n  <general />\n</component>";
    assert.equal(readResourceXml('t', old).xml.layout, 'legacy');
  });

  it('records a single root attribute that is not info, even with the usual value', () => {
    const src = `${DECL}<component name="CentraStage Component">\n    <general/>\n</component>`;
    assert.deepEqual(roundTrip(src).xml.rootAttrs, [{ name: 'name', value: 'CentraStage Component' }]);
  });

  it('reads the first <general> only; a second one is kept as an unknown element', () => {
    const r = roundTrip(
      legacy(
        '  <general>\n    <name>first</name>\n  </general>\n  <general>\n    <name>second</name>\n  </general>',
      ),
    );
    assert.deepEqual(r.general, { name: 'first' });
  });

  it('keeps an unknown element holding only whitespace as written, inline', () => {
    roundTrip(cur('    <general/>\n    <extra> </extra>\n    <more>\n    </more>'));
  });

  it("keeps a post-condition's extra attribute, empty pair and escaping", () => {
    const src = cur(
      '    <general/>\n    <postCondition idx="0" note="n">\n        <consequence>warn</consequence>\n        <qualifier></qualifier>\n        <text>a &#62; b</text>\n    </postCondition>',
    );
    const r = roundTrip(src);
    assert.deepEqual(r.xml.attrs, {
      'postCondition[0]': [
        { name: 'idx', value: '0' },
        { name: 'note', value: 'n' },
      ],
    });
    assert.deepEqual(r.xml.pairs, ['postCondition[0].qualifier']);
    assert.deepEqual(r.xml.raw, { 'postCondition[0].text': 'a &#62; b' });
  });
});

describe('resource.xml writer: models built by hand, and children the model gained', () => {
  it('writes the current layout for a model without a layout', () => {
    const r = { general: { name: 'n' }, variables: [], postConditions: [], xml: {} as XmlFidelity };
    assert.equal(
      writeResourceXmlText(r),
      `${DECL}<component info="CentraStage Component">\n    <general>\n        <name>n</name>\n    </general>\n</component>`,
    );
  });

  it('re-indents element-only content of an unknown element, dropping its whitespace text', () => {
    const r: ResourceXml = {
      general: {},
      variables: [],
      postConditions: [],
      xml: {
        layout: 'current',
        order: {
          component: [
            'general',
            {
              type: 'element',
              name: 'future',
              attrs: [],
              children: [
                { type: 'text', raw: '\n  ' },
                { type: 'element', name: 'b', attrs: [], children: [] },
                { type: 'text', raw: '\n' },
              ],
            },
          ],
        },
      },
    };
    assert.equal(writeResourceXmlText(r), cur('    <general/>\n    <future>\n        <b/>\n    </future>'));
  });

  it('adds a variable the record lacks at the end, after unknown elements', () => {
    const r = roundTrip(legacy('  <general />\n  <one />\n  <two />'));
    r.variables.push({ idx: 0, name: 'v', options: [] });
    assert.equal(
      text(writeResourceXml(r)),
      legacy("  <general />\n  <one />\n  <two />\n  <variable idx='0'>\n    <name>v</name>\n  </variable>"),
    );
  });

  it('adds a variable right after the only one, when that one comes first', () => {
    const r = roundTrip(legacy("  <variable idx='0'>\n    <name>a</name>\n  </variable>\n  <general />"));
    r.variables.push({ idx: 1, name: 'b', options: [] });
    assert.equal(
      text(writeResourceXml(r)),
      legacy(
        "  <variable idx='0'>\n    <name>a</name>\n  </variable>\n  <variable idx='1'>\n    <name>b</name>\n  </variable>\n  <general />",
      ),
    );
  });
});
