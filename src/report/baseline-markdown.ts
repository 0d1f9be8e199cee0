// The baseline section of a job summary: regressions first, then other changes; tasks
// that did not change are only counted, and baseline tasks not run now (a shard, a
// smaller task set) are named on one line, capped, rather than as empty rows. Pure.
import type { BaselineDiff, ChangeKind } from '../result/baseline.js';
import { cell, escapeHtml, num, table } from './markdown.js';

const LABEL: Record<ChangeKind, string> = {
  regression: '🔴 newly failing',
  worse: '🟠 lower reward',
  removed: '⚪ not run now',
  fix: '🟢 newly passing',
  better: '🔵 higher reward',
  new: '🆕 new task',
  same: 'unchanged',
};

/** How many names of tasks not run now are listed before "and N more". */
export const MAX_NOT_RUN = 20;

const signed = (x: number | null, digits = 3) => (x === null ? '—' : `${x > 0 ? '+' : ''}${num(x, digits)}`);

/** "Not run now: a, b, c" with at most `max` names, then "and N more". */
export function notRunLine(names: string[], max = MAX_NOT_RUN): string {
  const shown = names.slice(0, max).map((n) => escapeHtml(n.replace(/\s+/g, ' ').trim()));
  const more = names.length > max ? ` and ${names.length - max} more` : '';
  return `Not run now (${names.length}): ${shown.join(', ')}${more}.`;
}

export function renderBaselineDiff(d: BaselineDiff, baselineName: string): string {
  const changed = d.changes.filter((c) => c.kind !== 'same' && c.kind !== 'removed');
  const removed = d.changes.filter((c) => c.kind === 'removed').map((c) => c.task_name);
  const unchanged = d.changes.length - changed.length - removed.length;
  const head = [
    `### Compared with baseline ${cell(baselineName, 120)}`,
    '',
    `**${d.regressions} regression(s)**, ${d.fixes} fix(es); mean reward ${signed(d.mean_reward_delta)}` +
      (d.cost_delta_usd === null
        ? ''
        : `; cost ${d.cost_delta_usd >= 0 ? '+' : '-'}$${Math.abs(d.cost_delta_usd).toFixed(4)}`) +
      `; ${unchanged} task(s) unchanged` +
      (removed.length ? `, ${removed.length} not run now.` : '.'),
  ];
  if (removed.length) head.push('', notRunLine(removed));
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
