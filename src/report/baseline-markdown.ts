// The baseline section of a job summary: regressions first, then other changes; tasks
// that did not change are only counted, and baseline tasks not run now (a shard, a
// smaller task set) are named on one line, capped, rather than as empty rows. Per task the
// pass counts now and before and the one-sided p-value of Fisher's exact test
// (result/fisher.ts); the gate line says what --fail-on-regressions decides, and says when
// the comparison is anecdotal (too few attempts for any p to reach alpha). Pure.
import type { BaselineDiff, ChangeKind, TaskChange } from '../result/baseline.js';
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

/** "3/5" passed of trials, "—" on the side a task is missing. */
const count = (passed: number | null, trials: number | null) => (passed === null ? '—' : `${passed}/${trials}`);
/** A p-value readable at a glance: 0.043, 0.0027, < 0.0001; bold when it fails the gate. */
export function pValue(c: Pick<TaskChange, 'p_value' | 'gating' | 'anecdotal'>): string {
  if (c.p_value === null) return '—';
  const p = c.p_value < 1e-4 ? '< 0.0001' : String(+c.p_value.toPrecision(2));
  return c.gating && !c.anecdotal ? `**${p}**` : p;
}

/** What --fail-on-regressions decides, and whether it rests on too few attempts to mean much. */
export function gateLine(d: BaselineDiff): string {
  const compared = d.changes.filter((c) => c.kind !== 'new' && c.kind !== 'removed').length;
  const head = `Regression gate (Fisher's exact test, one-sided, alpha ${d.alpha}): **${d.gate_failures} task(s) fail it**.`;
  if (d.anecdotal === 0) return head;
  const which = d.anecdotal === compared ? 'The comparison is anecdotal' : `${d.anecdotal} task(s) are anecdotal`;
  return `${head} ${which}: too few attempts for any p-value to reach ${d.alpha}, so a task fails the gate when it passed before and fails now.`;
}

/** The tasks a diff lists (gate failures and changes), names it only (not run now), and only counts. */
export function diffGroups(d: BaselineDiff): { changed: TaskChange[]; removed: string[]; unchanged: number } {
  const changed = d.changes.filter((c) => c.gating || (c.kind !== 'same' && c.kind !== 'removed'));
  const removed = d.changes.filter((c) => c.kind === 'removed').map((c) => c.task_name);
  return { changed, removed, unchanged: d.changes.length - changed.length - removed.length };
}

export function renderBaselineDiff(d: BaselineDiff, baselineName: string): string {
  const { changed, removed, unchanged } = diffGroups(d);
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
  head.push('', `${gateLine(d)}${d.gate_failures ? ' ⛔ marks them.' : ''}`);
  if (removed.length) head.push('', notRunLine(removed));
  if (changed.length === 0) return head.join('\n');
  const rows = changed.map((c) => [
    `${LABEL[c.kind]}${c.gating ? ' ⛔' : ''}`,
    cell(c.task_name),
    count(c.passed_before, c.trials_before),
    count(c.passed_now, c.trials_now),
    pValue(c),
    c.baseline_reward === null ? '—' : num(c.baseline_reward),
    c.reward === null ? '—' : num(c.reward),
    signed(c.delta),
  ]);
  const cols = ['change', 'task', 'passed before', 'passed now', 'p', 'baseline', 'now', 'Δ reward'];
  return [...head, '', table(cols, rows, ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r'])].join('\n');
}

/** The step's failure line when --fail-on-regressions trips: how many, at what alpha, which. */
export function gateFailureMessage(d: BaselineDiff): string {
  const names = d.changes.filter((c) => c.gating).map((c) => c.task_name.replace(/\s+/g, ' '));
  const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? ` and ${names.length - 5} more` : '');
  const anecdotal = d.changes.filter((c) => c.gating && c.anecdotal).length;
  const how = anecdotal
    ? `${anecdotal} of them on too few attempts to test, judged by passing before and failing now`
    : `significant at alpha ${d.alpha}`;
  return `${names.length} task(s) regressed against the baseline (fail-on-regressions; ${how}): ${shown}`;
}
