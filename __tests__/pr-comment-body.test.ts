// The sticky comment's body and the failing-test annotations (pure renderers).
import { diffAgainstBaseline, baselineOfTrials } from '../src/result/baseline.js';
import { aggregateJob } from '../src/result/job.js';
import { commentMarker, MAX_COMMENT_CHARS, renderPrComment } from '../src/report/pr-comment.js';
import { failedTestAnnotations, MAX_TEST_ANNOTATIONS } from '../src/report/test-annotations.js';
import type { TrialResult } from '../src/trial-result.js';

const trial = (task_name: string, reward: number, attempt = 1, tests: TrialResult['tests'] = []): TrialResult => ({
  task_name,
  trial_name: `${task_name}__${attempt}`,
  task_dir: '',
  attempt,
  status: 'completed',
  reward,
  passed: reward === 1,
  tests,
  tests_passed: tests.filter((t) => t.status === 'passed').length,
  tests_total: tests.length,
  agent_info: { name: 'oracle', version: null, model_info: null },
  agent_result: {
    n_input_tokens: null,
    n_cache_tokens: null,
    n_output_tokens: null,
    cost_usd: null,
    cost_estimated: false,
  },
  verifier_result: null,
  exception_info: null,
  exceptions: [],
  started_at: '2026-01-01T00:00:00Z',
  finished_at: '2026-01-01T00:00:10Z',
  environment_setup: null,
  agent_setup: null,
  agent_execution: null,
  verifier: null,
});
const jobOf = (trials: TrialResult[]) =>
  aggregateJob(trials, { job_name: 'j', started_at: '', finished_at: '', resultPath: () => '' });

describe('the marker', () => {
  test('the same for every run of the same job; differs by workflow, job id and matrix values', () => {
    const m = commentMarker({ workflow: 'bench', job: 'tb2', matrix: '{"task":"a"}' });
    expect(m).toMatch(/^<!-- terminal-bench-action:pr-comment:[0-9a-f]{16} -->$/);
    expect(commentMarker({ workflow: 'bench', job: 'tb2', matrix: '{"task":"a"}' })).toBe(m);
    expect(commentMarker({ workflow: 'bench', job: 'tb2', matrix: '{"task":"b"}' })).not.toBe(m);
    expect(commentMarker({ workflow: 'other', job: 'tb2', matrix: '{"task":"a"}' })).not.toBe(m);
    expect(commentMarker({ workflow: 'bench', job: 'x', matrix: '{"task":"a"}' })).not.toBe(m);
    // Outside a matrix, toJSON(matrix) is "null": the same as no matrix at all.
    expect(commentMarker({ workflow: 'w', job: 'j', matrix: 'null' })).toBe(commentMarker({ workflow: 'w', job: 'j' }));
  });
});

describe('the body', () => {
  const now = [trial('a', 0), trial('b', 1), trial('c', 1)];
  const before = baselineOfTrials([trial('a', 1), trial('b', 1), trial('c', 0)]);
  const diff = diffAgainstBaseline(jobOf(now), before, 0.05);
  const body = renderPrComment({
    marker: '<!-- m -->',
    job: jobOf(now),
    agent: 'claude-code',
    model: 'claude-x',
    diff,
    baselineName: 'main/result.json',
    runUrl: 'https://github.com/o/r/actions/runs/42',
    label: 'job tb2 {"task":"a"}',
  });
  test('marker first, the headline with solved count and mean reward, then the diff, regressions first, then the link', () => {
    expect(body.split('\n')[0]).toBe('<!-- m -->');
    expect(body).toContain('### ❌ Terminal-Bench: 2/3 trials solved · mean reward 0.667');
    expect(body).toContain('agent claude-code (claude-x) · 3 task(s) · job tb2 {&quot;task&quot;:&quot;a&quot;}');
    expect(body).toContain('### Compared with baseline main/result.json');
    expect(body).toContain('The comparison is anecdotal');
    expect(body.indexOf('newly failing')).toBeGreaterThan(0);
    expect(body.indexOf('newly failing')).toBeLessThan(body.indexOf('newly passing'));
    expect(
      body.trimEnd().endsWith('[The run, its summary and its artifact](https://github.com/o/r/actions/runs/42)'),
    ).toBe(true);
  });
  test('with the uploaded artifact: the link names report.html and goes to the artifact page', () => {
    const b = renderPrComment({
      marker: '<!-- m -->',
      job: jobOf(now),
      agent: 'oracle',
      runUrl: 'https://github.com/o/r/actions/runs/42',
      artifact: { name: 'tb2-`x`', url: 'https://github.com/o/r/actions/runs/42/artifacts/7' },
    });
    expect(b.trimEnd()).toMatch(
      /\(https:\/\/github\.com\/o\/r\/actions\/runs\/42\) · \[the HTML report\]\(https:\/\/github\.com\/o\/r\/actions\/runs\/42\/artifacts\/7\) \(`report\.html` in artifact `tb2-'x'`\)$/,
    );
  });
  test('no baseline: says how to get one', () => {
    const b = renderPrComment({ marker: '<!-- m -->', job: jobOf(now), agent: 'oracle' });
    expect(b).toContain('No baseline given');
    expect(b).not.toContain('Compared with baseline');
  });
  test('10,000 tasks: cut to 65,536 characters with a note, marker, headline and link kept', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => trial(`org/a-rather-long-task-name-${i}`, i % 2));
    const base = baselineOfTrials(many.map((t) => ({ ...t, reward: 1 - (t.reward ?? 0), passed: t.reward !== 1 })));
    const big = renderPrComment({
      marker: '<!-- m -->',
      job: jobOf(many),
      agent: 'oracle',
      diff: diffAgainstBaseline(jobOf(many), base, 0.05),
      runUrl: 'https://github.com/o/r/actions/runs/1',
    });
    expect(big.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(big.length).toBeGreaterThan(MAX_COMMENT_CHARS - 1000);
    expect(big.startsWith('<!-- m -->\n### ❌ Terminal-Bench: 5000/10000 trials solved')).toBe(true);
    expect(big).toContain('The comparison is cut here to fit a GitHub comment');
    expect(big.trimEnd().endsWith('(https://github.com/o/r/actions/runs/1)')).toBe(true);
  });
});

describe('failing tests as annotations', () => {
  const tests = (n: number, failing: number) =>
    Array.from({ length: n }, (_, i) => ({
      name: `test_${i}`,
      status: i < failing ? 'failed' : 'passed',
      message: i < failing ? `assert ${i} == 0` : undefined,
    }));
  test('one per failed test, titled task and test; passed and skipped ones are not', () => {
    const { annotations, more } = failedTestAnnotations([
      trial('hello', 0, 1, [...tests(3, 2), { name: 'skipped_one', status: 'skipped' }]),
    ]);
    expect(more).toBe(0);
    expect(annotations).toEqual([
      { title: 'hello: test_0', message: 'Test failed: test_0 (task hello, trial hello__1)\nassert 0 == 0' },
      { title: 'hello: test_1', message: 'Test failed: test_1 (task hello, trial hello__1)\nassert 1 == 0' },
    ]);
  });
  test('capped at 10 (GitHub shows no more per step), the rest counted', () => {
    const { annotations, more } = failedTestAnnotations([trial('a', 0, 1, tests(8, 8)), trial('b', 0, 1, tests(5, 5))]);
    expect(annotations).toHaveLength(MAX_TEST_ANNOTATIONS);
    expect(more).toBe(3);
    expect(annotations.at(-1)!.title).toBe('b: test_1');
  });
});
