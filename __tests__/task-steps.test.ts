// Multi-step tasks, the task's own verifier mode and artifacts (issue 14, items 1-3): the pure
// parts — step rewards, min_reward, artifact placement and manifest, the verifier-mode
// choice, the fold of step events into Harbor's step_results — and loading step folders.
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TrialEvent } from '../src/events.js';
import { githubLog } from '../src/report/log.js';
import { stepsSection } from '../src/report/steps-summary.js';
import { applyEvent, decidingException, finalize, initialState } from '../src/result/reduce.js';
import { aggregateStepRewards, headlineReward, minRewardFailure } from '../src/result/steps.js';
import { loadTask } from '../src/task/load.js';
import { templatedCallerValues } from '../src/task/env-template.js';
import { manifestEntry, parseProbe, planArtifacts } from '../src/trial/artifact-plan.js';
import { chooseVerifier, harborMode } from '../src/trial/verifier-target.js';
import { stepTask } from '../src/trial/step-run.js';
import { testIdentity } from './helpers/identity.js';

describe('step rewards (Harbor multi_step.py)', () => {
  test('mean: per key over the steps with a result, a missing key counts 0, steps without a result left out', () => {
    expect(aggregateStepRewards('mean', [{ reward: 1, style: 1 }, null, { reward: 0 }])).toEqual({
      reward: 0.5,
      style: 0.5,
    });
    expect(aggregateStepRewards('mean', [null, null])).toBeNull();
    expect(aggregateStepRewards('mean', [])).toBeNull();
  });
  test('final: the last step that ran, verbatim (null when it has none)', () => {
    expect(aggregateStepRewards('final', [{ reward: 1 }, { reward: 0.25 }])).toEqual({ reward: 0.25 });
    expect(aggregateStepRewards('final', [{ reward: 1 }, null])).toBeNull();
  });
  test('min_reward: a number gates `reward`, a table each key; a missing key is -inf', () => {
    expect(minRewardFailure({ reward: 1 }, 1)).toBeUndefined();
    expect(minRewardFailure({ reward: 0.4 }, 0.5)).toBe('reward=0.4 below min_reward 0.5');
    expect(minRewardFailure({ reward: 1 }, { reward: 1, style: 0.5 })).toBe('style=missing below min_reward 0.5');
    expect(minRewardFailure(null, 0)).toBe('reward=missing below min_reward 0');
    expect(minRewardFailure({ reward: 0 }, undefined)).toBeUndefined();
  });
  test('the headline reward: `reward`, else the mean of the keys', () => {
    expect(headlineReward({ reward: 0.5, x: 1 })).toBe(0.5);
    expect(headlineReward({ a: 1, b: 0 })).toBe(0.5);
  });
});

describe('artifacts: where each entry lands and what manifest.json says (Harbor artifact_handler.py)', () => {
  test('a path mirrors under artifacts/, a table goes to its destination, /logs/artifacts comes first', () => {
    const plan = planArtifacts([{ source: '/app/out.txt' }, { source: '/app/dir', destination: 'd/e' }]);
    expect(plan.map((p) => [p.spec.source, p.rel, p.convention])).toEqual([
      ['/logs/artifacts', 'logs/artifacts', true],
      ['/app/out.txt', 'app/out.txt', false],
      ['/app/dir', 'd/e', false],
    ]);
    expect(manifestEntry(plan[2], 'directory', 'ok')).toEqual({
      source: '/app/dir',
      destination: 'artifacts/d/e',
      type: 'directory',
      status: 'ok',
      service: null,
    });
  });
  test('a declared /logs/artifacts replaces the implicit one; an overlapping host path is skipped, never overwritten', () => {
    const plan = planArtifacts([
      { source: '/logs/artifacts/' },
      { source: '/a', destination: 'x' },
      { source: '/x/y' },
    ]);
    expect(plan).toHaveLength(3);
    expect(plan[0].convention).toBe(true);
    expect(plan.map((p) => p.skipped ?? false)).toEqual([false, false, true]);
  });
  test('the probe: one line per source, anything unreadable counts as missing', () => {
    expect(parseProbe('d\nf\n', 3)).toEqual(['d', 'f', 'm']);
    expect(parseProbe('', 1)).toEqual(['m']);
  });
});

describe('the verifier mode: flag over task, separate when it can be built, else a snapshot on the record', () => {
  test.each([
    [undefined, undefined, false, { mode: 'shared', from: 'default', snapshot_fallback: false }],
    [undefined, 'separate', true, { mode: 'separate', from: 'task', snapshot_fallback: false }],
    [undefined, 'separate', false, { mode: 'isolated', from: 'task', snapshot_fallback: true }],
    ['shared', 'separate', true, { mode: 'shared', from: 'flag', snapshot_fallback: false }],
    ['isolated', 'separate', true, { mode: 'isolated', from: 'flag', snapshot_fallback: false }],
    ['isolated', undefined, false, { mode: 'isolated', from: 'flag', snapshot_fallback: false }],
  ] as const)('flag %s, task %s, buildable %s', (flag, task, buildable, want) => {
    expect(chooseVerifier(flag, task, buildable)).toEqual(want);
  });
  test("Harbor's verifier_environment_mode: separate for both isolated and separate", () => {
    expect([harborMode('shared'), harborMode('isolated'), harborMode('separate')]).toEqual([
      'shared',
      'separate',
      'separate',
    ]);
  });
});

describe('step events -> step_results', () => {
  const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
  type Body = TrialEvent extends infer E ? (E extends TrialEvent ? Omit<E, 'trial_name' | 'at'> : never) : never;
  const reduce = (bodies: Body[]) => {
    let s = initialState('t__1', at(0));
    bodies.forEach((b, i) => (s = applyEvent(s, { ...b, trial_name: 't__1', at: at(i) } as TrialEvent)));
    return finalize(s, at(bodies.length), testIdentity(), {});
  };
  const step = (name: string, index: number, reward: number | null, extra: Body[] = []): Body[] => [
    { type: 'step_start', index, total: 3, strategy: 'mean', step: name },
    { type: 'phase_start', phase: 'agent', step: name },
    {
      type: 'agent_usage',
      n_input_tokens: 10,
      n_cache_tokens: 0,
      n_output_tokens: 5,
      cost_usd: 0.5,
      estimated: false,
      step: name,
    },
    { type: 'phase_end', phase: 'agent', ok: true, step: name },
    { type: 'phase_start', phase: 'verifier', step: name },
    ...extra,
    ...(reward === null
      ? []
      : [{ type: 'verifier_result', rewards: { reward }, reward, tests: [], step: name } as Body]),
    { type: 'phase_end', phase: 'verifier', ok: reward !== null, step: name },
    { type: 'step_end', reward, verifier_mode: 'shared', step: name },
  ];
  test("each step its own result; a step's error is the step's, not the trial's; usage sums; only the steps that ran", () => {
    const r = reduce([
      { type: 'trial_start', task_name: 'task', task_dir: '/t', agent: 'oracle', attempt: 1 },
      ...step('one', 1, 1),
      ...step('two', 2, null, [
        {
          type: 'error',
          phase: 'verifier',
          exception_type: 'RewardFileNotFoundError',
          message: 'no',
          fatal: true,
          step: 'two',
        },
      ]).map((b) =>
        b.type === 'step_end' ? { ...b, stopped: 'failed without a verifier result; later steps not run (1)' } : b,
      ),
      { type: 'verifier_result', rewards: { reward: 1 }, reward: 1, tests: [] },
    ]);
    expect(r.status).toBe('completed');
    expect(r.reward).toBe(1);
    expect(r.exception_info).toBeNull();
    expect(r.step_results).toHaveLength(2);
    expect(r.step_results![0]).toMatchObject({
      step_name: 'one',
      verifier_result: { rewards: { reward: 1 } },
      exception_info: null,
      agent_result: { n_input_tokens: 10, cost_usd: 0.5 },
    });
    expect(r.step_results![1]).toMatchObject({
      step_name: 'two',
      verifier_result: null,
      exception_info: { exception_type: 'RewardFileNotFoundError' },
    });
    expect(r.agent_result).toMatchObject({ n_input_tokens: 20, n_output_tokens: 10, cost_usd: 1 });
    expect(r.multi_step).toEqual({
      strategy: 'mean',
      total: 3,
      ran: 2,
      stopped: { step: 'two', reason: 'failed without a verifier result; later steps not run (1)' },
    });
    // The trial's agent phase spans its steps.
    expect(r.agent_execution?.started_at).toBe(r.step_results![0].agent_execution?.started_at);

    // The summary: a row per step that ran, and why the trial stopped.
    const md = stepsSection(r)!;
    expect(md).toMatch(/#### Steps \(2\/3 steps ran · reward: mean of steps\)/);
    expect(md).toMatch(/1\. one \| 1 \|/);
    expect(md).toMatch(/2\. two \| - \|.*RewardFileNotFoundError/);
    expect(md).toMatch(/stopped after \*\*two\*\*: failed without a verifier result; later steps not run \(1\)/);
    expect(stepsSection({ ...r, step_results: null })).toBeUndefined();
  });
  test.each([
    ['DockerUnavailable', 'infra', 'error'],
    ['CancelledError', 'cancelled', 'cancelled'],
  ] as const)(
    "a %s in a step is the trial's too: status %s, its exception_info, its exit code",
    (type, kind, status) => {
      const r = reduce([
        { type: 'trial_start', task_name: 'task', task_dir: '/t', agent: 'oracle', attempt: 1 },
        ...step('one', 1, 1),
        { type: 'step_start', index: 2, total: 3, strategy: 'mean', step: 'two' },
        { type: 'error', phase: 'agent', exception_type: type, message: 'gone', fatal: true, kind, step: 'two' },
        { type: 'verifier_result', rewards: { reward: 1 }, reward: 1, tests: [] },
      ]);
      expect(r.status).toBe(status);
      expect(r.exception_info).toMatchObject({ exception_type: type, step: 'two' });
      expect(decidingException(r)).toMatchObject({ exception_type: type, kind });
    },
  );

  test('the log: each group names its step; a stop is a warning annotation', () => {
    let out = '';
    const log = githubLog({ write: (x) => (out += x), buffered: false });
    const e = (b: Body, i: number) => log({ ...b, trial_name: 't__1', at: at(i) } as TrialEvent);
    [
      { type: 'trial_start', task_name: 'task', task_dir: '/t', agent: 'oracle', attempt: 1 } as Body,
      ...step('one', 1, 0),
    ].forEach(e);
    e({ type: 'step_end', reward: 0, stopped: 'reward=0 below min_reward 1', step: 'one' }, 20);
    expect(out).toContain('::group::task · step one · agent (oracle)');
    expect(out).toContain('::group::task · step one · verifier');
    expect(out).toContain('── step 1/3: one');
    expect(out).toContain('step one reward 0');
    expect(out).toMatch(/::warning title=task%3A stopped after step one::reward=0 below min_reward 1/);
  });
});

function makeTask(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tb2-steps-'));
  for (const [rel, text] of Object.entries({ 'environment/Dockerfile': 'FROM x\n', ...files })) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
    if (rel.endsWith('.sh')) chmodSync(path.join(dir, rel), 0o755);
  }
  return dir;
}
const TEST = '#!/bin/sh\necho 1 > /logs/verifier/reward.txt\n';
const STEPS =
  'schema_version = "1.4"\n[[steps]]\nname = "one"\nmin_reward = 1\n[steps.agent]\ntimeout_sec = 5\n[[steps]]\nname = "two"\n[steps.verifier]\nuser = "nobody"\nenv = { K = "v" }\n';

describe('loading a multi-step task', () => {
  test("no task-level instruction.md; a step without tests/ uses the task's; step settings over the task's", async () => {
    const dir = makeTask({
      'task.toml': STEPS,
      'tests/test.sh': TEST,
      'steps/one/instruction.md': 'first\n',
      'steps/one/tests/test.sh': TEST,
      'steps/one/solution/solve.sh': '#!/bin/sh\n',
      'steps/two/instruction.md': 'second\n',
      'solution/solve.sh': '#!/bin/sh\n',
    });
    const t = await loadTask(dir, { requireSolution: true });
    expect(t.instruction).toBe('');
    expect(
      t.steps!.map((s) => [s.name, s.instruction.trim(), !!s.testsDir, path.relative(dir, s.solutionDir)]),
    ).toEqual([
      ['one', 'first', true, 'steps/one/solution'],
      ['two', 'second', false, 'solution'],
    ]);
    const two = stepTask(t, t.steps![1]);
    expect(two.config).toMatchObject({ verifierUser: 'nobody', verifierEnv: { K: 'v' }, agentTimeoutSec: 600 });
    expect(stepTask(t, t.steps![0]).config.agentTimeoutSec).toBe(5);
    expect(t.steps![0].minReward).toBe(1);
  });
  test("a step's [verifier.env] is templated like the task's: resolved, scrubbed, or one line when unset", async () => {
    const dir = makeTask({
      'task.toml': STEPS.replace(
        'env = { K = "v" }',
        'env = { K = "${TB2_STEP_SECRET}", D = "${TB2_STEP_UNSET:-dflt}" }',
      ),
      'tests/test.sh': TEST,
      'steps/one/instruction.md': 'first\n',
      'steps/two/instruction.md': 'second\n',
    });
    const t = await loadTask(dir, { callerEnv: { TB2_STEP_SECRET: 'step-secret-value-1234' } });
    expect(t.steps![1].verifierEnv).toEqual({ K: 'step-secret-value-1234', D: 'dflt' });
    expect(await templatedCallerValues([dir], { TB2_STEP_SECRET: 'step-secret-value-1234' })).toEqual([
      'step-secret-value-1234',
    ]);
    await expect(loadTask(dir, { callerEnv: {} })).rejects.toThrow(
      'task.toml: [[steps]] "two" [verifier.env] K: "${TB2_STEP_SECRET}" needs TB2_STEP_SECRET, which is not set',
    );
  });
  test('artifacts in both forms, mixed; [verifier] environment_mode and [verifier.environment]', async () => {
    const t = await loadTask(
      makeTask({
        'task.toml':
          'artifacts = ["/app/a.txt", { source = "/app/d", destination = "out/d" }]\n[verifier]\nenvironment_mode = "separate"\n[verifier.environment]\ndocker_image = "img:1"\n',
        'instruction.md': 'x\n',
        'tests/test.sh': TEST,
      }),
    );
    expect(t.config.artifacts).toEqual([{ source: '/app/a.txt' }, { source: '/app/d', destination: 'out/d' }]);
    expect(t.config.verifierMode).toBe('separate');
    expect(t.config.verifierEnvironment).toEqual({ docker_image: 'img:1' });
  });
  test.each([
    [
      'a step folder missing its test.sh',
      { 'steps/one/instruction.md': 'x\n' },
      /steps\/one\/tests\/test\.sh: missing/,
    ],
    ['a step folder missing', {}, /steps\/one: missing \(the folder of step "one"/],
    ['a step without its instruction', { 'steps/one/tests/test.sh': TEST }, /steps\/one\/instruction\.md: missing/],
  ])('%s: one line naming the file', async (_, files, re) => {
    const dir = makeTask({ 'task.toml': '[[steps]]\nname = "one"\n', ...files });
    await expect(loadTask(dir)).rejects.toThrow(re);
  });
  test.each([
    [
      'a steps entry without a name',
      '[[steps]]\nmin_reward = 1\n',
      /task\.toml: \[steps\.0\] name: expected a step name/,
    ],
    [
      'a step name with a slash',
      '[[steps]]\nname = "a/b"\n',
      /task\.toml: \[steps\.0\] name: expected a plain folder name/,
    ],
    [
      'a malformed artifacts entry',
      'artifacts = [5]\n',
      /task\.toml: \[artifacts\] 0: expected a container path, or a table \{source, destination\}/,
    ],
    [
      'an artifact destination out of the folder',
      'artifacts = [{ source = "/a", destination = "../x" }]\n',
      /task\.toml: \[artifacts\.0\] destination: expected a relative path/,
    ],
    [
      'an unknown reward strategy',
      'multi_step_reward_strategy = "max"\n',
      /task\.toml: multi_step_reward_strategy: .*expected one of "mean"\|"final", got "max"/,
    ],
  ])('%s: one line naming the key', async (_, toml, re) => {
    const dir = makeTask({ 'task.toml': toml, 'instruction.md': 'x\n', 'tests/test.sh': TEST });
    await expect(loadTask(dir)).rejects.toThrow(re);
  });
});
