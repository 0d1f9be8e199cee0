// `tb2 plan`: task folders -> a GitHub job matrix for `strategy.matrix: ${{ fromJSON(...) }}`
// (https://docs.github.com/en/actions/using-jobs/using-a-matrix-for-your-jobs). One entry
// per shard of N tasks; `tasks` is newline-separated, the form the action's `task` input
// takes. Pure.
import path from 'node:path';

export interface MatrixEntry {
  /** Unique and short: used in job names and artifact names. */
  shard: string;
  name: string;
  tasks: string;
  count: number;
}

export function planShards(tasks: readonly string[], shardSize: number): { include: MatrixEntry[] } {
  const include: MatrixEntry[] = [];
  for (let i = 0; i < tasks.length; i += shardSize) {
    const group = tasks.slice(i, i + shardSize);
    const names = group.map((t) => path.basename(path.resolve(t)));
    const n = include.length + 1;
    include.push({
      shard: String(n).padStart(String(Math.ceil(tasks.length / shardSize)).length, '0'),
      name: group.length === 1 ? names[0] : `${names[0]}…${names.at(-1)} (${group.length})`,
      tasks: group.join('\n'),
      count: group.length,
    });
  }
  return { include };
}
