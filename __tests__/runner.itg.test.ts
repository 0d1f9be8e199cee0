// The runner's acceptance cases (issue 2), through the real bundled CLI and real Docker.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { EXAMPLES, FIXTURES, leftovers, readJson, runCli as run, trialResults, type CliRun } from './helpers/cli.js';

const hello = path.join(EXAMPLES, 'hello-world');

// Every run of every test is checked: no container or snapshot image of it may remain.
const runs: string[] = [];
const runCli = async (...args: Parameters<typeof run>): Promise<CliRun> => {
  const r = await run(...args);
  runs.push(r.runId);
  return r;
};
afterEach(async () => {
  for (const id of runs.splice(0)) expect(await leftovers(id)).toEqual([]);
});

test('oracle solves the example: reward 1, completed, job folder layout as README "Results" gives it', async () => {
  const r = await runCli([hello, '--agent', 'oracle']);
  expect(r.exitCode).toBe(0);
  const job = readJson(path.join(r.out, 'result.json'));
  expect(job).toMatchObject({ n_trials: 1, mean_reward: 1, counts: { completed: 1, error: 0, cancelled: 0 } });
  const [t] = trialResults(r.out);
  expect(t).toMatchObject({
    task_name: 'hello-world',
    status: 'completed',
    reward: 1,
    passed: true,
    exception_info: null,
  });
  expect(t.trial_name).toMatch(/^hello-world__[2-9A-HJ-NP-Za-km-z]{7}$/);
  const trialDir = path.join(r.out, t.trial_name);
  expect(readdirSync(trialDir).sort()).toEqual(['agent', 'config.json', 'events.jsonl', 'result.json', 'verifier']);
  // agent/ is /logs/agent: the oracle's log of solve.sh is there.
  expect(readdirSync(path.join(trialDir, 'agent'))).toContain('oracle.txt');
  expect(readdirSync(path.join(trialDir, 'verifier')).sort()).toEqual(['reward.txt', 'test-stdout.txt']);
  expect(readFileSync(path.join(trialDir, 'verifier', 'reward.txt'), 'utf8').trim()).toBe('1');
  for (const phase of ['environment_setup', 'agent_setup', 'agent_execution', 'verifier'])
    expect(t[phase].finished_at).toBeTruthy();
  const events = readFileSync(path.join(r.out, t.trial_name, 'events.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(events[0].type).toBe('trial_start');
  expect(events.at(-1).type).toBe('run_complete');
  expect(r.stdout).toContain('completed');
  expect(await leftovers(r.runId)).toEqual([]);
});

test('a do-nothing command agent scores 0: completed, not solved, exit 0 by default and 1 with --min-reward 1', async () => {
  const r = await runCli([hello, '--agent', 'command', '--agent-command', 'true']);
  expect(r.exitCode).toBe(0);
  expect(trialResults(r.out)[0]).toMatchObject({ status: 'completed', reward: 0, passed: false });
  const gated = await runCli([hello, '--agent', 'command', '--agent-command', 'true', '--min-reward', '1']);
  expect(gated.exitCode).toBe(1);
});

test('command agent gets the instruction on stdin, in $TB_INSTRUCTION and in $TB_INSTRUCTION_FILE', async () => {
  const cmd =
    'head -c 6 > /tmp/stdin; [ "$(cat /tmp/stdin)" = Create ] && [ "$(cat "$TB_INSTRUCTION_FILE" | head -c 6)" = Create ] && case "$TB_INSTRUCTION" in Create*) echo "Hello, world!" > hello.txt;; esac';
  const r = await runCli([hello, '--agent', 'command', '--agent-command', cmd]);
  expect(trialResults(r.out)[0]).toMatchObject({ status: 'completed', reward: 1 });
});

test('CTRF: several test cases counted, fractional reward from reward.json, [verifier.env] reaches test.sh', async () => {
  const r = await runCli([path.join(EXAMPLES, 'ctrf-report'), '--agent', 'oracle']);
  const [t] = trialResults(r.out);
  expect(t).toMatchObject({ status: 'completed', reward: 1, tests_passed: 3, tests_total: 3 });
  expect(t.tests.map((x: { name: string }) => x.name).sort()).toEqual(['test_add', 'test_done_marker', 'test_greet']);
  // A partial solution: greet() wrong -> 2 of 3, reward 2/3, all rewards kept.
  const partial = await runCli([
    path.join(EXAMPLES, 'ctrf-report'),
    '--agent',
    'command',
    '--agent-command',
    'printf "def add(a, b):\\n    return a + b\\ndef greet():\\n    return 1\\n" > calc.py; touch DONE',
  ]);
  const [p] = trialResults(partial.out);
  expect(p).toMatchObject({ status: 'completed', tests_passed: 2, tests_total: 3, passed: false });
  expect(p.reward).toBeCloseTo(2 / 3);
  expect(p.verifier_result.rewards).toMatchObject({ passed: 2, total: 3 });
  expect(p.tests.find((x: { name: string }) => x.name === 'test_greet')).toMatchObject({
    status: 'failed',
    message: expect.stringContaining('assert'),
  });
});

test('agent timeout: the agent is stopped within seconds, verification still runs, the exception is recorded', async () => {
  // The agent loops writing a file; after the timeout the file must stop changing.
  const cmd = 'while :; do date +%s%N >> /app/ticks; sleep 0.1; done';
  const r = await runCli([
    hello,
    '--agent',
    'command',
    '--agent-command',
    cmd,
    '--agent-timeout',
    '2',
    '--verifier-timeout',
    '30',
  ]);
  const [t] = trialResults(r.out);
  expect(t).toMatchObject({ status: 'completed', reward: 0, exception_info: { exception_type: 'AgentTimeoutError' } });
  const agentSecs = (Date.parse(t.agent_execution.finished_at) - Date.parse(t.agent_execution.started_at)) / 1000;
  expect(agentSecs).toBeGreaterThanOrEqual(2);
  expect(agentSecs).toBeLessThan(8);
  expect(t.verifier.finished_at).toBeTruthy();
  expect(r.exitCode).toBe(0);
});

test('agent timeout: nothing the agent ran in the foreground keeps writing', async () => {
  // Shared mode: the verifier runs in the same container, so it can watch the file.
  const r = await runCli([
    path.join(FIXTURES, 'ticks-stop'),
    '--agent',
    'command',
    '--agent-command',
    'while :; do echo x >> /app/ticks; sleep 0.05; done',
    '--agent-timeout',
    '1',
  ]);
  const [t] = trialResults(r.out);
  expect(t).toMatchObject({ status: 'completed', reward: 1, exception_info: { exception_type: 'AgentTimeoutError' } });
});

test('an agent that pre-writes its own reward is ignored', async () => {
  const cmd =
    'echo 1 > /logs/verifier/reward.txt; echo \'{"reward": 1}\' > /logs/verifier/reward.json; touch /logs/verifier/.hidden';
  const r = await runCli([hello, '--agent', 'command', '--agent-command', cmd]);
  const [t] = trialResults(r.out);
  expect(t).toMatchObject({ status: 'completed', reward: 0 });
  expect(readdirSync(path.join(r.out, t.trial_name, 'verifier')).sort()).toEqual(['reward.txt', 'test-stdout.txt']);
});

test('no reward file: a recorded trial error with the test.sh exit code, exit 1', async () => {
  const r = await runCli([path.join(FIXTURES, 'no-reward'), '--agent', 'command', '--agent-command', 'true']);
  expect(r.exitCode).toBe(1);
  const [t] = trialResults(r.out);
  expect(t).toMatchObject({
    status: 'error',
    reward: null,
    exception_info: { exception_type: 'RewardFileNotFoundError' },
  });
  expect(t.exception_info.exception_message).toMatch(/exited with code 3/);
});

test('verifier timeout is an error; a verifier background process holding stdout does not hang', async () => {
  const slow = await runCli([path.join(FIXTURES, 'slow-verifier'), '--agent', 'command', '--agent-command', 'true']);
  expect(slow.exitCode).toBe(1);
  const [t] = trialResults(slow.out);
  expect(t).toMatchObject({ status: 'error', exception_info: { exception_type: 'VerifierTimeoutError' } });
  const verifierSecs = (Date.parse(t.verifier.finished_at) - Date.parse(t.verifier.started_at)) / 1000;
  expect(verifierSecs).toBeLessThan(8);
  const bg = await runCli([path.join(FIXTURES, 'bg-verifier'), '--agent', 'command', '--agent-command', 'true']);
  expect(trialResults(bg.out)[0]).toMatchObject({ status: 'completed', reward: 1 });
});

test('shared mode sees a server the agent left running; isolated mode does not', async () => {
  const task = path.join(EXAMPLES, 'live-server');
  const shared = await runCli([task, '--agent', 'oracle']);
  expect(trialResults(shared.out)[0]).toMatchObject({ status: 'completed', reward: 1 });
  const isolated = await runCli([task, '--agent', 'oracle', '--verifier-mode', 'isolated']);
  expect(trialResults(isolated.out)[0]).toMatchObject({ status: 'completed', reward: 0 });
  expect(await leftovers(isolated.runId)).toEqual([]);
});

test('an invalid task: one clear line, exit 2, and a result file', async () => {
  const r = await runCli([path.join(FIXTURES, 'no-such-task')]);
  expect(r.exitCode).toBe(2);
  expect(r.stderr).toMatch(/no-such-task: not a task folder/);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(trialResults(r.out)[0]).toMatchObject({
    status: 'error',
    exception_info: { exception_type: 'TaskValidationError' },
  });
  expect(readJson(path.join(r.out, 'result.json')).counts.error).toBe(1);
});

test('bad usage: one line naming the flag, exit 2', async () => {
  const r = await runCli([hello, '--agent-timeout', 'soon']);
  expect(r.exitCode).toBe(2);
  expect(r.stderr.trim()).toBe('tb2: --agent-timeout: expected a positive number of seconds (got "soon")');
});
