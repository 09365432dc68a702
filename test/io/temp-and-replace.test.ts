// writeTempFile (a private temporary script file and its cleanup) and when writeTreeAtomic asks
// mayReplace before replacing a folder (lib/io/files.ts).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { writeTempFile, writeTreeAtomic } from '../../lib/io/files.js';

describe('writeTempFile', () => {
  it('writes the text into a fresh rmmkit- folder of the temp dir, owner-only, and cleans it up', () => {
    const file = writeTempFile('devid.sh', 'echo hi\n');
    try {
      assert.equal(basename(file.path), 'devid.sh');
      assert.equal(dirname(dirname(file.path)), tmpdir());
      assert.match(basename(dirname(file.path)), /^rmmkit-/);
      assert.equal(readFileSync(file.path, 'utf8'), 'echo hi\n');
      assert.equal(statSync(file.path).mode & 0o077, 0, 'no group or other permissions');
      assert.equal(statSync(file.path).mode & 0o700, 0o700);
    } finally {
      file.cleanup();
    }
    assert.equal(existsSync(dirname(file.path)), false);
  });
});

describe('writeTreeAtomic and mayReplace', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'rmmkit-replace-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('asks mayReplace only for a non-empty folder under force', async () => {
    const asked: string[] = [];
    const mayReplace = async (d: string) => {
      asked.push(d);
    };
    const files = new Map([['a.txt', 'a']]);
    await writeTreeAtomic(join(root, 'new'), files, { force: true, mayReplace });
    mkdirSync(join(root, 'empty'));
    await writeTreeAtomic(join(root, 'empty'), files, { force: true, mayReplace });
    assert.deepEqual(asked, []);
    mkdirSync(join(root, 'full'));
    writeFileSync(join(root, 'full', 'old.txt'), 'old');
    await assert.rejects(writeTreeAtomic(join(root, 'full'), files, { mayReplace }), /not empty/);
    assert.deepEqual(asked, []);
    await writeTreeAtomic(join(root, 'full'), files, { force: true, mayReplace });
    assert.deepEqual(asked, [join(root, 'full')]);
    assert.equal(existsSync(join(root, 'full', 'old.txt')), false);
  });
});
