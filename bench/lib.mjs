// Helpers for the benchmark: run a process and time it (wall clock, peak RSS sampled from
// /proc, since Node exposes no child rusage), medians, and the prerequisites a clean
// checkout lacks (dist/ bundles, the local base image).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');
export const ACTION = path.join(ROOT, 'dist', 'action.js');
export const FLOOR = path.join(ROOT, 'bench', 'floor.sh');
export const TRIVIAL = path.join(ROOT, 'bench', 'tasks', 'trivial');
export const IMAGE = 'tb2-base/busybox:latest';

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** VmHWM (peak resident set) of a live process, in bytes; 0 once it is gone. */
function peakRss(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Run a command to completion: { ms, code, stdout, stderr, rssBytes }. VmHWM only grows,
 * so sampling it every 20 ms and keeping the last value seen is the peak up to ~20 ms
 * before exit.
 */
export function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, {
      cwd: ROOT,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let rssBytes = 0;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-8192)));
    const sampler = setInterval(() => (rssBytes = Math.max(rssBytes, peakRss(child.pid))), 20);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(sampler);
      const ms = performance.now() - t0;
      if (code !== 0 && !opts.allowFail)
        return reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`));
      resolve({ ms, code, stdout, stderr, rssBytes });
    });
  });
}

/** `tb2 run` of one or more tasks through the real bundle; returns the run and its output dir. */
export async function tb2(outDir, args, opts = {}) {
  const r = await run(process.execPath, [CLI, 'run', '--output', outDir, ...args], opts);
  return { ...r, outDir };
}

/** Make a clean checkout benchmarkable: bundles and the base image, only if missing. */
export function ensurePrerequisites({ rebuild }) {
  const step = (what, cmd, args) => {
    process.stderr.write(`bench: ${what}\n`);
    const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`bench: ${what} failed (exit ${r.status})`);
  };
  if (rebuild || !existsSync(CLI)) step('building dist/ (npm run build)', 'npm', ['run', 'build']);
  if (spawnSync('docker', ['image', 'inspect', IMAGE], { stdio: 'ignore' }).status !== 0) {
    step(`making base images (scripts/base-images.sh) for ${IMAGE}`, path.join(ROOT, 'scripts', 'base-images.sh'), []);
  }
}

export function machine() {
  const cpu = cpus();
  const docker = spawnSync('docker', ['version', '--format', '{{.Server.Version}}'], {
    encoding: 'utf8',
  }).stdout.trim();
  return {
    cpu: `${cpu.length} × ${cpu[0]?.model ?? '?'}`,
    memory_gb: +(totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    docker,
    load_before: loadavg().map((x) => +x.toFixed(2)),
  };
}

/** Alternate a and b `n` times (so both see the same load), return both sample lists. */
export async function paired(n, a, b) {
  const as = [];
  const bs = [];
  for (let i = 0; i < n; i++) {
    as.push(await a(i));
    bs.push(await b(i));
  }
  return [as, bs];
}
