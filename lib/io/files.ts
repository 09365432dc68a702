// Atomic file output: every file is written to a temporary sibling and renamed into place, so a
// reader never sees half a file. The only lib code that writes to disk.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import {
  link,
  lstat,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  rmdir,
  stat,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../errors.js';

/** The longest file name (in UTF-8 bytes) the common file systems accept. */
const NAME_MAX = 255;

/**
 * A temporary sibling of `path`: `.<name>.tmp-<12 hex>`, with `<name>` shortened (by whole characters)
 * so the temporary name stays within NAME_MAX bytes even when `path`'s own name is close to it.
 */
export function tmpName(path: string): string {
  const suffix = `.tmp-${randomBytes(6).toString('hex')}`;
  const room = NAME_MAX - 1 - suffix.length;
  let kept = '';
  let bytes = 0;
  for (const ch of basename(path)) {
    bytes += Buffer.byteLength(ch);
    if (bytes > room) break;
    kept += ch;
  }
  return join(dirname(path), `.${kept}${suffix}`);
}

/** Removes a temporary file or folder after a failure; a failing cleanup must not hide the first error. */
async function removeQuietly(path: string): Promise<void> {
  try {
    await rm(path, { recursive: true });
  } catch {
    // the original error is the one worth reporting
  }
}

/**
 * Writes `data` to `path` so that readers see the old file or the new one, never half of it: the
 * parent folder is created (unless `createParent: false`), the data goes to a temporary file in the same folder (same file system,
 * so the rename is atomic), which is then renamed into place; the temporary file is removed on
 * failure. With `replace: false` an existing `path` is never replaced, even one that appeared
 * while the data was written (InputError, code EXISTS). A file-system failure is an InputError
 * naming `path` and the error code.
 */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  options: { mode?: number; createParent?: boolean; replace?: boolean } = {},
): Promise<void> {
  const tmp = tmpName(path);
  try {
    if (options.createParent !== false) await mkdir(dirname(path), { recursive: true });
    // Stryker disable next-line StringLiteral: 'wx' guards a random fresh name; no test can make it exist
    await writeFile(tmp, data, { flag: 'wx', mode: options.mode ?? 0o644 });
    if (options.replace === false) await publishNew(tmp, path);
    else await rename(tmp, path);
  } catch (err) {
    await removeQuietly(tmp);
    throw writeError(path, err);
  }
}

/** The file-system calls publishNew makes; tests replace `link` to act as a file system without hard links. */
export const publishOps = { link, open, rename };

/** Codes of a file system that has no hard links (FAT, exFAT, some network shares). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK', 'EXDEV']);

/** The error of an output that exists and may not be replaced (code EXISTS); `path` as it should be shown. */
export function existsError(path: string, cause?: unknown): InputError {
  return new InputError(path, 'already exists; pass --force to replace it', { code: 'EXISTS', cause });
}

/**
 * Puts the finished temporary file `tmp` at `path` only if nothing is there, in one step: a hard
 * link fails when the name exists, where a rename would replace it (a check first and a rename
 * later leave a gap in which another program can create the file). On a file system without hard
 * links, an exclusively created empty file reserves the name and the rename replaces only that.
 */
async function publishNew(tmp: string, path: string): Promise<void> {
  try {
    await publishOps.link(tmp, path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw existsError(path, err);
    if (!NO_HARD_LINKS.has(code as string)) throw err;
    try {
      await (await publishOps.open(path, 'wx')).close();
    } catch (e) {
      throw (e as NodeJS.ErrnoException).code === 'EEXIST' ? existsError(path, e) : e;
    }
    try {
      await publishOps.rename(tmp, path);
    } catch (e) {
      // The empty file is ours (created exclusively above): it must not stay behind as the output.
      await removeQuietly(path);
      throw e;
    }
    return;
  }
  await removeQuietly(tmp);
}

/** A file-system error on an output, as an InputError naming the path (exit 1, not an internal error). */
export function writeError(path: string, err: unknown): Error {
  if (err instanceof InputError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (!code) return err as Error;
  const why: Record<string, string> = {
    EISDIR: 'it is a folder',
    EEXIST: 'a file is in the way of a folder on the path',
    ENOTDIR: 'a part of the path is a file, not a folder',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ENOSPC: 'no space left on the device',
    EROFS: 'read-only file system',
    ENAMETOOLONG: `a name on the path is longer than the file system allows (${NAME_MAX} bytes)`,
  };
  return new InputError(path, `cannot write (${code}${why[code] ? `: ${why[code]}` : ''})`, { cause: err });
}

/** Writes `text` into a fresh private temporary directory; returns the file's path and a cleanup. */
export function writeTempFile(name: string, text: string): { path: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'rmmkit-'));
  const path = join(dir, name);
  writeFileSync(path, text, { mode: 0o700 });
  return { path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

async function isEmptyDir(dir: string): Promise<boolean | undefined> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') throw new InputError(dir, 'exists and is not a directory');
    throw writeError(dir, err);
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
      'already exists and is not empty; choose another or pass --force to replace it',
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
      // Stryker disable next-line StringLiteral,ObjectLiteral: the folder is our fresh temporary one; 'wx' is a guard
      await writeFile(path, data, { flag: 'wx' });
    }
    // Stryker disable next-line ConditionalExpression: POSIX rename replaces an empty folder anyway; Windows does not
    if (empty === true) await rmdir(dir);
    if (empty === false) {
      const old = tmpName(dir);
      await rename(dir, old);
      await rename(tmp, dir);
      await rm(old, { recursive: true });
    } else await rename(tmp, dir);
  } catch (err) {
    await removeQuietly(tmp);
    throw writeError(dir, err);
  }
}

/**
 * Reads an input file whole, refusing a folder and anything larger than `maxBytes` before reading
 * it; every failure is an InputError naming the file (exit 1), never a bug. `what` names the
 * expected kind in the folder message (e.g. "a .cpt file").
 */
export async function readInputFile(path: string, maxBytes: number, what = 'a file'): Promise<Uint8Array> {
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw new InputError(path, `is a directory; expected ${what}`);
    if (s.size > maxBytes)
      throw new InputError(path, `${s.size} bytes; inputs over ${maxBytes} bytes are refused`, {
        code: 'TOO_LARGE',
      });
    return new Uint8Array(await readFile(path));
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(
      path,
      `cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      {
        cause: err,
      },
    );
  }
}
