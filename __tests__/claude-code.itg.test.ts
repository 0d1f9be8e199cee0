// End to end with the real Claude Code binary, fetched from npm by our installer exactly
// as users get it, mounted into a real task container on --network host, driving its own
// tool loop against a scripted fake of the Messages API on 127.0.0.1.
import { jest } from '@jest/globals';
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startFakeAnthropic, type FakeAnthropic } from './helpers/fake-anthropic.js';
import { EXAMPLES, FIXTURES, leftovers, runCli, tempDir, trialResults } from './helpers/cli.js';
import { allFiles, seconds, trajectoryOf } from './helpers/agent-itg.js';

jest.setTimeout(900_000);

const TASK = path.join(FIXTURES, 'claude-hello');
const MODEL = 'claude-sonnet-4-5';
let fake: FakeAnthropic | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

test('the real binary solves the task through its own tool loop; usage is what the API reported', async () => {
  fake = await startFakeAnthropic([
    {
      text: 'I will create the file.',
      tools: [{ name: 'Bash', input: { command: "echo 'Hello, world!' > hello.txt", description: 'Write hello.txt' } }],
      usage: { input_tokens: 1800, output_tokens: 45, cache_read_input_tokens: 0, cache_creation_input_tokens: 1500 },
    },
    // The binary is mounted read-only: an agent cannot alter it for the next trial.
    {
      tools: [
        { name: 'Bash', input: { command: 'touch /opt/tb2/claude-code/tampered', description: 'Try the mount' } },
      ],
      usage: { input_tokens: 60, output_tokens: 30, cache_read_input_tokens: 3300 },
    },
    {
      text: 'Done: /app/hello.txt contains "Hello, world!".',
      usage: { input_tokens: 90, output_tokens: 17, cache_read_input_tokens: 3400, cache_creation_input_tokens: 40 },
    },
  ]);
  const run = await runCli([TASK, '--agent', 'claude-code', '--model', MODEL, '--network', 'host'], {
    env: { ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_API_KEY: 'sk-ant-test-e2e-key' },
  });
  console.log(run.stderr);
  expect(run.exitCode).toBe(0);
  const [t] = trialResults(run.out);
  expect(t).toMatchObject({ status: 'completed', reward: 1, passed: true, exception_info: null });
  expect(t.agent_info).toEqual({
    name: 'claude-code',
    version: '2.1.328',
    model_info: { name: MODEL, provider: null }, // Harbor's ModelInfo: no provider/ prefix, no provider
  });

  // Exactly what the fake reported, folded the Harbor way (input includes cache reads and writes).
  const r = fake.reported;
  expect(r).toEqual({
    input_tokens: 1950,
    output_tokens: 92,
    cache_read_input_tokens: 6700,
    cache_creation_input_tokens: 1540,
  });
  expect(t.agent_result).toEqual({
    n_input_tokens: r.input_tokens + r.cache_read_input_tokens + r.cache_creation_input_tokens,
    n_cache_tokens: r.cache_read_input_tokens,
    n_output_tokens: r.output_tokens,
    cost_usd: expect.any(Number),
    cost_estimated: false,
    rollout_details: null,
    metadata: null,
  });
  // Sonnet 4.5 list prices: $3 in, $15 out, $0.30 cache read, $3.75 cache write per million.
  expect(t.agent_result.cost_usd).toBeCloseTo((1950 * 3 + 92 * 15 + 6700 * 0.3 + 1540 * 3.75) / 1e6, 6);

  // The binary ran the tools and sent their results back.
  const scripted = fake.requests.filter((q) => typeof q.answered === 'number');
  expect(scripted.map((q) => q.model)).toEqual([MODEL, MODEL, MODEL]);
  expect(scripted.every((q) => q.stream && q.hasApiKey)).toBe(true);
  expect(scripted[1].toolResults).toEqual([
    { content: expect.stringMatching(/^\(Bash completed with no output\)/), is_error: false },
  ]);
  expect(scripted[2].toolResults).toEqual([
    { content: expect.stringMatching(/Read-only file system/), is_error: true },
  ]);

  // The transcript on stderr: session, text, tool calls with their gist and results, result.
  expect(run.stderr).toMatch(
    /session: model claude-sonnet-4-5, Claude Code 2\.1\.328, permissions bypassPermissions, \d+ tools, cwd \/app/,
  );
  expect(run.stderr).toContain("🔧 Bash: echo 'Hello, world!' > hello.txt");
  expect(run.stderr).toMatch(/↳ error: .*Read-only file system/);
  expect(run.stderr).toMatch(
    /result: success, 3 turns, [\d.]+s, 10,190 in \(6,700 cached\) \/ 92 out tokens, \$0\.0\d+/,
  );

  // Raw stream and the session transcript are kept in the trial's agent folder.
  const agentDir = path.join(run.out, t.trial_name, 'agent');
  expect(readFileSync(path.join(agentDir, 'claude-code.jsonl'), 'utf8')).toMatch(/^\{"type":"system","subtype":"init"/);
  expect(allFiles(path.join(agentDir, 'sessions')).some((f) => f.endsWith('.jsonl') && statSync(f).size > 0)).toBe(
    true,
  );

  // The ATIF trajectory, from the session log: the prompt, one agent step per API message,
  // each tool's result in the step of its call (the read-only mount's as an error).
  const traj = trajectoryOf(run.out, t);
  expect(traj.extra.source).toBe('session');
  expect(traj.steps[0]).toMatchObject({ step_id: 1, source: 'user' });
  const agents = traj.steps.filter((x: { source: string }) => x.source === 'agent');
  expect(agents.map((x: { tool_calls?: unknown[] }) => x.tool_calls?.length ?? 0)).toEqual([1, 1, 0]);
  expect(agents[0].observation.results[0].source_call_id).toBe(agents[0].tool_calls[0].tool_call_id);
  expect(agents[1].observation.results[0]).toMatchObject({
    content: expect.stringMatching(/Read-only/),
    extra: { is_error: true },
  });
  expect(traj.final_metrics).toMatchObject({
    total_prompt_tokens: 10190,
    total_cached_tokens: 6700,
    total_completion_tokens: 92,
  });
  expect(await leftovers(run.runId)).toEqual([]);
});

test('a refused key is a named error, verification still runs, and the key is nowhere', async () => {
  const key = `sk-ant-api03-FAKE${randomBytes(12).toString('hex')}`;
  fake = await startFakeAnthropic([], {
    failAll: { status: 401, type: 'authentication_error', message: 'invalid x-api-key' },
  });
  // Watch every command line on the host (container processes included) during the run.
  const seen: string[] = [];
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      const ps = await execa('ps', ['-eo', 'args'], { reject: false });
      seen.push(
        ...String(ps.stdout)
          .split('\n')
          .filter((l) => l.includes(key)),
      );
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const run = await runCli([TASK, '--agent', 'claude-code', '--network', 'host'], {
    env: { ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_API_KEY: key },
  });
  watching = false;
  await watcher;

  const [t] = trialResults(run.out);
  expect(t).toMatchObject({ status: 'completed', reward: 0, passed: false });
  expect(t.exception_info.exception_type).toBe('AgentAuthError');
  expect(t.exception_info.exception_message).toMatch(
    /refused the credentials \(HTTP 401 authentication_error\).*Check ANTHROPIC_API_KEY/,
  );
  expect(t.verifier).toEqual({ started_at: expect.any(String), finished_at: expect.any(String) });
  expect(existsSync(path.join(run.out, t.trial_name, 'verifier', 'test-stdout.txt'))).toBe(true);
  // Our retry default gives up in seconds, not Claude Code's minutes.
  expect(seconds(t.agent_execution)).toBeLessThan(60);
  expect(fake.requests.filter((q) => q.path === '/v1/messages').length).toBe(3);

  const files = allFiles(run.out);
  expect(files.length).toBeGreaterThan(4);
  expect(files.filter((f) => readFileSync(f).includes(key))).toEqual([]);
  expect(seen).toEqual([]);
  // Claude Code's synthetic error message is an agent step without metrics; totals of zero.
  expect(trajectoryOf(run.out, t).final_metrics).toMatchObject({ total_prompt_tokens: 0, total_cost_usd: 0 });
  expect(await leftovers(run.runId)).toEqual([]);
});

test('an image with no libc gets a clear error, and the verifier still runs', async () => {
  const run = await runCli([path.join(EXAMPLES, 'hello-world'), '--agent', 'claude-code', '--network', 'none'], {
    env: { ANTHROPIC_API_KEY: 'unused' },
  });
  const [t] = trialResults(run.out);
  expect(t).toMatchObject({ status: 'completed', reward: 0 });
  expect(t.exception_info.exception_type).toBe('AgentUnsupportedPlatformError');
  expect(t.exception_info.exception_message).toMatch(/neither glibc .* nor musl/);
  expect(t.verifier).not.toBeNull();
  // The binary never ran: no session, no stream, no trajectory (ATIF needs a step).
  expect(existsSync(path.join(run.out, t.trial_name, 'agent', 'trajectory.json'))).toBe(false);
  expect(await leftovers(run.runId)).toEqual([]);
});

test('killed at the agent timeout: a named timeout, usage summed from assistant messages, cost estimated', async () => {
  fake = await startFakeAnthropic([
    {
      text: 'Waiting for the build.',
      tools: [{ name: 'Bash', input: { command: 'python3 -c "import time; time.sleep(600)"', description: 'Wait' } }],
      usage: { input_tokens: 500, output_tokens: 20, cache_read_input_tokens: 100, cache_creation_input_tokens: 50 },
    },
  ]);
  const run = await runCli(
    [TASK, '--agent', 'claude-code', '--model', MODEL, '--network', 'host', '--agent-timeout', '8'],
    {
      env: { ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_API_KEY: 'sk-ant-test-e2e-key' },
    },
  );
  const [t] = trialResults(run.out);
  expect(t).toMatchObject({ status: 'completed', reward: 0 });
  expect(t.exception_info).toMatchObject({
    exception_type: 'AgentTimeoutError',
    exception_message: 'claude-code timed out after 8s and was stopped',
  });
  // One message, two assistant lines (text, tool_use) repeating its usage: counted once.
  // The session log has the message's real output count (the stream only its placeholder, 1).
  expect(t.agent_result).toEqual({
    n_input_tokens: 650,
    n_cache_tokens: 100,
    n_output_tokens: 20,
    cost_usd: expect.any(Number),
    cost_estimated: true,
    rollout_details: null,
    metadata: null,
  });
  expect(t.agent_result.cost_usd).toBeCloseTo((500 * 3 + 20 * 15 + 100 * 0.3 + 50 * 3.75) / 1e6, 9);
  expect(seconds(t.agent_execution)).toBeLessThan(30);
  // Killed mid-tool: what the session log has, the last call without a result.
  const traj = trajectoryOf(run.out, t);
  expect(traj.final_metrics.extra).toEqual({ cost_source: 'list_price_estimate' });
  expect(traj.steps.at(-1)).toMatchObject({ source: 'agent', tool_calls: [{ function_name: 'Bash' }] });
  expect(traj.steps.at(-1).observation).toBeUndefined();
  expect(await leftovers(run.runId)).toEqual([]);
});

/** A private cache holding a stand-in "binary" 0.0.1 that plays a recorded stream (no network needed). */
function standIn(body: string): string {
  const cache = tempDir('tb2-cache-');
  const dir = path.join(cache, 'claude-code', '0.0.1', 'linux-x64');
  mkdirSync(dir, { recursive: true });
  copyFileSync(
    path.join(import.meta.dirname, 'fixtures', 'claude-stream', 'success.jsonl'),
    path.join(dir, 'stream.jsonl'),
  );
  writeFileSync(
    path.join(dir, 'claude'),
    `#!/bin/sh\n[ "$1" = --version ] && { echo "0.0.1 (Claude Code)"; exit 0; }\nstream="$(dirname "$0")/stream.jsonl"\n${body}\n`,
    { mode: 0o755 },
  );
  return cache;
}

const RECORDED_USAGE = {
  n_input_tokens: 4800,
  n_cache_tokens: 1000,
  n_output_tokens: 92,
  cost_usd: 0.01734,
  cost_estimated: false,
  rollout_details: null,
  metadata: null,
};

test('a stream that stays open after its result line ends the agent phase after a short grace', async () => {
  // Solves the task, plays the stream, then lingers as the real binary sometimes does.
  const cache = standIn(`echo 'Hello, world!' > hello.txt\ncat "$stream"\nexec sleep 600`);
  const run = await runCli([TASK, '--agent', 'claude-code', '--claude-code-version', '0.0.1', '--network', 'none'], {
    env: { TB2_CACHE_DIR: cache },
  });
  const [t] = trialResults(run.out);
  // The version is what the stream's init line says (recorded from 2.1.328), as for the real binary.
  expect(t).toMatchObject({ status: 'completed', reward: 1, exception_info: null, agent_info: { version: '2.1.328' } });
  expect(run.stderr).toContain('Claude Code 0.0.1 (linux-x64) cached in');
  expect(t.agent_result).toEqual(RECORDED_USAGE);
  // No session log (the stand-in writes none): the trajectory comes from the stream.
  expect(trajectoryOf(run.out, t).extra.source).toBe('stream');
  expect(seconds(t.agent_execution)).toBeLessThan(20);
  expect(await leftovers(run.runId)).toEqual([]);
});

test('a result line beyond the live tail cap (64 MiB) is still read from the log', async () => {
  const cache = standIn(`head -c 70000000 /dev/zero | tr '\\0' x; echo; cat "$stream"`);
  const run = await runCli([TASK, '--agent', 'claude-code', '--claude-code-version', '0.0.1', '--network', 'none'], {
    env: { TB2_CACHE_DIR: cache },
  });
  const [t] = trialResults(run.out);
  expect(t.exception_info).toBeNull();
  expect(t.agent_result).toEqual(RECORDED_USAGE);
  // Whether the cap has cut the stream's messages yet or not, the trajectory agrees.
  trajectoryOf(run.out, t);
  expect(await leftovers(run.runId)).toEqual([]);
});

test('[[environment.mcp_servers]] reach the real binary through --mcp-config (its init line lists them)', async () => {
  fake = await startFakeAnthropic([
    {
      tools: [{ name: 'Bash', input: { command: "echo 'Hello, world!' > hello.txt", description: 'Write hello.txt' } }],
      usage: { input_tokens: 100, output_tokens: 20 },
    },
    { text: 'Done.', usage: { input_tokens: 120, output_tokens: 5 } },
  ]);
  const task = path.join(tempDir('tb2-mcp-'), 'claude-hello');
  mkdirSync(path.join(task, 'environment'), { recursive: true });
  mkdirSync(path.join(task, 'tests'));
  for (const rel of ['instruction.md', 'environment/Dockerfile', 'tests/test.sh'])
    copyFileSync(path.join(TASK, rel), path.join(task, rel));
  // Servers that cannot connect (nothing listens on port 9; no such program): Claude Code
  // still lists each in its init line, as "failed", which proves the config reached it.
  writeFileSync(
    path.join(task, 'task.toml'),
    `${readFileSync(path.join(TASK, 'task.toml'), 'utf8')}
[[environment.mcp_servers]]
name = "docs"
transport = "streamable-http"
url = "http://127.0.0.1:9/mcp"

[[environment.mcp_servers]]
name = "tools"
transport = "stdio"
command = "/nonexistent/mcp-server"
args = ["--flag"]
`,
  );
  const run = await runCli([task, '--agent', 'claude-code', '--model', MODEL, '--network', 'host'], {
    env: { ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_API_KEY: 'sk-ant-test-mcp-key' },
  });
  const [t] = trialResults(run.out);
  if (t.reward !== 1) console.log(run.stderr);
  expect(t).toMatchObject({ status: 'completed', reward: 1, exception_info: null });
  expect(t.exceptions.map((x: { exception_type: string }) => x.exception_type)).not.toContain('McpServersIgnored');
  const agentDir = path.join(run.out, t.trial_name, 'agent');
  expect(JSON.parse(readFileSync(path.join(agentDir, 'mcp-config.json'), 'utf8'))).toEqual({
    mcpServers: {
      docs: { type: 'http', url: 'http://127.0.0.1:9/mcp' },
      tools: { type: 'stdio', command: '/nonexistent/mcp-server', args: ['--flag'] },
    },
  });
  const init = readFileSync(path.join(agentDir, 'claude-code.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.includes('"init"'))
    .map((l) => JSON.parse(l) as { type: string; subtype?: string; mcp_servers?: Array<{ name: string }> })
    .find((m) => m.type === 'system' && m.subtype === 'init');
  expect(init?.mcp_servers?.map((m) => m.name).sort()).toEqual(['docs', 'tools']);
  expect(run.stderr).toContain('MCP servers: docs, tools (--mcp-config agent/mcp-config.json)');
  expect(await leftovers(run.runId)).toEqual([]);
});
