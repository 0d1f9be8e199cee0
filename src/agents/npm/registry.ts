// Packages from the npm registry without npm: metadata -> tarball, its sha512 checked against
// the registry's `integrity` (https://docs.npmjs.com/cli/v10/configuring-npm/package-lock-json#packages),
// unpacked with tar. Plain fetch rather than `npm pack`: it needs no npm on PATH, and Node
// trusts the CA bundle named by NODE_EXTRA_CA_CERTS like npm does. TB2_NPM_REGISTRY (or
// npm's own npm_config_registry) points it at a mirror.
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TrialError } from '../../errors.js';
import { restoreExecBits } from './exec-bits.js';

export class AgentInstallError extends TrialError {
  constructor(message: string) {
    super('AgentInstallError', message);
  }
}

/** The registry npm itself would use (npm exports npm_config_registry to scripts). */
export function registryUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (env.TB2_NPM_REGISTRY || env.npm_config_registry || 'https://registry.npmjs.org/').replace(/\/*$/, '/');
}

interface VersionDoc {
  version?: string;
  dist?: { tarball?: string; integrity?: string };
}

/** A version's registry document (`latest` and other dist-tags resolve to their version). */
export async function packageVersion(
  agent: string,
  pkg: string,
  version: string,
  signal: AbortSignal,
): Promise<VersionDoc> {
  const metaUrl = `${registryUrl()}${pkg.replace('/', '%2f')}/${version}`;
  const doc = (await (await fetchOk(agent, metaUrl, signal, `${pkg}@${version}`)).json()) as VersionDoc;
  if (!doc.dist?.tarball || !doc.dist.integrity?.startsWith('sha512-'))
    throw new AgentInstallError(
      `${agent}: the registry's metadata for ${pkg}@${version} has no tarball or sha512 integrity (${metaUrl})`,
    );
  return doc;
}

/** Download `pkg@version` into `dir` and unpack `package/<paths>` there (everything without paths). */
export async function downloadPackage(
  agent: string,
  pkg: string,
  version: string,
  dir: string,
  signal: AbortSignal,
  onLine: (l: string) => void,
  paths: string[] = [],
): Promise<void> {
  const dist = (await packageVersion(agent, pkg, version, signal)).dist!;
  await mkdir(dir, { recursive: true });
  const tgz = path.join(dir, '.package.tgz');
  const res = await fetchOk(agent, dist.tarball!, signal, `${pkg}@${version}`);
  const size = Number(res.headers.get('content-length') ?? 0);
  onLine(
    `downloading ${pkg}@${version}${size ? ` (${Math.round(size / 1e6)} MB)` : ''} from ${new URL(dist.tarball!).host}`,
  );
  const hash = createHash('sha512');
  const tap = new Transform({ transform: (chunk: Buffer, _enc, cb) => (hash.update(chunk), cb(null, chunk)) });
  await pipeline(Readable.fromWeb(res.body as never), tap, createWriteStream(tgz), { signal });
  const got = `sha512-${hash.digest('base64')}`;
  if (got !== dist.integrity)
    throw new AgentInstallError(
      `${agent}: ${pkg}@${version} failed its integrity check (expected ${dist.integrity}, got ${got})`,
    );
  const members = paths.map((p) => `package/${p}`);
  const tar = await run('tar', ['-xzf', tgz, '-C', dir, '--strip-components=1', ...members], { signal });
  await rm(tgz, { force: true });
  if (tar.exitCode !== 0)
    throw new AgentInstallError(
      `${agent}: could not extract ${members.join(', ') || 'the package'} from ${pkg}@${version}: ${String(tar.stderr).trim() || `tar exit ${tar.exitCode}`}`,
    );
  await restoreExecBits(dir);
}

async function fetchOk(agent: string, url: string, signal: AbortSignal, what: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { signal });
  } catch (err) {
    if (signal.aborted) throw err;
    throw new AgentInstallError(
      `${agent}: could not reach the npm registry for ${what} (${url}): ${(err as Error).cause ?? (err as Error).message}`,
    );
  }
  if (!res.ok) {
    const hint = res.status === 404 ? ' (is --agent-version a published version?)' : '';
    throw new AgentInstallError(`${agent}: the npm registry answered ${res.status} for ${what}${hint}`);
  }
  return res;
}

/** A short command, its output collected; never rejects. */
export async function run(
  file: string,
  args: string[],
  opts: { signal?: AbortSignal; timeout?: number; env?: NodeJS.ProcessEnv; cwd?: string },
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const res = await execa(file, args, {
    cancelSignal: opts.signal,
    timeout: opts.timeout,
    env: opts.env,
    cwd: opts.cwd,
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
