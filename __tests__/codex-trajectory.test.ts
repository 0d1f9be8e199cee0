// agent/trajectory.json from codex's session log (rollout), recorded from the real binary
// (0.169.0, codex.itg.test.ts) in fixtures/agents/codex/, checked with the ATIF validator.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildFromRollout, buildFromStream } from '../src/agents/codex/trajectory.js';
import { estimateCost, priceOf } from '../src/agents/openai/prices.js';
import { validateAtif } from './helpers/atif.js';

const FIX = path.join(import.meta.dirname, 'fixtures', 'agents', 'codex');
const lines = (name: string) => readFileSync(path.join(FIX, name), 'utf8').split('\n');
const OPTS = { agentVersion: '0.169.0', model: 'gpt-5', instruction: 'Create hello.txt' };

test('one agent step per API response, tool outputs in the step of the call, metrics per response', () => {
  const built = buildFromRollout(lines('solves.session.jsonl'), OPTS)!;
  const t = built.trajectory;
  expect(validateAtif(t)).toEqual([]);
  expect(t.agent).toEqual({ name: 'codex', version: '0.169.0', model_name: 'gpt-5' });
  expect(t.session_id).toMatch(/^[0-9a-f-]{36}$/);
  expect(t.steps.map((s) => s.source)).toEqual(['user', 'agent', 'agent', 'agent']);
  // The user's instruction, not codex's environment context or skills.
  expect(t.steps[0].message).toMatch(/^Create a file named `hello.txt`/);
  const [a1, a2, a3] = t.steps.slice(1);
  expect(a1).toMatchObject({
    message: 'I will create the file.',
    tool_calls: [{ function_name: 'exec_command', arguments: { cmd: "echo 'Hello, world!' > hello.txt" } }],
    metrics: { prompt_tokens: 1800, cached_tokens: 0, completion_tokens: 45, extra: { reasoning_output_tokens: 12 } },
  });
  expect(a1.observation!.results).toEqual([
    { source_call_id: a1.tool_calls![0].tool_call_id, content: expect.stringMatching(/exited with code 0/) },
  ]);
  expect(a2.observation!.results[0].content).toMatch(/Read-only file system/);
  expect(a3).toMatchObject({
    message: 'Done: /app/hello.txt contains "Hello, world!".',
    metrics: { prompt_tokens: 2000 },
  });
  expect(a3.tool_calls).toBeUndefined();
  expect(t.final_metrics).toMatchObject({
    total_prompt_tokens: 5700,
    total_cached_tokens: 3500,
    total_completion_tokens: 92,
    total_steps: 4,
  });
  expect(built.usage).toEqual({
    n_input_tokens: 5700,
    n_cache_tokens: 3500,
    n_output_tokens: 92,
    cost_usd: t.final_metrics.total_cost_usd,
    estimated: true,
  });
  expect(built.usage.cost_usd).toBeCloseTo((2200 * 1.25 + 3500 * 0.125 + 92 * 10) / 1e6, 12);
});

test('a run cut at the turn limit: valid, the last step as far as the log got', () => {
  const t = buildFromRollout(lines('max-turns.session.jsonl'), OPTS)!.trajectory;
  expect(validateAtif(t)).toEqual([]);
  expect(t.steps.filter((s) => s.source === 'agent').length).toBeGreaterThanOrEqual(2);
});

test('a refused key: the prompt only, zero totals, still valid', () => {
  const built = buildFromRollout(lines('401.session.jsonl'), OPTS);
  if (built) {
    expect(validateAtif(built.trajectory)).toEqual([]);
    expect(built.usage).toMatchObject({ n_input_tokens: 0, n_output_tokens: 0 });
  }
});

test('without a session log: one step with the stream totals; an unknown model has no cost', () => {
  const u = { input_tokens: 100, cached_input_tokens: 40, output_tokens: 7 };
  const built = buildFromStream(['hi'], u, { ...OPTS, model: 'my-local-model' })!;
  expect(validateAtif(built.trajectory)).toEqual([]);
  expect(built.usage).toEqual({
    n_input_tokens: 100,
    n_cache_tokens: 40,
    n_output_tokens: 7,
    cost_usd: null,
    estimated: true,
  });
  expect(buildFromStream([], undefined, OPTS)).toBeUndefined();
  // Junk lines in a rollout are skipped.
  expect(buildFromRollout(['', 'not json', '{}'], OPTS)).toBeUndefined();
});

test('the price table: most specific first, provider prefix ignored', () => {
  expect(priceOf('gpt-5')).toEqual({ input: 1.25, cachedInput: 0.125, output: 10 });
  expect(priceOf('openai/gpt-5-mini')?.input).toBe(0.25);
  expect(priceOf('gpt-5-codex')?.input).toBe(1.25);
  expect(priceOf('llama3')).toBeUndefined();
  expect(estimateCost({ input: 1e6, cached: 5e5, output: 0 }, 'gpt-5')).toBeCloseTo(0.625 + 0.0625, 12);
});
