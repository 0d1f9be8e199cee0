// `tb2 plan`: list every folder holding a task.toml (broken ones included, so they fail
// visibly in their own matrix job) as a job matrix. Fails only when it finds no task.
import { UsageError } from '../errors.js';
import { discoverTasks } from '../task/discover.js';
import { planShards } from '../task/shards.js';

export async function planCommand(args: string[], shardSize: number, out: (s: string) => void): Promise<number> {
  const { tasks, unmatched } = await discoverTasks(args);
  if (tasks.length === 0)
    throw new UsageError(`no task found in ${args.join(', ')} (expected folders holding task.toml)`);
  for (const u of unmatched) process.stderr.write(`tb2: warning: ${u}: no task found\n`);
  out(JSON.stringify(planShards(tasks, shardSize)) + '\n');
  return 0;
}
