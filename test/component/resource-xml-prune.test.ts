// Unknown elements recorded in the xml fidelity of resource.xml (lib/component/resource-xml.ts):
// indentation inside element-only content is dropped (the writer re-indents it), at every depth,
// while text of mixed content and of text-only elements is kept as written.
import assert from 'node:assert/strict';
import { readResourceXml } from '../../lib/component/resource-xml.js';

const el = (name: string, children: unknown[] = [], extra: Record<string, unknown> = {}) => ({
  type: 'element',
  name,
  attrs: [],
  children,
  ...extra,
});
const txt = (raw: string) => ({ type: 'text', raw });

describe('resource.xml unknown elements', () => {
  const doc = (inner: string) =>
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?><component info="CentraStage Component">\n' +
    `    <general>\n        <name>x</name>\n${inner}\n    </general>\n</component>`;

  it('drops blank text between child elements, at every depth', () => {
    const r = readResourceXml(
      't.xml',
      doc(
        '        <deep>\n            <a>\n                <b/>\n            </a>\n            <c>y</c>\n        </deep>',
      ),
    );
    assert.deepEqual(r.xml.order?.general, [
      'name',
      el('deep', [el('a', [el('b')], { pair: true }), el('c', [txt('y')], { pair: true })], { pair: true }),
    ]);
  });

  it('keeps mixed content and text-only elements as written', () => {
    const r = readResourceXml('t.xml', doc('        <mixed>a <b/> c</mixed>\n        <t>  </t>'));
    assert.deepEqual(r.xml.order?.general, [
      'name',
      el('mixed', [txt('a '), el('b'), txt(' c')], { pair: true }),
      el('t', [txt('  ')], { pair: true }),
    ]);
  });

  it('keeps blank text next to text inside an element that also holds elements', () => {
    const r = readResourceXml('t.xml', doc('        <m>\n            <b/>\n            word\n        </m>'));
    const m = r.xml.order?.general?.[1] as { children: unknown[] };
    assert.deepEqual(m.children, [txt('\n            '), el('b'), txt('\n            word\n        ')]);
  });
});
