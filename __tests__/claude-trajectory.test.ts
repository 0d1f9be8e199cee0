// Claude Code's session log (and, without one, its stream) into an ATIF trajectory: valid
// by Harbor's rules (helpers/atif.ts), tool results in the step of their call, and
// per-step metrics == final_metrics == agent_result, the cost exactly. The session lines
// are shaped as Claude Code 2.1.328 writes them (recorded against helpers/fake-anthropic.ts).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { apportion } from '../src/agents/claude/trajectory-metrics.js';
import { toTrajectory } from '../src/agents/claude/trajectory.js';
import { findSessionLog, writeTrajectory } from '../src/agents/claude/trajectory-file.js';
import { parseStreamLine, type ResultLine } from '../src/agents/claude/stream.js';
import type { AtifTrajectory } from '../src/agents/atif.js';
import { validateAtif } from './helpers/atif.js';

const SID = '085bfd80-2d20-42ff-8371-06614bec35f6';
const common = {
  isSidechain: false,
  userType: 'external',
  entrypoint: 'sdk-cli',
  cwd: '/app',
  sessionId: SID,
  version: '2.1.328',
};
let n = 0;
const at = (ms: number) => new Date(Date.UTC(2026, 11, 1, 10, 53, 45, ms)).toISOString();
const usage = (input: number, output: number, read = 0, write = 0) => ({
  input_tokens: input,
  cache_creation_input_tokens: write,
  cache_read_input_tokens: read,
  output_tokens: output,
  service_tier: 'standard',
});
type U = ReturnType<typeof usage>;
const assistant = (id: string, block: object, u: U, stop: string | null = 'tool_use') =>
  JSON.stringify({
    ...common,
    parentUuid: null,
    message: {
      id,
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      usage: u,
      content: [block],
      stop_reason: stop,
    },
    requestId: `req_${id}`,
    type: 'assistant',
    uuid: `a-${++n}`,
    timestamp: at(n * 10),
  });
const user = (content: unknown, extra: object = {}) =>
  JSON.stringify({
    ...common,
    type: 'user',
    message: { role: 'user', content },
    uuid: `u-${++n}`,
    timestamp: at(n * 10),
    ...extra,
  });
const result = (content: string, id: string, is_error = false) => ({
  tool_use_id: id,
  type: 'tool_result',
  content,
  is_error,
});

const PROMPT = 'Create /app/hello.txt containing "Hello, world!".';
const failed = user([result('Exit code 1\ncat: /nope: No such file or directory', 'toolu_02', true)], {
  toolUseResult: 'Error: Exit code 1',
});
const SESSION = [
  JSON.stringify({ type: 'queue-operation', operation: 'enqueue', timestamp: at(0), sessionId: SID, content: PROMPT }),
  user(PROMPT, { promptId: 'p1', permissionMode: 'bypassPermissions' }),
  JSON.stringify({
    ...common,
    type: 'attachment',
    attachment: { type: 'date', date: '2026-12-01' },
    uuid: 'att-1',
    timestamp: at(1),
  }),
  // A copy of what was sent: role user, but not a step.
  JSON.stringify({
    type: 'api-request-blob',
    sessionId: SID,
    hash: 'h1',
    message: { role: 'user', content: [{ type: 'text', text: PROMPT }] },
  }),
  assistant('msg_01', { type: 'text', text: 'I will create the file.' }, usage(1800, 45, 0, 1500)),
  assistant(
    'msg_01',
    { type: 'tool_use', id: 'toolu_01', name: 'Bash', input: { command: "echo 'Hello, world!' > hello.txt" } },
    usage(1800, 45, 0, 1500),
  ),
  user([result('(Bash completed with no output)', 'toolu_01')], { toolUseResult: { stdout: '', stderr: '' } }),
  // One message, three content blocks; the first line was logged before the final output count.
  assistant(
    'msg_02',
    { type: 'thinking', thinking: 'Check the file, and a missing one.', signature: 'sig' },
    usage(60, 1, 3300),
  ),
  assistant(
    'msg_02',
    { type: 'tool_use', id: 'toolu_02', name: 'Bash', input: { command: 'cat /nope' } },
    usage(60, 1, 3300),
  ),
  assistant(
    'msg_02',
    { type: 'tool_use', id: 'toolu_03', name: 'Read', input: { file_path: '/app/hello.txt' } },
    usage(60, 30, 3300),
  ),
  user([result('Hello, world!', 'toolu_03')]),
  failed,
  failed, // replayed (same uuid): once only
  JSON.stringify({ type: 'future-thing', sessionId: SID, payload: { x: 1 } }),
  'not json at all',
  '{"type":"assistant","message":{"id":"msg_cut', // cut by a size limit
  assistant(
    'msg_03',
    { type: 'text', text: 'Done: /app/hello.txt contains "Hello, world!".' },
    usage(90, 17, 3400, 40),
    'end_turn',
  ),
  JSON.stringify({ type: 'cost-state', sessionId: SID, totalCostUSD: 0.015015 }),
];
const RESULT = parseStreamLine(
  JSON.stringify({
    type: 'result',
    subtype: 'success',
    is_error: false,
    session_id: SID,
    total_cost_usd: 0.015015,
    usage: usage(1950, 92, 6700, 1540),
  }),
) as { kind: 'result'; line: ResultLine };

const fixture = (name: string) =>
  readFileSync(path.join(import.meta.dirname, 'fixtures', 'claude-stream', name), 'utf8').split('\n');
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** The invariants every trajectory we write keeps, whatever its source. */
function checkInvariants(t: AtifTrajectory, agentResult: unknown) {
  expect(validateAtif(JSON.parse(JSON.stringify(t)))).toEqual([]);
  const m = t.steps.flatMap((s) => (s.metrics ? [s.metrics] : []));
  const f = t.final_metrics;
  expect(f.total_prompt_tokens).toBe(sum(m.map((x) => x.prompt_tokens)));
  expect(f.total_completion_tokens).toBe(sum(m.map((x) => x.completion_tokens)));
  expect(f.total_cached_tokens).toBe(sum(m.map((x) => x.cached_tokens)));
  expect(f.total_cost_usd).toBe(sum(m.map((x) => x.cost_usd!)));
  expect(f.total_cost_usd).toBe(sum(m.map((x) => x.cost_usd!).reverse()));
  expect(f.total_steps).toBe(t.steps.length);
  expect(agentResult).toEqual({
    n_input_tokens: f.total_prompt_tokens,
    n_cache_tokens: f.total_cached_tokens,
    n_output_tokens: f.total_completion_tokens,
    cost_usd: f.total_cost_usd,
    estimated: expect.any(Boolean),
  });
}

describe('from the session log, with the stream result line', () => {
  const built = toTrajectory(SESSION, { source: 'session', result: RESULT.line, agentVersion: '2.1.328' })!;
  const t = built.trajectory;

  test('valid ATIF; sums == final_metrics == agent_result; usage and cost as the result line reported', () => {
    checkInvariants(t, built.usage);
    expect(built.usage).toEqual({
      n_input_tokens: 10190,
      n_cache_tokens: 6700,
      n_output_tokens: 92,
      cost_usd: 0.015015,
      estimated: false,
    });
    expect(t.final_metrics.extra).toEqual({ cost_source: 'result_line' });
  });

  test('one user step, then one agent step per API message; unknown and copied lines skipped', () => {
    expect(
      t.steps.map((s) => [s.step_id, s.source, s.tool_calls?.length ?? 0, s.observation?.results.length ?? 0]),
    ).toEqual([
      [1, 'user', 0, 0],
      [2, 'agent', 1, 1],
      [3, 'agent', 2, 2],
      [4, 'agent', 0, 0],
    ]);
    expect(t.steps[0]).toEqual({ step_id: 1, timestamp: expect.any(String), source: 'user', message: PROMPT });
    expect(t).toMatchObject({
      schema_version: 'ATIF-v1.7',
      session_id: SID,
      agent: { name: 'claude-code', version: '2.1.328', model_name: 'claude-sonnet-4-5' },
    });
    expect(t.extra).toEqual({ source: 'session', lines_skipped: 1 });
  });

  test('tool calls and their results (ok and error) in the same step, reasoning kept', () => {
    const s = t.steps[2];
    expect(s.reasoning_content).toBe('Check the file, and a missing one.');
    expect(s.tool_calls).toEqual([
      { tool_call_id: 'toolu_02', function_name: 'Bash', arguments: { command: 'cat /nope' } },
      { tool_call_id: 'toolu_03', function_name: 'Read', arguments: { file_path: '/app/hello.txt' } },
    ]);
    expect(s.observation!.results).toEqual([
      { source_call_id: 'toolu_03', content: 'Hello, world!' },
      { source_call_id: 'toolu_02', content: expect.stringContaining('No such file'), extra: { is_error: true } },
    ]);
    expect(t.steps[1]).toMatchObject({
      message: 'I will create the file.',
      extra: { message_id: 'msg_01', request_id: 'req_msg_01', stop_reason: 'tool_use' },
    });
  });

  test('per-step metrics from each message once, the last usage logged for its id; cost shared by estimated cost', () => {
    const m = t.steps.map((s) => s.metrics);
    expect(m[0]).toBeUndefined();
    expect(m.slice(1).map((x) => [x!.prompt_tokens, x!.completion_tokens, x!.cached_tokens])).toEqual([
      [3300, 45, 0],
      [3360, 30, 3300],
      [3530, 17, 3400],
    ]);
    // Sonnet 4.5 list prices (the estimate's weights) put most of the cost on the cache write of step 2.
    expect(m[1]!.cost_usd).toBeCloseTo(0.0117, 9);
    expect(t.steps.every((s) => s.llm_call_count === (s.source === 'agent' ? 1 : undefined))).toBe(true);
  });
});

describe('other sources and endings', () => {
  test('no session log: the stream, the prompt as first step, placeholder output counts matched to the result line', () => {
    const built = toTrajectory(fixture('success.jsonl'), { source: 'stream', instruction: PROMPT })!;
    checkInvariants(built.trajectory, built.usage);
    // What agent_result said before trajectories (the result line), unchanged.
    expect(built.usage).toEqual({
      n_input_tokens: 4800,
      n_cache_tokens: 1000,
      n_output_tokens: 92,
      cost_usd: 0.01734,
      estimated: false,
    });
    const steps = built.trajectory.steps;
    expect(steps[0]).toMatchObject({ source: 'user', message: PROMPT, extra: { from: 'instruction' } });
    expect(steps.at(-1)!.metrics).toMatchObject({
      completion_tokens: 1 + 89,
      extra: { adjusted_to_result_line: { output_tokens: 89 } },
    });
  });

  test('killed before the result line: what the session has, with an estimated cost', () => {
    const built = toTrajectory(SESSION.slice(0, 12), { source: 'session' })!;
    checkInvariants(built.trajectory, built.usage);
    expect(built.usage).toMatchObject({ n_input_tokens: 6660, n_output_tokens: 75, estimated: true });
    expect(built.usage!.cost_usd).toBeCloseTo((1860 * 3 + 75 * 15 + 3300 * 0.3 + 1500 * 3.75) / 1e6, 9);
    expect(built.trajectory.final_metrics.extra).toEqual({ cost_source: 'list_price_estimate' });
    expect(built.trajectory.steps.at(-1)!.tool_calls).toHaveLength(2);
  });

  test('a stream killed before its result line, and an API error (a synthetic message, no metrics)', () => {
    const killed = toTrajectory(fixture('killed-no-result.jsonl'), { source: 'stream', instruction: PROMPT })!;
    checkInvariants(killed.trajectory, killed.usage);
    const refused = toTrajectory(fixture('auth-401.jsonl'), { source: 'stream', instruction: PROMPT })!;
    expect(validateAtif(refused.trajectory)).toEqual([]);
    const agent = refused.trajectory.steps.find((s) => s.source === 'agent')!;
    expect(agent).toMatchObject({ extra: { synthetic: true } });
    expect(agent.metrics).toBeUndefined();
    expect(refused.trajectory.final_metrics).toMatchObject({ total_prompt_tokens: 0, total_cost_usd: 0 });
    expect(refused.usage).toEqual({
      n_input_tokens: 0,
      n_cache_tokens: 0,
      n_output_tokens: 0,
      cost_usd: 0,
      estimated: false,
    });
  });

  test('a stream whose messages the log cap cut away: the result line stands for them', () => {
    const lines = [`${'x'.repeat(1000)} … [line cut at 1000 characters]`, fixture('success.jsonl').at(-2)!];
    const built = toTrajectory(lines, { source: 'stream', instruction: PROMPT })!;
    checkInvariants(built.trajectory, built.usage);
    expect(built.usage).toEqual({
      n_input_tokens: 4800,
      n_cache_tokens: 1000,
      n_output_tokens: 92,
      cost_usd: 0.01734,
      estimated: false,
    });
    expect(built.trajectory.steps.map((s) => [s.source, s.extra])).toEqual([
      ['user', { from: 'instruction' }],
      ['agent', { from: 'result_line' }],
    ]);
  });

  test('nothing to convert: no trajectory', () => {
    expect(toTrajectory([], { source: 'session' })).toBeUndefined();
    expect(
      toTrajectory(['garbage', JSON.stringify({ type: 'queue-operation' })], { source: 'session' }),
    ).toBeUndefined();
  });

  test('a long tool result and long arguments are cut at 64 KiB, noted in extra; past the budget, to 1 KiB', () => {
    const big = 'x'.repeat(200_000);
    const lines = [
      user(PROMPT),
      assistant(
        'msg_b',
        { type: 'tool_use', id: 'toolu_b', name: 'Write', input: { file_path: '/a', content: big } },
        usage(1, 1),
      ),
      user([result(big, 'toolu_b')]),
      assistant('msg_c', { type: 'text', text: big }, usage(1, 1)),
    ];
    const t = toTrajectory(lines, { source: 'session', budget: 60_000 })!.trajectory;
    expect(validateAtif(t)).toEqual([]);
    const s = t.steps[1];
    expect((s.tool_calls![0].arguments.content as string).length).toBeLessThan(65_600);
    expect(s.observation!.results[0].content!.length).toBeLessThan(2_000);
    expect(s.extra!.truncated).toEqual([
      { field: 'tool_calls[0].arguments.content', original_chars: 200_000 },
      { field: 'observation.results[0].content', original_chars: 200_000 },
    ]);
    expect(t.steps[2].message).toMatch(/ … \[cut: 1024 of 200000 characters kept\]$/);
    expect(t.extra).toMatchObject({ strings_cut: 3 });
  });
});

test('cost shares add up to the total exactly, in any order', () => {
  let seed = 7;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let i = 0; i < 500; i++) {
    const total = rnd() * 10 ** (Math.floor(rnd() * 6) - 4);
    const weights = Array.from({ length: 1 + Math.floor(rnd() * 60) }, () => (rnd() < 0.2 ? 0 : rnd()));
    const shares = apportion(
      total,
      weights,
      weights.map((_, j) => j),
    );
    expect(shares.every((x) => x >= 0)).toBe(true);
    expect(sum(shares)).toBe(total);
    expect(sum([...shares].reverse())).toBe(total);
  }
  expect(apportion(0.3, [1, 1, 1], [0, 1, 2])).toEqual([0.09999999999999998, 0.09999999999999998, 0.10000000000000003]);
});

describe('the validator itself fails broken trajectories', () => {
  const good = () =>
    JSON.parse(JSON.stringify(toTrajectory(SESSION, { source: 'session', result: RESULT.line })!.trajectory));
  test.each<[string, (t: any) => void, RegExp]>([
    ['an unknown root key', (t) => (t.cost = 1), /trajectory\.cost: unexpected field/],
    ['an unknown step key', (t) => (t.steps[1].usage = {}), /trajectory\.steps\.1\.usage: unexpected field/],
    [
      'an unknown metrics key',
      (t) => (t.steps[1].metrics.input_tokens = 1),
      /steps\.1\.metrics\.input_tokens: unexpected field/,
    ],
    ['a step id out of sequence', (t) => (t.steps[2].step_id = 7), /steps\.2\.step_id: expected 3, got 7/],
    [
      'a dangling source_call_id',
      (t) => (t.steps[2].observation.results[0].source_call_id = 'toolu_01'),
      /'toolu_01' is not a tool_call_id of step 3/,
    ],
    [
      'metrics on a user step',
      (t) => (t.steps[0].metrics = { prompt_tokens: 1 }),
      /steps\.0\.metrics: only applicable when source is 'agent'/,
    ],
    ['a model_name on a user step', (t) => (t.steps[0].model_name = 'm'), /steps\.0\.model_name: only applicable/],
    ['a bad timestamp', (t) => (t.steps[0].timestamp = '1 Dec 2026'), /steps\.0\.timestamp: not an ISO 8601/],
    ['a string step_id', (t) => (t.steps[0].step_id = '1'), /steps\.0\.step_id/],
    ['no steps', (t) => (t.steps = []), /trajectory\.steps: /],
    [
      'a total that is not the sum',
      (t) => (t.final_metrics.total_cost_usd += 1e-12),
      /total_cost_usd: .* is not the sum/,
    ],
    ['a wrong total_steps', (t) => (t.final_metrics.total_steps = 3), /total_steps: 3, but there are 4 steps/],
    ['an unknown schema version', (t) => (t.schema_version = 'ATIF-v2.0'), /schema_version/],
  ])('%s', (_, breakIt, expected) => {
    expect(validateAtif(good())).toEqual([]);
    const t = good();
    breakIt(t);
    expect(validateAtif(t).join('\n')).toMatch(expected);
  });
});

describe('agent/trajectory.json on disk', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'tb2-traj-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const req = () => ({
    agentDir: dir,
    sessionId: SID,
    result: RESULT.line,
    instruction: PROMPT,
    maxBytes: 64 * 1024 * 1024,
  });
  const sessionFile = (name = SID) => path.join(dir, 'sessions', 'projects', '-app', `${name}.jsonl`);

  test('from the session log, written whole (no temporary file left), usage for agent_result', async () => {
    mkdirSync(path.dirname(sessionFile()), { recursive: true });
    writeFileSync(sessionFile(), `${SESSION.join('\n')}\n`);
    writeFileSync(path.join(dir, 'claude-code.jsonl'), fixture('success.jsonl').join('\n'));
    const w = await writeTrajectory(req());
    expect(w).toMatchObject({ steps: 4, source: 'session', usage: { n_input_tokens: 10190, cost_usd: 0.015015 } });
    const t = JSON.parse(readFileSync(path.join(dir, 'trajectory.json'), 'utf8'));
    expect(validateAtif(t)).toEqual([]);
    expect(t.extra.source_file).toBe(`sessions/projects/-app/${SID}.jsonl`);
    expect(readdirSync(dir).sort()).toEqual(['claude-code.jsonl', 'sessions', 'trajectory.json']);
  });

  test('no session log: the stream; neither: no file at all', async () => {
    expect(await writeTrajectory(req())).toBeUndefined();
    expect(readdirSync(dir)).toEqual([]);
    writeFileSync(path.join(dir, 'claude-code.jsonl'), fixture('success.jsonl').join('\n'));
    expect(await writeTrajectory(req())).toMatchObject({ source: 'stream', steps: 4 });
  });

  test('too big for the log cap: an error, no file', async () => {
    writeFileSync(path.join(dir, 'claude-code.jsonl'), fixture('success.jsonl').join('\n'));
    await expect(writeTrajectory({ ...req(), maxBytes: 2000 })).rejects.toThrow(/over the 2000-byte log cap/);
    expect(readdirSync(dir)).toEqual(['claude-code.jsonl']);
  });

  test('the session log is the one the stream named, else the newest', async () => {
    const projects = path.join(dir, 'sessions', 'projects');
    for (const name of ['old', SID, 'new']) {
      mkdirSync(path.dirname(sessionFile(name)), { recursive: true });
      writeFileSync(sessionFile(name), '');
    }
    utimesSync(sessionFile('old'), 1, 1);
    utimesSync(sessionFile(SID), 2, 2);
    expect(await findSessionLog(projects, SID)).toBe(sessionFile(SID));
    expect(await findSessionLog(projects, undefined)).toBe(sessionFile('new'));
    expect(await findSessionLog(path.join(dir, 'none'), SID)).toBeUndefined();
  });
});
