// `npm run bench`: the harness against the physical floor on the same machine, in the same
// run (issue 7). Prints a table, writes out/bench/results.json (or BENCH_OUT). Knobs:
//   BENCH_RUNS=7 (trial overhead, start-up), BENCH_STREAM_BYTES=1073741824,
//   BENCH_STREAM_RUNS=3, BENCH_CONC_RUNS=2, BENCH_ONLY=startup,trial,compose,stream,concurrency,aggregation,pipeline
//   --rebuild  run `npm run build` first even when dist/ exists
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  existsSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import path from 'node:path';
import { ACTION, CLI, ensurePrerequisites, FLOOR, machine, median, paired, ROOT, run, tb2, TRIVIAL } from './lib.mjs';
import { renderTable, targetsOf } from './table.mjs';

const env = (k, d) => Number(process.env[k] ?? d);
const RUNS = env('BENCH_RUNS', 7);
const STREAM_BYTES = env('BENCH_STREAM_BYTES', 2 ** 30);
const only = new Set(
  (process.env.BENCH_ONLY ?? 'startup,trial,compose,stream,concurrency,aggregation,pipeline').split(','),
);
const LINE = `tb2 benchmark line ${'0'.repeat(81)}`; // 100 bytes with its newline, as floor.sh
const work = mkdtempSync(path.join(tmpdir(), 'tb2-bench-'));
const log = (s) => process.stderr.write(`bench: ${s}\n`);
const out = () => mkdtempSync(path.join(work, 'out-'));
const trialResult = (dir) => {
  const t = readdirSync(dir, { withFileTypes: true }).find((d) => d.isDirectory());
  return JSON.parse(readFileSync(path.join(dir, t.name, 'result.json'), 'utf8'));
};
const secs = (t) => (Date.parse(t.finished_at) - Date.parse(t.started_at)) / 1000;

ensurePrerequisites({ rebuild: process.argv.includes('--rebuild') });
const results = { machine: machine(), command: 'npm run bench', runs: RUNS };

if (only.has('startup')) {
  log('start-up');
  const times = async (args, e) =>
    median(await seq(RUNS, () => run(process.execPath, args, { env: e }).then((r) => r.ms)));
  const node = await times(['-e', '0']);
  const help = await times([CLI, '--help']);
  const s = { node_ms: node, cli_help_ms: help, cli_load_ms: help - node, cli_bytes: statSync(CLI).size };
  if (existsSync(ACTION)) {
    s.action_ms = await times([ACTION], { TB2_BUNDLE_SMOKE: '1' });
    s.action_load_ms = s.action_ms - node;
    s.action_bytes = statSync(ACTION).size;
  }
  results.startup = s;
}

/** A trivial trial through the whole `tb2 run`, paired with the floor's same calls. */
async function trialOverhead(task, floorArgs) {
  const [ours, floor] = await paired(
    RUNS,
    () => tb2(out(), [task, '--agent', 'command', '--agent-command', 'true']).then((r) => r.ms),
    () => run(FLOOR, floorArgs).then((r) => r.ms),
  );
  return {
    ours_ms: median(ours),
    floor_ms: median(floor),
    ratio: median(ours) / median(floor),
    samples: { ours, floor },
  };
}

if (only.has('trial')) {
  log(`trial overhead (${RUNS} paired runs)`);
  results.trial = await trialOverhead(TRIVIAL, ['trial', TRIVIAL, 'true']);
}

if (only.has('compose')) {
  log(`compose trial overhead (${RUNS} paired runs)`);
  const task = path.join(ROOT, 'bench', 'tasks', 'compose-trivial');
  results.compose = await trialOverhead(task, ['compose', task, 'true']);
}

if (only.has('stream')) {
  const n = env('BENCH_STREAM_RUNS', 3);
  log(`streaming ${STREAM_BYTES} bytes (${n} paired runs)`);
  const gen = `yes '${LINE}' | head -c ${STREAM_BYTES}`;
  const [ours, floor] = await paired(
    n,
    async () => {
      const r = await tb2(out(), [TRIVIAL, '--agent', 'command', '--agent-command', gen]);
      const t = trialResult(r.outDir);
      rmSync(r.outDir, { recursive: true, force: true }); // a GB of agent log
      return { agent_s: secs(t.agent_execution), wall_s: r.ms / 1000, rss: r.rssBytes };
    },
    () =>
      run(FLOOR, ['stream', String(STREAM_BYTES)], { env: { BENCH_LINE: LINE } }).then((r) => ({
        exec_s: Number(r.stdout.trim()),
        wall_s: r.ms / 1000,
      })),
  );
  const mbps = (s) => STREAM_BYTES / 2 ** 20 / s;
  const oursS = median(ours.map((x) => x.agent_s));
  const floorS = median(floor.map((x) => x.exec_s));
  results.stream = {
    bytes: STREAM_BYTES,
    ours_mb_s: mbps(oursS),
    floor_mb_s: mbps(floorS),
    throughput_ratio: floorS / oursS,
    ours_wall_s: median(ours.map((x) => x.wall_s)),
    floor_wall_s: median(floor.map((x) => x.wall_s)),
    peak_rss_mb: Math.max(...ours.map((x) => x.rss)) / 2 ** 20,
  };
}

if (only.has('concurrency')) {
  const n = env('BENCH_CONC_RUNS', 2);
  results.concurrency = [];
  for (const c of [1, 2, 4]) {
    log(`16 trials at concurrency ${c} (${n} paired runs)`);
    const [ours, floor] = await paired(
      n,
      () =>
        tb2(out(), [
          TRIVIAL,
          '--agent',
          'command',
          '--agent-command',
          'true',
          '--attempts',
          '16',
          '--concurrency',
          String(c),
        ]).then((r) => r.ms),
      () => run(FLOOR, ['trials', '16', String(c), TRIVIAL, 'true']).then((r) => r.ms),
    );
    results.concurrency.push({
      concurrency: c,
      ours_ms: median(ours),
      floor_ms: median(floor),
      ratio: median(ours) / median(floor),
    });
  }
}

if (only.has('aggregation') || only.has('pipeline'))
  await run(process.execPath, [path.join(ROOT, 'bench', 'inproc.mjs'), 'compile']);
if (only.has('aggregation')) {
  log('aggregation of 10,000 trial results');
  const r = await run(process.execPath, [
    path.join(ROOT, 'bench', 'inproc.mjs'),
    'aggregate',
    '10000',
    path.join(work, 'agg'),
  ]);
  results.aggregation = JSON.parse(r.stdout);
}

if (only.has('pipeline')) {
  log(`per-line pipeline in process (${STREAM_BYTES} bytes)`);
  const r = await run(process.execPath, [path.join(ROOT, 'bench', 'inproc.mjs'), 'pipeline', String(STREAM_BYTES)]);
  results.pipeline = JSON.parse(r.stdout);
}

results.machine.load_after = loadavg().map((x) => +x.toFixed(2));
results.targets = targetsOf(results);
rmSync(work, { recursive: true, force: true });
const file = process.env.BENCH_OUT ?? path.join(ROOT, 'out', 'bench', 'results.json');
mkdirSync(path.dirname(file), { recursive: true });
writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
process.stdout.write(renderTable(results));
log(`wrote ${path.relative(ROOT, file)}`);

async function seq(n, f) {
  const xs = [];
  for (let i = 0; i < n; i++) xs.push(await f(i));
  return xs;
}
