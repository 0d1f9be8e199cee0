// End to end with the real codex binary (0.169.0), fetched from npm by our installer as
// users get it, mounted read-only into a real Debian bookworm task container on
// --network host, driving its own tool loop against a scripted fake of the OpenAI
// Responses API on 127.0.0.1 (helpers/fake-openai.ts).
import { jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES, leftovers, runCli, trialResults } from './helpers/cli.js';
import { startFakeOpenAI, type FakeOpenAI } from './helpers/fake-openai.js';
import { allFiles, seconds, trajectoryOf, watchPs } from './helpers/agent-itg.js';

jest.setTimeout(900_000);

const TASK = path.join(FIXTURES, 'claude-hello'); // hello.txt on a Debian bookworm (glibc) image
const MODEL = 'gpt-5';
let fake: FakeOpenAI | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

test('the real binary solves the task through its own tool loop; usage is what the API reported', async () => {
  const key = `sk-proj-FAKE${randomBytes(12).toString('hex')}`;
  fake = await startFakeOpenAI([
    {
      text: 'I will create the file.',
      shell: "echo 'Hello, world!' > hello.txt",
      usage: { input_tokens: 1800, cached_tokens: 0, output_tokens: 45, reasoning_tokens: 12 },
    },
    // The binary is mounted read-only: an agent cannot alter it for the next trial.
    { shell: 'touch /opt/tb2/codex/tampered', usage: { input_tokens: 1900, cached_tokens: 1700, output_tokens: 30 } },
    {
      text: 'Done: /app/hello.txt contains "Hello, world!".',
      usage: { input_tokens: 2000, cached_tokens: 1800, output_tokens: 17 },
    },
  ]);
  const stopPs = watchPs([key, fake.url]);
  const run = await runCli([TASK, '--agent', 'codex', '--model', MODEL, '--network', 'host'], {
    env: { OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: key },
  });
  const seen = await stopPs();
  console.log(run.stderr, `\nsolves out: ${run.out}`);
  expect(run.exitCode).toBe(0);
  const [t] = trialResults(run.out);
  expect(t).toMatchObject({ status: 'completed', reward: 1, passed: true, exception_info: null });
  expect(t.agent_info).toEqual({ name: 'codex', version: '0.169.0', model_info: { name: MODEL, provider: null } });

  // Exactly what the fake reported (OpenAI's input_tokens already include the cached part).
  expect(fake.reported).toEqual({ input_tokens: 5700, cached_tokens: 3500, output_tokens: 92, reasoning_tokens: 12 });
  expect(t.agent_result).toEqual({
    n_input_tokens: 5700,
    n_cache_tokens: 3500,
    n_output_tokens: 92,
    cost_usd: expect.any(Number),
    cost_estimated: true,
    rollout_details: null,
    metadata: null,
  });
  // gpt-5 list prices: $1.25 in, $0.125 cached in, $10 out per million.
  expect(t.agent_result.cost_usd).toBeCloseTo((2200 * 1.25 + 3500 * 0.125 + 92 * 10) / 1e6, 9);

  // Only the model API was called, always with the key from the environment, and codex
  // sent the tool outputs back (the second one the read-only mount's refusal).
  expect(fake.requests.map((q) => `${q.method} ${q.path} ${q.answered}`)).toEqual([
    'POST /v1/responses 0',
    'POST /v1/responses 1',
    'POST /v1/responses 2',
  ]);
  expect(fake.requests.every((q) => q.stream && q.model === MODEL && q.auth === `Bearer ${key}`)).toBe(true);
  expect(fake.requests[0].shellTool).toBe('exec_command');
  expect(fake.requests[1].toolOutputs).toEqual([expect.stringMatching(/exited with code 0/)]);
  expect(fake.requests[2].toolOutputs).toEqual([expect.stringMatching(/Read-only file system/)]);

  // The transcript on stderr: text, tool calls with their command and results.
  expect(run.stderr).toContain("echo 'Hello, world");
  expect(run.stderr).toMatch(/Read-only file system/);
  expect(run.stderr).toContain('Done: /app/hello.txt contains "Hello, world!".');

  const agentDir = path.join(run.out, t.trial_name, 'agent');
  expect(readFileSync(path.join(agentDir, 'codex.txt'), 'utf8')).toMatch(/\{"type":"thread\.started"/);
  // One agent step per API response, each tool's output in the step of its call.
  const traj = trajectoryOf(run.out, t);
  expect(traj.extra.source).toBe('session');
  expect(traj.steps[0]).toMatchObject({ step_id: 1, source: 'user', message: expect.stringContaining('hello.txt') });
  const agents = traj.steps.filter((x: { source: string }) => x.source === 'agent');
  expect(agents.map((x: { tool_calls?: unknown[] }) => x.tool_calls?.length ?? 0)).toEqual([1, 1, 0]);
  expect(agents[0].observation.results[0].source_call_id).toBe(agents[0].tool_calls[0].tool_call_id);
  expect(agents[0].tool_calls[0]).toMatchObject({
    function_name: 'exec_command',
    arguments: { cmd: "echo 'Hello, world!' > hello.txt" },
  });
  expect(agents[1].observation.results[0].content).toMatch(/Read-only/);
  expect(agents.map((x: any) => x.metrics.prompt_tokens)).toEqual([1800, 1900, 2000]);

  // The key (and the base URL, which codex only reads from its config file) on no command line.
  expect(seen).toEqual([]);
  expect(allFiles(run.out).filter((f) => readFileSync(f).includes(key))).toEqual([]);
  expect(await leftovers(run.runId)).toEqual([]);
});

test('a refused key is AgentAuthError within a minute, verification still runs, and the key is nowhere', async () => {
  const key = `sk-proj-FAKE${randomBytes(12).toString('hex')}`;
  fake = await startFakeOpenAI([], {
    failAll: { status: 401, code: 'invalid_api_key', message: 'Incorrect API key provided.' },
  });
  const stopPs = watchPs([key]);
  const run = await runCli([TASK, '--agent', 'codex', '--network', 'host'], {
    env: { OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: key },
  });
  const seen = await stopPs();
  console.log(`401 out: ${run.out}`);

  const [t] = trialResults(run.out);
  expect(t).toMatchObject({ status: 'completed', reward: 0, passed: false });
  expect(t.exception_info.exception_type).toBe('AgentAuthError');
  expect(t.exception_info.exception_message).toMatch(/refused the credentials \(HTTP 401\).*Check OPENAI_API_KEY/);
  expect(t.verifier).toEqual({ started_at: expect.any(String), finished_at: expect.any(String) });
  expect(existsSync(path.join(run.out, t.trial_name, 'verifier', 'test-stdout.txt'))).toBe(true);
  expect(seconds(t.agent_execution)).toBeLessThan(60);
  // Our retry bound: the first try and two retries.
  expect(fake.requests.filter((q) => q.path === '/v1/responses').length).toBe(3);

  const files = allFiles(run.out);
  expect(files.length).toBeGreaterThan(4);
  expect(files.filter((f) => readFileSync(f).includes(key))).toEqual([]);
  expect(seen).toEqual([]);
  expect(await leftovers(run.runId)).toEqual([]);
});

test('the turn limit stops codex with AgentMaxTurnsError', async () => {
  fake = await startFakeOpenAI([
    // Slow enough tools that the stop lands before codex could finish on its own.
    { shell: 'sleep 2; echo one', usage: { input_tokens: 100, output_tokens: 5 } },
    { shell: 'sleep 2; echo two', usage: { input_tokens: 200, output_tokens: 5 } },
    { shell: 'sleep 2; echo three', usage: { input_tokens: 300, output_tokens: 5 } },
    { text: 'done', usage: { input_tokens: 400, output_tokens: 5 } },
  ]);
  const run = await runCli([TASK, '--agent', 'codex', '--model', MODEL, '--network', 'host', '--max-turns', '2'], {
    env: { OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'sk-test' },
  });
  const [t] = trialResults(run.out);
  expect(t).toMatchObject({ status: 'completed', reward: 0 });
  expect(t.exception_info).toMatchObject({ exception_type: 'AgentMaxTurnsError' });
  expect(t.verifier).not.toBeNull();
  // The third response (turn 3) was the one over the limit: the fourth never asked for.
  expect(fake.requests.filter((q) => typeof q.answered === 'number').length).toBe(3);
  trajectoryOf(run.out, t);
  console.log(`max-turns out: ${run.out}`);
  expect(await leftovers(run.runId)).toEqual([]);
});

test('killed at the agent timeout: a named timeout, usage from the session log so far, cost estimated', async () => {
  fake = await startFakeOpenAI([
    { text: 'Waiting.', shell: 'sleep 600', usage: { input_tokens: 500, cached_tokens: 100, output_tokens: 20 } },
  ]);
  const run = await runCli([TASK, '--agent', 'codex', '--model', MODEL, '--network', 'host', '--agent-timeout', '8'], {
    env: { OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'sk-test' },
  });
  const [t] = trialResults(run.out);
  expect(t).toMatchObject({ status: 'completed', reward: 0 });
  expect(t.exception_info).toMatchObject({
    exception_type: 'AgentTimeoutError',
    exception_message: 'codex timed out after 8s and was stopped',
  });
  expect(t.agent_result).toMatchObject({
    n_input_tokens: 500,
    n_cache_tokens: 100,
    n_output_tokens: 20,
    cost_estimated: true,
  });
  expect(seconds(t.agent_execution)).toBeLessThan(30);
  const traj = trajectoryOf(run.out, t);
  expect(traj.steps.at(-1)).toMatchObject({ source: 'agent', tool_calls: [{ function_name: 'exec_command' }] });
  expect(await leftovers(run.runId)).toEqual([]);
});
