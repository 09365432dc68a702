// The icon entry of a .cpt (lib/component/cpt.ts): a fresh archive with an icon is in canonical order
// (nothing recorded), and a recorded order naming icon.png does not bring back a removed icon.
import assert from 'node:assert/strict';
import { cptEntries, readCpt, writeCpt } from '../../lib/component/cpt.js';
import { testComponent } from './helpers.js';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

describe('.cpt icon entry', () => {
  it('reads a fresh archive with an icon and an attachment as canonical: no order recorded', () => {
    const c = testComponent({ body: 'Write-Output 1' });
    c.icon = PNG;
    c.attachments = [{ name: 'tool.exe', data: new Uint8Array([1]) }];
    const back = readCpt('t.cpt', writeCpt(c, { sourceDateEpoch: 0 }));
    assert.equal(back.archive.order, undefined);
    assert.deepEqual(
      cptEntries(back).map((e) => e.name),
      ['command.bat', 'resource.xml', 'icon.png', 'tool.exe'],
    );
  });

  it('drops icon.png from a recorded order once the icon is removed', () => {
    const c = testComponent({ body: 'Write-Output 1' });
    c.icon = PNG;
    c.attachments = [{ name: 'tool.exe', data: new Uint8Array([1]) }];
    c.archive.order = ['tool.exe', 'icon.png', 'resource.xml', 'command.bat'];
    c.icon = undefined;
    assert.deepEqual(
      cptEntries(c).map((e) => e.name),
      ['tool.exe', 'resource.xml', 'command.bat'],
    );
  });
});
