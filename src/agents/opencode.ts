// The opencode agent: opencode (npm `opencode-linux-x64` and its -baseline/-musl/arm64
// siblings, one Bun-compiled binary each), mounted read-only by the npm mechanism
// (./npm/mounted.ts) and run as `opencode run --format json` with every permission
// approved (the task container is the sandbox), the instruction on stdin and the model as
// `provider/model`. The stream is parsed into events (./opencode/stream.ts); after the run
// the raw log becomes agent/trajectory.json, whose totals are agent_result
// (./opencode/trajectory.ts; the cost as opencode reports it). Failures of setup, of the API
// (./opencode/outcome.ts), the turn limit and the agent timeout are returned as the agent's
// error, so the verifier still runs.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { envFor } from './env.js';
import { MountedAgent } from './npm/mounted.js';
import { packageVersion } from './npm/registry.js';
import {
  AGENT,
  buildFor,
  DEFAULT_VERSION,
  opencodeEnv,
  opencodeScript,
  prefixesFor,
  providerOf,
  STOP_SCRIPT,
  STREAM_LOG,
} from './opencode/invocation.js';
import { errorOfFailure, errorWithoutEnd, KEY_VARS, maxTurnsError } from './opencode/outcome.js';
import { OpencodeSession } from './opencode/stream.js';
import { buildTrajectory, type TrialUsage } from './opencode/trajectory.js';
import { runLogged } from './run-logged.js';
import { saveTrajectory, TRAJECTORY_FILE } from './trajectory-save.js';
import type { Agent, AgentContext, AgentOutcome, AgentSettings } from './types.js';
import { outcomeOf } from './types.js';

/** After a step that ended the turn, a process still running is stopped after this (it normally exits at once). */
export const END_GRACE_MS = 10_000;
const MAX_STREAM_LINE = 4 * 1024 * 1024;

export function opencodeAgent(s: AgentSettings): Agent {
  let version = s.agentVersion && s.agentVersion !== 'latest' ? s.agentVersion : DEFAULT_VERSION;
  const provider = providerOf(s.model);
  const env = envFor(s, prefixesFor(provider));
  let mounted: MountedAgent | undefined;
  const spec = () => new MountedAgent({ agent: AGENT, version, build: (p) => buildFor(p, version) });

  return {
    name: AGENT,
    get version() {
      return version;
    },
    model: s.model,

    async prepare(signal: AbortSignal) {
      if (s.agentVersion === 'latest') {
        const doc = await packageVersion(AGENT, 'opencode-linux-x64', 'latest', signal);
        if (doc.version) version = doc.version;
      }
      mounted = spec();
      return { mounts: await mounted.mounts() };
    },

    setup: (ctx: AgentContext) => (mounted ??= spec()).setup(ctx),

    async run(ctx: AgentContext): Promise<AgentOutcome> {
      const command = mounted?.command;
      if (!mounted || !command) return (mounted ??= spec()).notSetUp();
      ctx.info?.({ version, ...(s.model ? { model: s.model } : {}) });
      const session = new OpencodeSession({ message: ctx.message, output: ctx.output }, { model: s.model, version });
      let grace: NodeJS.Timeout | undefined;
      let stopped = false;
      let turnLimitHit = false;
      const stop = () => {
        if (stopped) return;
        stopped = true;
        void ctx.env.exec(STOP_SCRIPT, { timeoutMs: 15_000 }).catch(() => undefined);
      };
      const onLine = (line: string) => {
        session.feed(line);
        if (s.maxTurns && session.turns > s.maxTurns && !turnLimitHit) {
          turnLimitHit = true;
          stop();
        }
        // A new step after a finished one (opencode went on): not the end after all.
        if (!session.ended && grace) {
          clearTimeout(grace);
          grace = undefined;
        }
        if (session.ended && !grace) grace = setTimeout(stop, END_GRACE_MS);
      };
      let res;
      try {
        res = await runLogged(ctx, opencodeScript(command, s.model), {
          env: opencodeEnv(env),
          input: ctx.task.instruction,
          logName: STREAM_LOG,
          onLine,
          maxLineBytes: MAX_STREAM_LINE,
        });
      } finally {
        clearTimeout(grace);
      }

      const usage = await writeTrajectory(ctx, version, s.model).catch((err: unknown) => {
        ctx.output(`trajectory: not written: ${(err as Error)?.message ?? String(err)}`);
        return undefined;
      });
      if (usage) ctx.usage(usage);
      ctx.message(session.result(usage && toAgentUsage(usage), usage?.cost_usd ?? undefined));

      if (turnLimitHit) return { ...res, error: maxTurnsError(s.maxTurns!) };
      if (session.failure && !res.timedOut)
        return {
          ...res,
          error: errorOfFailure(session.failure, provider, session.loggedError, keyGiven(env, provider)),
        };
      if (session.finished) return { exitCode: stopped ? 0 : res.exitCode, timedOut: false, aborted: res.aborted };
      if (res.timedOut || res.aborted) return outcomeOf(res, ctx.timeoutMs, AGENT);
      return { ...res, error: errorWithoutEnd(res.exitCode, session.lastPlain) };
    },
  };
}

/** The raw log as agent/trajectory.json; its totals for agent_result. */
async function writeTrajectory(ctx: AgentContext, version: string, model?: string): Promise<TrialUsage | undefined> {
  const log = path.join(ctx.agentDir, STREAM_LOG);
  const size = await stat(log).then(
    (st) => st.size,
    () => -1,
  );
  if (size < 0 || size > ctx.maxLoggedBytes * 2) return undefined;
  const built = buildTrajectory((await readFile(log, 'utf8')).split('\n'), {
    agentVersion: version,
    model,
    instruction: ctx.task.instruction,
  });
  if (!built) return undefined;
  await saveTrajectory(ctx.agentDir, built.trajectory, ctx.maxLoggedBytes);
  ctx.output(`trajectory: agent/${TRAJECTORY_FILE}, ${built.trajectory.steps.length} steps from the stream`);
  return built.usage;
}

const keyGiven = (env: Record<string, string>, provider?: string) =>
  !provider || !KEY_VARS[provider] || Boolean(env[KEY_VARS[provider]]);

function toAgentUsage(u: TrialUsage) {
  return {
    input_tokens: u.n_input_tokens - u.n_cache_tokens,
    cache_read_input_tokens: u.n_cache_tokens,
    cache_creation_input_tokens: 0,
    output_tokens: u.n_output_tokens,
  };
}
