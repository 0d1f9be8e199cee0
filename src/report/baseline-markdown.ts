// The baseline section of a job summary: regressions first, then other changes; tasks
// that did not change are only counted. Pure.
import type { BaselineDiff, ChangeKind } from '../result/baseline.js';
import { cell, num, table } from './markdown.js';

const LABEL: Record<ChangeKind, string> = {
  regression: '🔴 newly failing',
  worse: '🟠 lower reward',
  removed: '⚪ not run now',
  fix: '🟢 newly passing',
  better: '🔵 higher reward',
  new: '🆕 new task',
  same: 'unchanged',
};

const signed = (x: number | null, digits = 3) => (x === null ? '—' : `${x > 0 ? '+' : ''}${num(x, digits)}`);

export function renderBaselineDiff(d: BaselineDiff, baselineName: string): string {
  const changed = d.changes.filter((c) => c.kind !== 'same');
  const head = [
    `### Compared with baseline ${cell(baselineName, 120)}`,
    '',
    `**${d.regressions} regression(s)**, ${d.fixes} fix(es); mean reward ${signed(d.mean_reward_delta)}` +
      (d.cost_delta_usd === null
        ? ''
        : `; cost ${d.cost_delta_usd >= 0 ? '+' : '-'}$${Math.abs(d.cost_delta_usd).toFixed(4)}`) +
      `; ${d.changes.length - changed.length} task(s) unchanged.`,
  ];
  if (changed.length === 0) return head.join('\n');
  const rows = changed.map((c) => [
    LABEL[c.kind],
    cell(c.task_name),
    c.baseline_reward === null ? '—' : num(c.baseline_reward),
    c.reward === null ? '—' : num(c.reward),
    signed(c.delta),
  ]);
  return [...head, '', table(['change', 'task', 'baseline', 'now', 'Δ reward'], rows, ['l', 'l', 'r', 'r', 'r'])].join(
    '\n',
  );
}
