// `tb2 plan`: list every folder holding a task.toml (broken ones included, so they fail
// visibly in their own matrix job), estimate one attempt of each from the baseline's trial
// durations or its timeout, and print a job matrix balanced for the slots
// (task/shards.ts). Fails only when it finds no task or cannot read the baseline.
import type { CliCommand } from '../config/cli-args.js';
import { UsageError } from '../errors.js';
import { medianDurations, readDurations } from '../result/durations.js';
import { discoverTasks } from '../task/discover.js';
import { estimateAttempts, type Estimate } from '../task/estimate.js';
import { readPlanInfo, type TaskPlanInfo } from '../task/plan-info.js';
import { planMatrix, type Plan } from '../task/shards.js';

export type PlanArgs = Omit<Extract<CliCommand, { kind: 'plan' }>, 'kind'>;
type Write = (s: string) => void;

/** task.toml files read a batch at a time: thousands of tasks must not exhaust file descriptors. */
async function readInfos(dirs: readonly string[]): Promise<TaskPlanInfo[]> {
  const out: TaskPlanInfo[] = [];
  for (let i = 0; i < dirs.length; i += 64) out.push(...(await Promise.all(dirs.slice(i, i + 64).map(readPlanInfo))));
  return out;
}

async function readHistory(baseline: string, err: Write): Promise<Map<string, number>> {
  const { samples, problems } = await readDurations(baseline);
  if (problems.length > 0) err(`tb2: warning: baseline: ${problems.length} file(s) skipped, e.g. ${problems[0]}\n`);
  return medianDurations(samples);
}

const clock = (sec: number) => {
  const s = Math.round(sec);
  const [h, m] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60)];
  return h ? `${h}h${String(m).padStart(2, '0')}m` : m ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
};

/** One stderr line: what was planned, for how many slots, how close to the bound, from what estimates. */
function summary(plan: Plan, tasks: number, estimates: Estimate[]): string {
  const count = (s: Estimate['source']) => estimates.filter((e) => e.source === s).length;
  const from = [
    count('baseline') && `${count('baseline')} from the baseline`,
    count('median') && `${count('median')} its median`,
    count('timeout') && `${count('timeout')} [agent] timeout_sec`,
  ].filter(Boolean);
  const ratio = plan.boundSec > 0 ? plan.makespanSec / plan.boundSec : 1;
  return (
    `tb2: plan: ${plan.include.length} job(s) for ${tasks} task(s) × ${plan.attempts} attempt(s); ` +
    `expected ${clock(plan.makespanSec)} on ${plan.slots} slot(s) (lower bound ${clock(plan.boundSec)}, ×${ratio.toFixed(2)}); ` +
    `estimates: ${from.join(', ')}\n`
  );
}

export async function planCommand(args: PlanArgs, out: Write, err: Write): Promise<number> {
  const { tasks, unmatched } = await discoverTasks(args.tasks);
  if (tasks.length === 0)
    throw new UsageError(`no task found in ${args.tasks.join(', ')} (expected folders holding task.toml)`);
  for (const u of unmatched) err(`tb2: warning: ${u}: no task found\n`);
  const history = args.baseline === undefined ? undefined : await readHistory(args.baseline, err);
  const infos = await readInfos(tasks);
  const estimates = estimateAttempts(
    infos.map((i) => ({ ...i, broken: i.problem !== undefined })),
    history,
  );
  if (history && !estimates.some((e) => e.source === 'baseline'))
    err(`tb2: warning: baseline: no trial there matches a task name; estimating from timeouts\n`);
  const plan = planMatrix(
    infos.map((info, i) => ({ dir: info.dir, name: info.name, estimateSec: Math.max(1, estimates[i].sec) })),
    { shardSize: args.shardSize, attempts: args.attempts, maxJobs: args.maxJobs, maxParallel: args.maxParallel },
  );
  for (const n of plan.notes) err(`tb2: note: ${n}\n`);
  err(summary(plan, tasks.length, estimates));
  out(JSON.stringify({ include: plan.include }) + '\n');
  return 0;
}
