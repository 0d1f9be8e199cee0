// Run an agent script in the container with its stdout+stderr going to a file under
// /logs/agent (kept as the raw log in the artifact) and tailed on the host into output
// events. Variables reach the container by name; their values stay off every argv.
import path from 'node:path';
import type { ExecResult } from '../environment/types.js';
import { FileTail } from '../stream/file-tail.js';
import type { AgentContext } from './types.js';

export async function runLogged(
  ctx: AgentContext,
  script: string,
  opts: {
    env: Record<string, string>;
    input?: string;
    logName: string;
    onLine?: (line: string) => void;
    maxLineBytes?: number;
  },
): Promise<ExecResult> {
  // Past the cap the log says so; the raw file is cut to the same cap (trial/log-cap.ts).
  const capped = () =>
    ctx.output(
      `… output beyond ${ctx.maxLoggedBytes} bytes is not shown; agent/${opts.logName} keeps the first ${ctx.maxLoggedBytes} bytes`,
    );
  const tail = new FileTail(
    path.join(ctx.agentDir, opts.logName),
    opts.onLine ?? ctx.output,
    ctx.maxLoggedBytes,
    capped,
    opts.maxLineBytes,
  ).start();
  try {
    return await ctx.env.exec(`${script}`, {
      tag: 'agent',
      redirect: `/logs/agent/${opts.logName}`,
      env: opts.env,
      input: opts.input,
      timeoutMs: ctx.timeoutMs,
      signal: ctx.signal,
    });
  } finally {
    await tail.stop();
  }
}
