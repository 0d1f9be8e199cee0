// In-process benchmarks over the real modules of src/ (transpiled, not bundled, so a
// single function can be timed). Run as a child of run.mjs so its memory is its own:
//   node bench/inproc.mjs compile           transpile src/ into build/bench first (typescript
//                                           is not loaded by the measured runs)
//   node bench/inproc.mjs aggregate N DIR   aggregateJob over N synthetic TrialResults, then
//                                           collectTrials over N result.json files (if
//                                           src/result/collect.ts exists)
//   node bench/inproc.mjs pipeline BYTES    BYTES of lines from a file through FileTail ->
//                                           runner-shaped events -> events.jsonl + console
// Prints one JSON object on stdout.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT = path.join(ROOT, 'build', 'bench');

/** Transpile src/ file by file (no type check, so a colleague's work in progress cannot block it). */
async function transpileSrc(dir = path.join(ROOT, 'src')) {
  const { default: ts } = await import('typescript');
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, e.name);
    if (e.isDirectory()) await transpileSrc(file);
    else if (e.name.endsWith('.ts')) {
      const js = ts.transpileModule(readFileSync(file, 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      }).outputText;
      const out = path.join(OUT, path.relative(ROOT, file)).replace(/\.ts$/, '.js');
      mkdirSync(path.dirname(out), { recursive: true });
      writeFileSync(out, js);
    }
  }
}
const mod = (p) => import(path.join(OUT, 'src', p));
const heapMb = () => process.memoryUsage().rss / 2 ** 20;

function syntheticTrial(i, tasks) {
  const task = `task-${i % tasks}`;
  const started = new Date(Date.UTC(2025, 0, 1) + i * 1000);
  const reward = i % 3 === 0 ? 0 : 1;
  const timing = { started_at: started.toISOString(), finished_at: new Date(+started + 5000).toISOString() };
  const exc =
    i % 17 === 0
      ? {
          exception_type: 'AgentTimeoutError',
          exception_message: 'timed out',
          occurred_at: timing.finished_at,
          phase: 'agent',
        }
      : null;
  return {
    task_name: task,
    trial_name: `${task}__${i.toString(36).padStart(7, '0')}`,
    task_dir: `/tasks/${task}`,
    attempt: 1 + Math.floor(i / tasks),
    status: i % 50 === 0 ? 'error' : 'completed',
    reward: i % 50 === 0 ? null : reward,
    passed: reward === 1 && i % 50 !== 0,
    tests: [{ name: 'test_a', status: reward ? 'passed' : 'failed', duration_ms: 12 }],
    tests_passed: reward,
    tests_total: 1,
    agent_info: {
      name: 'claude-code',
      version: '2.1.0',
      model_info: { name: 'claude-sonnet-4-5', provider: 'anthropic' },
    },
    agent_result: {
      n_input_tokens: 12000,
      n_cache_tokens: 80000,
      n_output_tokens: 3000,
      cost_usd: 0.12,
      cost_estimated: false,
    },
    verifier_result: i % 50 === 0 ? null : { rewards: { reward } },
    exception_info: exc,
    exceptions: exc ? [exc] : [],
    started_at: timing.started_at,
    finished_at: timing.finished_at,
    environment_setup: timing,
    agent_setup: timing,
    agent_execution: timing,
    verifier: timing,
    config: { agent: 'claude-code' },
  };
}

async function aggregate(n, dir) {
  const { aggregateJob } = await mod('result/job.js');
  // 100 tasks × n/100 attempts: the shape of a scheduled TB2 run with several attempts.
  const trials = Array.from({ length: n }, (_, i) => syntheticTrial(i, 100));
  const meta = {
    job_name: 'bench',
    started_at: trials[0].started_at,
    finished_at: trials.at(-1).finished_at,
    resultPath: (t) => `${t.trial_name}/result.json`,
  };
  const rss0 = heapMb();
  let t0 = performance.now();
  const job = aggregateJob(trials, meta);
  const aggregateMs = performance.now() - t0;
  const out = { n, tasks: job.n_tasks, aggregate_ms: aggregateMs, aggregate_rss_mb: heapMb() - rss0 };
  if (existsSync(path.join(ROOT, 'src', 'result', 'collect.ts'))) {
    rmSync(dir, { recursive: true, force: true });
    for (const t of trials) {
      mkdirSync(path.join(dir, t.trial_name), { recursive: true });
      writeFileSync(path.join(dir, t.trial_name, 'result.json'), JSON.stringify(t, null, 2));
    }
    const { collectTrials } = await mod('result/collect.js');
    t0 = performance.now();
    const got = await collectTrials([dir]);
    out.read_ms = performance.now() - t0;
    t0 = performance.now();
    aggregateJob(got.trials, meta);
    out.read_and_aggregate_ms = out.read_ms + performance.now() - t0;
    out.read_count = got.trials.length;
    rmSync(dir, { recursive: true, force: true });
  }
  out.peak_rss_mb = process.resourceUsage().maxRSS / 1024;
  return out;
}

async function pipeline(bytes) {
  const { FileTail } = await mod('stream/file-tail.js');
  const { eventsFileWriter } = await mod('report/events-file.js');
  const { consoleProgress } = await mod('report/console.js');
  const { isoNow } = await mod('trial/record.js');
  const dir = path.join(OUT, 'pipeline');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'trial'), { recursive: true });
  const line = `tb2 benchmark line ${'0'.repeat(81)}\n`; // 100 bytes, as floor.sh prints
  const block = line.repeat(Math.ceil((1 << 20) / line.length));
  const file = path.join(dir, 'command.txt');
  writeFileSync(file, '');
  const { openSync, writeSync, closeSync } = await import('node:fs');
  const fd = openSync(file, 'a');
  for (let w = 0; w < bytes; w += block.length) writeSync(fd, block);
  closeSync(fd);
  // The CLI's emit (cli.ts) fed the way runner.ts's output() feeds it: one event per
  // line, stamped, to the events file and the console (writing to nowhere).
  const events = eventsFileWriter(dir);
  const progress = consoleProgress(() => undefined, { prefix: false });
  const emit = (e) => (events.emit(e), progress(e));
  emit({
    type: 'trial_start',
    trial_name: 'trial',
    at: new Date().toISOString(),
    task_name: 'bench',
    task_dir: dir,
    agent: 'command',
    attempt: 1,
  });
  let lines = 0;
  const t0 = performance.now();
  const tail = new FileTail(
    file,
    (line) => (lines++, emit({ type: 'output', phase: 'agent', line, trial_name: 'trial', at: isoNow() })),
  );
  await tail.stop(); // stop() drains the whole file: no polling delay in the measurement
  await events.close();
  const ms = performance.now() - t0;
  rmSync(dir, { recursive: true, force: true });
  return {
    bytes,
    lines,
    ms,
    mb_per_s: bytes / 2 ** 20 / (ms / 1000),
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
  };
}

const [mode, a, b] = process.argv.slice(2);
if (mode === 'compile') await transpileSrc();
else {
  const result =
    mode === 'aggregate' ? await aggregate(Number(a), b ?? path.join(OUT, 'aggregate')) : await pipeline(Number(a));
  process.stdout.write(JSON.stringify(result) + '\n');
}
