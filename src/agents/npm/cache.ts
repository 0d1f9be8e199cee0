// A folder of downloaded agents and runtimes shared by every trial on the host, and the lock
// that keeps concurrent trials (in this process or in others on the same runner) from
// downloading the same package twice or publishing a half-written one: a package is unpacked
// into a temporary folder and published by an atomic rename, under an O_EXCL lock file whose
// owner is checked for liveness (a crashed holder does not block the next run).
import { hostname, homedir } from 'node:os';
import { open, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A download of ~170 MB that has not finished in this long is presumed dead. */
const STALE_LOCK_MS = 20 * 60_000;
const POLL_MS = 500;

/**
 * `<base>/<sub>`: TB2_CACHE_DIR wins; on a GitHub runner the tool cache (kept between jobs on
 * self-hosted runners, see https://docs.github.com/en/actions/reference/variables-reference);
 * else the XDG cache folder.
 */
export function cacheDir(sub: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.TB2_CACHE_DIR) return path.join(env.TB2_CACHE_DIR, sub);
  if (env.RUNNER_TOOL_CACHE) return path.join(env.RUNNER_TOOL_CACHE, `tb2-${sub}`);
  return path.join(env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'tb2', sub);
}

export async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

interface LockInfo {
  pid: number;
  host: string;
}

/** A lock whose owner is gone (same host, dead pid) or that is too old to be live. */
async function isStale(lockPath: string): Promise<boolean> {
  try {
    const [st, raw] = await Promise.all([stat(lockPath), readFile(lockPath, 'utf8')]);
    if (Date.now() - st.mtimeMs > STALE_LOCK_MS) return true;
    const info = JSON.parse(raw) as LockInfo;
    if (info.host !== hostname()) return false;
    try {
      process.kill(info.pid, 0);
      return false;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ESRCH';
    }
  } catch {
    // Gone meanwhile, or still being written (empty): let the next poll decide.
    return false;
  }
}

/**
 * Run `fn` holding an exclusive lock file (O_EXCL create), unless `done()` turns true
 * while waiting for another holder. Returns whether `fn` ran.
 */
export async function withLock(
  lockPath: string,
  done: () => Promise<boolean>,
  fn: () => Promise<void>,
  signal: AbortSignal,
): Promise<boolean> {
  for (;;) {
    signal.throwIfAborted();
    if (await done()) return false;
    try {
      const fh = await open(lockPath, 'wx');
      await fh.writeFile(JSON.stringify({ pid: process.pid, host: hostname() } satisfies LockInfo));
      await fh.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (await isStale(lockPath)) await rm(lockPath, { force: true });
      else await sleep(POLL_MS, undefined, { signal });
    }
  }
  try {
    // The holder before us may have published while we took the lock.
    if (await done()) return false;
    await fn();
    return true;
  } finally {
    await rm(lockPath, { force: true });
  }
}
