// The current task format (issue 14, items 1-3) through the real CLI and real Docker:
// multi-step tasks (mean, final, an aborting min_reward), the task's own separate verifier
// (from tests/Dockerfile and from [verifier.environment], overridden by the flag, the
// snapshot fallback), and artifacts (both forms, missing, oversized, after an agent timeout).
import { jest } from '@jest/globals';
import { execa } from 'execa';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { leftovers, newRunId, readJson, runCli as run, tempDir, trialResults, type CliRun } from './helpers/cli.js';
import { checkHarborJob } from './helpers/harbor-schema.js';
import { MAX_LOGGED_OUTPUT_BYTES } from '../src/trial/plan.js';

jest.setTimeout(240_000);
const BUSYBOX = 'tb2-base/busybox:latest';
const REWARD = (cond: string) =>
  `#!/bin/sh\nif ${cond}; then echo 1 > /logs/verifier/reward.txt; else echo 0 > /logs/verifier/reward.txt; fi\n`;

const runs: string[] = [];
const runCli = async (...args: Parameters<typeof run>): Promise<CliRun> => {
  const r = await run(...args);
  runs.push(r.runId);
  return r;
};
afterEach(async () => {
  for (const id of runs.splice(0)) expect(await leftovers(id)).toEqual([]);
});

/** A task folder from a map of files (scripts made executable). */
function task(name: string, files: Record<string, string>): string {
  const dir = path.join(tempDir('tb2-steps-'), name);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
    if (rel.endsWith('.sh')) chmodSync(path.join(dir, rel), 0o755);
  }
  return dir;
}
const ENV = `[environment]\ndocker_image = "${BUSYBOX}"\nmemory_mb = 256\n[verifier]\ntimeout_sec = 30\n`;
const one = (out: string) => {
  const [t] = trialResults(out);
  return { t, dir: path.join(out, t.trial_name) };
};

describe('multi-step tasks', () => {
  const abort = () =>
    task('steps-abort', {
      'task.toml': `schema_version = "1.4"\n${ENV}[[steps]]\nname = "one"\n[[steps]]\nname = "two"\nmin_reward = 1\n[[steps]]\nname = "three"\n`,
      // Shared test code in the task's tests/, each step's test.sh over it.
      'tests/lib.sh': 'ok() { if "$@"; then echo 1; else echo 0; fi > /logs/verifier/reward.txt; }\n',
      'steps/one/instruction.md': 'Write /app/one.\n',
      'steps/one/solution/solve.sh': '#!/bin/sh\nmkdir -p /app && echo one > /app/one\n',
      'steps/one/tests/test.sh': '#!/bin/sh\n. /tests/lib.sh\nok test -f /app/one\n',
      'steps/one/tests/only-one.txt': 'x\n',
      // Step two's solution (the task's solution/, as the step has none) is wrong: reward 0 < min_reward 1.
      'steps/two/instruction.md': 'Write /app/two.\n',
      'solution/solve.sh': '#!/bin/sh\necho nope > /app/wrong\n',
      // /tests and /logs/verifier were emptied before this step's verifier: step one's files are gone.
      'steps/two/tests/test.sh':
        '#!/bin/sh\n. /tests/lib.sh\n[ -e /tests/only-one.txt ] && echo LEAK-TESTS\n[ -e /logs/verifier/reward.txt ] && echo LEAK-REWARD\nok test -f /app/two\n',
      'steps/three/instruction.md': 'Never.\n',
      'steps/three/solution/solve.sh': '#!/bin/sh\ntouch /app/three\n',
      'steps/three/tests/test.sh': '#!/bin/sh\n. /tests/lib.sh\nok true\n',
    });

  test('oracle, mean: an unmet min_reward ends the trial; completed, reward the mean of the steps that ran', async () => {
    const r = await runCli([abort(), '--agent', 'oracle']);
    expect(r.exitCode).toBe(0);
    const { t, dir } = one(r.out);
    expect(t).toMatchObject({ status: 'completed', reward: 0.5, exception_info: null });
    expect(t.verifier_result).toEqual({ rewards: { reward: 0.5 } });
    expect(t.step_results.map((s: any) => [s.step_name, s.verifier_result?.rewards.reward])).toEqual([
      ['one', 1],
      ['two', 0],
    ]);
    expect(t.multi_step).toMatchObject({ strategy: 'mean', total: 3, ran: 2, stopped: { step: 'two' } });
    expect(t.multi_step.stopped.reason).toMatch(/reward=0 below min_reward 1; later steps not run \(1\)/);
    // Per-step folders: what the agent wrote to /logs/agent and the step's verifier output.
    expect(readdirSync(path.join(dir, 'steps')).sort()).toEqual(['one', 'two']);
    expect(readFileSync(path.join(dir, 'steps/one/agent/oracle.txt'), 'utf8')).toBeDefined();
    expect(readFileSync(path.join(dir, 'steps/one/verifier/reward.txt'), 'utf8').trim()).toBe('1');
    expect(readFileSync(path.join(dir, 'steps/two/verifier/reward.txt'), 'utf8').trim()).toBe('0');
    expect(readFileSync(path.join(dir, 'steps/two/verifier/test-stdout.txt'), 'utf8')).not.toMatch(/LEAK/);
    expect(r.stderr + r.stdout).toMatch(/stopped after step two/);
    expect(checkHarborJob(r.out)).toEqual([]);
  });

  test('--verifier-mode isolated: each step verified in a snapshot, the agent container kept for the next step', async () => {
    const r = await runCli([abort(), '--agent', 'oracle', '--verifier-mode', 'isolated']);
    const { t } = one(r.out);
    // Harbor: null for a multi-step trial; each step says its own mode.
    expect(t).toMatchObject({ status: 'completed', reward: 0.5, verifier_environment_mode: null });
    expect(t.step_results.map((s: any) => [s.step_name, s.reward, s.verifier_mode])).toEqual([
      ['one', 1, 'isolated'],
      ['two', 0, 'isolated'],
    ]);
    expect(checkHarborJob(r.out)).toEqual([]);
  });

  test("command agent, final: each step gets its own instruction, its workdir and setup.sh; the reward is the last step's", async () => {
    const env = ENV.replace('[verifier]', 'workdir = "/work"\n[verifier]');
    const dir = task('steps-final', {
      'task.toml': `schema_version = "1.4"\nmulti_step_reward_strategy = "final"\n${env}[[steps]]\nname = "alpha"\n[[steps]]\nname = "beta"\n`,
      'steps/alpha/instruction.md': 'alpha\n',
      // steps/alpha/workdir/ lands in [environment] workdir before the step, and its setup.sh runs there.
      'steps/alpha/workdir/data.txt': 'hello\n',
      'steps/alpha/workdir/setup.sh': 'mkdir -p /app && cat data.txt > /app/from-setup\n',
      'steps/alpha/tests/test.sh': REWARD(
        '[ "$(cat /app/seen)" = alpha ] && [ "$(cat /app/from-setup)" = hello ] && [ -f /work/data.txt ]',
      ),
      'steps/beta/instruction.md': 'beta\n',
      'steps/beta/tests/test.sh':
        '#!/bin/sh\n[ "$(cat /app/seen | tr "\\n" " ")" = "alpha beta " ] && echo 0.25 > /logs/verifier/reward.txt || echo 0 > /logs/verifier/reward.txt\n',
    });
    const cmd = 'mkdir -p /app; cat "$TB_INSTRUCTION_FILE" >> /app/seen';
    const r = await runCli([dir, '--agent', 'command', '--agent-command', cmd]);
    const { t } = one(r.out);
    expect(t.step_results.map((s: any) => s.verifier_result.rewards.reward)).toEqual([1, 0.25]);
    expect(t).toMatchObject({ status: 'completed', reward: 0.25, multi_step: { strategy: 'final', ran: 2 } });
    expect(checkHarborJob(r.out)).toEqual([]);
  });
});

describe('the separate verifier', () => {
  // The agent writes two artifacts and a file outside them; the verifier must see only the artifacts.
  const AGENT =
    'mkdir -p /app/outdir && echo ok > /app/result.txt && echo x > /app/outdir/x && echo s > /app/secret.txt';
  const TEST = REWARD('[ -f /app/result.txt ] && [ -f /app/outdir/x ] && [ ! -e /app/secret.txt ]');
  const separate = (name: string, extra: Record<string, string> = {}, toml = '') =>
    task(name, {
      'task.toml': `schema_version = "1.4"\nartifacts = ["/app/result.txt", { source = "/app/outdir", destination = "outd" }]\n${ENV}environment_mode = "separate"\n${toml}`,
      'instruction.md': 'Write /app/result.txt.\n',
      'tests/test.sh': TEST,
      ...extra,
    });
  const dockerfile = { 'tests/Dockerfile': `FROM ${BUSYBOX}\nCOPY test.sh /tests/test.sh\n` };

  test("from tests/Dockerfile: artifacts copied in, not the agent's file system; the flag overrides it", async () => {
    const dir = separate('sep-tests', dockerfile);
    const r = await runCli([dir, '--agent', 'command', '--agent-command', AGENT]);
    const { t, dir: trial } = one(r.out);
    expect(t).toMatchObject({ status: 'completed', reward: 1, verifier_environment_mode: 'separate' });
    expect(t.run_config.verifier).toEqual({ mode: 'separate', from: 'task', snapshot_fallback: false });
    expect(readFileSync(path.join(trial, 'artifacts/app/result.txt'), 'utf8').trim()).toBe('ok');
    expect(existsSync(path.join(trial, 'artifacts/outd/x'))).toBe(true);
    expect(existsSync(path.join(trial, 'artifacts/app/secret.txt'))).toBe(false);
    expect(checkHarborJob(r.out)).toEqual([]);

    // --verifier-mode shared beats the task's separate: now the verifier sees the agent's secret.txt.
    const shared = await runCli([dir, '--agent', 'command', '--agent-command', AGENT, '--verifier-mode', 'shared']);
    expect(one(shared.out).t).toMatchObject({
      status: 'completed',
      reward: 0,
      verifier_environment_mode: 'shared',
      run_config: { verifier: { mode: 'shared', from: 'flag' } },
    });
  });

  test('from [verifier.environment] docker_image (its image holds /tests, as in Harbor), run in its workdir', async () => {
    const tag = `tb2-test/verifier-${newRunId()}:1`;
    // test.sh runs in [verifier.environment] workdir, not the task's.
    const ctx = task('verifier-image', {
      'test.sh': REWARD('[ "$(pwd)" = /verif ] && [ -f /app/result.txt ] && [ ! -e /app/secret.txt ]'),
      Dockerfile: `FROM ${BUSYBOX}\nCOPY test.sh /tests/test.sh\n`,
    });
    await execa('docker', ['build', '-q', '-t', tag, ctx]);
    try {
      const dir = separate('sep-image', {}, `[verifier.environment]\ndocker_image = "${tag}"\nworkdir = "/verif"\n`);
      const r = await runCli([dir, '--agent', 'command', '--agent-command', AGENT]);
      expect(one(r.out).t).toMatchObject({
        status: 'completed',
        reward: 1,
        verifier_environment_mode: 'separate',
        run_config: { verifier: { mode: 'separate', snapshot_fallback: false } },
      });
    } finally {
      await execa('docker', ['rmi', '-f', tag], { reject: false });
    }
  });

  test('neither given: a snapshot of the agent container, recorded as the fallback', async () => {
    const r = await runCli([separate('sep-fallback'), '--agent', 'command', '--agent-command', AGENT]);
    const { t } = one(r.out);
    // The snapshot holds the agent's whole file system, secret.txt included.
    expect(t).toMatchObject({ status: 'completed', reward: 0, verifier_environment_mode: 'separate' });
    expect(t.run_config.verifier).toEqual({ mode: 'isolated', from: 'task', snapshot_fallback: true });
    expect(r.stderr + r.stdout).toMatch(/verifying a snapshot of the agent container/);
  });
});

describe('artifacts', () => {
  const TOML = `schema_version = "1.4"\nartifacts = ["/app/a.txt", "/app/dir", { source = "/app/b.txt", destination = "renamed/b.txt" }, { source = "/app/tree", destination = "t" }, "/app/missing.txt"]\n${ENV}`;
  const arts = (name: string) =>
    task(name, { 'task.toml': TOML, 'instruction.md': 'x\n', 'tests/test.sh': REWARD('[ -f /app/a.txt ]') });
  const AGENT =
    'mkdir -p /app/dir/sub /app/tree && echo a > /app/a.txt && echo b > /app/b.txt && echo d > /app/dir/sub/f && echo t > /app/tree/g';
  const manifest = (trial: string) => readJson(path.join(trial, 'artifacts/manifest.json'));

  test('files and folders, path and {source, destination} forms mixed; a missing one is a failed entry, not an error', async () => {
    const r = await runCli([arts('arts-mixed'), '--agent', 'command', '--agent-command', AGENT]);
    const { t, dir } = one(r.out);
    expect(t).toMatchObject({ status: 'completed', reward: 1, exception_info: null });
    const read = (p: string) => readFileSync(path.join(dir, 'artifacts', p), 'utf8').trim();
    expect([read('app/a.txt'), read('app/dir/sub/f'), read('renamed/b.txt'), read('t/g')]).toEqual([
      'a',
      'd',
      'b',
      't',
    ]);
    expect(manifest(dir)).toEqual([
      {
        source: '/logs/artifacts',
        destination: 'artifacts/logs/artifacts',
        type: 'directory',
        status: 'empty',
        service: null,
      },
      { source: '/app/a.txt', destination: 'artifacts/app/a.txt', type: 'file', status: 'ok', service: null },
      { source: '/app/dir', destination: 'artifacts/app/dir', type: 'directory', status: 'ok', service: null },
      { source: '/app/b.txt', destination: 'artifacts/renamed/b.txt', type: 'file', status: 'ok', service: null },
      { source: '/app/tree', destination: 'artifacts/t', type: 'directory', status: 'ok', service: null },
      {
        source: '/app/missing.txt',
        destination: 'artifacts/app/missing.txt',
        type: 'file',
        status: 'failed',
        service: null,
      },
    ]);
  });

  test('collected after an agent timeout too', async () => {
    const r = await runCli([
      arts('arts-timeout'),
      '--agent',
      'command',
      '--agent-command',
      `${AGENT}; sleep 60`,
      '--agent-timeout',
      '3',
    ]);
    const { t, dir } = one(r.out);
    expect(t.exception_info?.exception_type).toBe('AgentTimeoutError');
    expect(t).toMatchObject({ status: 'completed', reward: 1 });
    expect(readFileSync(path.join(dir, 'artifacts/app/a.txt'), 'utf8').trim()).toBe('a');
  });

  test('an oversized artifact is capped like the logs, with a note', async () => {
    const dir = task('arts-big', {
      'task.toml': `schema_version = "1.4"\nartifacts = ["/app/big.txt"]\n${ENV}`,
      'instruction.md': 'x\n',
      'tests/test.sh': REWARD('true'),
    });
    const bytes = MAX_LOGGED_OUTPUT_BYTES + 16 * 1024 * 1024;
    const r = await runCli([
      dir,
      '--agent',
      'command',
      '--agent-command',
      `mkdir -p /app; yes line | head -c ${bytes} > /app/big.txt`,
    ]);
    const { t, dir: trial } = one(r.out);
    expect(t.status).toBe('completed');
    const big = path.join(trial, 'artifacts/app/big.txt');
    const size = statSync(big).size;
    expect(size).toBeGreaterThanOrEqual(MAX_LOGGED_OUTPUT_BYTES);
    expect(size).toBeLessThan(MAX_LOGGED_OUTPUT_BYTES + 2 * 1024 * 1024);
    expect(readFileSync(big, 'utf8').slice(-200)).toMatch(/tb2: output cut at \d+ bytes/);
  });
});
