// verifyCpt against deliberately broken writers, for the cases the broader tests let pass (found by
// mutation testing): an entry cut short or grown, an entry dropped from the middle, and a rewrite
// that cannot be read back, which must be named as the rewrite, not as the input.
import assert from 'node:assert/strict';
import { type Component, verifyCptDetailed, writeCpt } from '../../lib/component/index.js';
import { InputError } from '../../lib/errors.js';
import { readZip, writeZipDatto } from '../../lib/io/zip.js';
import { testComponent } from './helpers.js';

const T = { date: (44 << 9) | (3 << 5) | 5, time: (10 << 11) | (20 << 5) | 15 };

const withAttachments = (): Component =>
  testComponent({
    body: 'echo 1',
    attachments: [
      { name: 'a.txt', data: Buffer.from('abcdef') },
      { name: 'b.txt', data: Buffer.from('bravo') },
    ],
  });

/** A writer that writes the right component, then changes its entries. */
const rewrite =
  (change: (entries: { name: string; data: Uint8Array }[]) => { name: string; data: Uint8Array }[]) =>
  (c: Component) =>
    writeZipDatto(change(readZip('x', writeCpt(c)).entries), T);

const verify = (write: (c: Component) => Uint8Array) =>
  verifyCptDetailed('v.cpt', writeCpt(withAttachments()), undefined, write).result;

describe('verifyCpt: losses a broken writer can cause', () => {
  it('an entry cut short, or grown, differs at the end of the shorter one', () => {
    const set = (data: string) =>
      rewrite((es) => es.map((e) => (e.name === 'a.txt' ? { name: e.name, data: Buffer.from(data) } : e)));
    const cut = verify(set('abc'));
    assert.deepEqual(cut.differences[0], {
      entry: 'a.txt',
      offset: 3,
      message: 'differs at byte 3 (6 bytes in, 3 out)',
    });
    assert.equal(cut.ok, false);
    const grown = verify(set('abcdefgh'));
    assert.deepEqual(grown.differences[0], {
      entry: 'a.txt',
      offset: 6,
      message: 'differs at byte 6 (6 bytes in, 8 out)',
    });
  });

  it('an entry dropped from the middle: it is missing and the one after it moved', () => {
    const r = verify(rewrite((es) => es.filter((e) => e.name !== 'a.txt')));
    assert.deepEqual(r.differences, [
      { entry: 'a.txt', offset: -1, message: 'missing from the rewritten archive' },
      { entry: 'b.txt', offset: -1, message: 'moved from position 4' },
      { entry: 'resource.xml', offset: -1, message: 'the component read back differs from the one read' },
    ]);
    assert.equal(r.lossless, false);
  });

  it('a rewrite that is no zip, or no component, is named as the rewrite', () => {
    const refused = (write: (c: Component) => Uint8Array, message: string) =>
      assert.throws(
        () => verify(write),
        (e: unknown) => {
          assert.ok(e instanceof InputError, String(e));
          assert.equal(e.message, message);
          return true;
        },
      );
    refused(
      () => Buffer.from('not a zip'),
      'v.cpt (rewritten): not a zip archive (9 bytes, truncated or empty)',
    );
    refused(
      rewrite((es) => es.filter((e) => e.name !== 'resource.xml')),
      'v.cpt (rewritten): no resource.xml entry; a component archive holds command.bat and resource.xml',
    );
  });
});
