// The bundled action (dist/action.js) on a pull_request run, as GitHub runs it, against a
// local fake of GitHub's REST API (helpers/fake-github-api.ts) and of the artifact service:
// the sticky comment is created, then updated in place by the next run of the same job; the
// baseline gate and the failing-test annotations reach the log; a 403 is a warning; and the
// github-token is in no file, output, state, summary, artifact or log line, main or post.
import { jest } from '@jest/globals';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { actionEnv, finish, runPost, startAction, ACTION, type ActionRun } from './helpers/action.js';
import { EXAMPLES, ROOT, tempDir } from './helpers/cli.js';
import { startFakeArtifactService, type FakeArtifactService } from './helpers/fake-artifact-service.js';
import { startFakeGitHub, type FakeGitHub } from './helpers/fake-github-api.js';
import type { ActionInput } from '../src/config/action-inputs.js';

jest.setTimeout(600_000);

const CTRF = path.join(EXAMPLES, 'ctrf-report');
// A job where examples/ctrf-report passed: the baseline.
const BASELINE = path.join(ROOT, '__tests__', 'fixtures', 'results', 'pass');

let gh: FakeGitHub;
let art: FakeArtifactService;
beforeAll(async () => {
  gh = await startFakeGitHub(`ghs_${Math.random().toString(36).slice(2)}SECRETPRTOKEN0123456789`);
  art = await startFakeArtifactService();
});
afterAll(async () => {
  await gh.close();
  await art.close();
});

function prEnv(): Record<string, string> {
  const event = path.join(tempDir('tb2-event-'), 'event.json');
  writeFileSync(event, JSON.stringify({ action: 'opened', number: gh.number, pull_request: { number: gh.number } }));
  return {
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: event,
    GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`,
    GITHUB_API_URL: gh.url,
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_RUN_ID: '4242',
    GITHUB_WORKFLOW: 'bench',
    ACTIONS_RUNTIME_TOKEN: art.token,
    ACTIONS_RESULTS_URL: `${art.url}/`,
  };
}

async function run(inputs: Partial<Record<ActionInput, string>>): Promise<{ main: ActionRun; post: ActionRun }> {
  const { env, files } = actionEnv({ 'github-token': gh.token, ...inputs }, prEnv());
  const main = await finish(startAction(ACTION, env, files.dir), files);
  const post = await runPost(main, env);
  return { main, post };
}

function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map((rel) => path.join(dir, String(rel)))
    .filter((f) => statSync(f).isFile());
}

/** The token nowhere we write: log, outputs, state, summary, job folder, artifact. */
function expectNoToken(r: { main: ActionRun; post: ActionRun }, out: string): void {
  for (const x of [r.main, r.post]) {
    expect(x.stdout).not.toContain(gh.token);
    expect(x.stderr).not.toContain(gh.token);
    for (const f of [x.files.output, x.files.state, x.files.summary])
      expect(readFileSync(f, 'utf8')).not.toContain(gh.token);
  }
  const files = allFiles(out);
  expect(files.length).toBeGreaterThan(3);
  for (const f of files) expect(readFileSync(f, 'utf8')).not.toContain(gh.token);
  for (const a of art.artifacts.values()) expect(a.blob?.includes(Buffer.from(gh.token))).toBe(false);
  // ... and it was really used: GitHub's API saw it, in the Authorization header only.
  expect(gh.requests.length).toBeGreaterThan(0);
  for (const q of gh.requests) {
    expect(q.authorization).toBe(`token ${gh.token}`);
    expect(`${q.path}${q.query}${q.body ?? ''}`).not.toContain(gh.token);
  }
}

test('a PR run: the comment, the gate, the annotations; the next run of the job updates the same comment', async () => {
  gh.seed('<!-- another-bot -->\ncoverage 91%');
  const out1 = path.join(tempDir('tb2-out-'), 'job');
  // The agent does nothing: the tests fail, the task regresses against a baseline that passed.
  const first = await run({
    task: CTRF,
    agent: 'command',
    'agent-command': 'env | sort; true',
    'output-dir': out1,
    baseline: BASELINE,
    'fail-on-regressions': 'true',
    'artifact-name': 'pr-1',
  });
  const { main } = first;
  expect(main.stderr).toBe('');
  expect(main.exitCode).toBe(1);
  // One attempt each: anecdotal, so today's rule fails the gate, and the message says so.
  expect(main.stdout).toMatch(
    /^::error::1 task\(s\) regressed against the baseline \(fail-on-regressions; 1 of them on too few attempts to test.*\): examples\/ctrf-report$/m,
  );
  // Failing CTRF tests: error annotations titled with task and test.
  expect(main.stdout).toMatch(/^::error title=examples\/ctrf-report%3A test_\w+::Test failed: /m);
  expect(main.summary).toContain('### Compared with baseline');
  expect(main.summary).toContain('The comparison is anecdotal');
  expect(main.stdout).toMatch(/^tb2: PR comment created \(id \d+\)/m);
  expect(main.stdout).not.toContain('::add-mask::');
  // The agent's container saw no token.
  const trial = readdirSync(out1).find((d) => d.startsWith('ctrf-report__'))!;
  expect(readFileSync(path.join(out1, trial, 'agent', 'command.txt'), 'utf8')).not.toMatch(/GITHUB_TOKEN|INPUT_/);

  const ours = gh.comments.filter((c) => c.body.includes('terminal-bench-action:pr-comment:'));
  expect(ours).toHaveLength(1);
  expect(ours[0].body).toMatch(
    /^<!-- terminal-bench-action:pr-comment:[0-9a-f]{16} -->\n### ❌ Terminal-Bench: 0\/1 trials solved · mean reward 0\n/,
  );
  expect(ours[0].body).toContain('🔴 newly failing ⛔ | examples/ctrf-report | 1/1 | 0/1 |');
  expect(ours[0].body).toContain('(https://github.example/octo/bench/actions/runs/4242)');
  expect(first.post.exitCode).toBe(0);
  expectNoToken(first, out1);

  // The same job again (the oracle solves it now): the same comment, edited; one write.
  const writesBefore = gh.requests.filter((q) => q.method !== 'GET').length;
  const out2 = path.join(tempDir('tb2-out-'), 'job');
  const second = await run({
    task: CTRF,
    agent: 'oracle',
    'output-dir': out2,
    baseline: BASELINE,
    'artifact-name': 'pr-2',
  });
  expect(second.main.exitCode).toBe(0);
  expect(second.main.stdout).toContain(`tb2: PR comment updated (id ${ours[0].id})`);
  const writes = gh.requests.filter((q) => q.method !== 'GET').slice(writesBefore);
  expect(writes.map((q) => `${q.method} ${q.path}`)).toEqual([`PATCH /repos/octo/bench/issues/comments/${ours[0].id}`]);
  expect(gh.comments.filter((c) => c.body.includes('terminal-bench-action:pr-comment:'))).toHaveLength(1);
  expect(ours[0].body).toContain('1/1 trials solved · mean reward 1');
  expect(gh.comments[0].body).toBe('<!-- another-bot -->\ncoverage 91%');
  expectNoToken(second, out2);
});

test("a fork's read-only token (403): a warning that says comment, the step still passes", async () => {
  gh.fail = { status: 403, methods: ['POST', 'PATCH'] };
  try {
    const out = path.join(tempDir('tb2-out-'), 'job');
    const r = await run({
      task: CTRF,
      agent: 'oracle',
      'output-dir': out,
      'upload-artifact': 'false',
      matrix: '{"x":1}',
    });
    expect(r.main.exitCode).toBe(0);
    expect(r.main.stdout).toMatch(/^::warning title=tb2%3A PR comment skipped::PR comment not written: HTTP 403/m);
    expect(r.main.stdout).not.toMatch(/^::error/m);
    expectNoToken(r, out);
  } finally {
    gh.fail = undefined;
  }
});

test('pr-comment false: nothing asked of the API', async () => {
  const before = gh.requests.length;
  const r = await run({ task: CTRF, agent: 'oracle', 'pr-comment': 'false', 'upload-artifact': 'false' });
  expect(r.main.exitCode).toBe(0);
  expect(gh.requests.length).toBe(before);
});
