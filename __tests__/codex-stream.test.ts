// The codex `exec --json` parser, driven by streams recorded from the real binary
// (0.169.0, codex.itg.test.ts) in fixtures/agents/codex/.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AgentMessage } from '../src/events.js';
import { errorOfFailure, errorWithoutEnd } from '../src/agents/codex/outcome.js';
import { CodexSession, commandGist, statusOf } from '../src/agents/codex/stream.js';

const FIX = path.join(import.meta.dirname, 'fixtures', 'agents', 'codex');
const lines = (name: string) => readFileSync(path.join(FIX, name), 'utf8').split('\n');

function play(name: string, extra: string[] = []) {
  const messages: AgentMessage[] = [];
  const output: string[] = [];
  const s = new CodexSession({ message: (m) => messages.push(m), output: (l) => output.push(l) }, { model: 'gpt-5' });
  for (const l of [...lines(name), ...extra]) s.feed(l);
  return { s, messages, output };
}

test('a solved run: init, text, tool calls and results, turns, and the result with its usage', () => {
  const { s, messages, output } = play('solves.codex.txt');
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
    'result',
  ]);
  expect(messages[0]).toEqual({ kind: 'init', model: 'gpt-5' });
  expect(messages[3]).toMatchObject({ kind: 'tool_use', name: 'shell', id: 'item_2' });
  expect(messages[4]).toEqual({ kind: 'tool_result', id: 'item_2', ok: true, gist: 'exit 0' });
  expect(messages[6]).toMatchObject({ gist: 'touch /opt/tb2/codex/tampered' });
  expect(messages[7]).toMatchObject({ ok: false, gist: expect.stringMatching(/^exit 1: .*Read-only file system/) });
  expect(messages.at(-1)).toEqual({
    kind: 'result',
    subtype: 'success',
    is_error: false,
    num_turns: 3,
    usage: { input_tokens: 2200, cache_read_input_tokens: 3500, cache_creation_input_tokens: 0, output_tokens: 92 },
  });
  expect(s.usage).toEqual({
    input_tokens: 5700,
    cached_input_tokens: 3500,
    output_tokens: 92,
    reasoning_output_tokens: 12,
  });
  expect(s.completed && s.ended && s.failure === undefined).toBe(true);
  expect(s.threadId).toMatch(/^[0-9a-f-]{36}$/);
  expect(s.texts).toEqual(['I will create the file.', 'Done: /app/hello.txt contains "Hello, world!".']);
  // The non-fatal notice is output, not a failure.
  expect(output).toEqual([expect.stringMatching(/^codex: Model metadata for `gpt-5` not found/)]);
});

test('a refused key: retry notices are output, turn.failed is the failure, named AgentAuthError', () => {
  const { s, messages, output } = play('401.codex.txt');
  expect(s.completed).toBe(false);
  expect(s.failure).toMatch(/^unexpected status 401 Unauthorized/);
  expect(s.lastRetry).toMatch(/^Reconnecting\.\.\. 2\/2/);
  expect(output.filter((l) => l.includes('Reconnecting'))).toHaveLength(2);
  expect(messages.at(-1)).toMatchObject({ kind: 'result', subtype: 'error', is_error: true, api_error_status: 401 });
  expect(s.usage).toBeUndefined();
  expect(errorOfFailure(s.failure!)).toMatchObject({
    type: 'AgentAuthError',
    message: expect.stringMatching(/refused the credentials \(HTTP 401\).*Check OPENAI_API_KEY/),
  });
});

test('unknown events and non-JSON lines become output, never fatal', () => {
  const { s, output } = play('solves.codex.txt', [
    '{"type":"something.new","x":1}',
    'WARNING: plain stderr',
    '{not json',
    '[1,2]',
    '',
  ]);
  expect(s.completed).toBe(true);
  expect(output.slice(-4)).toEqual(['{"type":"something.new","x":1}', 'WARNING: plain stderr', '{not json', '[1,2]']);
});

test('the failure mapping names what happened', () => {
  const cases: Array<[string, string]> = [
    ['unexpected status 401 Unauthorized: Incorrect API key provided.', 'AgentAuthError'],
    ['unexpected status 403 Forbidden: nope', 'AgentAuthError'],
    ['unexpected status 429 Too Many Requests: Rate limit reached', 'AgentRateLimitError'],
    ['You exceeded your current quota (insufficient_quota)', 'AgentRateLimitError'],
    ['unexpected status 400 Bad Request: context_length_exceeded', 'ContextLengthExceededError'],
    ["Codex ran out of room in the model's context window. Start a new thread", 'ContextLengthExceededError'],
    ['unexpected status 503 Service Unavailable', 'AgentOverloadedError'],
    ['unexpected status 404 Not Found: model', 'AgentApiError'],
    ['something else broke', 'AgentExecutionError'],
  ];
  for (const [msg, type] of cases) expect([msg, errorOfFailure(msg).type]).toEqual([msg, type]);
  expect(errorWithoutEnd(0, []).type).toBe('AgentNoResultError');
  expect(errorWithoutEnd(137, ['x']).type).toBe('NonZeroAgentExitCodeError');
  expect(statusOf('unexpected status 502 Bad Gateway')).toBe(502);
});

test('command gists show the command the model wrote', () => {
  expect(commandGist("/bin/bash -lc 'touch /opt/x'")).toBe('touch /opt/x');
  expect(commandGist('/bin/bash -lc "ls -la"')).toBe('ls -la');
  expect(commandGist('python3 x.py')).toBe('python3 x.py');
});
