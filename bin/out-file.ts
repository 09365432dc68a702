// The one rule for `--out` across commands: an existing file is replaced only with --force, and a
// folder is never an output file.
import { lstat } from 'node:fs/promises';
import { InputError } from '../lib/errors.js';
import { existsError, writeError } from '../lib/io/files.js';

/**
 * Refuses an output path that is a folder, or an existing file without `force`. `shown` is the
 * path as the user wrote it; `what` names the file the flag wants ("the .cpt file"). This check
 * fails early, before any work; the write itself (writeFileAtomic with `replace: force`) is what
 * guarantees that a file created in the meantime is not replaced.
 */
export async function checkOutputFile(
  path: string,
  shown: string,
  force: boolean,
  what: string,
): Promise<void> {
  let st: Awaited<ReturnType<typeof lstat>> | undefined;
  try {
    st = await lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw writeError(shown, err);
  }
  if (!st) return;
  if (st.isDirectory()) throw new InputError(shown, `is a folder; --out names ${what} to write`);
  if (!force) throw existsError(shown);
}
