// qwen-code's stream, failures, trajectory and command line, from streams recorded with the
// real CLI 0.24.4 against helpers/fake-chat-completions.ts (fixtures/agents/qwen-code:
// success = one shell call then an answer; auth-401; success.session.jsonl = its chat log).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AgentMessage } from '../src/events.js';
import { buildTrajectory } from '../src/agents/gemini/trajectory.js';
import { COLLECT_SESSIONS, qwenEnv, qwenScript, settingsOf, STOP_SCRIPT } from '../src/agents/qwen/invocation.js';
import { errorOfResult, errorWithoutResult } from '../src/agents/qwen/outcome.js';
import { qwenPrice } from '../src/agents/qwen/prices.js';
import { QwenSession } from '../src/agents/qwen/session.js';
import { apiStatusOf, parseStreamLine, type ResultLine } from '../src/agents/qwen/stream.js';
import { QwenTranscript, reportedOf } from '../src/agents/qwen/transcript.js';
import { validateAtif } from './helpers/atif.js';

const DIR = path.join(import.meta.dirname, 'fixtures', 'agents', 'qwen-code');
const lines = (f: string) => readFileSync(path.join(DIR, f), 'utf8').split('\n');

function play(file: string) {
  const messages: AgentMessage[] = [];
  const output: string[] = [];
  const s = new QwenSession({ message: (m) => messages.push(m), output: (l) => output.push(l) });
  for (const l of lines(file)) s.feed(l);
  return { s, messages, output };
}

function transcript(file: string) {
  const t = new QwenTranscript(opts.instruction);
  for (const l of lines(file)) t.feed(l);
  return t;
}

const opts = {
  agentName: 'qwen-code',
  agentVersion: '0.24.4',
  priceOf: qwenPrice,
  pricesAsOf: '2025-12-01',
  source: 'stream' as const,
  instruction: 'Create /app/hello.txt containing Hello, world!',
};

describe('stream', () => {
  test('a recorded run becomes init, turns, text, the tool call and its result, and the result', () => {
    const { s, messages, output } = play('success.txt');
    expect(messages.map((m) => m.kind)).toEqual([
      'init',
      'turn',
      'text',
      'tool_use',
      'tool_result',
      'turn',
      'text',
      'result',
    ]);
    expect(messages[0]).toMatchObject({
      kind: 'init',
      model: 'qwen3-coder-plus',
      version: '0.24.4',
      product: 'qwen-code',
    });
    expect(messages[2]).toEqual({ kind: 'text', text: 'I will create the file.' });
    expect(messages[3]).toMatchObject({
      kind: 'tool_use',
      name: 'run_shell_command',
      gist: "echo 'Hello, world!' > hello.txt",
    });
    expect(messages[4]).toMatchObject({ kind: 'tool_result', ok: true, id: (messages[3] as { id: string }).id });
    expect(messages.at(-1)).toEqual({
      kind: 'result',
      subtype: 'success',
      is_error: false,
      num_turns: 2,
      duration_ms: expect.any(Number),
      // 4100 prompt of which 3200 cached; 62 out.
      usage: { input_tokens: 900, cache_read_input_tokens: 3200, cache_creation_input_tokens: 0, output_tokens: 62 },
    });
    expect(s.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    // stderr shares the log: plain output, never fatal; stream_event lines are dropped.
    expect(output.some((l) => l.startsWith('Ripgrep not available'))).toBe(true);
    expect(output.some((l) => l.includes('stream_event'))).toBe(false);
    expect(errorOfResult(s.result!, 0)).toBeUndefined();
  });

  test('unknown and broken lines are plain output', () => {
    expect(parseStreamLine('{"type":"surprise","x":1}')).toEqual({ kind: 'other', text: '{"type":"surprise","x":1}' });
    expect(parseStreamLine('{"type":"result"')).toMatchObject({ kind: 'other' });
    expect(parseStreamLine('plain')).toMatchObject({ kind: 'other' });
    const out: string[] = [];
    const s = new QwenSession({ message: () => undefined, output: (l) => out.push(l) });
    s.feed('{"type":"surprise"}');
    s.feed('{"type":"system","subtype":"hook"}');
    // A retry notice is dropped: the CLI prints "Retrying in 10s (attempt 2/2): …" on stderr.
    s.feed('{"type":"system","subtype":"retry","data":{"attempt":2,"maxRetries":2,"delayMs":10000}}');
    expect(out).toEqual(['{"type":"surprise"}', '{"type":"system","subtype":"hook"}']);
  });

  test('a 401 is AgentAuthError with the status, naming the variables; the API error is output, not a turn', () => {
    const { s, messages, output } = play('auth-401.txt');
    expect(messages.map((m) => m.kind)).toEqual(['init', 'result']);
    expect(messages.at(-1)).toMatchObject({ kind: 'result', is_error: true, api_error_status: 401, num_turns: 0 });
    expect(output.some((l) => l.startsWith('[API Error: 401'))).toBe(true);
    expect(errorOfResult(s.result!, 1)).toEqual({
      type: 'AgentAuthError',
      message: expect.stringMatching(/refused the credentials \(HTTP 401\).*Check OPENAI_API_KEY/),
    });
  });
});

describe('failures', () => {
  const r = (subtype: string, message?: string): ResultLine => ({
    type: 'result',
    subtype,
    is_error: subtype !== 'success',
    ...(message ? { error: { message } } : {}),
  });
  test.each([
    ['[API Error: 401 Incorrect API key provided]', 'AgentAuthError'],
    ['[API Error: 403 Forbidden]', 'AgentAuthError'],
    ['[API Error: 429 Rate limit reached for requests]', 'AgentRateLimitError'],
    ["[API Error: 400 This model's maximum context length is 131072 tokens]", 'ContextLengthExceededError'],
    ['[API Error: 503 Service Unavailable]', 'AgentOverloadedError'],
    ['[API Error: 404 model not found]', 'AgentApiError'],
    ['something else', 'AgentExecutionError'],
  ])('%s -> %s', (message, want) => expect(errorOfResult(r('error_during_execution', message), 1)?.type).toBe(want));

  test('the turn limit, and a run without a result line', () => {
    expect(errorOfResult(r('error_max_turns'), 1)?.type).toBe('AgentMaxTurnsError');
    expect(errorWithoutResult(0, [])).toMatchObject({ type: 'AgentNoResultError' });
    expect(errorWithoutResult(1, ['[API Error: 401 Incorrect API key provided]'])).toMatchObject({
      type: 'AgentAuthError',
    });
    expect(errorWithoutResult(2, ['bad settings'])).toEqual({
      type: 'NonZeroAgentExitCodeError',
      message: 'qwen-code exited with code 2 before writing its result line; last output: bad settings',
    });
    expect(apiStatusOf('no status here')).toBeUndefined();
  });
});

describe('trajectory', () => {
  test('prompt, one agent step per response with its tool result; per-step usage; totals = result line', () => {
    const t = transcript('success.txt');
    const built = buildTrajectory(t.out, {
      ...opts,
      model: t.model,
      sessionId: t.sessionId,
      reported: reportedOf(t.result, t.model),
    })!;
    const traj = built.trajectory;
    expect(validateAtif(traj)).toEqual([]);
    expect(traj.steps.map((s) => s.source)).toEqual(['user', 'agent', 'agent']);
    expect(traj.steps[1].message).toBe('I will create the file.');
    expect(traj.steps[1].tool_calls?.[0]).toMatchObject({ function_name: 'run_shell_command' });
    expect(traj.steps[1].observation?.results[0].source_call_id).toBe(traj.steps[1].tool_calls?.[0].tool_call_id);
    expect(traj.steps[1].observation?.results[0].content).toMatch(/Exit Code: 0/);
    expect(traj.steps.map((s) => s.metrics?.prompt_tokens)).toEqual([undefined, 1800, 2300]);
    expect(traj.final_metrics).toMatchObject({
      total_prompt_tokens: 4100,
      total_cached_tokens: 3200,
      total_completion_tokens: 62,
    });
    // qwen3-coder-plus: $1 in, $0.2 cached, $5 out per million (prompts under 32K).
    expect(traj.final_metrics.total_cost_usd).toBeCloseTo((900 * 1 + 3200 * 0.2 + 62 * 5) / 1e6, 12);
    expect(built.usage).toEqual({
      n_input_tokens: 4100,
      n_cache_tokens: 3200,
      n_output_tokens: 62,
      cost_usd: traj.final_metrics.total_cost_usd,
      estimated: true,
    });
  });

  test('a 401: the prompt and the API error, totals of zero', () => {
    const t = transcript('auth-401.txt');
    const built = buildTrajectory(t.out, { ...opts, model: t.model, reported: reportedOf(t.result, t.model) })!;
    expect(validateAtif(built.trajectory)).toEqual([]);
    expect(built.trajectory.steps.map((s) => s.source)).toEqual(['user', 'system']);
    expect(built.trajectory.final_metrics).toMatchObject({ total_prompt_tokens: 0, total_cost_usd: 0 });
    expect(built.usage).toMatchObject({ n_input_tokens: 0, cost_usd: 0 });
  });

  test('killed before its result line: per-step usage still counts; unknown models have no price', () => {
    const t = new QwenTranscript(opts.instruction);
    for (const l of lines('success.txt').filter((l) => !l.includes('"type":"result"'))) t.feed(l);
    const built = buildTrajectory(t.out, { ...opts, model: t.model, reported: undefined })!;
    expect(validateAtif(built.trajectory)).toEqual([]);
    expect(built.usage).toMatchObject({ n_input_tokens: 4100, n_output_tokens: 62, cost_usd: expect.any(Number) });
    expect(qwenPrice('qwen3-coder-plus-2025-09-23')).toBeDefined();
    expect(qwenPrice('my-gateway-model')).toBeUndefined();
  });
});

describe('invocation', () => {
  test('settings: OpenAI auth, bounded retries, no telemetry or updates, the turn limit; no secret', () => {
    expect(settingsOf({ maxTurns: 7 })).toEqual({
      security: { auth: { selectedType: 'openai' }, folderTrust: { enabled: false } },
      general: { enableAutoUpdate: false },
      privacy: { usageStatisticsEnabled: false },
      telemetry: { enabled: false, logPrompts: false },
      model: {
        generationConfig: { maxRetries: 2, retryInitialDelayMs: 5000, retryMaxDelayMs: 10_000 },
        maxSessionTurns: 7,
      },
    });
    expect(settingsOf({}).model).not.toHaveProperty('maxSessionTurns');
  });

  test('the script: headless flags, the model, the settings written in the container; no value of any variable', () => {
    const script = qwenScript("'/opt/tb2/node/linux-x64/bin/node' '/opt/tb2/qwen-code/linux-x64/cli.js'", {
      model: 'qwen3-coder-plus',
    });
    expect(script).toContain("cli.js' '-o' 'stream-json' '--yolo' '--auth-type' 'openai' '-m' 'qwen3-coder-plus'");
    expect(script.startsWith('mkdir -p /tmp/tb2-qwen-code && echo $$ > /tmp/tb2-qwen-code/pid && ')).toBe(true);
    // Stops only the CLI and its own node children, after a lingering `result`.
    expect(STOP_SCRIPT).toContain('grep -q qwen-code "$d/cmdline"');
    expect(script).toContain('> /tmp/tb2-qwen-code/settings.json');
    expect(COLLECT_SESSIONS).toContain('/tmp/tb2-qwen-code/projects/*/chats/*.jsonl');
    const env = qwenEnv({ OPENAI_API_KEY: 'k', OPENAI_BASE_URL: 'u', QWEN_HOME: '/logs/agent/x' });
    expect(env).toEqual({
      OPENAI_API_KEY: 'k',
      OPENAI_BASE_URL: 'u',
      QWEN_HOME: '/tmp/tb2-qwen-code',
      QWEN_CODE_SUPPRESS_YOLO_WARNING: '1',
    });
  });
});
