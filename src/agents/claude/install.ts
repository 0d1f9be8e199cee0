// Fetch the native Claude Code binary for one platform from the npm registry, once per
// host: package metadata -> tarball (sha512 checked against the registry's `integrity`,
// https://docs.npmjs.com/cli/v10/configuring-npm/package-lock-json#packages) -> extract
// `package/claude` -> run `--version` when the host can -> publish by atomic rename.
// Plain fetch rather than `npm pack`: it needs no npm on PATH, and Node trusts the CA
// bundle named by NODE_EXTRA_CA_CERTS like npm does.
import { execa } from 'execa';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TrialError } from '../../errors.js';
import { cacheRoot, exists, withLock } from './cache.js';
import { hostPlatform, packageOf, type ClaudePlatform } from './platform.js';

const DOWNLOAD_TIMEOUT_MS = 15 * 60_000;

export class AgentInstallError extends TrialError {
  constructor(message: string) {
    super('AgentInstallError', message);
  }
}

export interface Installed {
  /** Host folder <root>/<version>: the one containers mount. */
  versionDir: string;
  /** Path of the binary relative to versionDir. */
  relPath: string;
  /** False when it was already in the cache. */
  downloaded: boolean;
}

/** The registry npm itself would use (npm exports npm_config_registry to scripts). */
export function registryUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (env.TB2_NPM_REGISTRY || env.npm_config_registry || 'https://registry.npmjs.org/').replace(/\/*$/, '/');
}

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
        await download(
          packageOf(platform),
          version,
          tmp,
          AbortSignal.any([signal, AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS)]),
          onLine,
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

async function download(
  pkg: string,
  version: string,
  dir: string,
  signal: AbortSignal,
  onLine: (l: string) => void,
): Promise<void> {
  const metaUrl = `${registryUrl()}${pkg.replace('/', '%2f')}/${version}`;
  const meta = await fetchOk(metaUrl, signal, `${pkg}@${version}`);
  const dist = ((await meta.json()) as { dist?: { tarball?: string; integrity?: string } }).dist;
  if (!dist?.tarball || !dist.integrity?.startsWith('sha512-'))
    throw new AgentInstallError(
      `claude-code: the registry's metadata for ${pkg}@${version} has no tarball or sha512 integrity (${metaUrl})`,
    );

  await mkdir(dir, { recursive: true });
  const tgz = path.join(dir, 'package.tgz');
  const res = await fetchOk(dist.tarball, signal, `${pkg}@${version}`);
  const size = Number(res.headers.get('content-length') ?? 0);
  onLine(
    `downloading ${pkg}@${version}${size ? ` (${Math.round(size / 1e6)} MB)` : ''} from ${new URL(dist.tarball).host}`,
  );
  const hash = createHash('sha512');
  const tap = new Transform({ transform: (chunk: Buffer, _enc, cb) => (hash.update(chunk), cb(null, chunk)) });
  await pipeline(Readable.fromWeb(res.body as never), tap, createWriteStream(tgz), { signal });
  const got = `sha512-${hash.digest('base64')}`;
  if (got !== dist.integrity)
    throw new AgentInstallError(
      `claude-code: ${pkg}@${version} failed its integrity check (expected ${dist.integrity}, got ${got})`,
    );

  const tar = await run('tar', ['-xzf', tgz, '-C', dir, '--strip-components=1', 'package/claude'], { signal });
  await rm(tgz, { force: true });
  if (tar.exitCode !== 0)
    throw new AgentInstallError(
      `claude-code: could not extract package/claude from ${pkg}@${version}: ${String(tar.stderr).trim() || `tar exit ${tar.exitCode}`}`,
    );
}

async function fetchOk(url: string, signal: AbortSignal, what: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { signal });
  } catch (err) {
    if (signal.aborted) throw err;
    throw new AgentInstallError(
      `claude-code: could not reach the npm registry for ${what} (${url}): ${(err as Error).cause ?? (err as Error).message}`,
    );
  }
  if (!res.ok) {
    const hint = res.status === 404 ? ' (is --claude-code-version a published version?)' : '';
    throw new AgentInstallError(`claude-code: the npm registry answered ${res.status} for ${what}${hint}`);
  }
  return res;
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

/** A short command, its output collected; never rejects. */
async function run(
  file: string,
  args: string[],
  opts: { signal?: AbortSignal; timeout?: number; env?: NodeJS.ProcessEnv },
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const res = await execa(file, args, {
    cancelSignal: opts.signal,
    timeout: opts.timeout,
    env: opts.env,
    reject: false,
    stdin: 'ignore',
    maxBuffer: 4 * 1024 * 1024,
  });
  return {
    exitCode: res.exitCode ?? -1,
    stdout: String(res.stdout ?? ''),
    stderr: String(res.stderr ?? '') || (res.exitCode === undefined ? (res.shortMessage ?? '') : ''),
  };
}
