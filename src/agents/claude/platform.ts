// Which native Claude Code build a container can run. Claude Code 2.x ships one npm
// package per platform (the optionalDependencies of @anthropic-ai/claude-code):
// linux-x64, linux-x64-musl, linux-arm64, linux-arm64-musl. The binary is a dynamically
// linked ELF, so what decides is the dynamic loader present in the task image.
import {
  hostPlatform as hostOf,
  platformFromProbe as probe,
  platformTag,
  PROBE_SCRIPT,
  UnsupportedPlatformError,
} from '../npm/platform.js';

export { PROBE_SCRIPT, UnsupportedPlatformError };

export type ClaudePlatform = 'linux-x64' | 'linux-x64-musl' | 'linux-arm64' | 'linux-arm64-musl';

/** Probe output -> platform; glibc wins when an image has both loaders. Pure. */
export function platformFromProbe(output: string): ClaudePlatform {
  return platformTag(probe(output, 'claude-code', 'Claude Code')) as ClaudePlatform;
}

/** The npm package holding the native binary for a platform. */
export function packageOf(platform: ClaudePlatform): string {
  return `@anthropic-ai/claude-code-${platform}`;
}

/** The host's own platform, when it is one the binary can run on (to verify a download). */
export function hostPlatform(): ClaudePlatform | undefined {
  const h = hostOf();
  return h ? (platformTag(h) as ClaudePlatform) : undefined;
}
