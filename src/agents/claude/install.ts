// Fetch the native Claude Code binary for one platform from the npm registry, once per
// host: package metadata -> tarball with its sha512 checked (../npm/registry.ts) -> extract
// `package/claude` -> run `--version` when the host can -> publish by atomic rename.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { AgentInstallError, downloadPackage, registryUrl, run } from '../npm/registry.js';
import { cacheRoot, exists, withLock } from './cache.js';
import { hostPlatform, packageOf, type ClaudePlatform } from './platform.js';

const DOWNLOAD_TIMEOUT_MS = 15 * 60_000;

export { AgentInstallError };

export interface Installed {
  /** Host folder <root>/<version>: the one containers mount. */
  versionDir: string;
  /** Path of the binary relative to versionDir. */
  relPath: string;
  /** False when it was already in the cache. */
  downloaded: boolean;
}

export { registryUrl };

export function versionDirOf(version: string, root = cacheRoot()): string {
  return path.join(root, version);
}

// One download per build per process, whatever the number of concurrent trials.
const inflight = new Map<string, Promise<Installed>>();

export function ensureInstalled(
  version: string,
  platform: ClaudePlatform,
  signal: AbortSignal,
  onLine: (l: string) => void = () => {},
): Promise<Installed> {
  const key = `${version}/${platform}`;
  let p = inflight.get(key);
  if (!p) {
    p = install(version, platform, signal, onLine).finally(() => inflight.delete(key));
    inflight.set(key, p);
  }
  return p;
}

async function install(
  version: string,
  platform: ClaudePlatform,
  signal: AbortSignal,
  onLine: (l: string) => void,
): Promise<Installed> {
  const root = cacheRoot();
  const versionDir = versionDirOf(version, root);
  const finalDir = path.join(versionDir, platform);
  const relPath = path.join(platform, 'claude');
  await mkdir(versionDir, { recursive: true });
  const done = () => exists(path.join(finalDir, 'claude'));
  const ran = await withLock(
    path.join(root, `.lock-${version}-${platform}`),
    done,
    async () => {
      const tmp = path.join(root, `.tmp-${randomBytes(6).toString('hex')}`);
      try {
        await downloadPackage(
          'claude-code',
          packageOf(platform),
          version,
          tmp,
          AbortSignal.any([signal, AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS)]),
          onLine,
          ['claude'],
        );
        if (hostPlatform() === platform) await verifyOnHost(path.join(tmp, 'claude'), version);
        await rm(finalDir, { recursive: true, force: true }); // a partial folder from an old crash
        await rename(tmp, finalDir);
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
    },
    signal,
  );
  return { versionDir, relPath, downloaded: ran };
}

/** Catch a corrupt or wrong binary before it lands in the cache. */
async function verifyOnHost(bin: string, version: string): Promise<void> {
  const res = await run(bin, ['--version'], { timeout: 60_000, env: { ...process.env, DISABLE_AUTOUPDATER: '1' } });
  if (res.exitCode !== 0 || !String(res.stdout).includes(version)) {
    throw new AgentInstallError(
      `claude-code: the downloaded binary did not run on this host (${bin} --version: ${
        String(res.stderr || res.stdout)
          .trim()
          .slice(0, 300) || `exit ${res.exitCode}`
      })`,
    );
  }
}
