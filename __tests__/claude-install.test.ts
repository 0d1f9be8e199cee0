// The host-side installer against a local fake npm registry serving a tiny stand-in
// "binary" (a shell script): integrity check, extraction, verification, atomic publish,
// one download for concurrent trials, and the cross-process lock.
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import path from 'node:path';
import { cacheRoot } from '../src/agents/claude/cache.js';
import { AgentInstallError, ensureInstalled } from '../src/agents/claude/install.js';
import { hostPlatform, type ClaudePlatform } from '../src/agents/claude/platform.js';
import { tempDir } from './helpers/cli.js';

const VERSION = '9.9.9';
const platform: ClaudePlatform = hostPlatform() ?? 'linux-x64';
let server: Server;
let tarballHits = 0;
let tgz: Buffer;
let integrity: string;
const saved = { ...process.env };

async function makeTarball(version: string): Promise<Buffer> {
  const dir = tempDir('tb2-fake-pkg-');
  mkdirSync(path.join(dir, 'package'));
  writeFileSync(path.join(dir, 'package', 'claude'), `#!/bin/sh\necho "${version} (Claude Code)"\n`, { mode: 0o755 });
  await execa('tar', ['-czf', path.join(dir, 'p.tgz'), '-C', dir, 'package']);
  return readFileSync(path.join(dir, 'p.tgz'));
}

beforeAll(async () => {
  tgz = await makeTarball(VERSION);
  integrity = `sha512-${createHash('sha512').update(tgz).digest('base64')}`;
  server = createServer((req, res) => {
    const url = req.url ?? '';
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (url === `/@anthropic-ai%2fclaude-code-${platform}/${VERSION}`) {
      res.end(JSON.stringify({ dist: { tarball: `${base}/pkg.tgz`, integrity } }));
    } else if (url === `/@anthropic-ai%2fclaude-code-${platform}/6.6.6`) {
      res.end(JSON.stringify({ dist: { tarball: `${base}/pkg.tgz`, integrity: 'sha512-AAAA' } }));
    } else if (url === '/pkg.tgz') {
      tarballHits++;
      // Slow enough that concurrent callers really overlap.
      setTimeout(() => res.end(tgz), 200);
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  process.env.TB2_NPM_REGISTRY = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

beforeEach(() => {
  process.env.TB2_CACHE_DIR = tempDir('tb2-cache-');
  tarballHits = 0;
});

afterAll(async () => {
  process.env = saved;
  await new Promise((r) => server.close(r));
});

const signal = new AbortController().signal;

test('downloads once for concurrent trials, publishes <version>/<platform>/claude, then serves from cache', async () => {
  const lines: string[] = [];
  const [a, b, c] = await Promise.all(
    [1, 2, 3].map(() => ensureInstalled(VERSION, platform, signal, (l) => lines.push(l))),
  );
  expect(tarballHits).toBe(1);
  expect(a).toEqual({ versionDir: path.join(cacheRoot(), VERSION), relPath: `${platform}/claude`, downloaded: true });
  expect(b).toBe(a);
  expect(c).toBe(a);
  expect(lines).toEqual([
    expect.stringMatching(
      new RegExp(`^downloading @anthropic-ai/claude-code-${platform}@9\\.9\\.9 \\(0 MB\\) from 127\\.0\\.0\\.1:\\d+$`),
    ),
  ]);
  const bin = path.join(a.versionDir, a.relPath);
  expect((await execa(bin, ['--version'])).stdout).toBe('9.9.9 (Claude Code)');
  // No temp folder or lock left behind.
  expect(readdirSync(cacheRoot()).sort()).toEqual([VERSION]);

  const again = await ensureInstalled(VERSION, platform, signal);
  expect(again.downloaded).toBe(false);
  expect(tarballHits).toBe(1);
});

test('waits for another process holding the lock, then uses what it published', async () => {
  const root = cacheRoot();
  mkdirSync(path.join(root, VERSION), { recursive: true });
  const lock = path.join(root, `.lock-${VERSION}-${platform}`);
  // A live holder: this very process's pid, as another tb2 on the same host would be.
  writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname() }));
  const pending = ensureInstalled(VERSION, platform, signal);
  await new Promise((r) => setTimeout(r, 800));
  // The other process publishes by renaming a complete folder into place, then unlocks.
  const staged = path.join(root, '.tmp-other');
  mkdirSync(staged);
  writeFileSync(path.join(staged, 'claude'), '#!/bin/sh\necho other\n', { mode: 0o755 });
  await execa('mv', [staged, path.join(root, VERSION, platform)]);
  await execa('rm', [lock]);
  const got = await pending;
  expect(got.downloaded).toBe(false);
  expect(tarballHits).toBe(0);
});

test('takes over a lock whose owner died', async () => {
  const root = cacheRoot();
  mkdirSync(root, { recursive: true });
  const dead = (await execa('sh', ['-c', 'echo $$'])).stdout.trim();
  writeFileSync(
    path.join(root, `.lock-${VERSION}-${platform}`),
    JSON.stringify({ pid: Number(dead), host: hostname() }),
  );
  const got = await ensureInstalled(VERSION, platform, signal);
  expect(got.downloaded).toBe(true);
  expect(tarballHits).toBe(1);
});

test('a tarball that fails its integrity check is never published', async () => {
  const err = await ensureInstalled('6.6.6', platform, signal).catch((e) => e);
  expect(err).toBeInstanceOf(AgentInstallError);
  expect(err.message).toMatch(/failed its integrity check \(expected sha512-AAAA, got sha512-/);
  expect(existsSync(path.join(cacheRoot(), '6.6.6', platform))).toBe(false);
  expect(readdirSync(cacheRoot())).toEqual(['6.6.6']);
});

test('an unknown version is a readable error', async () => {
  const err = await ensureInstalled('1.2.3', platform, signal).catch((e) => e);
  expect(err).toBeInstanceOf(AgentInstallError);
  expect(err.message).toBe(
    `claude-code: the npm registry answered 404 for @anthropic-ai/claude-code-${platform}@1.2.3 (is --agent-version a published version?)`,
  );
});
