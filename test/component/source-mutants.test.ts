// Edges of readSourceDir (lib/component/source.ts) that the broader tests let pass (found by mutation
// testing): a list where a mapping belongs, files and folders the reader may see but not read, the
// order of attachments when none is recorded, and the full message for an unknown xml key.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSourceDir } from '../../lib/component/source.js';
import { needTools } from '../helpers/tools.js';

const HEAD = 'format: rmmkit-component/1\ngeneral:\n  installType: powershell\n';

/**
 * Runs `f` without the power to bypass file modes. As root (CI containers, this machine) that power
 * comes from the effective user: it is dropped to nobody for the call (glibc applies seteuid to every
 * thread, libuv's file threads included) and restored after.
 */
async function unprivileged<T>(f: () => Promise<T>): Promise<T> {
  if (process.geteuid?.() !== 0) return f();
  process.seteuid?.(65534);
  try {
    return await f();
  } finally {
    process.seteuid?.(0);
  }
}

describe('component source folder: what the reader may not read', () => {
  let root = '';
  let dir = '';
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'rmmkit-srcmut-'));
    chmodSync(root, 0o755); // nobody must reach the folder
    dir = join(root, 'c');
    mkdirSync(dir);
    writeFileSync(join(dir, 'component.yaml'), HEAD);
    writeFileSync(join(dir, 'command.ps1'), 'x');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const refusal = async (yaml?: string) => {
    if (yaml !== undefined) writeFileSync(join(dir, 'component.yaml'), yaml);
    try {
      await unprivileged(() => readSourceDir(dir));
    } catch (e) {
      return (e as Error).message.replaceAll(dir, 'DIR');
    }
    return 'no error';
  };

  it('an empty metadata file, or one of comments only, is no mapping', async () => {
    assert.equal(await refusal(''), 'DIR/component.yaml: (root): expected a mapping');
    assert.equal(await refusal('# nothing yet\n'), 'DIR/component.yaml: (root): expected a mapping');
  });

  it('a list where a mapping belongs is refused, even an empty one', async () => {
    assert.equal(
      await refusal('format: rmmkit-component/1\ngeneral: []\n'),
      'DIR/component.yaml: general: expected a mapping',
    );
    assert.equal(await refusal(`${HEAD}archive: []\n`), 'DIR/component.yaml: archive: expected a mapping');
    assert.equal(await refusal(`${HEAD}xml: []\n`), 'DIR/component.yaml: xml: expected a mapping');
    assert.equal(
      await refusal(`${HEAD}variables:\n  - []\n`),
      'DIR/component.yaml: variables[0]: expected a mapping',
    );
  });

  it('names every allowed key when the xml record has an unknown one', async () => {
    assert.equal(
      await refusal(`${HEAD}xml:\n  layout: current\n  indent: 2\n`),
      'DIR/component.yaml: xml.indent: unknown key; allowed: layout, declaration, quote, short, afterDeclaration, trailing, rootAttrs, pairs, raw, order, attrs',
    );
  });

  it('a script it may not read is an error naming the file, not a missing script', async function () {
    needTools(this, 'file permission errors', 'linux');
    chmodSync(join(dir, 'command.ps1'), 0);
    assert.equal(await refusal(), 'DIR/command.ps1: cannot read (EACCES)');
  });

  it('an attachments folder it may list but not enter is an error naming the attachment', async function () {
    needTools(this, 'file permission errors', 'linux');
    mkdirSync(join(dir, 'attachments'));
    writeFileSync(join(dir, 'attachments', 'a.txt'), 'a');
    chmodSync(join(dir, 'attachments'), 0o644); // read (list) but no search (x): lstat inside fails
    assert.equal(await refusal(), 'DIR/attachments/a.txt: cannot read (EACCES)');
  });

  it('an attachments folder it may enter but not list is an error naming the folder', async function () {
    needTools(this, 'file permission errors', 'linux');
    mkdirSync(join(dir, 'attachments'));
    writeFileSync(join(dir, 'attachments', 'a.txt'), 'a');
    chmodSync(join(dir, 'attachments'), 0o311); // search (x) but no read: readdir fails
    assert.equal(await refusal(), 'DIR/attachments: cannot read (EACCES)');
  });

  it('without a recorded order, attachments come in JavaScript string order on every platform', async () => {
    // UTF-16 code units: U+1F600 is D83D DE00, before U+FF21 (fullwidth A). Linux lists the folder
    // in byte order, where the UTF-8 of U+FF21 (EF ..) comes before that of U+1F600 (F0 ..).
    mkdirSync(join(dir, 'attachments'));
    for (const name of ['\uff21.txt', 'b.txt', '\u{1f600}.txt', 'a.txt'])
      writeFileSync(join(dir, 'attachments', name), name);
    const c = await readSourceDir(dir);
    assert.deepEqual(
      c.attachments.map((a) => a.name),
      ['a.txt', 'b.txt', '\u{1f600}.txt', '\uff21.txt'],
    );
    assert.equal(Buffer.from(c.attachments[2]!.data).toString(), '\u{1f600}.txt');
    assert.equal(c.archive.order, undefined);
  });

  it('with a recorded order, unlisted attachments follow the listed ones in name order', async () => {
    mkdirSync(join(dir, 'attachments'));
    for (const name of ['z.txt', 'm.txt', 'a.txt', 'q.txt'])
      writeFileSync(join(dir, 'attachments', name), name);
    writeFileSync(
      join(dir, 'component.yaml'),
      `${HEAD}archive:\n  order:\n    - q.txt\n    - gone.txt\n    - m.txt\n`,
    );
    const d = await readSourceDir(dir);
    assert.deepEqual(
      d.attachments.map((a) => a.name),
      ['q.txt', 'm.txt', 'a.txt', 'z.txt'],
    );
  });
});
