// Writing a result file: through a temporary file and a rename, so a reader never sees
// half a result.json, and on a full disk after giving back room (disk-full.ts), so a
// full disk costs raw logs, never the record of a trial.
import { rename, rm, writeFile } from 'node:fs/promises';
import { isDiskFull, shrinkRawLogs } from './disk-full.js';

/** Write through a temporary file and rename: a reader never sees half a result.json. */
export async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    await writeFile(tmp, text);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}

/**
 * Write a result; on a full disk shrink raw logs, report why (which may change the
 * result: `onFull` returns the text to write now) and try once more. Other failures,
 * and a second one, are returned as a message for the caller to warn about: a result
 * that could not be saved must not take the rest of the job down.
 */
export async function persist(
  file: string,
  text: string,
  trialDirs: string | string[],
  onFull: (warning: string) => string,
): Promise<string | undefined> {
  try {
    await writeAtomic(file, text);
    return undefined;
  } catch (err) {
    if (!isDiskFull(err)) return `could not write ${file}: ${(err as Error).message}`;
  }
  const warning =
    (await shrinkRawLogs(trialDirs, "no space left on the output folder's disk")) ??
    "no space left on the output folder's disk";
  try {
    await writeAtomic(file, onFull(warning));
    return undefined;
  } catch (err) {
    return `could not write ${file}: ${(err as Error).message}`;
  }
}
