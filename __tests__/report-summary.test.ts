// The job summary and step outputs, rendered from recorded runs (result.json files and the
// events.jsonl each trial wrote, replayed through the notes collector).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { TrialEvent } from '../src/events.js';
import type { JobResult } from '../src/result/job.js';
import type { TrialResult } from '../src/trial-result.js';
import { bytes } from '../src/report/markdown.js';
import { notesCollector } from '../src/report/notes.js';
import { failureMessage, stepOutputs } from '../src/report/outputs.js';
import { renderSummary, SUMMARY_LIMIT_BYTES } from '../src/report/summary.js';
import { exitCodeOf } from '../src/result/exit-code.js';

const RECORDED = path.resolve(import.meta.dirname, 'fixtures', 'results');
const json = (f: string) => JSON.parse(readFileSync(f, 'utf8'));

function recorded(name: 'pass' | 'fail' | 'multi') {
  const dir = path.join(RECORDED, name);
  const job = json(path.join(dir, 'result.json')) as JobResult;
  const trials = job.trials.map((t) => json(path.join(dir, t.result_path)) as TrialResult);
  const notes = notesCollector();
  for (const d of readdirSync(dir, { withFileTypes: true }).filter((x) => x.isDirectory())) {
    for (const line of readFileSync(path.join(dir, d.name, 'events.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean))
      notes.emit(JSON.parse(line) as TrialEvent);
  }
  return { job, trials, notes: notes.notes };
}

describe('renderSummary on recorded runs', () => {
  test('a solved task with a CTRF report', () => {
    const r = recorded('pass');
    const md = renderSummary({ ...r, jobResultPath: 'tb2-jobs/x/result.json' });
    expect(md.split('\n')[0]).toBe('### ✅ examples/ctrf-report — solved (reward 1)');
    expect(md).toMatchSnapshot();
  });

  test('an unsolved task: failing tests, escaped agent and verifier output, gate not met', () => {
    const r = recorded('fail');
    const md = renderSummary({ ...r, minReward: 1 });
    expect(md.split('\n')[0]).toBe('### ❌ examples/ctrf-report — not solved (reward 0)');
    expect(md).toContain('min-reward 1: **not met**');
    expect(md).toContain('&quot;|&quot; unexpected'); // agent output, HTML-escaped
    expect(md).toMatchSnapshot();
  });

  test('several tasks and attempts: one table, failures first', () => {
    const r = recorded('multi');
    const md = renderSummary(r);
    // Make hello-world solved once and ctrf-report twice: the unsolved rows come first.
    const tasks = r.job.tasks.map((t) =>
      t.task_name === 'hello-world'
        ? { ...t, n_passed: 1, mean_reward: 0.5 }
        : t.task_name === 'examples/ctrf-report'
          ? { ...t, n_passed: 2, mean_reward: 1 }
          : t,
    );
    const rows = renderSummary({ ...r, job: { ...r.job, tasks } })
      .split('\n')
      .filter((l) => /^\| (✅|❌|🟡) /.test(l));
    expect(rows.map((l) => l.split('|')[1].trim())).toEqual([
      '❌ no-reward',
      '🟡 hello-world',
      '✅ examples/ctrf-report',
    ]);
    expect(md).toContain('<details><summary>Trials not solved (6)</summary>');
    expect(md).toMatchSnapshot();
  });
});

describe('renderSummary stays safe and small whatever the agent printed', () => {
  const base = recorded('fail');
  const trial = base.trials[0];

  test('HTML in any string is escaped; nothing can close the <pre> or open a tag', () => {
    const hostile = '</pre></details><script>alert(1)</script><img src=x onerror=alert(1)>';
    const notes = new Map([[trial.trial_name, { finalMessage: hostile, agentTail: [], verifierTail: [hostile] }]]);
    const t = {
      ...trial,
      task_name: `<b>${trial.task_name}</b>`,
      tests: [{ name: 'a|b<i>', status: 'failed', message: hostile }],
    };
    const md = renderSummary({ job: base.job, trials: [t], notes });
    expect(md).not.toMatch(/<(script|img|b|i)\b/);
    expect(md.match(/<\/pre>/g)!.length).toBe(md.match(/<pre>/g)!.length);
    expect(md).toContain('a\\|b&lt;i&gt;');
  });

  test('a 5 MB final message and 40 huge verifier lines stay under 1 MiB, with a note', () => {
    const huge = 'x'.repeat(5 * 1024 * 1024);
    const notes = new Map([
      [
        trial.trial_name,
        { finalMessage: `start ${huge} THE END`, agentTail: [], verifierTail: Array(40).fill('y'.repeat(100_000)) },
      ],
    ]);
    const tests = Array.from({ length: 5000 }, (_, i) => ({
      name: `test_${i} ${'z'.repeat(500)}`,
      status: 'failed',
      message: 'm'.repeat(2000),
    }));
    const md = renderSummary({ job: base.job, trials: [{ ...trial, tests, tests_total: 5000 }], notes });
    expect(bytes(md)).toBeLessThan(SUMMARY_LIMIT_BYTES);
    expect(md).toContain('THE END'); // the tail is kept
    expect(md).toContain('earlier bytes cut; the full text is in the artifact');
    expect(md).toContain('4700 more tests in result.json');
  });

  test('sections that do not fit are left out with a note', () => {
    const md = renderSummary({ ...recorded('pass') }, 700);
    expect(bytes(md)).toBeLessThanOrEqual(700);
    expect(md).toMatch(/_\d+ more section\(s\) left out to stay under GitHub's 1 MiB summary limit/);
  });
});

describe('stepOutputs and failureMessage', () => {
  test('one trial', () => {
    const r = recorded('fail');
    expect(stepOutputs(r.job, r.trials, { jobResultPath: '/o/result.json', outputDir: '/o' })).toEqual({
      reward: '0',
      status: 'completed',
      passed: 'false',
      'tests-passed': '0',
      'tests-total': '3',
      'cost-usd': '',
      'result-path': '/o/result.json',
      'output-dir': '/o',
      trials: '1',
    });
    expect(failureMessage(exitCodeOf(r.trials), r.trials)).toBeUndefined();
    expect(failureMessage(exitCodeOf(r.trials, 1), r.trials, 1)).toBe(
      '1 of 1 trial(s) scored below min-reward 1 (examples/ctrf-report: reward 0)',
    );
  });

  test('several trials: mean reward, sums, the most severe status', () => {
    const r = recorded('multi');
    const o = stepOutputs(r.job, r.trials, { jobResultPath: 'r', outputDir: 'o' });
    expect(o).toMatchObject({ reward: String(r.job.mean_reward), status: 'error', passed: 'false', trials: '6' });
    expect(failureMessage(exitCodeOf(r.trials), r.trials)).toMatch(
      /^2 of 6 trial\(s\) ended in error — no-reward: RewardFileNotFoundError: /,
    );
    const cancelled = r.trials.map((t) => ({
      ...t,
      status: 'cancelled' as const,
      exceptions: [
        { exception_type: 'CancelledError', exception_message: 'cancelled by SIGTERM', occurred_at: t.started_at },
      ],
    }));
    expect(stepOutputs(r.job, cancelled, { jobResultPath: 'r', outputDir: 'o' }).status).toBe('cancelled');
    expect(failureMessage(exitCodeOf(cancelled), cancelled)).toMatch(/^cancelled by SIGTERM/);
  });
});
