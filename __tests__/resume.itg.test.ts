// Resume (issue 12): a job cut by SIGTERM mid-way is resumed with --resume: the finished trial
// is not run again (its folder untouched), the cancelled one is, the job keeps its id and its
// folder stays a Harbor job folder. A resume with another agent is refused, the folder untouched.
import { jest } from '@jest/globals';
import { execa } from 'execa';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { CLI, leftovers, newRunId } from './helpers/cli.js';
import { checkHarborJob } from './helpers/harbor-schema.js';
import { waitUntil } from './helpers/wait.js';
import { makeTask, readJsonFile, startCli } from './faults/kit.js';

jest.setTimeout(180_000);

const quick = makeTask('resume-quick');
const slow = makeTask('resume-slow', { instruction: 'SLOW: create /app/hello.txt.\n' });
/** Sleeps on the slow task until the signal; the resumed run's agent does not. */
const SLEEPY = 'case "$TB_INSTRUCTION" in *SLOW*) sleep 300;; esac; mkdir -p /app && echo hi > /app/hello.txt';
const BRISK = 'mkdir -p /app && echo hi > /app/hello.txt';

const trialFolders = (out: string) =>
  readdirSync(out, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
const snapshot = (out: string) =>
  readdirSync(out, { recursive: true })
    .map(String)
    .sort()
    .map((f) => `${f} ${statSync(path.join(out, f)).mtimeMs}`);

async function resume(out: string, args: string[]) {
  const runId = newRunId();
  const r = await execa(process.execPath, [CLI, 'run', '--output', out, '--resume', ...args], {
    reject: false,
    env: { TB2_RUN_ID: runId },
    timeout: 120_000,
  });
  return { exitCode: r.exitCode, stderr: String(r.stderr), runId };
}

test('after SIGTERM mid-job, --resume runs only what was not finished and keeps the job', async () => {
  const first = startCli([quick, slow, '--agent', 'command', '--agent-command', SLEEPY, '--concurrency', '1']);
  const done = () =>
    trialFolders(first.out).filter((d) => {
      const f = path.join(first.out, d, 'result.json');
      return existsSync(f) && readJsonFile(f).status === 'completed';
    });
  await waitUntil(
    'the quick trial to finish and the slow one to start',
    () => done().length === 1 && trialFolders(first.out).length === 2,
    {
      timeoutMs: 90_000,
    },
  );
  await first.waitFor(/· agent\n[\s\S]*· agent\n/, 60_000);
  first.child.kill('SIGTERM');
  expect((await first.child).exitCode).toBe(143);
  const [finished] = done();
  const keptText = readFileSync(path.join(first.out, finished, 'result.json'), 'utf8');
  const kept = JSON.parse(keptText) as { id: string; started_at: string; task_name: string };
  expect(kept.task_name).toBe('resume-quick');
  const cut = readJsonFile(path.join(first.out, 'result.json'));
  const cancelledName = trialFolders(first.out).find((d) => d !== finished)!;
  expect(readJsonFile(path.join(first.out, cancelledName, 'result.json')).status).toBe('cancelled');

  // Another agent: refused in one line naming config.json, nothing in the folder changes.
  const before = snapshot(first.out);
  const refused = await resume(first.out, [quick, slow, '--agent', 'oracle']);
  expect(refused.exitCode).toBe(2);
  expect(refused.stderr.trim().split('\n')).toHaveLength(1);
  expect(refused.stderr).toMatch(/^tb2: --resume: .*config\.json.*agent "command", not "oracle"/);
  expect(snapshot(first.out)).toEqual(before);

  const again = await resume(first.out, [quick, slow, '--agent', 'command', '--agent-command', BRISK]);
  expect(again.exitCode).toBe(0);
  expect(readFileSync(path.join(first.out, finished, 'result.json'), 'utf8')).toBe(keptText);
  const names = trialFolders(first.out);
  expect(names).toHaveLength(2);
  expect(names).toContain(finished);
  expect(names).not.toContain(cancelledName);
  const job = readJsonFile(path.join(first.out, 'result.json'));
  expect(job).toMatchObject({
    id: cut.id,
    started_at: cut.started_at,
    n_total_trials: 2,
    stats: { n_completed_trials: 2, n_errored_trials: 0, n_cancelled_trials: 0 },
    counts: { completed: 2, error: 0, cancelled: 0 },
  });
  expect(job.finished_at).not.toBeNull();
  expect(checkHarborJob(first.out)).toEqual([]);
  expect(await leftovers(first.runId)).toEqual([]);
  expect(await leftovers(again.runId)).toEqual([]);
});
