// File writing of rmmkit: atomic replace (temp file in the same directory, then rename).
// The only place in lib/ that writes to the disk.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `text` to `path` so that readers see the old file or the new one, never half of it: the data
 * goes to a temporary file in the same directory (same file system, so rename is atomic), then is renamed.
 */
export function writeFileAtomic(path: string, text: string, mode = 0o644): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, text, { mode, flag: 'wx' });
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}

/** Writes `text` into a fresh private temporary directory; returns the file's path and a cleanup. */
export function writeTempFile(name: string, text: string): { path: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'rmmkit-'));
  const path = join(dir, name);
  writeFileSync(path, text, { mode: 0o700 });
  return { path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
