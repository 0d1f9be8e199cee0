// Writing an agent's ATIF trajectory (agent/trajectory.json, ./atif.ts), the one way every
// agent does it: within the trial's log cap (a trajectory is a log too), and atomically (a
// temporary file, then a rename), so a reader never sees half a file.
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AtifTrajectory } from './atif.js';

export const TRAJECTORY_FILE = 'trajectory.json';

/** Write `<agentDir>/trajectory.json`; throws, writing nothing, when it would pass `maxBytes`. Returns its path. */
export async function saveTrajectory(agentDir: string, trajectory: AtifTrajectory, maxBytes: number): Promise<string> {
  const json = `${JSON.stringify(trajectory, null, 2)}\n`;
  const bytes = Buffer.byteLength(json);
  if (bytes > maxBytes) throw new Error(`it would be ${bytes} bytes, over the ${maxBytes}-byte log cap`);
  const file = path.join(agentDir, TRAJECTORY_FILE);
  const tmp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, json);
    await rename(tmp, file);
  } finally {
    await rm(tmp, { force: true });
  }
  return file;
}
