// gemini-cli's stream, chat log, failures, accounting and command line, from streams
// recorded with the real CLI 0.61.0 against helpers/fake-gemini.ts
// (fixtures/agents/gemini-cli: success = one shell call then an answer; auth-401).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AgentMessage } from '../src/events.js';
import { account, estimate } from '../src/agents/gemini/accounting.js';
import { geminiEnv, geminiScript, settingsOf } from '../src/agents/gemini/invocation.js';
import { classify, errorOfResult, errorWithoutResult } from '../src/agents/gemini/outcome.js';
import { geminiPrice } from '../src/agents/gemini/prices.js';
import { GeminiSession, statusOf } from '../src/agents/gemini/session.js';
import { parseStreamLine } from '../src/agents/gemini/stream.js';
import { buildTrajectory, ChatLog, reportedOf, StreamTranscript } from '../src/agents/gemini/trajectory.js';
import { validateAtif } from './helpers/atif.js';

const DIR = path.join(import.meta.dirname, 'fixtures', 'agents', 'gemini-cli');
const lines = (f: string) => readFileSync(path.join(DIR, f), 'utf8').split('\n');

function play(file: string) {
  const messages: AgentMessage[] = [];
  const output: string[] = [];
  const s = new GeminiSession({ message: (m) => messages.push(m), output: (l) => output.push(l) });
  for (const l of lines(file)) s.feed(l);
  s.end();
  return { s, messages, output };
}

const opts = { agentName: 'gemini-cli', agentVersion: '0.61.0', priceOf: geminiPrice, pricesAsOf: '2025-12-01' };

describe('stream', () => {
  test('a recorded run becomes init, turns, assembled text, the tool call and its result, and the result', () => {
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
      // 3700 prompt of which 2900 cached; 57 candidates + 5 thinking.
      usage: { input_tokens: 800, cache_read_input_tokens: 2900, cache_creation_input_tokens: 0, output_tokens: 62 },
    });
    expect(s.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    // stderr shares the log: plain output, never fatal.
    expect(output).toContain('YOLO mode is enabled. All tool calls will be automatically approved.');
    expect(errorOfResult(s.result!, 0)).toBeUndefined();
  });

  test('unknown and broken lines are plain output', () => {
    expect(parseStreamLine('{"type":"surprise","x":1}')).toEqual({ kind: 'other', text: '{"type":"surprise","x":1}' });
    expect(parseStreamLine('{"type":"result"')).toMatchObject({ kind: 'other' });
    expect(parseStreamLine('plain')).toMatchObject({ kind: 'other' });
    const out: string[] = [];
    const s = new GeminiSession({ message: () => undefined, output: (l) => out.push(l) });
    s.feed('{"type":"surprise"}');
    s.feed('{"type":"error","severity":"warning","message":"Loop detected"}');
    expect(out).toEqual(['{"type":"surprise"}', 'warning: Loop detected']);
  });

  test('a 401 is AgentAuthError with the status, naming the variables', () => {
    const { s, messages } = play('auth-401.txt');
    expect(messages.at(-1)).toMatchObject({ kind: 'result', is_error: true, api_error_status: 401, num_turns: 0 });
    expect(errorOfResult(s.result!, 145)).toEqual({
      type: 'AgentAuthError',
      message: expect.stringMatching(/refused the credentials \(HTTP 401\).*Check GEMINI_API_KEY/),
    });
  });
});

describe('failures', () => {
  const c = (type: string | undefined, said: string, exit?: number) =>
    classify('gemini-cli', 'Gemini API', 'hint', type, said, exit).type;
  test.each([
    ['unknown', '[API Error: {"error":{"code":401,"message":"x","status":"UNAUTHENTICATED"}}]', 145, 'AgentAuthError'],
    [
      'unknown',
      '[API Error: {"error":{"code":400,"message":"API key not valid.","status":"INVALID_ARGUMENT"}}]',
      144,
      'AgentAuthError',
    ],
    ['FatalAuthenticationError', 'When using Gemini API, you must specify the GEMINI_API_KEY', 41, 'AgentAuthError'],
    ['unknown', '[API Error: {"error":{"code":429,"status":"RESOURCE_EXHAUSTED"}}]', 173, 'AgentRateLimitError'],
    [
      'unknown',
      'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).',
      144,
      'ContextLengthExceededError',
    ],
    ['FatalTurnLimitedError', 'Reached max session turns for this session.', 53, 'AgentMaxTurnsError'],
    ['unknown', '[API Error: {"error":{"code":503,"status":"UNAVAILABLE"}}]', 247, 'AgentOverloadedError'],
    ['unknown', '[API Error: {"error":{"code":404,"status":"NOT_FOUND"}}]', 148, 'AgentApiError'],
    ['Error', 'something else', 1, 'AgentExecutionError'],
  ])('%s %s (exit %s) -> %s', (type, said, exit, want) => expect(c(type, said, exit)).toBe(want));

  test('without a result line: the exit code and last output', () => {
    expect(errorWithoutResult('gemini-cli', 0, [])).toMatchObject({ type: 'AgentNoResultError' });
    expect(errorWithoutResult('gemini-cli', 52, ['bad settings'])).toEqual({
      type: 'NonZeroAgentExitCodeError',
      message: 'gemini-cli exited with code 52 before writing its result line; last output: bad settings',
    });
    expect(errorWithoutResult('gemini-cli', 41, ['Please set an Auth method'])).toMatchObject({
      type: 'AgentAuthError',
    });
    expect(statusOf('no status here')).toBeUndefined();
  });
});

describe('trajectory', () => {
  const result = () => play('success.txt').s.result!;

  test('from the chat log: context, prompt, one agent step per response with its tool result; totals = result line', () => {
    const log = new ChatLog();
    for (const l of lines('success.session.jsonl')) log.feed(l);
    const built = buildTrajectory(log.drafts(), {
      ...opts,
      model: 'gemini-2.5-pro',
      sessionId: log.sessionId,
      source: 'session',
      instruction: 'unused: the log has it',
      reported: reportedOf(result(), 'gemini-2.5-pro'),
    })!;
    const t = built.trajectory;
    expect(validateAtif(t)).toEqual([]);
    expect(t.steps.map((s) => s.source)).toEqual(['system', 'user', 'agent', 'agent']);
    expect(t.steps[2].tool_calls?.[0]).toMatchObject({ function_name: 'run_shell_command' });
    expect(t.steps[2].observation?.results[0].source_call_id).toBe(t.steps[2].tool_calls?.[0].tool_call_id);
    expect(t.steps.map((s) => s.metrics?.completion_tokens)).toEqual([undefined, undefined, 45, 17]);
    expect(t.final_metrics).toMatchObject({
      total_prompt_tokens: 3700,
      total_cached_tokens: 2900,
      total_completion_tokens: 62,
    });
    expect(built.usage).toEqual({
      n_input_tokens: 3700,
      n_cache_tokens: 2900,
      n_output_tokens: 62,
      cost_usd: t.final_metrics.total_cost_usd,
      estimated: true,
    });
  });

  test('from the stream alone: the same steps; the result totals carried by the last agent step', () => {
    const st = new StreamTranscript();
    for (const l of lines('success.txt')) st.feed(l);
    const built = buildTrajectory(st.out, {
      ...opts,
      model: st.model,
      source: 'stream',
      reported: reportedOf(st.result, st.model),
    })!;
    expect(validateAtif(built.trajectory)).toEqual([]);
    const steps = built.trajectory.steps;
    expect(steps.map((s) => s.source)).toEqual(['user', 'agent', 'agent']);
    expect(steps[1].message).toBe('I will create the file.');
    expect(steps[1].observation?.results).toHaveLength(1);
    expect(steps[2].metrics).toMatchObject({ prompt_tokens: 3700, completion_tokens: 62 });
    expect(built.usage?.n_input_tokens).toBe(3700);
  });

  test('a 401: prompt only, totals of zero', () => {
    const st = new StreamTranscript();
    for (const l of lines('auth-401.txt')) st.feed(l);
    const built = buildTrajectory(st.out, { ...opts, source: 'stream', reported: reportedOf(st.result, st.model) })!;
    expect(validateAtif(built.trajectory)).toEqual([]);
    expect(built.trajectory.final_metrics).toMatchObject({ total_prompt_tokens: 0, total_cost_usd: 0 });
    expect(built.usage).toMatchObject({ n_input_tokens: 0, cost_usd: 0 });
  });
});

describe('accounting', () => {
  const t = (prompt: number, cached: number, completion: number) => ({ prompt, cached, completion });
  test('a side call of another model is charged to the last step at its own price', () => {
    const acc = account(
      [
        { model: 'gemini-2.5-pro', tokens: t(1000, 0, 10) },
        { model: 'gemini-2.5-pro', tokens: t(2000, 1000, 20) },
      ],
      new Map([
        ['gemini-2.5-pro', t(3000, 1000, 30)],
        ['gemini-2.5-flash-lite', t(500, 0, 5)],
      ]),
      geminiPrice,
    );
    expect(acc.perStep[1]).toMatchObject({ prompt_tokens: 2500, completion_tokens: 25 });
    expect(acc.perStep[1]?.extra?.adjusted_to_result_line).toEqual({
      'gemini-2.5-flash-lite': { prompt: 500, completion: 5 },
    });
    const flashLite = estimate(t(500, 0, 5), geminiPrice('gemini-2.5-flash-lite'))!;
    expect(acc.perStep[1]?.cost_usd).toBeCloseTo(
      estimate(t(2000, 1000, 20), geminiPrice('gemini-2.5-pro'))! + flashLite,
      12,
    );
    expect(acc.usage).toMatchObject({ n_input_tokens: 3500, n_output_tokens: 35, estimated: true });
  });

  test('long prompts are billed at the long-context tier; unknown models have no cost', () => {
    expect(estimate(t(300_000, 0, 0), geminiPrice('gemini-2.5-pro'))).toBeCloseTo(0.75, 10);
    expect(estimate(t(100_000, 0, 0), geminiPrice('gemini-2.5-pro'))).toBeCloseTo(0.125, 10);
    const acc = account([{ model: 'my-proxy-model', tokens: t(10, 0, 1) }], undefined, geminiPrice);
    expect(acc.usage).toMatchObject({ n_input_tokens: 10, cost_usd: null });
    expect(acc.perStep[0]?.cost_usd).toBeUndefined();
  });

  test('a deficit against the result line comes off the last steps', () => {
    const acc = account(
      [
        { model: 'm', tokens: t(100, 0, 10) },
        { model: 'm', tokens: t(100, 0, 10) },
      ],
      new Map([['m', t(150, 0, 20)]]),
      geminiPrice,
    );
    expect(acc.perStep.map((m) => m?.prompt_tokens)).toEqual([100, 50]);
  });
});

describe('invocation', () => {
  test('settings: API-key auth, bounded retries, no telemetry, the turn limit', () => {
    expect(settingsOf({ maxTurns: 7 })).toMatchObject({
      security: { auth: { selectedType: 'gemini-api-key' } },
      general: { maxAttempts: 3, enableAutoUpdate: false },
      privacy: { usageStatisticsEnabled: false },
      telemetry: { enabled: false },
      model: { maxSessionTurns: 7 },
    });
    expect(settingsOf({})).not.toHaveProperty('model');
  });

  test('the script: headless flags, the model, the settings written in the container; no value of any variable', () => {
    const script = geminiScript("'/opt/tb2/node/linux-x64/bin/node' '/opt/tb2/gemini-cli/linux-x64/bundle/gemini.js'", {
      model: 'gemini-2.5-pro',
    });
    expect(script).toContain("gemini.js' '--output-format' 'stream-json' '--yolo' '--model' 'gemini-2.5-pro'");
    expect(script).toContain('> /tmp/tb2-gemini-cli/.gemini/settings.json');
    expect(script.startsWith('mkdir -p /tmp/tb2-gemini-cli/.gemini && ')).toBe(true);
    const env = geminiEnv({ GEMINI_API_KEY: 'k', GEMINI_CLI_HOME: '/logs/agent/x' });
    expect(env).toEqual({
      GEMINI_CLI_NO_RELAUNCH: 'true',
      GEMINI_API_KEY: 'k',
      GEMINI_CLI_HOME: '/tmp/tb2-gemini-cli',
      GEMINI_CLI_TRUST_WORKSPACE: 'true',
    });
  });
});
