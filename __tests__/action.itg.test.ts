// The bundled action (dist/action.js) run as GitHub runs it: INPUT_* variables, temporary
// GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_STATE files, real Docker, and the real
// @actions/artifact client uploading to a local fake of the artifact service.
import { execa } from 'execa';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { actionEnv, finish, runAction, runPost, startAction, ACTION, type ActionRun } from './helpers/action.js';
import { EXAMPLES, FIXTURES, leftovers, readJson, trialResults } from './helpers/cli.js';
import { startFakeArtifactService, type FakeArtifactService } from './helpers/fake-artifact-service.js';

import { jest } from '@jest/globals';

jest.setTimeout(600_000);

const HELLO = path.join(EXAMPLES, 'hello-world');
const KEY = 'sk-ant-api03-TESTKEY-0123456789abcdefghij';

let fake: FakeArtifactService;
beforeAll(async () => {
  fake = await startFakeArtifactService();
});
afterAll(() => fake.close());

const artifactEnv = () => ({ ACTIONS_RUNTIME_TOKEN: fake.token, ACTIONS_RESULTS_URL: `${fake.url}/` });

/** Our own workflow commands; any other line starting with :: came from somewhere else. */
const OURS =
  /^::(group::|endgroup::$|error title=|warning title=|warning::|error::|notice|add-mask::|stop-commands::tb2-[0-9a-f]{32}$|tb2-[0-9a-f]{32}::$|debug::)/;

function expectCleanLog(run: ActionRun): void {
  const lines = run.stdout.split('\n');
  for (const line of lines) {
    if (line.trimStart().startsWith('::')) expect(line).toMatch(OURS);
    expect(line).not.toContain('##[');
  }
  // Never a bare stack trace.
  expect(`${run.stdout}\n${run.stderr}`).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

function unzip(zip: Buffer): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tb2-unzip-'));
  writeFileSync(path.join(dir, 'a.zip'), zip);
  return dir;
}

function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map((rel) => path.join(dir, String(rel)))
    .filter((f) => statSync(f).isFile());
}

test('a passing task: outputs, summary, log groups and the artifact', async () => {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'tb2-out-')), 'job');
  const run = await runAction(
    { task: HELLO, agent: 'oracle', 'output-dir': out, 'retention-days': '3' },
    artifactEnv(),
  );
  expect(run.stderr).toBe('');
  expect(run.exitCode).toBe(0);
  expect(run.outputs).toMatchObject({
    reward: '1',
    status: 'completed',
    passed: 'true',
    'tests-passed': '0',
    'tests-total': '0',
    'cost-usd': '',
    trials: '1',
  });
  expect(run.outputs['result-path']).toBe(path.join(out, 'result.json'));
  expect(readJson(run.outputs['result-path']).n_passed).toBe(1);

  for (const phase of ['environment', 'agent (oracle)', 'verifier', 'result'])
    expect(run.stdout).toContain(`::group::hello-world · ${phase}\n`);
  expect(run.stdout.match(/^::group::/gm)!.length).toBe(run.stdout.match(/^::endgroup::$/gm)!.length);
  expect(run.stdout).toMatch(/^✅ hello-world: solved — reward 1 /m);
  expectCleanLog(run);

  expect(run.summary).toMatch(/^### ✅ hello-world — solved \(reward 1\)/);
  expect(run.summary).toContain('#### Timings');
  expect(run.summary).toContain('<details><summary>Verifier output (last 1 lines)</summary>');
  expect(run.summary).toContain('hello.txt is right');

  // The artifact: named per job, holding the job folder.
  const name = 'tb2-hello-world-oracle-itg-1';
  expect(run.outputs['artifact-id']).toBe(String(fake.artifacts.get(name)?.id));
  const art = fake.artifacts.get(name)!;
  expect(art.create).toMatchObject({
    workflow_run_backend_id: 'run-backend-1',
    workflow_job_run_backend_id: 'job-backend-1',
    name,
  });
  expect(art.create.expires_at).toBeDefined();
  const dir = unzip(art.blob!);
  await execa('unzip', ['-q', path.join(dir, 'a.zip'), '-d', path.join(dir, 'x')]);
  const [trial] = trialResults(out);
  expect(readJson(path.join(dir, 'x', 'result.json')).n_trials).toBe(1);
  // The HTML report travels with the job folder (issue 15).
  expect(readFileSync(path.join(dir, 'x', 'report.html'), 'utf8')).toMatch(
    /<td><a href="#trial-1">hello-world<\/a><\/td>/,
  );
  expect(readJson(path.join(dir, 'x', trial.trial_name, 'result.json'))).toMatchObject({
    status: 'completed',
    reward: 1,
  });
  expect(readFileSync(path.join(dir, 'x', trial.trial_name, 'verifier', 'test-stdout.txt'), 'utf8')).toContain(
    'hello.txt is right',
  );

  const post = await runPost(run, actionEnv({}).env);
  expect(post.exitCode).toBe(0);
  expect(post.stdout).toContain(`nothing left to clean for run ${run.state['run-id']}`);
});

test('a completed trial that scores 0 passes the step with passed=false; min-reward 1 fails it', async () => {
  const zero = await runAction({ task: HELLO, agent: 'command', 'agent-command': 'true' });
  expect(zero.exitCode).toBe(0);
  expect(zero.outputs).toMatchObject({ reward: '0', status: 'completed', passed: 'false' });
  expect(zero.stdout).toMatch(/^❌ hello-world: not solved — reward 0/m);
  // No runtime token (a local run): a warning, not a failure.
  expect(zero.stdout).toMatch(/^::warning title=tb2%3A artifact upload skipped::.*ACTIONS_RUNTIME_TOKEN/m);
  expect(zero.summary).toContain('### ❌ hello-world — not solved (reward 0)');

  const gated = await runAction({
    task: HELLO,
    agent: 'command',
    'agent-command': 'true',
    'min-reward': '1',
    'upload-artifact': 'false',
  });
  expect(gated.exitCode).toBe(1);
  expect(gated.outputs).toMatchObject({ reward: '0', passed: 'false' });
  expect(gated.stdout).toMatch(/^::error::1 of 1 trial\(s\) scored below min-reward 1 \(hello-world: reward 0\)$/m);
  expect(gated.summary).toContain('min-reward 1: **not met**');
  expectCleanLog(gated);
});

test('a trial that ends in error fails the step and says why', async () => {
  const run = await runAction({
    task: path.join(FIXTURES, 'no-reward'),
    agent: 'command',
    'agent-command': 'true',
    'upload-artifact': 'false',
  });
  expect(run.exitCode).toBe(1);
  expect(run.outputs).toMatchObject({ status: 'error', reward: '', passed: 'false' });
  expect(run.stdout).toMatch(/^::error title=no-reward%3A RewardFileNotFoundError::no reward file/m);
  expect(run.stdout).toMatch(/^::error::1 of 1 trial\(s\) ended in error — no-reward: /m);
  expect(run.summary).toContain('⚠️ no-reward — error, no reward');
});

test('a bad input fails the step with one line naming the input', async () => {
  const run = await runAction({ task: HELLO, 'agent-timeout': 'abc' });
  expect(run.exitCode).toBe(1);
  expect(run.stdout.trim().split('\n')).toEqual([
    '::error::agent-timeout: expected a positive number of seconds (got "abc")',
  ]);
  expect(run.stderr).toBe('');
  expect(run.outputs).toEqual({});
});

test('SIGINT mid-agent: containers gone fast, a cancelled result, and the post step finds nothing', async () => {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'tb2-out-')), 'job');
  const { env, files } = actionEnv({
    task: HELLO,
    agent: 'command',
    'agent-command': 'sleep 300',
    'output-dir': out,
    'upload-artifact': 'false',
  });
  const child = startAction(ACTION, env, files.dir);
  let seen = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      seen += c.toString();
      if (seen.includes('· agent (command)\n')) resolve();
    });
    void child.then(() => reject(new Error(`exited before the agent phase:\n${seen}`)));
  });
  await new Promise((r) => setTimeout(r, 1500)); // the agent is really sleeping in the container
  const sent = Date.now();
  child.kill('SIGINT');
  const run = await finish(child, files);
  const took = Date.now() - sent;
  expect(took).toBeLessThan(7500); // GitHub sends SIGTERM 7.5 s after SIGINT
  expect(run.exitCode).toBe(1);
  const runId = run.state['run-id'];
  expect(runId).toMatch(/\S/);
  expect(await leftovers(runId)).toEqual([]);
  const [trial] = trialResults(out);
  expect(trial.status).toBe('cancelled');
  expect(run.outputs.status).toBe('cancelled');
  expect(run.summary).toContain('⏹️ hello-world — cancelled');
  expect(run.stdout).toMatch(/^::error::cancelled by SIGINT/m);
  expectCleanLog(run);

  const post = await runPost(run, env);
  expect(post.exitCode).toBe(0);
  expect(post.stdout).toContain(`nothing left to clean for run ${runId}`);
});

test('an agent printing workflow commands and the API key: log neutralised, key in no file or artifact, no runner token in the container', async () => {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'tb2-out-')), 'job');
  // The command agent gets no forwarded variables, so the key is put in its script: what
  // matters here is that whatever the agent prints, the key is scrubbed everywhere.
  const script = `echo '::add-mask::x'; echo '  ::endgroup::'; echo '##[error]x'; echo '::error::pwned'; echo 'key=${KEY}'; echo "${KEY}" > /logs/agent/leak.txt; env | sort; echo 'Hello, world!' > hello.txt`;
  const run = await runAction(
    {
      task: HELLO,
      agent: 'command',
      'agent-command': script,
      'output-dir': out,
      'anthropic-api-key': KEY,
      'artifact-name': 'hostile',
    },
    { ...artifactEnv(), GITHUB_TOKEN: 'ghs_secretgithubtoken0123456789' },
  );
  expect(run.exitCode).toBe(0);
  expect(run.outputs.passed).toBe('true');
  expectCleanLog(run);
  // The only place the key may appear in the log is our own ::add-mask:: for it.
  expect(run.stdout.split('\n').filter((l) => l.includes(KEY))).toEqual([`::add-mask::${KEY}`]);
  expect(run.stdout).toContain('key=***');
  // Printed, but never at a line start, and the legacy ##[ marker split.
  expect(run.stdout).toMatch(/^\[0:0\d\] │ ::add-mask::x$/m);
  expect(run.stdout).toMatch(/^\[0:0\d\] │ #\u200b#\[error\]x$/m);

  const files = allFiles(out);
  expect(files.length).toBeGreaterThan(4);
  expect(files.map((f) => path.basename(f))).toContain('report.html'); // checked for the key below, as every file
  for (const f of files) expect(readFileSync(f, 'utf8')).not.toContain(KEY);
  const [trial] = trialResults(out);
  const agentLog = readFileSync(path.join(out, trial.trial_name, 'agent', 'command.txt'), 'utf8');
  expect(agentLog).toContain('key=***');
  expect(agentLog).toContain('TB_INSTRUCTION=');
  expect(agentLog).not.toMatch(/GITHUB_TOKEN|ghs_secret|ACTIONS_RUNTIME_TOKEN|ACTIONS_RESULTS_URL|INPUT_/);
  expect(run.summary).not.toContain(KEY);

  const art = fake.artifacts.get('hostile')!;
  expect(art.blob!.includes(Buffer.from(KEY))).toBe(false);
  const dir = unzip(art.blob!);
  await execa('unzip', ['-q', path.join(dir, 'a.zip'), '-d', path.join(dir, 'x')]);
  const unzipped = allFiles(path.join(dir, 'x'));
  expect(unzipped.map((f) => path.relative(path.join(dir, 'x'), f)).sort()).toEqual(
    files.map((f) => path.relative(out, f)).sort(),
  );
  for (const f of unzipped) expect(readFileSync(f, 'utf8')).not.toContain(KEY);
});

test('the post step removes what a killed main step left behind, and only that', async () => {
  const runId = `test-post-${Date.now().toString(36)}`;
  const other = `${runId}-other`;
  for (const id of [runId, other]) {
    await execa('docker', ['run', '-d', '--label', `dev.tb2.run=${id}`, 'tb2-base/busybox:latest', 'sleep', '300']);
    // A compose project's network and volume, labelled like compose-base.ts labels them.
    await execa('docker', ['network', 'create', '--label', `dev.tb2.run=${id}`, `${id}-net`]);
    await execa('docker', ['volume', 'create', '--label', `dev.tb2.run=${id}`, `${id}-vol`]);
  }
  try {
    const { env, files } = actionEnv({ task: HELLO });
    const post = await runPost(
      { exitCode: 0, stdout: '', stderr: '', outputs: {}, summary: '', state: { 'run-id': runId }, files },
      env,
    );
    expect(post.exitCode).toBe(0);
    expect(post.stdout).toMatch(
      new RegExp(
        `^::warning::tb2 post: removed 1 container\\(s\\), 0 image\\(s\\), 1 network\\(s\\) and 1 volume\\(s\\) left by run ${runId}$`,
        'm',
      ),
    );
    expect(await leftovers(runId)).toEqual([]);
    expect(await leftovers(other)).toHaveLength(3);
  } finally {
    const ps = String((await execa('docker', ['ps', '-aq', '--filter', `label=dev.tb2.run=${other}`])).stdout);
    await execa('docker', ['rm', '-f', ...ps.split('\n').filter(Boolean)], { reject: false });
    await execa('docker', ['network', 'rm', `${other}-net`, `${runId}-net`], { reject: false });
    await execa('docker', ['volume', 'rm', '-f', `${other}-vol`, `${runId}-vol`], { reject: false });
  }
});
