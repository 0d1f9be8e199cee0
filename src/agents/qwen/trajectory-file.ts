// agent/trajectory.json after a qwen-code run: its stream log (agent/qwen-code.txt) read line
// by line (never the whole file in memory) into drafts (transcript.ts), built into ATIF by
// gemini/trajectory.ts with the Qwen price table, written atomically. Nothing to convert
// writes nothing: ATIF needs at least one step.
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { LineSplitter } from '../../stream/lines.js';
import { saveTrajectory, TRAJECTORY_FILE } from '../trajectory-save.js';
import type { TrialUsage } from '../claude/usage.js';
import { buildTrajectory } from '../gemini/trajectory.js';
import { AGENT } from './invocation.js';
import { PRICES_AS_OF, qwenPrice } from './prices.js';
import { QwenTranscript, reportedOf } from './transcript.js';

export { TRAJECTORY_FILE };
const MAX_LINE = 16 * 1024 * 1024;

export interface TrajectoryRequest {
  agentDir: string;
  streamLog: string;
  instruction: string;
  agentVersion: string;
  model?: string;
  maxBytes: number;
}

export interface WrittenTrajectory {
  steps: number;
  usage?: TrialUsage;
}

export async function writeTrajectory(r: TrajectoryRequest): Promise<WrittenTrajectory | undefined> {
  const t = new QwenTranscript(r.instruction);
  const split = new LineSplitter((l) => t.feed(l), MAX_LINE);
  const file = path.join(r.agentDir, r.streamLog);
  try {
    for await (const chunk of createReadStream(file)) split.push(chunk as Buffer);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  split.end();
  const model = r.model ?? t.model;
  const built = buildTrajectory(t.out, {
    agentName: AGENT,
    agentVersion: r.agentVersion,
    model,
    sessionId: t.sessionId,
    source: 'stream',
    sourceFile: r.streamLog,
    instruction: r.instruction,
    result: undefined,
    reported: reportedOf(t.result, model),
    priceOf: qwenPrice,
    pricesAsOf: PRICES_AS_OF,
    budget: Math.floor(r.maxBytes / 8),
    skipped: t.skipped,
  });
  if (!built) return undefined;
  await saveTrajectory(r.agentDir, built.trajectory, r.maxBytes);
  return { steps: built.trajectory.steps.length, usage: built.usage };
}
