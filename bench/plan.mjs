// The planning row of docs/BENCHMARKS.md (issue 16): a synthetic job of 300 tasks with
// skewed durations (a few long, many short; seeded, so every run prints the same table),
// planned by `planMatrix` (src/task/shards.ts) for P = 4, 20 and 64 slots, against the
// folder-order plan `tb2 plan` made before (N tasks per entry in folder order, every
// attempt of a task in one entry). Each plan's makespan is the greedy list schedule of its
// entries on P slots (how GitHub runs a matrix under max-parallel), over the lower bound
// max(longest single attempt, total / P).
//   node bench/plan.mjs [--attempts K] [--shard-size N] [--tasks N] [--noise F] [--json]
// --noise F plans from estimates off by up to ±F (a baseline is a median, not the future)
// and scores the plan on the true durations.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(import.meta.dirname, '..');
const { values: v } = parseArgs({
  options: {
    attempts: { type: 'string', default: '1' },
    tasks: { type: 'string', default: '300' },
    noise: { type: 'string', default: '0' },
    'shard-size': { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
  },
});
const K = Number(v.attempts);
const N = Number(v.tasks);
const NOISE = Number(v.noise);
const S = Number(v['shard-size']);

// The planner is TypeScript: transpile src/ as the other in-process benchmarks do.
const compiled = spawnSync(process.execPath, [path.join(ROOT, 'bench', 'inproc.mjs'), 'compile'], { stdio: 'inherit' });
if (compiled.status !== 0) process.exit(1);
const { planMatrix } = await import(path.join(ROOT, 'build', 'bench', 'src', 'task', 'shards.js'));
const { listScheduleMakespan, makespanBound } = await import(
  path.join(ROOT, 'build', 'bench', 'src', 'task', 'schedule.js')
);

/** mulberry32: a small seeded PRNG, so the synthetic job is the same on every run. */
function prng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(16);
const between = (lo, hi) => Math.round(lo + (hi - lo) * rand());
// 5 % long (30-60 min), 15 % medium (7-20 min), 80 % short (1-5 min), in random folder order.
const tasks = Array.from({ length: N }, (_, i) => {
  const r = rand();
  const sec = r < 0.05 ? between(1800, 3600) : r < 0.2 ? between(420, 1200) : between(60, 300);
  return { dir: `tasks/task-${String(i).padStart(3, '0')}`, name: `task-${String(i).padStart(3, '0')}`, sec };
});
const trueSec = new Map(tasks.map((t) => [t.dir, t.sec]));
const estimateOf = (t) => Math.max(1, t.sec * (1 + NOISE * (2 * rand() - 1)));

/** Makespan of a matrix on P slots with the true durations, in the order of its entries. */
const makespan = (entries, P) =>
  listScheduleMakespan(
    entries.map((e) => e.attempts * e.tasks.split('\n').reduce((a, d) => a + trueSec.get(d), 0)),
    P,
  );
/** The plan before issue 16: N tasks per entry in folder order, all attempts together. */
const folderOrder = (n) =>
  Array.from({ length: Math.ceil(tasks.length / n) }, (_, i) => ({
    attempts: K,
    tasks: tasks
      .slice(i * n, (i + 1) * n)
      .map((t) => t.dir)
      .join('\n'),
  }));

const longest = Math.max(...tasks.map((t) => t.sec));
const total = K * tasks.reduce((a, t) => a + t.sec, 0);
const estimates = tasks.map((t) => ({ dir: t.dir, name: t.name, estimateSec: estimateOf(t) }));
// Before: folder order at --shard-size and, when that is over GitHub's 256 jobs, at the
// smallest shard size that fits (what a user had to pick by hand).
const befores = [...new Set([S, Math.max(S, Math.ceil(tasks.length / 256))])];
const rows = [];
for (const P of [4, 20, 64]) {
  const bound = makespanBound(longest, total, P);
  const t0 = performance.now();
  const plan = planMatrix(estimates, { shardSize: S, attempts: K, maxJobs: 256, maxParallel: P });
  const ms = performance.now() - t0;
  const ours = makespan(plan.include, P);
  const before = befores.map((n) => ({
    shardSize: n,
    entries: folderOrder(n).length,
    ratio: makespan(folderOrder(n), P) / bound,
  }));
  rows.push({ P, bound, ours, entries: plan.include.length, ratio: ours / bound, before, ms });
}
if (v.json) {
  console.log(JSON.stringify({ tasks: N, attempts: K, shardSize: S, noise: NOISE, longest, total, rows }, null, 2));
  process.exit(0);
}
const hm = (s) => {
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}`;
};
console.log(
  `${N} tasks × ${K} attempt(s), --shard-size ${S}, longest ${longest} s, total ${hm(total)}${NOISE ? `, estimates off by up to ±${NOISE * 100} %` : ''}\n`,
);
const head = befores.map((n) => `folder order, ${n} task(s) per entry`);
console.log(`| P | lower bound | planned (entries) | planned / bound | ${head.join(' | ')} | planning time |`);
console.log(`|---:|---:|---:|---:|${head.map(() => '---:|').join('')}---:|`);
for (const r of rows) {
  const before = r.before.map(
    (b) => `${b.ratio.toFixed(3)} (${b.entries}${b.entries > 256 ? ': over 256, refused by GitHub' : ''})`,
  );
  console.log(
    `| ${r.P} | ${hm(r.bound)} | ${hm(r.ours)} (${r.entries}) | **${r.ratio.toFixed(3)}** | ${before.join(' | ')} | ${r.ms.toFixed(0)} ms |`,
  );
}
