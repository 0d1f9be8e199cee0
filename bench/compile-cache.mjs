// Start-up with and without V8's compile cache (issue 16): the entries call
// `module.enableCompileCache()` (Node >= 22.1), which caches what loads after it. Needs a
// Node >= 22 binary (the action runs on node24); this machine's Node 20 has no cache.
//   node bench/compile-cache.mjs [--node PATH] [--runs N]
// Cases, alternated run by run so each sees the same load, each a median of N:
//   action load           dist/action.js with TB2_BUNDLE_SMOKE=1 (import only, as the build's smoke test)
//   upload chunk          the chunk the action imports to upload its artifact, after enabling the cache
//   cli run (load + fail) `dist/cli.js run /nonexistent`: loads run's on-demand chunks, then fails validation
//   cli --help
// each "off" (NODE_DISABLE_COMPILE_CACHE=1), "cold" (an empty cache directory, so this
// run compiles and writes it) and "warm" (the directory a previous run wrote), plus the
// action loaded by a launcher that enables the cache before importing the bundle (what
// caching the bundle itself would give).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { median } from './lib.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const { values: v } = parseArgs({
  options: { node: { type: 'string', default: process.execPath }, runs: { type: 'string', default: '15' } },
});
const NODE = v.node;
const RUNS = Number(v.runs);
const version = spawnSync(NODE, ['--version'], { encoding: 'utf8' }).stdout.trim();
if (Number(/^v(\d+)/.exec(version)?.[1]) < 22) {
  console.error(`${NODE} is Node ${version}: the compile cache needs Node >= 22 (pass --node)`);
  process.exit(2);
}

const work = mkdtempSync(path.join(tmpdir(), 'tb2-cc-'));
const launcher = path.join(work, 'launcher.mjs');
writeFileSync(
  launcher,
  `import m from 'node:module';\nm.enableCompileCache();\nawait import(${JSON.stringify(path.join(ROOT, 'dist', 'action.js'))});\n`,
);
const ACTION = [path.join(ROOT, 'dist', 'action.js')];
// The chunk(s) the action imports on demand (the artifact client, at upload): `__webpack_require__.e(id)`.
const chunks = [...readFileSync(ACTION[0], 'utf8').matchAll(/\.e\((\d+)\)/g)].map((m) =>
  path.join(ROOT, 'dist', `${m[1]}.index.js`),
);
const chunkLoader = path.join(work, 'chunks.mjs');
writeFileSync(
  chunkLoader,
  `import m from 'node:module';\nm.enableCompileCache();\n${chunks.map((c) => `await import(${JSON.stringify(c)});`).join('\n')}\n`,
);
const cases = [
  { name: 'action load', args: ACTION, env: { TB2_BUNDLE_SMOKE: '1' } },
  { name: 'action load via a launcher', args: [launcher], env: { TB2_BUNDLE_SMOKE: '1' }, only: ['cold', 'warm'] },
  { name: "action's upload chunk, imported after the cache is on", args: [chunkLoader], env: {} },
  {
    name: 'cli run (load + fail)',
    // The failed run still writes its job folder: into the scratch folder, not the checkout.
    args: [path.join(ROOT, 'dist', 'cli.js'), 'run', '/nonexistent', '--output', '{job}'],
    env: {},
  },
  { name: 'cli --help', args: [path.join(ROOT, 'dist', 'cli.js'), '--help'], env: {} },
];
const MODES = ['off', 'cold', 'warm'];

let jobs = 0;
/** One timed run; the cache lives under a TMPDIR of its own (os.tmpdir()/node-compile-cache). */
function once(c, mode) {
  const dir = path.join(work, `${c.name}-${mode}`.replace(/\W+/g, '-'));
  if (mode === 'cold') rmSync(dir, { recursive: true, force: true });
  spawnSync('mkdir', ['-p', dir]);
  const env = { ...process.env, ...c.env, TMPDIR: dir };
  delete env.NODE_COMPILE_CACHE;
  if (mode === 'off') env.NODE_DISABLE_COMPILE_CACHE = '1';
  const t0 = performance.now();
  const args = c.args.map((a) => (a === '{job}' ? path.join(work, `job-${++jobs}`) : a));
  spawnSync(NODE, args, { env, stdio: 'ignore' });
  return performance.now() - t0;
}

const floor = [];
const samples = new Map();
for (const c of cases) for (const m of c.only ?? MODES) once(c, m); // warm every cache, page in the files
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  spawnSync(NODE, ['-e', '0']);
  floor.push(performance.now() - t0);
  for (const c of cases)
    for (const m of c.only ?? MODES) {
      const key = `${c.name}|${m}`;
      samples.set(key, [...(samples.get(key) ?? []), once(c, m)]);
    }
}
rmSync(work, { recursive: true, force: true });

console.log(`Node ${version}, ${RUNS} runs each, alternated; node -e 0: ${median(floor).toFixed(0)} ms\n`);
console.log('| start-up (ms, median) | cache off | cold (writes it) | warm |');
console.log('|---|---:|---:|---:|');
for (const c of cases) {
  const cell = (m) => (samples.has(`${c.name}|${m}`) ? median(samples.get(`${c.name}|${m}`)).toFixed(0) : '—');
  console.log(`| ${c.name} | ${cell('off')} | ${cell('cold')} | ${cell('warm')} |`);
}
