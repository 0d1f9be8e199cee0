// The GitHub log renderer on event streams: groups, fencing, annotations, buffering.
import type { TrialEvent } from '../src/events.js';
import { githubLog, MAX_LOG_LINES_PER_PHASE } from '../src/report/log.js';
import { annotation, neutralise } from '../src/report/workflow-commands.js';
import type { TrialResult } from '../src/trial-result.js';

// An event without its trial_name and time (distributed over the union, as the runner's Body).
type Body = TrialEvent extends infer E ? (E extends TrialEvent ? Omit<E, 'trial_name' | 'at'> : never) : never;

const TOKEN = 'tb2-00000000000000000000000000000000';

function trialEvents(
  name: string,
  task: string,
  t0: number,
  body: Body[],
  result: Partial<TrialResult> = {},
): TrialEvent[] {
  const at = (i: number) => new Date(t0 + i * 1000).toISOString();
  const res = {
    task_name: task,
    trial_name: name,
    status: 'completed',
    reward: 1,
    passed: true,
    tests: [],
    tests_passed: 0,
    tests_total: 0,
    agent_result: {
      n_input_tokens: null,
      n_cache_tokens: null,
      n_output_tokens: null,
      cost_usd: null,
      cost_estimated: false,
    },
    verifier_result: { rewards: { reward: 1 } },
    exception_info: null,
    exceptions: [],
    started_at: at(0),
    finished_at: at(body.length + 1),
    ...result,
  } as TrialResult;
  const events = [
    { type: 'trial_start', task_name: task, task_dir: '/t', agent: 'command', attempt: 1 },
    ...body,
    { type: 'run_complete', result: res },
  ];
  return events.map((e, i) => ({ ...e, trial_name: name, at: at(i) }) as TrialEvent);
}

const body = (line: string): Body[] => [
  { type: 'phase_start', phase: 'agent' },
  { type: 'agent_message', message: { kind: 'turn', turn: 2 } },
  { type: 'agent_message', message: { kind: 'tool_use', name: 'Bash', gist: 'ls -la' } },
  { type: 'output', phase: 'agent', line },
  {
    type: 'error',
    phase: 'agent',
    exception_type: 'AgentTimeoutError',
    message: 'timed out after 5s\nand was stopped',
    fatal: false,
  },
  { type: 'phase_end', phase: 'agent', ok: true },
];

function render(events: TrialEvent[], buffered: boolean): string[] {
  let out = '';
  const log = githubLog({ write: (s) => (out += s), buffered, stopToken: TOKEN });
  for (const e of events) log(e);
  return out.split('\n').slice(0, -1);
}

test('one trial: a group per phase, agent lines with time and turn, fenced output, an annotation with a title', () => {
  const lines = render(trialEvents('t1', 'hello', 0, body('::endgroup::')), false);
  expect(lines).toEqual([
    '▶ hello (trial t1, agent command, attempt 1)',
    '::group::hello · agent (command)',
    `::stop-commands::${TOKEN}`,
    '[0:02 · turn 2] 🔧 Bash: ls -la',
    '[0:03 · turn 2] │ ::endgroup::',
    `::${TOKEN}::`,
    '::warning title=hello%3A AgentTimeoutError::timed out after 5s and was stopped',
    '::endgroup::',
    '✓ agent 5.0s',
    '::group::hello · result',
    'status   completed',
    'reward   1 {"reward":1}',
    '::endgroup::',
    '✅ hello: solved — reward 1 (7.0s)',
  ]);
});

test('neutralise: nothing a container prints starts a command or a log marker', () => {
  for (const s of [
    '::add-mask::x',
    '  ::endgroup::',
    '\t::error::x',
    '##[error]x',
    'a ##[group]b',
    '::stop-commands::zzz',
  ]) {
    const n = neutralise(s);
    expect(n.trimStart().startsWith('::')).toBe(false);
    expect(n).not.toContain('##[');
  }
  expect(neutralise('plain :: text')).toBe('plain :: text');
  expect(annotation('error', 'a:b,c', 'x\ny%')).toBe('::error title=a%3Ab%2Cc::x%0Ay%25');
});

test('output beyond the per-phase cap is counted, not printed', () => {
  const many = Array.from(
    { length: MAX_LOG_LINES_PER_PHASE + 7 },
    (_, i) => ({ type: 'output', phase: 'verifier', line: `l${i}` }) as const,
  );
  const lines = render(
    trialEvents('t', 'x', 0, [
      { type: 'phase_start', phase: 'verifier' },
      ...many,
      { type: 'phase_end', phase: 'verifier', ok: true },
    ]),
    false,
  );
  expect(lines.filter((l) => l.startsWith('│ l'))).toHaveLength(MAX_LOG_LINES_PER_PHASE);
  expect(lines).toContain('… 7 more lines not shown here: see verifier/test-stdout.txt in the trial folder');
});

test('several trials at once: each printed whole when it ends, with a running tally', () => {
  const a = trialEvents('a', 'task-a', 0, body('from a'));
  const b = trialEvents('b', 'task-b', 500, body('from b'), {
    status: 'error',
    reward: null,
    passed: false,
    exception_info: { exception_type: 'VerifierTimeoutError', exception_message: 'slow', occurred_at: '' },
  });
  // Interleave the two streams by time.
  const events = [...a, ...b].sort((x, y) => Date.parse(x.at) - Date.parse(y.at));
  const lines = render(events, true);
  const groupsOf = (name: string) =>
    lines
      .map((l, i) => [l, i] as const)
      .filter(([l]) => l.startsWith(`::group::${name}`))
      .map(([, i]) => i);
  // a's groups are contiguous, then b's: no interleaving.
  const [aLast, bFirst] = [Math.max(...groupsOf('task-a')), Math.min(...groupsOf('task-b'))];
  expect(aLast).toBeLessThan(bFirst);
  expect(lines.filter((l) => l.startsWith('▶ '))).toEqual([
    '▶ task-a started (trial a; 1 running)',
    '▶ task-b started (trial b; 2 running)',
  ]);
  expect(lines.filter((l) => l.startsWith('── '))).toEqual([
    '── 1 finished: 1 solved, 0 not solved, 0 errored, 0 cancelled; 1 running',
    '── 2 finished: 1 solved, 0 not solved, 1 errored, 0 cancelled; 0 running',
  ]);
  expect(lines).toContain('⚠️ task-b: error — VerifierTimeoutError: slow (7.0s)');
  // Every fence is closed before our next command.
  let fenced = false;
  for (const l of lines) {
    if (l === `::stop-commands::${TOKEN}`) fenced = true;
    else if (l === `::${TOKEN}::`) fenced = false;
    else if (l.startsWith('::')) expect(fenced).toBe(false);
  }
});
