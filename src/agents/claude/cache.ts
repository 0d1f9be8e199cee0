// Where the native Claude Code binaries live on the host. Layout:
//   <root>/<version>/<platform>/claude     published by an atomic directory rename
//   <root>/.lock-<version>-<platform>      held by the one process downloading it
// <root>/<version> is what containers mount read-only, so every trial sees a build the
// moment it is published. The lock and the cache base are shared with every npm agent
// (../npm/cache.ts).
import { cacheDir } from '../npm/cache.js';

export { exists, withLock } from '../npm/cache.js';

export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return cacheDir('claude-code', env);
}
