// End to end with the real opencode binary (1.18.34), fetched from npm by our installer as
// users get it, mounted read-only into a real Debian bookworm task container on
// --network host, driving its own tool loop against a scripted fake of the OpenAI
// Responses API (helpers/fake-openai.ts) or of the Anthropic Messages API
// (helpers/fake-anthropic.ts) on 127.0.0.1.
import { jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { EXAMPLES, FIXTURES, leftovers, runCli, trialResults } from './helpers/cli.js';
import { startFakeAnthropic, type FakeAnthropic } from './helpers/fake-anthropic.js';
import { startFakeOpenAI, type FakeOpenAI } from './helpers/fake-openai.js';
import { allFiles, seconds, trajectoryOf, watchPs } from './helpers/agent-itg.js';

jest.setTimeout(900_000);

const TASK = path.join(FIXTURES, 'claude-hello'); // hello.txt on a Debian bookworm (glibc) image
const MODEL = 'openai/gpt-5';
let fake: FakeOpenAI | FakeAnthropic | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** A server that records every request: nothing should reach it. */
async function startTrap() {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(404).end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { url, requests, close: () => new Promise<void>((r) => server.close(() => r())) };
}

test('the real binary solves the task through its own tool loop; tokens and cost are what it reported', async () => {
  const key = `sk-proj-FAKE${randomBytes(12).toString('hex')}`;
  const openai = await startFakeOpenAI([
    {
      text: 'I will create the file.',
      shell: "echo 'Hello, world!' > hello.txt",
      usage: { input_tokens: 1800, cached_tokens: 0, output_tokens: 45, reasoning_tokens: 12 },
    },
    // The binary is mounted read-only: an agent cannot alter it for the next trial.
    {
      shell: 'touch /opt/tb2/opencode/tampered',
      usage: { input_tokens: 1900, cached_tokens: 1700, output_tokens: 30 },
    },
    {
      text: 'Done: /app/hello.txt contains "Hello, world!".',
      usage: { input_tokens: 2000, cached_tokens: 1800, output_tokens: 17 },
    },
  ]);
  fake = openai;
  // Where opencode would go for its plugin package and its model catalogue, if it went.
  const trap = await startTrap();
  const stopPs = watchPs([key, openai.url]);
  const run = await runCli(
    [TASK, '--agent', 'opencode', '--model', MODEL, '--network', 'host', '--agent-env', 'npm_config_registry'],
    {
      env: {
        OPENAI_BASE_URL: openai.url,
        OPENAI_API_KEY: key,
        ANTHROPIC_API_KEY: 'sk-ant-not-for-opencode',
        npm_config_registry: trap.url,
        OPENCODE_MODELS_URL: trap.url,
      },
    },
  );
  const seen = await stopPs();
  await trap.close();
  // Seen with the bare binary: `GET /@opencode-ai%2fplugin` at start-up, unless pre-empted.
  expect(trap.requests).toEqual([]);
  console.log(run.stderr, `\nsolves out: ${run.out}`);
  expect(run.exitCode).toBe(0);
  const [t] = trialResults(run.out);
  expect(t).toMatchObject({ status: 'completed', reward: 1, passed: true, exception_info: null });
  expect(t.agent_info).toEqual({
    name: 'opencode',
    version: '1.18.34',
    model_info: { name: 'gpt-5', provider: 'openai' },
  });

  // Exactly what the fake reported (OpenAI's input_tokens include the cached part, output_tokens the reasoning).
  expect(openai.reported).toEqual({ input_tokens: 5700, cached_tokens: 3500, output_tokens: 92, reasoning_tokens: 12 });
  expect(t.agent_result).toEqual({
    n_input_tokens: 5700,
    n_cache_tokens: 3500,
    n_output_tokens: 92,
    cost_usd: expect.any(Number),
    cost_estimated: false,
    rollout_details: null,
    metadata: null,
  });
  // opencode prices gpt-5 from its catalogue: $1.25 in, $0.125 cached in, $10 out per million.
  expect(t.agent_result.cost_usd).toBeCloseTo((2200 * 1.25 + 3500 * 0.125 + 92 * 10) / 1e6, 9);

  // Only the model API was called (no title request: the title is given), always with the key.
  expect(openai.requests.map((q) => `${q.method} ${q.path} ${q.answered}`)).toEqual([
    'POST /v1/responses 0',
    'POST /v1/responses 1',
    'POST /v1/responses 2',
  ]);
  expect(openai.requests.every((q) => q.stream && q.model === 'gpt-5' && q.auth === `Bearer ${key}`)).toBe(true);
  expect(openai.requests[0].shellTool).toBe('bash');
  expect(openai.requests[2].toolOutputs).toEqual([expect.stringMatching(/Read-only file system/)]);

  // The transcript on stderr: text, tool calls with their command and results.
  expect(run.stderr).toContain("echo 'Hello, world");
  expect(run.stderr).toMatch(/Read-only file system/);
  expect(run.stderr).toContain('Done: /app/hello.txt contains "Hello, world!".');

  const agentDir = path.join(run.out, t.trial_name, 'agent');
  expect(readFileSync(path.join(agentDir, 'opencode.txt'), 'utf8')).toMatch(/\{"type":"step_start"/);
  // One agent step per model turn, each tool's output in the step of its call.
  const traj = trajectoryOf(run.out, t);
  expect(traj.steps[0]).toMatchObject({ step_id: 1, source: 'user', message: expect.stringContaining('hello.txt') });
  const agents = traj.steps.filter((x: { source: string }) => x.source === 'agent');
  expect(agents.map((x: { tool_calls?: unknown[] }) => x.tool_calls?.length ?? 0)).toEqual([1, 1, 0]);
  expect(agents[0].observation.results[0].source_call_id).toBe(agents[0].tool_calls[0].tool_call_id);
  expect(agents[0].tool_calls[0]).toMatchObject({
    function_name: 'bash',
    arguments: { command: "echo 'Hello, world!' > hello.txt" },
  });
  expect(agents[1].observation.results[0].content).toMatch(/Read-only/);
  expect(agents.map((x: any) => x.metrics.prompt_tokens)).toEqual([1800, 1900, 2000]);

  // The key and the base URL on no command line, the key in no file of the job folder.
  expect(seen).toEqual([]);
  expect(allFiles(run.out).filter((f) => readFileSync(f).includes(key))).toEqual([]);
  expect(await leftovers(run.runId)).toEqual([]);
});

test('a refused key is AgentAuthError within a minute, verification still runs, and the key is nowhere', async () => {
  const key = `sk-proj-FAKE${randomBytes(12).toString('hex')}`;
  const openai = await startFakeOpenAI([], {
    failAll: { status: 401, code: 'invalid_api_key', message: 'Incorrect API key provided.' },
  });
  fake = openai;
  const stopPs = watchPs([key]);
  const run = await runCli([TASK, '--agent', 'opencode', '--model', MODEL, '--network', 'host'], {
    env: { OPENAI_BASE_URL: openai.url, OPENAI_API_KEY: key },
  });
  const seen = await stopPs();
  console.log(`401 out: ${run.out}`);

  const [t] = trialResults(run.out);
  expect(t).toMatchObject({ status: 'completed', reward: 0, passed: false });
  expect(t.exception_info.exception_type).toBe('AgentAuthError');
  expect(t.exception_info.exception_message).toMatch(
    /refused the credentials \(HTTP 401\): Incorrect API key provided\..*Check OPENAI_API_KEY/,
  );
  expect(t.verifier).toEqual({ started_at: expect.any(String), finished_at: expect.any(String) });
  expect(existsSync(path.join(run.out, t.trial_name, 'verifier', 'test-stdout.txt'))).toBe(true);
  expect(seconds(t.agent_execution)).toBeLessThan(60);
  // A 401 is not retried.
  expect(openai.requests.map((q) => `${q.path} ${q.answered}`)).toEqual(['/v1/responses error']);

  const files = allFiles(run.out);
  expect(files.length).toBeGreaterThan(4);
  expect(files.filter((f) => readFileSync(f).includes(key))).toEqual([]);
  expect(seen).toEqual([]);
  expect(await leftovers(run.runId)).toEqual([]);
});

test('anthropic/ models go to ANTHROPIC_BASE_URL (given without /v1, as for Claude Code); tokens include the cache', async () => {
  const key = `sk-ant-FAKE${randomBytes(12).toString('hex')}`;
  const anthropic = await startFakeAnthropic([
    {
      text: 'Writing it.',
      tools: [{ name: 'bash', input: { command: "echo 'Hello, world!' > hello.txt", description: 'write the file' } }],
      usage: { input_tokens: 100, output_tokens: 20, cache_read_input_tokens: 50, cache_creation_input_tokens: 10 },
    },
    { text: 'Done.', usage: { input_tokens: 120, output_tokens: 5 } },
  ]);
  fake = anthropic;
  const run = await runCli(
    [TASK, '--agent', 'opencode', '--model', 'anthropic/claude-sonnet-4-5', '--network', 'host'],
    { env: { ANTHROPIC_BASE_URL: anthropic.url, ANTHROPIC_API_KEY: key, OPENAI_API_KEY: 'sk-not-for-anthropic' } },
  );
  const [t] = trialResults(run.out);
  expect(t).toMatchObject({ status: 'completed', reward: 1, exception_info: null });
  expect(anthropic.requests.map((q) => `${q.path} ${q.answered} ${q.hasApiKey}`)).toEqual([
    '/v1/messages 0 true',
    '/v1/messages 1 true',
  ]);
  expect(t.agent_result).toMatchObject({ n_input_tokens: 280, n_cache_tokens: 50, n_output_tokens: 25 });
  expect(t.agent_result.cost_usd).toBeGreaterThan(0);
  trajectoryOf(run.out, t);
  expect(allFiles(run.out).filter((f) => readFileSync(f).includes(key))).toEqual([]);
  expect(await leftovers(run.runId)).toEqual([]);
});

test('the turn limit stops opencode with AgentMaxTurnsError', async () => {
  const openai = await startFakeOpenAI([
    // Slow enough tools that the stop lands before opencode could finish on its own.
    { shell: 'sleep 2; echo one', usage: { input_tokens: 100, output_tokens: 5 } },
    { shell: 'sleep 2; echo two', usage: { input_tokens: 200, output_tokens: 5 } },
    { shell: 'sleep 2; echo three', usage: { input_tokens: 300, output_tokens: 5 } },
    { text: 'done', usage: { input_tokens: 400, output_tokens: 5 } },
  ]);
  fake = openai;
  const run = await runCli([TASK, '--agent', 'opencode', '--model', MODEL, '--network', 'host', '--max-turns', '2'], {
    env: { OPENAI_BASE_URL: openai.url, OPENAI_API_KEY: 'sk-test' },
  });
  const [t] = trialResults(run.out);
  expect(t).toMatchObject({ status: 'completed', reward: 0 });
  expect(t.exception_info).toMatchObject({ exception_type: 'AgentMaxTurnsError' });
  expect(t.verifier).not.toBeNull();
  // The third turn was the one over the limit: the fourth never asked for.
  expect(openai.requests.filter((q) => typeof q.answered === 'number').length).toBeLessThanOrEqual(3);
  trajectoryOf(run.out, t);
  expect(await leftovers(run.runId)).toEqual([]);
});

test('an image with neither glibc nor musl gets AgentUnsupportedPlatformError, and the verifier still runs', async () => {
  const run = await runCli([path.join(EXAMPLES, 'hello-world'), '--agent', 'opencode', '--network', 'none'], {
    env: { OPENAI_API_KEY: 'unused' },
  });
  const [t] = trialResults(run.out);
  expect(t).toMatchObject({ status: 'completed', reward: 0 });
  expect(t.exception_info.exception_type).toBe('AgentUnsupportedPlatformError');
  expect(t.exception_info.exception_message).toMatch(/opencode: the task image has neither glibc .* nor musl/);
  expect(t.verifier).not.toBeNull();
  expect(await leftovers(run.runId)).toEqual([]);
});

test('killed at the agent timeout: a named timeout, the turns so far in the trajectory', async () => {
  const openai = await startFakeOpenAI([
    { text: 'Looking.', shell: 'echo ready', usage: { input_tokens: 500, cached_tokens: 100, output_tokens: 20 } },
    { text: 'Waiting.', shell: 'sleep 600', usage: { input_tokens: 600, cached_tokens: 500, output_tokens: 10 } },
  ]);
  fake = openai;
  // Long enough for opencode's own start (up to ~25 s on a loaded 2-core machine) and a first turn.
  const run = await runCli(
    [TASK, '--agent', 'opencode', '--model', MODEL, '--network', 'host', '--agent-timeout', '60'],
    {
      env: { OPENAI_BASE_URL: openai.url, OPENAI_API_KEY: 'sk-test' },
    },
  );
  const [t] = trialResults(run.out);
  expect(t).toMatchObject({ status: 'completed', reward: 0 });
  expect(t.exception_info).toMatchObject({
    exception_type: 'AgentTimeoutError',
    exception_message: 'opencode timed out after 60s and was stopped',
  });
  expect(openai.requests.filter((q) => typeof q.answered === 'number').length).toBe(2);
  // The first turn finished (its tokens); the second was cut inside its tool: opencode writes a
  // turn's step_finish (and its tokens) only once the turn's tools are done.
  expect(t.agent_result).toMatchObject({ n_input_tokens: 500, n_cache_tokens: 100, n_output_tokens: 20 });
  expect(seconds(t.agent_execution)).toBeLessThan(80);
  const traj = trajectoryOf(run.out, t);
  expect(traj.steps.at(-1)).toMatchObject({ source: 'agent', message: 'Waiting.' });
  expect(await leftovers(run.runId)).toEqual([]);
});
