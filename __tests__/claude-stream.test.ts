// Claude Code's stream-json, recorded from the real binary, through ClaudeSession:
// events, usage (from `result`, or de-duplicated from assistant messages), named errors.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { errorOfResult, errorWithoutResult } from '../src/agents/claude/outcome.js';
import { ClaudeSession } from '../src/agents/claude/session.js';
import { LineSplitter } from '../src/stream/lines.js';
import type { AgentMessage } from '../src/events.js';
import { agentMessageLine } from '../src/report/agent-lines.js';

const DIR = path.join(import.meta.dirname, 'fixtures', 'claude-stream');
const fixture = (name: string) => readFileSync(path.join(DIR, name), 'utf8');

function run(text: string, chunk?: () => number) {
  const messages: AgentMessage[] = [];
  const output: string[] = [];
  const info: Array<{ model?: string; version?: string }> = [];
  const session = new ClaudeSession({
    message: (m) => messages.push(m),
    output: (l) => output.push(l),
    info: (i) => info.push(i),
  });
  const split = new LineSplitter((l) => session.feed(l), 4 * 1024 * 1024);
  if (!chunk) split.push(text);
  else
    for (let i = 0; i < text.length;) {
      const n = chunk();
      split.push(Buffer.from(text.slice(i, i + n)));
      i += n;
    }
  split.end();
  return { session, messages, output, info, kinds: messages.map((m) => m.kind) };
}

describe('claude-code stream: success', () => {
  const r = run(fixture('success.jsonl'));

  test('init keeps only what the log needs', () => {
    expect(r.messages[0]).toEqual({
      kind: 'init',
      model: 'claude-opus-5-5',
      version: '2.1.328',
      cwd: '/tmp',
      permission_mode: 'bypassPermissions',
      tools: 23,
    });
    expect(r.info[0]).toEqual({ model: 'claude-opus-5-5', version: '2.1.328' });
  });

  test('text, tool use with gist, tool results ok and error, turns, result', () => {
    expect(r.kinds).toEqual([
      'init',
      'turn',
      'text',
      'tool_use',
      'tool_result',
      'turn',
      'text',
      'tool_use',
      'tool_result',
      'turn',
      'text',
      'result',
    ]);
    const tools = r.messages.filter((m) => m.kind === 'tool_use');
    expect(tools.map((t) => t.kind === 'tool_use' && `${t.name}: ${t.gist}`)).toEqual([
      "Bash: echo 'Hello, world!' > hello.txt",
      'Bash: cat nonexistent-file',
    ]);
    const results = r.messages.filter((m) => m.kind === 'tool_result');
    expect(results.map((m) => m.kind === 'tool_result' && m.ok)).toEqual([true, false]);
    expect(results[1]).toMatchObject({ gist: 'Exit code 1 cat: nonexistent-file: No such file or directory' });
    expect(r.output).toEqual([]);
  });

  test('usage and cost come from the result line', () => {
    // 1200+300+50 + 1200+300+50 + 1300+400+0 input-side tokens; 40+40+12 output.
    expect(r.session.usage()).toEqual({
      n_input_tokens: 4800,
      n_cache_tokens: 1000,
      n_output_tokens: 92,
      cost_usd: 0.01734,
      estimated: false,
    });
    expect(errorOfResult(r.session.result!)).toBeUndefined();
    // The init line names the session, whose log the trajectory is read from.
    expect(r.session.sessionId).toBe('d85c5a55-fddb-498a-8a26-1b9f0f22d735');
    expect(agentMessageLine(r.messages.at(-1)!)).toBe(
      'result: success, 3 turns, 0.4s, 4,800 in (1,000 cached) / 92 out tokens, $0.0173',
    );
  });

  test('the same events whatever the chunking (lines split across reads)', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % 97) + 1;
    const chunked = run(fixture('success.jsonl'), rand);
    expect(chunked.messages).toEqual(r.messages);
    expect(run(fixture('success.jsonl'), () => 1).messages).toEqual(r.messages);
  });
});

describe('claude-code stream: killed before its result line', () => {
  const r = run(fixture('killed-no-result.jsonl'));

  test('usage is summed once per message id (content blocks repeat it) and the cost estimated', () => {
    expect(r.session.result).toBeUndefined();
    expect(r.kinds.filter((k) => k === 'turn')).toHaveLength(3);
    // Three API messages, five assistant lines: 2×(1200+300+50) + (1300+400); output is
    // message_start's placeholder (1 each), the documented limit of this fallback.
    const u = r.session.usage()!;
    expect(u).toMatchObject({ n_input_tokens: 4800, n_cache_tokens: 1000, n_output_tokens: 3, estimated: true });
    // claude-opus-5-5: $4 in, $20 out, $0.2 cache read, $5 cache write per million.
    expect(u.cost_usd).toBeCloseTo((3700 * 4 + 3 * 20 + 1000 * 0.2 + 100 * 5) / 1e6, 9);
  });

  test('a run with neither result nor timeout is a named error carrying the last stderr', () => {
    expect(errorWithoutResult(137, ['Killed'])).toEqual({
      type: 'NonZeroAgentExitCodeError',
      message: 'claude-code exited with code 137 before writing its result line; last output: Killed',
    });
    expect(errorWithoutResult(0, []).type).toBe('AgentNoResultError');
  });
});

describe('claude-code stream: failures become named errors', () => {
  test.each([
    ['auth-401.jsonl', 'AgentAuthError', /HTTP 401 authentication_error.*Invalid API key.*Check ANTHROPIC_API_KEY/],
    ['rate-limit-429.jsonl', 'AgentRateLimitError', /HTTP 429.*per-minute rate limit/],
    ['overloaded-529.jsonl', 'AgentOverloadedError', /overloaded \(HTTP 529\)/],
    ['server-500.jsonl', 'AgentOverloadedError', /failing \(HTTP 500\)/],
    ['max-turns.jsonl', 'AgentMaxTurnsError', /turn limit.*3 turns.*Reached maximum number of turns \(2\)/],
  ])('%s -> %s', (file, type, message) => {
    const r = run(fixture(file));
    const err = errorOfResult(r.session.result!);
    expect(err?.type).toBe(type);
    expect(err?.message).toMatch(message);
    expect(r.kinds.at(-1)).toBe('result');
  });

  test('an API failure keeps subtype success but is an error, with its retries as plain lines', () => {
    const r = run(fixture('auth-401.jsonl'));
    expect(r.messages.at(-1)).toMatchObject({
      kind: 'result',
      subtype: 'success',
      is_error: true,
      api_error_status: 401,
      total_cost_usd: 0,
    });
    expect(r.output).toEqual(['API retry 1/1 in 0.6s: 401 authentication_failed']);
    // The synthetic error message is text, not a turn.
    expect(r.kinds).toEqual(['init', 'text', 'result']);
    expect(r.session.usage()).toEqual({
      n_input_tokens: 0,
      n_cache_tokens: 0,
      n_output_tokens: 0,
      cost_usd: 0,
      estimated: false,
    });
  });

  test('other error subtypes', () => {
    expect(errorOfResult({ type: 'result', subtype: 'error_during_execution', is_error: true })).toEqual({
      type: 'AgentExecutionError',
      message: 'claude-code: the run ended with error_during_execution (is_error)',
    });
    expect(
      errorOfResult({
        type: 'result',
        subtype: 'success',
        is_error: true,
        api_error_status: 400,
        api_error_type: 'invalid_request_error',
      })?.type,
    ).toBe('AgentApiError');
  });
});

describe('claude-code stream: anything unexpected is plain output, never fatal', () => {
  test('unknown types, unknown shapes and non-JSON lines', () => {
    const r = run(fixture('unknown-and-plain.jsonl'));
    expect(r.output).toEqual([
      'Warning: running as root with --dangerously-skip-permissions (IS_SANDBOX=1)',
      '{"type":"stream_event","event":{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Run"}}}',
      '{"type":"system","subtype":"hook_response","hook_name":"SessionStart"}',
      '[1, 2, 3]',
      '{"type":"assistant","message":"not an object"}',
      '{not json at all',
    ]);
    // Everything known is still parsed around them.
    expect(r.kinds).toEqual(run(fixture('success.jsonl')).kinds);
  });

  test('a huge tool result parses whole; cut at the splitter limit it is plain output', () => {
    const big = JSON.stringify({
      type: 'user',
      message: {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: 't1', content: 'x'.repeat(200_000), is_error: false }],
      },
    });
    const whole = run(`${big}\n`);
    expect(whole.messages).toEqual([{ kind: 'tool_result', id: 't1', ok: true, gist: `${'x'.repeat(299)}…` }]);

    const out: string[] = [];
    const session = new ClaudeSession({ message: () => undefined, output: (l) => out.push(l) });
    const split = new LineSplitter((l) => session.feed(l)); // default 16 KiB cut
    split.push(`${big}\n${fixture('success.jsonl').split('\n').at(-2)}\n`);
    split.end();
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^\{"type":"user".{1990}.* more characters in claude-code\.jsonl\]$/);
    expect(session.result?.subtype).toBe('success');
  });

  test('blank lines are ignored', () => {
    expect(run('\n\n  \n').output).toEqual([]);
  });
});
