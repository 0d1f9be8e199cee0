// The qwen-code agent: Qwen Code (@qwen-code/qwen-code, a bundle with no dependencies) on the
// Node runtime from npm, both mounted read-only (npm/mounted.ts), run headless with
// stream-json output parsed into events (qwen/session.ts), against any OpenAI-compatible
// Chat Completions API (OPENAI_API_KEY, OPENAI_BASE_URL). Ordering as gemini-cli's: prepare()
// mounts the host's cache folders before the container starts; setup() probes the container,
// fetches the package and Node if the host lacks them and runs `--version` inside; run()
// writes the settings into a home of its own inside the container (no secret in them),
// drives one session on stdin, copies the chat log into agent/sessions/ and writes
// agent/trajectory.json from the stream. Setup failures are returned by run() as the agent's
// error, so the verifier still runs.
import { envFor } from './env.js';
import { MountedAgent } from './npm/mounted.js';
import {
  AGENT,
  COLLECT_SESSIONS,
  DEFAULT_VERSION,
  ENTRY,
  PACKAGE,
  qwenEnv,
  qwenScript,
  STOP_SCRIPT,
  STREAM_LOG,
} from './qwen/invocation.js';
import { errorOfResult, errorWithoutResult } from './qwen/outcome.js';
import { QwenSession } from './qwen/session.js';
import { TRAJECTORY_FILE, writeTrajectory } from './qwen/trajectory-file.js';
import { runLogged } from './run-logged.js';
import type { Agent, AgentContext, AgentOutcome, AgentSettings } from './types.js';
import { outcomeOf } from './types.js';

/** qwen-code speaks the OpenAI API; QWEN_* are its own switches. */
const QWEN_PREFIXES = ['OPENAI_', 'QWEN_'];
const MAX_STREAM_LINE = 4 * 1024 * 1024;
/** The process can stay up after `result` (seen: 7 to 30 s): stop it after this. */
export const RESULT_GRACE_MS = 3000;

export function qwenCodeAgent(s: AgentSettings): Agent {
  const version = s.agentVersion && s.agentVersion !== 'latest' ? s.agentVersion : DEFAULT_VERSION;
  const env = envFor(s, QWEN_PREFIXES);
  const mounted = new MountedAgent({
    agent: AGENT,
    version,
    node: true,
    build: () => ({ pkg: PACKAGE, version, entry: ENTRY }),
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
      const session = new QwenSession({ message: ctx.message, output: ctx.output, info: ctx.info });
      let grace: NodeJS.Timeout | undefined;
      const onLine = (line: string) => {
        session.feed(line);
        if (session.result && !grace)
          grace = setTimeout(
            () => void ctx.env.exec(STOP_SCRIPT, { timeoutMs: 15_000 }).catch(() => undefined),
            RESULT_GRACE_MS,
          );
      };
      let res;
      try {
        res = await runLogged(ctx, qwenScript(command, { model: s.model, maxTurns: s.maxTurns }), {
          env: qwenEnv(env),
          input: ctx.task.instruction,
          logName: STREAM_LOG,
          onLine,
          maxLineBytes: MAX_STREAM_LINE,
        });
      } finally {
        clearTimeout(grace);
      }
      if (!ctx.signal.aborted) await ctx.env.exec(COLLECT_SESSIONS, { timeoutMs: 30_000 }).catch(() => undefined);
      const written = await writeTrajectory({
        agentDir: ctx.agentDir,
        streamLog: STREAM_LOG,
        instruction: ctx.task.instruction,
        agentVersion: version,
        model: s.model ?? session.model,
        maxBytes: ctx.maxLoggedBytes,
      }).catch((err: unknown) => {
        ctx.output(`trajectory: not written: ${(err as Error)?.message ?? String(err)}`);
        return undefined;
      });
      if (written) {
        ctx.output(`trajectory: agent/${TRAJECTORY_FILE}, ${written.steps} steps from the stream log`);
        if (written.usage) ctx.usage(written.usage);
      }

      if (res.timedOut || res.aborted) return outcomeOf(res, ctx.timeoutMs, AGENT);
      if (session.result) {
        const error = errorOfResult(session.result, res.exitCode);
        return { ...res, ...(error ? { error } : {}) };
      }
      return { ...res, error: errorWithoutResult(res.exitCode, session.lastPlain) };
    },
  };
}
