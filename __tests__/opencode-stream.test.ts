// opencode's stream parser, its named failures and the trajectory, driven by streams the
// real opencode 1.18.34 wrote in opencode.itg.test.ts (and by hand against the same fakes:
// rate-limit, unknown-model), kept in __tests__/fixtures/agents/opencode/.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AgentMessage } from '../src/events.js';
import { errorOfFailure, errorWithoutEnd } from '../src/agents/opencode/outcome.js';
import { OpencodeSession, parseEvent } from '../src/agents/opencode/stream.js';
import { buildTrajectory } from '../src/agents/opencode/trajectory.js';
import { validateAtif } from './helpers/atif.js';

const DIR = path.join(import.meta.dirname, 'fixtures', 'agents', 'opencode');
const lines = (name: string) => readFileSync(path.join(DIR, `${name}.opencode.txt`), 'utf8').split('\n');
const OPTS = { agentVersion: '1.18.34', model: 'openai/gpt-5', instruction: 'Create hello.txt' };

function feed(name: string, model = 'openai/gpt-5') {
  const messages: AgentMessage[] = [];
  const output: string[] = [];
  const s = new OpencodeSession(
    { message: (m) => messages.push(m), output: (l) => output.push(l) },
    { model, version: '1.18.34' },
  );
  for (const l of lines(name)) s.feed(l);
  return { s, messages, output };
}

test('a solved run: init, one turn per step, text, tool calls with results, finished', () => {
  const { s, messages } = feed('solves');
  expect(s.sessionId).toMatch(/^ses_/);
  expect(s.turns).toBe(3);
  expect(s.finished).toBe(true);
  expect(s.failure).toBeUndefined();
  expect(messages.map((m) => m.kind)).toEqual([
    'init',
    'turn',
    'text',
    'tool_use',
    'tool_result',
    'turn',
    'tool_use',
    'tool_result',
    'turn',
    'text',
  ]);
  expect(messages[0]).toEqual({ kind: 'init', model: 'openai/gpt-5', version: '1.18.34', product: 'opencode' });
  expect(messages[3]).toMatchObject({ kind: 'tool_use', name: 'bash', gist: "echo 'Hello, world!' > hello.txt" });
  expect(messages[4]).toMatchObject({ kind: 'tool_result', ok: true, gist: 'exit 0: (no output)' });
  expect(messages[7]).toMatchObject({
    kind: 'tool_result',
    ok: false,
    gist: expect.stringMatching(/^exit 1: .*Read-only/),
  });
  expect(s.result()).toEqual({ kind: 'result', subtype: 'success', is_error: false, num_turns: 3 });
});

test('the trajectory: one agent step per turn, tokens as the API billed them, cost as opencode reported it', () => {
  const built = buildTrajectory(lines('solves'), OPTS)!;
  expect(validateAtif(built.trajectory)).toEqual([]);
  const steps = built.trajectory.steps;
  expect(steps.map((s) => s.source)).toEqual(['user', 'agent', 'agent', 'agent']);
  expect(steps[0].message).toBe('Create hello.txt');
  expect(steps[1]).toMatchObject({
    message: 'I will create the file.',
    model_name: 'openai/gpt-5',
    tool_calls: [{ function_name: 'bash', arguments: { command: "echo 'Hello, world!' > hello.txt" } }],
    observation: { results: [{ content: '(no output)' }] },
    // input 1800 (none cached); output 33 + reasoning 12 = OpenAI's 45.
    metrics: { prompt_tokens: 1800, completion_tokens: 45, cached_tokens: 0, cost_usd: 0.0027 },
    llm_call_count: 1,
  });
  expect(steps[1].observation!.results[0].source_call_id).toBe(steps[1].tool_calls![0].tool_call_id);
  expect(steps[1].timestamp).toMatch(/^2026-12-01T/);
  expect(steps.map((s) => s.metrics?.prompt_tokens)).toEqual([undefined, 1800, 1900, 2000]);
  expect(built.usage).toEqual({
    n_input_tokens: 5700,
    n_cache_tokens: 3500,
    n_output_tokens: 92,
    cost_usd: built.trajectory.final_metrics.total_cost_usd,
    estimated: false,
  });
  expect(built.usage.cost_usd).toBeCloseTo((2200 * 1.25 + 3500 * 0.125 + 92 * 10) / 1e6, 9);
  expect(built.trajectory.final_metrics.extra).toEqual({ cost_source: 'opencode' });
});

test('Anthropic tokens: prompt = uncached + cache read + cache write', () => {
  const built = buildTrajectory(lines('anthropic'), { ...OPTS, model: 'anthropic/claude-sonnet-4-5' })!;
  expect(validateAtif(built.trajectory)).toEqual([]);
  expect(built.usage).toMatchObject({ n_input_tokens: 280, n_cache_tokens: 50, n_output_tokens: 25, estimated: false });
  expect(built.trajectory.steps[1].metrics).toMatchObject({ prompt_tokens: 160, cached_tokens: 50 });
});

test('no cost reported: estimated from the price table, flagged; unknown provider: no cost', () => {
  const zeroed = lines('solves').map((l) => l.replace(/"cost":[0-9.e-]+/, '"cost":0'));
  const est = buildTrajectory(zeroed, OPTS)!;
  expect(validateAtif(est.trajectory)).toEqual([]);
  expect(est.usage.estimated).toBe(true);
  expect(est.usage.cost_usd).toBeCloseTo((2200 * 1.25 + 3500 * 0.125 + 92 * 10) / 1e6, 9);
  expect(est.trajectory.final_metrics.extra).toEqual({ cost_source: 'list_price_estimate (2025-08-07)' });
  const none = buildTrajectory(zeroed, { ...OPTS, model: 'openrouter/some/model' })!;
  expect(none.usage).toMatchObject({ cost_usd: null, estimated: false, n_input_tokens: 5700 });
  expect(none.trajectory.final_metrics.total_cost_usd).toBeUndefined();
});

test('a 401: the error event as AgentAuthError naming the key variable', () => {
  const { s, output } = feed('401');
  expect(s.failure).toEqual({ name: 'APIError', message: 'Incorrect API key provided.', status: 401 });
  expect(output).toContain('opencode: APIError (HTTP 401): Incorrect API key provided.');
  expect(errorOfFailure(s.failure!, 'openai')).toEqual({
    type: 'AgentAuthError',
    message:
      "opencode: the model API refused the credentials (HTTP 401): Incorrect API key provided. Check OPENAI_API_KEY (and OPENAI_BASE_URL, ending in /v1) in the caller's environment",
  });
  expect(errorOfFailure(s.failure!, 'anthropic').message).toMatch(/Check ANTHROPIC_API_KEY/);
  expect(s.result()).toMatchObject({ subtype: 'error', is_error: true, api_error_status: 401 });
  expect(buildTrajectory(lines('401'), OPTS)).toBeUndefined();
});

test('a lasting 429, after opencode’s retries: AgentRateLimitError', () => {
  const { s } = feed('rate-limit');
  expect(s.failure?.status).toBe(429);
  expect(errorOfFailure(s.failure!, 'openai')).toMatchObject({ type: 'AgentRateLimitError' });
});

test('an unknown model: the stream says UnknownError, its log the real cause', () => {
  const { s } = feed('unknown-model');
  expect(s.failure?.name).toBe('UnknownError');
  expect(errorOfFailure(s.failure!, 'openai', s.loggedError)).toEqual({
    type: 'ModelNotFoundError',
    message: expect.stringMatching(/^opencode: ProviderModelNotFoundError: Model not found: openai\/gpt-nonexistent\./),
  });
  expect(errorOfFailure(s.failure!, 'openai').type).toBe('AgentExecutionError');
});

test('no key forwarded: opencode loads no models of the provider; that is an AgentAuthError, not a model name', () => {
  const { s } = feed('no-key');
  expect(s.loggedError).toMatch(/^ProviderModelNotFoundError: Model not found: openai\/gpt-5\./);
  expect(errorOfFailure(s.failure!, 'openai', s.loggedError, false)).toEqual({
    type: 'AgentAuthError',
    message: expect.stringMatching(
      /^opencode: no OPENAI_API_KEY reached it, so it loaded no openai models \(.*Check OPENAI_API_KEY/,
    ),
  });
  expect(errorOfFailure(s.failure!, 'openai', s.loggedError, true).type).toBe('ModelNotFoundError');
});

test.each([
  [{ name: 'APIError', message: 'x', status: 500 }, 'AgentOverloadedError'],
  [{ name: 'APIError', message: 'bad request', status: 400 }, 'AgentApiError'],
  [
    { name: 'APIError', message: "This model's maximum context length is 400000 tokens", status: 400 },
    'ContextLengthExceededError',
  ],
  [{ name: 'ProviderAuthError', message: 'no key' }, 'AgentAuthError'],
  [{ name: 'APIError', message: 'Rate limit; check your api key usage', status: 429 }, 'AgentRateLimitError'],
])('%j -> %s', (f, type) => expect(errorOfFailure(f, 'openai').type).toBe(type));

test('a run cut at the turn limit: the open turn kept without metrics; the trajectory still valid', () => {
  const { s } = feed('max-turns');
  expect(s.turns).toBe(3);
  const built = buildTrajectory(lines('max-turns'), OPTS)!;
  expect(validateAtif(built.trajectory)).toEqual([]);
  expect(built.trajectory.steps.filter((x) => x.source === 'agent' && x.metrics).length).toBe(2);
});

test('other lines are output, never fatal; a line cut mid-JSON is output too', () => {
  const { s, output } = feed('solves');
  s.feed('not json at all');
  s.feed('{"type":"step_start","sessionID":');
  s.feed('{"type":"mystery","x":1}');
  expect(output.slice(-3)).toEqual([
    'not json at all',
    '{"type":"step_start","sessionID":',
    '{"type":"mystery","x":1}',
  ]);
  expect(parseEvent('{"no":"type"}')).toBeUndefined();
  expect(errorWithoutEnd(0, ['a'])).toEqual({
    type: 'AgentNoResultError',
    message: 'opencode exited with code 0 before its turn ended; last output: a',
  });
});
