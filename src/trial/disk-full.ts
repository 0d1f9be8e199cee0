// A full disk under the output folder must cost raw logs, never the record of a trial.
// The agent's own output (agent/*.txt) is what fills it in practice; shrinking the largest
// raw logs to their first KEEP_BYTES (with a note) gives back room for the verifier's
// reward file and for result.json, and the trial records a warning instead of the job
// dying on ENOSPC with no result at all.
import { appendFile, readdir, stat, statfs, truncate } from 'node:fs/promises';
import path from 'node:path';

/** Below this much free space, raw logs are shrunk before the verifier runs. */
export const MIN_FREE_BYTES = 2 * 1024 * 1024;
/** What a shrunk log keeps of its head. */
export const KEEP_BYTES = 256 * 1024;

export function isDiskFull(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/** Raw logs of a trial folder, largest first: agent/**, verifier/test-stdout.txt. */
async function rawLogs(trialDir: string): Promise<Array<{ file: string; size: number }>> {
  const agentFiles = await readdir(path.join(trialDir, 'agent'), { recursive: true }).catch(() => [] as string[]);
  const files = [
    ...agentFiles.map((f) => path.join(trialDir, 'agent', f)),
    path.join(trialDir, 'verifier', 'test-stdout.txt'),
  ];
  const sized = await Promise.all(
    files.map(async (file) => ({ file, size: (await stat(file).catch(() => undefined))?.size ?? 0 })),
  );
  return sized.filter((f) => f.size > KEEP_BYTES).sort((a, b) => b.size - a.size);
}

/** Shrink every raw log over KEEP_BYTES; returns a warning naming them, or undefined. */
export async function shrinkRawLogs(trialDirs: string | string[], why: string): Promise<string | undefined> {
  const dirs = [trialDirs].flat();
  const shrunk: string[] = [];
  const logs = (await Promise.all(dirs.map(rawLogs))).flat().sort((a, b) => b.size - a.size);
  const root = dirs.length === 1 ? dirs[0] : path.dirname(dirs[0] ?? '');
  for (const { file, size } of logs) {
    if (
      !(await truncate(file, KEEP_BYTES).then(
        () => true,
        () => false,
      ))
    )
      continue;
    await appendFile(file, `\n[tb2: ${why}: this log was cut from ${size} to its first ${KEEP_BYTES} bytes]\n`).catch(
      () => undefined,
    );
    shrunk.push(`${path.relative(root, file)} (${size} bytes)`);
  }
  return shrunk.length
    ? `${why}: raw logs cut to their first ${KEEP_BYTES} bytes to make room: ${shrunk.join(', ')}`
    : undefined;
}

/** Before the verifier writes its reward: make room if the disk is (nearly) full. */
export async function ensureRoom(trialDir: string): Promise<string | undefined> {
  const fs = await statfs(trialDir).catch(() => undefined);
  if (!fs || fs.bavail * fs.bsize >= MIN_FREE_BYTES) return undefined;
  return shrinkRawLogs(trialDir, `no space left on the output folder's disk (${fs.bavail * fs.bsize} bytes free)`);
}
