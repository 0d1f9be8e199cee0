// Which native Claude Code build a container can run. Claude Code 2.x ships one npm
// package per platform (the optionalDependencies of @anthropic-ai/claude-code):
// linux-x64, linux-x64-musl, linux-arm64, linux-arm64-musl. The binary is a dynamically
// linked ELF, so what decides is the dynamic loader present in the task image.
import { TrialError } from '../../errors.js';

export type ClaudePlatform = 'linux-x64' | 'linux-x64-musl' | 'linux-arm64' | 'linux-arm64-musl';

/** The loaders each build's ELF interpreter points at, by `uname -m`. */
const LOADERS: Record<string, { arch: 'x64' | 'arm64'; glibc: string; musl: string }> = {
  x86_64: { arch: 'x64', glibc: '/lib64/ld-linux-x86-64.so.2', musl: '/lib/ld-musl-x86_64.so.1' },
  amd64: { arch: 'x64', glibc: '/lib64/ld-linux-x86-64.so.2', musl: '/lib/ld-musl-x86_64.so.1' },
  aarch64: { arch: 'arm64', glibc: '/lib/ld-linux-aarch64.so.1', musl: '/lib/ld-musl-aarch64.so.1' },
  arm64: { arch: 'arm64', glibc: '/lib/ld-linux-aarch64.so.1', musl: '/lib/ld-musl-aarch64.so.1' },
};

/**
 * POSIX sh (busybox too): prints `uname -m`, then every known loader that exists.
 * `-e` follows symlinks, so a loader that is a dangling link does not count.
 */
export const PROBE_SCRIPT = [
  'uname -m',
  ...[...new Set(Object.values(LOADERS).flatMap((l) => [l.glibc, l.musl]))].map((p) => `[ -e ${p} ] && echo ${p}`),
  'true',
].join('; ');

/** Thrown (and recorded as the agent's error) when no build can run in the image. */
export class UnsupportedPlatformError extends TrialError {
  constructor(message: string) {
    super('AgentUnsupportedPlatformError', message);
  }
}

/** Probe output -> platform; glibc wins when an image has both loaders. Pure. */
export function platformFromProbe(output: string): ClaudePlatform {
  const [machine = '', ...found] = output
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const l = LOADERS[machine];
  if (!l) {
    throw new UnsupportedPlatformError(
      `claude-code: the task container's architecture "${machine || 'unknown'}" has no Claude Code build (supported: x86_64, aarch64)`,
    );
  }
  if (found.includes(l.glibc)) return `linux-${l.arch}`;
  if (found.includes(l.musl)) return `linux-${l.arch}-musl`;
  throw new UnsupportedPlatformError(
    `claude-code: the task image has neither glibc (${l.glibc}) nor musl (${l.musl}); ` +
      'the native Claude Code binary cannot run in it. Use an image based on Debian/Ubuntu (glibc) or Alpine (musl), e.g. not busybox or scratch',
  );
}

/** The npm package holding the native binary for a platform. */
export function packageOf(platform: ClaudePlatform): string {
  return `@anthropic-ai/claude-code-${platform}`;
}

/** The host's own platform, when it is one the binary can run on (to verify a download). */
export function hostPlatform(): ClaudePlatform | undefined {
  if (process.platform !== 'linux' || (process.arch !== 'x64' && process.arch !== 'arm64')) return undefined;
  // Node built against glibc reports its runtime version; on musl the field is absent.
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  return header?.glibcVersionRuntime ? `linux-${process.arch}` : `linux-${process.arch}-musl`;
}
