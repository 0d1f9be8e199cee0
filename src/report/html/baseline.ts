// The baseline section of the HTML report: the same diff and regression gate as the job
// summary (report/baseline-markdown.ts) and the PR comment, as HTML. Regressions and gate
// failures first (the diff is sorted so); per task the pass counts now and before and the
// one-sided p-value of Fisher's exact test (result/fisher.ts); the gate line says when the
// comparison is anecdotal. Unchanged tasks are counted, not listed. Pure.
import type { BaselineDiff, ChangeKind } from '../../result/baseline.js';
import { diffGroups, gateLine, MAX_NOT_RUN, pValue } from '../baseline-markdown.js';
import { escapeHtml as esc, num } from '../markdown.js';

/** Words, as elsewhere in the page (no emoji font needed). */
const LABEL: Record<ChangeKind, string> = {
  regression: 'newly failing',
  worse: 'lower reward',
  removed: 'not run now',
  fix: 'newly passing',
  better: 'higher reward',
  new: 'new task',
  same: 'unchanged',
};

export interface BaselineView {
  diff: BaselineDiff;
  /** The baseline as the user named it (a path, a run id). */
  name: string;
}

const signed = (x: number | null) => (x === null ? '-' : `${x > 0 ? '+' : ''}${num(x)}`);
const count = (passed: number | null, trials: number | null) => (passed === null ? '-' : `${passed}/${trials}`);
/** The markdown helpers' bold, as HTML, after escaping (they only ever bold whole phrases). */
const strong = (md: string) => esc(md).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>');

export function baselineSection(b: BaselineView | undefined): string {
  if (!b) return '';
  const d = b.diff;
  const { changed, removed, unchanged } = diffGroups(d);
  const cost =
    d.cost_delta_usd === null
      ? ''
      : `; cost ${d.cost_delta_usd >= 0 ? '+' : '-'}$${Math.abs(d.cost_delta_usd).toFixed(4)}`;
  const rows = changed.map(
    (c) =>
      `<tr class="${c.kind}${c.gating ? ' gating' : ''}"${c.gating ? ' title="fails the regression gate"' : ''}>` +
      `<td>${LABEL[c.kind]}${c.gating ? ' (fails the gate)' : ''}</td><td>${esc(c.task_name)}</td>` +
      `<td class="n">${count(c.passed_before, c.trials_before)}</td><td class="n">${count(c.passed_now, c.trials_now)}</td>` +
      `<td class="n">${strong(pValue(c))}</td><td class="n">${c.baseline_reward === null ? '-' : num(c.baseline_reward)}</td>` +
      `<td class="n">${c.reward === null ? '-' : num(c.reward)}</td><td class="n">${signed(c.delta)}</td></tr>`,
  );
  const head = ['Change', 'Task', 'Passed before', 'Passed now', 'p', 'Baseline', 'Now', 'Δ reward'];
  return [
    `<h2 id="baseline">Compared with baseline ${esc(b.name)}</h2>`,
    `<p><strong>${d.regressions} regression(s)</strong>, ${d.fixes} fix(es); mean reward ${signed(d.mean_reward_delta)}${cost}; ` +
      `${unchanged} task(s) unchanged${removed.length ? `, ${removed.length} not run now` : ''}.</p>`,
    `<p class="gate">${strong(gateLine(d))}</p>`,
    removed.length
      ? `<p>Not run now (${removed.length}): ${removed.slice(0, MAX_NOT_RUN).map(esc).join(', ')}` +
        `${removed.length > MAX_NOT_RUN ? ` and ${removed.length - MAX_NOT_RUN} more` : ''}.</p>`
      : '',
    rows.length
      ? `<table class="baseline"><thead><tr>${head.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`
      : '',
  ].join('\n');
}
