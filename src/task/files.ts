// File-level checks on a task directory: every problem is one line naming the file and
// what was expected. Task folders are small, so walking them with lstat is cheap.
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { TaskValidationError } from '../errors.js';

export const MAX_INSTRUCTION_BYTES = 100 * 1024;

/** Reject links out of the task folder, dangling links and special files (FIFOs hang reads). */
export async function checkTree(root: string, rel = ''): Promise<void> {
  const dir = path.join(root, rel);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const relPath = path.join(rel, entry.name);
    const full = path.join(root, relPath);
    if (entry.isSymbolicLink()) {
      let target: string;
      try {
        target = await realpath(full);
      } catch {
        throw new TaskValidationError(`${relPath}: dangling symlink (its target does not exist)`);
      }
      const realRoot = await realpath(root);
      if (target !== realRoot && !target.startsWith(realRoot + path.sep)) {
        throw new TaskValidationError(`${relPath}: symlink points outside the task folder (${target})`);
      }
    } else if (entry.isDirectory()) {
      await checkTree(root, relPath);
    } else if (!entry.isFile()) {
      throw new TaskValidationError(`${relPath}: not a regular file or folder (a FIFO, socket or device)`);
    }
  }
}

/** Read a required regular file as text, with a size cap. */
export async function readRequired(root: string, rel: string, what: string, maxBytes = 1024 * 1024): Promise<string> {
  const full = path.join(root, rel);
  const st = await stat(full).catch(() => undefined);
  if (!st) throw new TaskValidationError(`${rel}: missing (${what})`);
  if (!st.isFile())
    throw new TaskValidationError(
      `${rel}: expected a file (${what}), found a ${st.isDirectory() ? 'folder' : 'special file'}`,
    );
  if (st.size > maxBytes)
    throw new TaskValidationError(`${rel}: ${st.size} bytes, expected at most ${maxBytes} (${what})`);
  return readFile(full, 'utf8');
}

/**
 * A script the container executes: a regular file with Unix line endings. It need not be
 * executable: it is run as Harbor runs it (docker/exec-scripts.ts, runScript), and an
 * artifact download or a zip loses the exec bit.
 */
export async function checkScript(root: string, rel: string, what: string): Promise<void> {
  const text = await readRequired(root, rel, what);
  if (text.includes('\r\n'))
    throw new TaskValidationError(
      `${rel}: has CRLF line endings; convert it to LF (the shebang line would name "bash\\r")`,
    );
}

export async function isFile(full: string): Promise<boolean> {
  return (await stat(full).catch(() => undefined))?.isFile() ?? false;
}
