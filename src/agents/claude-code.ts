// The claude-code agent (docs/claude-code.md): the native Claude Code binary, fetched
// once per host and bind-mounted read-only, run in print mode with stream-json output
// parsed into events. Ordering: prepare() mounts the host's <cache>/<version> folder
// before the container starts; setup() probes the container's libc and architecture,
// fetches that build into the mounted folder if the host lacks it, and runs
// `claude --version` inside the container; run() drives one session, then writes its
// ATIF trajectory (agent/trajectory.json) from the session log.
// Failures of setup (unsupported libc, download, a binary that will not start) are
// returned by run() as the agent's error, so the verifier still runs.
import { mkdir, open, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Tb2Error } from '../errors.js';
import { AgentInstallError, ensureInstalled, versionDirOf } from './claude/install.js';
import {
  claudeEnv,
  claudeScript,
  MOUNT_POINT,
  shQuote,
  STOP_SCRIPT,
  STREAM_LOG,
  UNLOCK_SESSIONS,
} from './claude/invocation.js';
import { claudeMcpConfig, MCP_CONFIG_FILE } from './claude/mcp-config.js';
import { errorOfResult, errorWithoutResult, type AgentError } from './claude/outcome.js';
import { platformFromProbe, PROBE_SCRIPT, UnsupportedPlatformError } from './claude/platform.js';
import { ClaudeSession } from './claude/session.js';
import { parseStreamLine } from './claude/stream.js';
import { TRAJECTORY_FILE, writeTrajectory } from './claude/trajectory-file.js';
import { envFor } from './env.js';
import { runLogged } from './run-logged.js';
import type { Agent, AgentContext, AgentOutcome, AgentSettings } from './types.js';
import { outcomeOf } from './types.js';

/** Claude Code's own variables: its key, base URL and settings. */
const CLAUDE_PREFIXES = ['ANTHROPIC_', 'CLAUDE_CODE_'];

/** The stream can stay open after `result` (seen with Claude Code 2.x): stop the process after this. */
export const RESULT_GRACE_MS = 3000;
/** Tool results can be huge single lines; parse up to this, beyond it they become plain output. */
const MAX_STREAM_LINE = 4 * 1024 * 1024;

export function claudeCodeAgent(s: AgentSettings): Agent {
  // --agent-version, else its alias --claude-code-version (which carries the pinned default).
  const version = s.agentVersion && s.agentVersion !== 'latest' ? s.agentVersion : s.claudeCodeVersion;
  const env = envFor(s, CLAUDE_PREFIXES);
  let binPath: string | undefined;
  let setupError: AgentError | undefined;

  return {
    name: 'claude-code',
    version,
    model: s.model,
    takesMcpServers: true,

    async prepare() {
      const dir = versionDirOf(version);
      await mkdir(dir, { recursive: true });
      return { mounts: [{ host: dir, container: MOUNT_POINT, readonly: true }] };
    },

    async setup(ctx: AgentContext) {
      try {
        const probe = await ctx.env.run(PROBE_SCRIPT, ctx.signal);
        const platform = platformFromProbe(probe);
        const installed = await ensureInstalled(version, platform, ctx.signal, ctx.output);
        const bin = path.posix.join(MOUNT_POINT, installed.relPath);
        // The check that matters: does this build start in this container (libc version…)?
        const res = await ctx.env.exec(`${shQuote(bin)} --version`, { signal: ctx.signal, timeoutMs: 60_000 });
        if (res.aborted) throw ctx.signal.reason ?? new Error('aborted');
        if (res.exitCode !== 0 || !res.stdout.includes(version)) {
          const why = (res.stderrTail || res.stdout).trim().split('\n').slice(-3).join(' | ') || `exit ${res.exitCode}`;
          throw new UnsupportedPlatformError(
            `claude-code: the ${platform} build of Claude Code ${version} does not run in this task image (${bin} --version: ${why})`,
          );
        }
        binPath = bin;
        ctx.output(
          `Claude Code ${version} (${platform}) ${installed.downloaded ? 'downloaded to' : 'cached in'} ${installed.versionDir}, mounted read-only at ${MOUNT_POINT}`,
        );
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        const e =
          err instanceof Tb2Error
            ? err
            : new AgentInstallError(`claude-code: setup failed: ${(err as Error).message ?? String(err)}`);
        setupError = { type: e.exceptionType, message: e.message };
        ctx.output(`✗ ${e.message}`);
      }
    },

    async run(ctx: AgentContext): Promise<AgentOutcome> {
      if (!binPath) {
        return {
          exitCode: -1,
          timedOut: false,
          aborted: false,
          error: setupError ?? { type: 'AgentInstallError', message: 'claude-code: the binary was not set up' },
        };
      }
      const session = new ClaudeSession({ message: ctx.message, output: ctx.output, info: ctx.info });
      let grace: NodeJS.Timeout | undefined;
      let stopped = false;
      const onLine = (line: string) => {
        session.feed(line);
        if (session.result && !grace) {
          grace = setTimeout(() => {
            stopped = true;
            void ctx.env.exec(STOP_SCRIPT, { timeoutMs: 15_000 }).catch(() => undefined);
          }, RESULT_GRACE_MS);
        }
      };
      // `[[environment.mcp_servers]]`: a config file in the trial's agent folder (/logs/agent).
      const servers = ctx.task.config.mcpServers;
      let mcpConfig: string | undefined;
      if (servers.length) {
        await writeFile(
          path.join(ctx.agentDir, MCP_CONFIG_FILE),
          JSON.stringify(claudeMcpConfig(servers), null, 2) + '\n',
        );
        mcpConfig = `/logs/agent/${MCP_CONFIG_FILE}`;
        ctx.output(`MCP servers: ${servers.map((m) => m.name).join(', ')} (--mcp-config agent/${MCP_CONFIG_FILE})`);
      }
      const script = claudeScript({ binPath, model: s.model, maxTurns: s.maxTurns, forwardEnv: env, mcpConfig });
      let res;
      try {
        res = await runLogged(ctx, script, {
          env: claudeEnv(env),
          input: ctx.task.instruction,
          logName: STREAM_LOG,
          onLine,
          maxLineBytes: MAX_STREAM_LINE,
        });
      } finally {
        clearTimeout(grace);
      }
      // The log cap (trial/log-cap.ts) cuts a long log and re-appends its last line in two
      // steps; a read between them misses the result line, so look again a moment later.
      for (let i = 0; i < 5 && !session.result; i++) {
        if (i) await new Promise((r) => setTimeout(r, 100));
        await recoverResult(path.join(ctx.agentDir, STREAM_LOG), session);
      }
      // After the process ended: the trajectory, and agent_result equal to its final_metrics
      // (claude/trajectory-metrics.ts); without one, usage as the stream reported it.
      const written = await writeTrajectory({
        agentDir: ctx.agentDir,
        sessionId: session.sessionId,
        result: session.result,
        instruction: ctx.task.instruction,
        agentVersion: version,
        model: s.model,
        maxBytes: ctx.maxLoggedBytes,
        unlock: ctx.signal.aborted
          ? undefined
          : () => ctx.env.exec(UNLOCK_SESSIONS, { timeoutMs: 15_000 }).then(() => undefined),
      }).catch((err: unknown) => {
        ctx.output(`trajectory: not written: ${(err as Error)?.message ?? String(err)}`);
        return undefined;
      });
      if (written)
        ctx.output(`trajectory: agent/${TRAJECTORY_FILE}, ${written.steps} steps from the ${written.source} log`);
      const usage = written ? written.usage : session.usage();
      if (usage) ctx.usage(usage);

      if (session.result) {
        const error = errorOfResult(session.result);
        return {
          exitCode: stopped ? 0 : res.exitCode,
          timedOut: false,
          aborted: res.aborted,
          ...(error ? { error } : {}),
        };
      }
      if (res.timedOut || res.aborted) return outcomeOf(res, ctx.timeoutMs, 'claude-code');
      return { ...res, error: errorWithoutResult(res.exitCode, session.lastPlain) };
    },
  };
}

/**
 * The live tail stops handing on lines after ctx.maxLoggedBytes; a session that
 * long still has its result line at the end of the file. Read only the file's end.
 */
async function recoverResult(file: string, session: ClaudeSession): Promise<void> {
  const fh = await open(file, 'r').catch(() => undefined);
  if (!fh) return;
  try {
    const { size } = await fh.stat();
    const len = Math.min(size, MAX_STREAM_LINE);
    const buf = Buffer.alloc(len);
    await fh.read(buf, 0, len, size - len);
    // Its keys are not in a fixed order (2.1.328 writes "type" near the end): parse.
    const lines = buf
      .toString('utf8')
      .split('\n')
      .filter((l) => l.includes('"result"'))
      .slice(-20)
      .reverse();
    const last = lines.find((l) => parseStreamLine(l).kind === 'result');
    if (last) session.feed(last);
  } finally {
    await fh.close();
  }
}
