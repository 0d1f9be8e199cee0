// The gemini-cli agent: Google's Gemini CLI (@google/gemini-cli, a self-contained bundle) on
// the Node runtime from npm, both mounted read-only (npm/mounted.ts), run headless with
// stream-json output parsed into events (gemini/session.ts). Ordering: prepare() mounts the
// host's cache folders before the container starts; setup() probes the container, fetches
// the package and Node into them if the host lacks them and runs `--version` inside;
// run() writes the settings into a home of its own inside the container (no secret in
// them), drives one session on stdin, copies the chat log into agent/sessions/ and writes
// agent/trajectory.json from it. Setup failures are returned by run() as the agent's error,
// so the verifier still runs.
import { envFor } from './env.js';
import { errorOfResult, errorWithoutResult } from './gemini/outcome.js';
import {
  AGENT,
  COLLECT_SESSIONS,
  DEFAULT_VERSION,
  ENTRY,
  geminiEnv,
  geminiScript,
  PACKAGE,
  STREAM_LOG,
} from './gemini/invocation.js';
import { GeminiSession } from './gemini/session.js';
import { TRAJECTORY_FILE, writeTrajectory } from './gemini/trajectory-file.js';
import { MountedAgent } from './npm/mounted.js';
import { runLogged } from './run-logged.js';
import type { Agent, AgentContext, AgentOutcome, AgentSettings } from './types.js';
import { outcomeOf } from './types.js';

/** Gemini CLI's own variables: GEMINI_API_KEY, GOOGLE_GEMINI_BASE_URL, GOOGLE_API_KEY… */
const GEMINI_PREFIXES = ['GEMINI_', 'GOOGLE_'];
const MAX_STREAM_LINE = 4 * 1024 * 1024;

export function geminiCliAgent(s: AgentSettings): Agent {
  const version = s.agentVersion && s.agentVersion !== 'latest' ? s.agentVersion : DEFAULT_VERSION;
  const env = envFor(s, GEMINI_PREFIXES);
  const mounted = new MountedAgent({
    agent: AGENT,
    version,
    node: true,
    build: () => ({ pkg: PACKAGE, version, paths: ['bundle', 'package.json'], entry: ENTRY }),
  });

  return {
    name: AGENT,
    version,
    model: s.model,

    async prepare() {
      return { mounts: await mounted.mounts() };
    },

    setup: (ctx: AgentContext) => mounted.setup(ctx),

    async run(ctx: AgentContext): Promise<AgentOutcome> {
      const command = mounted.command;
      if (!command) return mounted.notSetUp();
      const session = new GeminiSession({ message: ctx.message, output: ctx.output, info: ctx.info });
      const res = await runLogged(ctx, geminiScript(command, { model: s.model, maxTurns: s.maxTurns }), {
        env: geminiEnv(env),
        input: ctx.task.instruction,
        logName: STREAM_LOG,
        onLine: (l) => session.feed(l),
        maxLineBytes: MAX_STREAM_LINE,
      });
      session.end();
      if (!ctx.signal.aborted) await ctx.env.exec(COLLECT_SESSIONS, { timeoutMs: 30_000 }).catch(() => undefined);
      const written = await writeTrajectory({
        agentDir: ctx.agentDir,
        streamLog: STREAM_LOG,
        sessionId: session.sessionId,
        result: session.result,
        instruction: ctx.task.instruction,
        agentVersion: version,
        model: s.model ?? session.model,
        maxBytes: ctx.maxLoggedBytes,
      }).catch((err: unknown) => {
        ctx.output(`trajectory: not written: ${(err as Error)?.message ?? String(err)}`);
        return undefined;
      });
      if (written) {
        ctx.output(
          `trajectory: agent/${TRAJECTORY_FILE}, ${written.steps} steps from the ${written.source === 'session' ? 'chat' : 'stream'} log`,
        );
        if (written.usage) ctx.usage(written.usage);
      }

      if (res.timedOut || res.aborted) return outcomeOf(res, ctx.timeoutMs, AGENT);
      if (session.result) {
        const error = errorOfResult(session.result, res.exitCode);
        return { ...res, ...(error ? { error } : {}) };
      }
      return { ...res, error: errorWithoutResult(AGENT, res.exitCode, session.lastPlain) };
    },
  };
}
