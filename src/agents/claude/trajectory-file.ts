// agent/trajectory.json after a claude-code run, as Harbor writes it for its own
// claude-code agent (HARBOR.md "ATIF trajectory"). The I/O around trajectory.ts: find the
// session log Claude Code wrote under CLAUDE_CONFIG_DIR (<agentDir>/sessions/projects/
// <cwd-slug>/<session-id>.jsonl; subagents' own logs below it are not read), else fall
// back to the stream log; stream its lines through the builder (never the whole file in
// memory) and write the result atomically (a temporary file, then a rename). No session
// and no stream, or nothing in them, writes nothing: ATIF needs at least one step.
import { constants, createReadStream } from 'node:fs';
import { access, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { LineSplitter } from '../../stream/lines.js';
import { STREAM_LOG } from './invocation.js';
import type { ResultLine } from './stream.js';
import { buildTrajectory } from './trajectory.js';
import { Transcript } from './transcript.js';
import type { TrialUsage } from './usage.js';
import { saveTrajectory, TRAJECTORY_FILE } from '../trajectory-save.js';

export { TRAJECTORY_FILE };
/** A longer line (a tool result of many megabytes) is cut, so unreadable and skipped. */
const MAX_LINE = 16 * 1024 * 1024;

export interface TrajectoryRequest {
  /** Host folder mounted at /logs/agent. */
  agentDir: string;
  /** From the stream's init or result line: names the session log. */
  sessionId?: string;
  /** The stream's result line: usage and cost the session log does not have. */
  result?: ResultLine;
  instruction: string;
  agentVersion?: string;
  model?: string;
  /** What the log cap lets a file in agentDir grow to: the trajectory stays under it. */
  maxBytes: number;
  /** Makes the session log readable on the host (Claude Code writes it mode 0600). */
  unlock?: () => Promise<void>;
}

export interface WrittenTrajectory {
  file: string;
  steps: number;
  source: 'session' | 'stream';
  /** For agent_result: equal to the trajectory's final_metrics. */
  usage?: TrialUsage;
}

export async function writeTrajectory(r: TrajectoryRequest): Promise<WrittenTrajectory | undefined> {
  const session = await findSessionLog(path.join(r.agentDir, 'sessions', 'projects'), r.sessionId);
  const stream = path.join(r.agentDir, STREAM_LOG);
  const from = session ?? ((await isFile(stream)) ? stream : undefined);
  if (!from) return undefined;
  // JSON escapes and UTF-8 can make a character several bytes: keep well under the cap.
  const transcript = new Transcript(Math.floor(r.maxBytes / 8));
  await feedFile(from, (l) => transcript.feed(l), session ? r.unlock : undefined);
  const source = session ? 'session' : 'stream';
  const built = buildTrajectory(transcript, {
    source,
    sourceFile: path.relative(r.agentDir, from),
    agentVersion: r.agentVersion,
    model: r.model,
    instruction: session ? undefined : r.instruction,
    result: r.result,
  });
  if (!built) return undefined;

  const file = await saveTrajectory(r.agentDir, built.trajectory, r.maxBytes);
  return { file, steps: built.trajectory.steps.length, source, usage: built.usage };
}

/** The log named by the session id; else the newest one (killed before the init line). */
export async function findSessionLog(projects: string, sessionId?: string): Promise<string | undefined> {
  const found: Array<{ file: string; mtime: number }> = [];
  for (const d of await readdir(projects, { withFileTypes: true }).catch(() => [])) {
    if (!d.isDirectory()) continue;
    const dir = path.join(projects, d.name);
    if (sessionId && (await isFile(path.join(dir, `${sessionId}.jsonl`)))) return path.join(dir, `${sessionId}.jsonl`);
    for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (!e.isFile() || !e.name.endsWith('.jsonl')) continue;
      const file = path.join(dir, e.name);
      const st = await stat(file).catch(() => undefined);
      if (st) found.push({ file, mtime: st.mtimeMs });
    }
  }
  return found.sort((a, b) => b.mtime - a.mtime)[0]?.file;
}

async function feedFile(file: string, onLine: (l: string) => void, unlock?: () => Promise<void>): Promise<void> {
  if (
    unlock &&
    !(await access(file, constants.R_OK).then(
      () => true,
      () => false,
    ))
  )
    await unlock();
  const split = new LineSplitter(onLine, MAX_LINE);
  for await (const chunk of createReadStream(file)) split.push(chunk as Buffer);
  split.end();
}

const isFile = (p: string) =>
  stat(p).then(
    (s) => s.isFile(),
    () => false,
  );
