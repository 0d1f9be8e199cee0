// The HTML report's weight for a 100-trial job (issue 15, docs/BENCHMARKS.md): `tb2 report`
// through the real bundle on three synthetic job folders of 100 trials (50 tasks × 2
// attempts) built from the test fixtures: "typical" (each trial's events as a real oracle
// trial of the ctrf-report example left them: phases, output, three failing tests), "every
// cap hit" (each trial sent 10,000 output lines of 200 characters and 1,000 agent messages,
// so every transcript is at its cap), and "Harbor" (Harbor trial folders, agent logs read
// as Claude Code stream-json). Prints bytes, time and peak RSS per folder.
// Usage: node bench/report-weight.mjs [trials=100]
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI, ROOT, run } from './lib.mjs';

const N = Number(process.argv[2] ?? 100);
const fixtures = path.join(ROOT, '__tests__', 'fixtures');
const ours = path.join(fixtures, 'results', 'multi', 'ctrf-report__bturq20');
const harbor = path.join(fixtures, 'harbor-job', 'fix-git__Rt5VbW8');

function build(kind) {
  const job = path.join(mkdtempSync(path.join(tmpdir(), 'tb2-report-weight-')), kind);
  for (let i = 0; i < N; i++) {
    const task = `org/task-${String(Math.floor(i / 2)).padStart(3, '0')}`;
    const trial = `task-${Math.floor(i / 2)}__${kind}${i}`;
    const dir = path.join(job, trial);
    const src = kind === 'harbor' ? harbor : ours;
    cpSync(src, dir, { recursive: true });
    const r = JSON.parse(readFileSync(path.join(src, 'result.json'), 'utf8'));
    const fields = { task_name: task, trial_name: trial, ...(kind === 'harbor' ? {} : { attempt: (i % 2) + 1 }) };
    writeFileSync(path.join(dir, 'result.json'), JSON.stringify({ ...r, ...fields }));
    if (kind === 'capped') {
      const ev = (o) => JSON.stringify({ trial_name: trial, at: r.started_at, ...o });
      const lines = [];
      for (let j = 0; j < 10_000; j++)
        lines.push(ev({ type: 'output', phase: 'agent', line: `line ${j} ${'z'.repeat(190)}` }));
      for (let j = 0; j < 1000; j++)
        lines.push(ev({ type: 'agent_message', message: { kind: 'text', text: `message ${j} ${'m'.repeat(600)}` } }));
      writeFileSync(path.join(dir, 'events.jsonl'), lines.join('\n') + '\n');
    }
  }
  return job;
}

const rows = [];
for (const kind of ['typical', 'capped', 'harbor']) {
  const job = build(kind);
  const r = await run(process.execPath, [CLI, 'report', job]);
  const bytes = statSync(path.join(job, 'report.html')).size;
  rows.push({
    kind,
    trials: N,
    bytes,
    kb: Math.round(bytes / 1024),
    ms: Math.round(r.ms),
    rss_mb: Math.round(r.rssBytes / 2 ** 20),
  });
  rmSync(path.dirname(job), { recursive: true, force: true });
}
console.table(rows);
