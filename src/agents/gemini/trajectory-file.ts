// agent/trajectory.json after a gemini-cli run: the I/O around trajectory.ts. Reads the chat
// log copied to agent/sessions/ (the one named by the session id, else the newest), else the
// stream log; lines are streamed (never the whole file in memory) and the result written
// atomically. Nothing to convert writes nothing: ATIF needs at least one step.
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { LineSplitter } from '../../stream/lines.js';
import { saveTrajectory, TRAJECTORY_FILE } from '../trajectory-save.js';
import type { TrialUsage } from '../claude/usage.js';
import { PRICES_AS_OF, geminiPrice } from './prices.js';
import type { ResultLine } from './stream.js';
import { buildTrajectory, ChatLog, reportedOf, StreamTranscript } from './trajectory.js';

export { TRAJECTORY_FILE };
const MAX_LINE = 16 * 1024 * 1024;

export interface TrajectoryRequest {
  agentDir: string;
  streamLog: string;
  sessionId?: string;
  result?: ResultLine;
  instruction: string;
  agentVersion: string;
  model?: string;
  maxBytes: number;
}

export interface WrittenTrajectory {
  steps: number;
  source: 'session' | 'stream';
  usage?: TrialUsage;
}

export async function writeTrajectory(r: TrajectoryRequest): Promise<WrittenTrajectory | undefined> {
  const session = await findChatLog(path.join(r.agentDir, 'sessions'), r.sessionId);
  const stream = path.join(r.agentDir, r.streamLog);
  const budget = Math.floor(r.maxBytes / 8);
  const common = {
    agentName: 'gemini-cli',
    agentVersion: r.agentVersion,
    result: r.result,
    priceOf: geminiPrice,
    pricesAsOf: PRICES_AS_OF,
    budget,
  };
  let built;
  let source: 'session' | 'stream';
  if (session) {
    const log = new ChatLog();
    await feedFile(session, (l) => log.feed(l));
    const model = r.model ?? undefined;
    source = 'session';
    built = buildTrajectory(log.drafts(), {
      ...common,
      model,
      sessionId: log.sessionId ?? r.sessionId,
      source,
      sourceFile: path.relative(r.agentDir, session),
      instruction: r.instruction,
      reported: reportedOf(r.result, model),
      skipped: log.skipped,
    });
  } else {
    if (!(await isFile(stream))) return undefined;
    const t = new StreamTranscript();
    await feedFile(stream, (l) => t.feed(l));
    const result = r.result ?? t.result;
    const model = r.model ?? t.model;
    source = 'stream';
    built = buildTrajectory(t.out, {
      ...common,
      model,
      sessionId: t.sessionId ?? r.sessionId,
      source,
      sourceFile: r.streamLog,
      instruction: r.instruction,
      result,
      reported: reportedOf(result, model),
    });
  }
  if (!built) return undefined;
  await saveTrajectory(r.agentDir, built.trajectory, r.maxBytes);
  return { steps: built.trajectory.steps.length, source, usage: built.usage };
}

/** session-<time>-<first 8 of the id>.jsonl; else the newest log. */
export async function findChatLog(dir: string, sessionId?: string): Promise<string | undefined> {
  const files: Array<{ file: string; mtime: number }> = [];
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (!e.isFile() || !/\.jsonl?$/.test(e.name)) continue;
    const file = path.join(dir, e.name);
    if (sessionId && e.name.includes(sessionId.slice(0, 8))) return file;
    const st = await stat(file).catch(() => undefined);
    if (st) files.push({ file, mtime: st.mtimeMs });
  }
  return files.sort((a, b) => b.mtime - a.mtime)[0]?.file;
}

async function feedFile(file: string, onLine: (l: string) => void): Promise<void> {
  const split = new LineSplitter(onLine, MAX_LINE);
  for await (const chunk of createReadStream(file)) split.push(chunk as Buffer);
  split.end();
}

const isFile = (p: string) =>
  stat(p).then(
    (s) => s.isFile(),
    () => false,
  );
