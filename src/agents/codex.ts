// The codex agent: OpenAI's Codex CLI (npm `@openai/codex@<v>-linux-x64` / `-linux-arm64`,
// one static musl binary that runs on glibc and musl images alike), mounted read-only by
// the npm mechanism (./npm/mounted.ts) and run as `codex exec --json` with approvals and
// sandbox bypassed (the task container is the sandbox) and the instruction on stdin. The
// stream is parsed into events (./codex/stream.ts); after the run codex's session log is
// copied into the trial folder and becomes agent/trajectory.json, whose totals are
// agent_result (./codex/trajectory.ts; the cost estimated from list prices, codex reports
// none). Failures of setup, of the API (./codex/outcome.ts), the turn limit and the agent
// timeout are returned as the agent's error, so the verifier still runs.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { AtifTrajectory } from './atif.js';
import { envFor } from './env.js';
import {
  codexEnv,
  codexScript,
  COPY_SESSION,
  MOUNT_POINT,
  SESSION_LOG,
  STOP_SCRIPT,
  STREAM_LOG,
  TRIPLES,
} from './codex/invocation.js';
import { errorOfFailure, errorWithoutEnd, maxTurnsError, type AgentError } from './codex/outcome.js';
import { CodexSession } from './codex/stream.js';
import { buildFromRollout, buildFromStream, type TrialUsage } from './codex/trajectory.js';
import { MountedAgent, setupErrorOf } from './npm/mounted.js';
import { packageVersion } from './npm/registry.js';
import { runLogged } from './run-logged.js';
import type { Agent, AgentContext, AgentOutcome, AgentSettings } from './types.js';
import { outcomeOf } from './types.js';
import { saveTrajectory, TRAJECTORY_FILE } from './trajectory-save.js';

/** Pinned: checked on this machine (../shared/AGENTS.md); --agent-version overrides. */
export const DEFAULT_CODEX_VERSION = '0.169.0';
/** The key, the base URL and codex's own settings; the script sets CODEX_HOME itself. */
const CODEX_PREFIXES = ['OPENAI_', 'CODEX_'];
/** After turn.completed / turn.failed, a process still running is stopped after this. */
export const END_GRACE_MS = 3000;
const MAX_STREAM_LINE = 4 * 1024 * 1024;
export { TRAJECTORY_FILE };
const PKG = '@openai/codex';

export function codexAgent(s: AgentSettings): Agent {
  let version = s.agentVersion && s.agentVersion !== 'latest' ? s.agentVersion : DEFAULT_CODEX_VERSION;
  const env = envFor(s, CODEX_PREFIXES);
  let mounted: MountedAgent | undefined;
  let command: string | undefined;
  let setupError: AgentError | undefined;

  const spec = () =>
    new MountedAgent({
      agent: 'codex',
      version,
      // The plain package is only a launcher; each platform's binary is `<v>-linux-<arch>`.
      build: (p) => {
        const triple = TRIPLES[p.arch];
        return {
          pkg: PKG,
          version: `${version}-linux-${p.arch}`,
          // The code-mode host beside it (code mode is on for codex's default models), rg on its PATH.
          paths: [`vendor/${triple}/bin`, `vendor/${triple}/codex-path`],
          entry: `vendor/${triple}/bin/codex`,
        };
      },
    });

  const agent: Agent = {
    name: 'codex',
    get version() {
      return version;
    },
    model: s.model,

    async prepare(signal: AbortSignal) {
      if (s.agentVersion === 'latest') {
        const doc = await packageVersion('codex', PKG, 'latest', signal);
        if (doc.version) version = doc.version;
      }
      mounted = spec();
      return { mounts: await mounted.mounts() };
    },

    async setup(ctx: AgentContext) {
      try {
        mounted ??= spec();
        command = (await mounted.install(ctx)).command;
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        setupError = setupErrorOf('codex', err);
        ctx.output(`✗ ${setupError.message}`);
      }
    },

    async run(ctx: AgentContext): Promise<AgentOutcome> {
      if (!command)
        return {
          exitCode: -1,
          timedOut: false,
          aborted: false,
          error: setupError ?? { type: 'AgentInstallError', message: 'codex: the binary was not set up' },
        };
      ctx.info?.({ version, ...(s.model ? { model: s.model } : {}) });
      const session = new CodexSession({ message: ctx.message, output: ctx.output }, { model: s.model, version });
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
        if (s.maxTurns && session.turns > s.maxTurns && !session.ended && !turnLimitHit) {
          turnLimitHit = true;
          stop();
        }
        if (session.ended && !grace) grace = setTimeout(stop, END_GRACE_MS);
      };
      let res;
      try {
        res = await runLogged(ctx, codexScript({ command, model: s.model }), {
          env: codexEnv(env),
          input: ctx.task.instruction,
          logName: STREAM_LOG,
          onLine,
          maxLineBytes: MAX_STREAM_LINE,
        });
      } finally {
        clearTimeout(grace);
      }

      const usage = await writeTrajectory(ctx, session, version, s.model).catch((err: unknown) => {
        ctx.output(`trajectory: not written: ${(err as Error)?.message ?? String(err)}`);
        return undefined;
      });
      if (usage) ctx.usage(usage);

      if (turnLimitHit) return { ...res, exitCode: res.exitCode, error: maxTurnsError(s.maxTurns!) };
      if (session.failure !== undefined && !res.timedOut) return { ...res, error: errorOfFailure(session.failure) };
      if (session.completed) return { exitCode: stopped ? 0 : res.exitCode, timedOut: false, aborted: res.aborted };
      if (res.timedOut || res.aborted) return outcomeOf(res, ctx.timeoutMs, 'codex');
      return { ...res, error: errorWithoutEnd(res.exitCode, session.lastPlain) };
    },
  };
  return agent;
}

/** Copy the rollout out of CODEX_HOME, build the trajectory, write it; the usage for agent_result. */
async function writeTrajectory(
  ctx: AgentContext,
  session: CodexSession,
  version: string,
  model: string | undefined,
): Promise<TrialUsage | undefined> {
  if (!ctx.signal.aborted) await ctx.env.exec(COPY_SESSION, { timeoutMs: 15_000 }).catch(() => undefined);
  const rollout = path.join(ctx.agentDir, SESSION_LOG);
  const size = await stat(rollout).then(
    (st) => st.size,
    () => -1,
  );
  const opts = { agentVersion: version, model, sessionId: session.threadId, instruction: ctx.task.instruction };
  let built: { trajectory: AtifTrajectory; usage: TrialUsage } | undefined;
  if (size >= 0 && size <= ctx.maxLoggedBytes * 2)
    built = buildFromRollout((await readFile(rollout, 'utf8')).split('\n'), opts);
  built ??= buildFromStream(session.texts, session.usage, opts);
  if (!built) return undefined;
  await saveTrajectory(ctx.agentDir, built.trajectory, ctx.maxLoggedBytes);
  ctx.output(
    `trajectory: agent/${TRAJECTORY_FILE}, ${built.trajectory.steps.length} steps from the ${String(built.trajectory.extra?.source)} log`,
  );
  return built.usage;
}

export { MOUNT_POINT };
