// Atomic file output: every file is written to a temporary sibling and renamed into place, so a
// reader never sees half a file. The only lib code (with zip.ts) that writes to disk.
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../errors.js';

const tmpName = (path: string) =>
  join(dirname(path), `.${basename(path)}.tmp-${randomBytes(6).toString('hex')}`);

/** Writes `data` to `path` via a temporary file in the same directory and a rename. */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = tmpName(path);
  try {
    await writeFile(tmp, data, { flag: 'wx' });
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

async function isEmptyDir(dir: string): Promise<boolean | undefined> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') throw new InputError(dir, 'exists and is not a directory');
    throw err;
  }
}

/**
 * Writes a tree of files (relative path → bytes) as directory `dir`: built complete in a temporary
 * sibling, then renamed into place. A non-empty `dir` is refused unless `force`, then replaced.
 */
export async function writeTreeAtomic(
  dir: string,
  files: ReadonlyMap<string, Uint8Array | string>,
  options: { force?: boolean; mayReplace?: (dir: string) => Promise<void> } = {},
): Promise<void> {
  const empty = await isEmptyDir(dir);
  if (empty !== undefined && (await lstat(dir)).isSymbolicLink())
    throw new InputError(dir, 'is a symbolic link; choose a real folder');
  if (empty === false && options.force && options.mayReplace) await options.mayReplace(dir);
  if (empty === false && !options.force)
    throw new InputError(
      dir,
      'the output directory is not empty; choose another or pass --force to replace it',
      {
        code: 'EXISTS',
      },
    );
  await mkdir(dirname(dir), { recursive: true });
  const tmp = tmpName(dir);
  try {
    for (const [rel, data] of files) {
      const path = join(tmp, rel);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, data, { flag: 'wx' });
    }
    if (empty === true) await rmdir(dir);
    if (empty === false) {
      const old = tmpName(dir);
      await rename(dir, old);
      await rename(tmp, dir);
      await rm(old, { recursive: true, force: true });
    } else await rename(tmp, dir);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}
