// The report's charts as inline SVG, generated here: no charting library to inline or keep
// up to date, nothing loaded from anywhere, every label escaped and also given as a
// <title> (a tooltip, and text a screen reader finds). Pure.
import type { TaskRow } from '../../result/job.js';
import type { TimingInfo, TrialResult } from '../../trial-result.js';
import { escapeHtml as esc } from '../markdown.js';

const MAX_BARS = 200;
const fmt = (x: number, d = 3) => String(+x.toFixed(d));
const clipLabel = (s: string, max = 38) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** Mean reward per task as horizontal bars, lowest first (the rows a reader came for). */
export function rewardByTaskChart(tasks: readonly TaskRow[]): string {
  const rows = [...tasks]
    .sort((a, b) => a.mean_reward - b.mean_reward || a.task_name.localeCompare(b.task_name))
    .slice(0, MAX_BARS);
  const top = Math.max(1, ...rows.map((t) => t.mean_reward));
  const [labelW, barW, rowH] = [250, 360, 18];
  const h = rows.length * rowH + 24;
  const bars = rows.map((t, i) => {
    const y = i * rowH + 4;
    const w = Math.max(0, (t.mean_reward / top) * barW);
    const cls = t.n_passed === t.n_trials ? 'ok' : t.n_passed > 0 ? 'some' : 'bad';
    return (
      `<g><title>${esc(t.task_name)}: mean reward ${fmt(t.mean_reward)}, ${t.n_passed}/${t.n_trials} solved</title>` +
      `<text x="${labelW - 6}" y="${y + 12}" text-anchor="end">${esc(clipLabel(t.task_name))}</text>` +
      `<rect class="${cls}" x="${labelW}" y="${y}" width="${fmt(w, 1)}" height="${rowH - 5}"/>` +
      `<text x="${labelW + w + 4}" y="${y + 12}">${fmt(t.mean_reward)} (${t.n_passed}/${t.n_trials})</text></g>`
    );
  });
  const more =
    tasks.length > rows.length
      ? `<text x="0" y="${h - 4}">${tasks.length - rows.length} more tasks in the table</text>`
      : '';
  const axis = `<line class="axis" x1="${labelW}" y1="0" x2="${labelW}" y2="${rows.length * rowH + 2}"/>`;
  return svg(labelW + barW + 90, h, 'Mean reward by task', `${axis}${bars.join('')}${more}`);
}

/** One dot per trial: its cost (x) against its reward (y). */
export function costRewardChart(trials: readonly TrialResult[]): string {
  const [w, h, pad] = [420, 240, 40];
  const costs = trials.map((t) => t.agent_result.cost_usd);
  const known = costs.filter((c): c is number => c !== null);
  if (known.length === 0)
    return svg(
      w,
      60,
      'Cost against reward',
      `<text x="8" y="30">No trial recorded a cost (the agent reports none).</text>`,
    );
  const maxCost = Math.max(...known) || 1;
  const maxReward = Math.max(1, ...trials.map((t) => t.reward ?? 0));
  const x = (c: number) => pad + (c / maxCost) * (w - pad - 16);
  const y = (r: number) => h - pad - (r / maxReward) * (h - pad - 16);
  const dots = trials.flatMap((t) => {
    const c = t.agent_result.cost_usd;
    if (c === null) return [];
    const r = t.reward ?? 0;
    return [
      `<circle class="${t.passed ? 'ok' : t.status === 'completed' ? 'bad' : 'err'}" cx="${fmt(x(c), 1)}" cy="${fmt(y(r), 1)}" r="5"><title>${esc(t.trial_name)}: $${c.toFixed(4)}, reward ${t.reward ?? '-'}</title></circle>`,
    ];
  });
  const axes =
    `<line class="axis" x1="${pad}" y1="${h - pad}" x2="${w - 8}" y2="${h - pad}"/>` +
    `<line class="axis" x1="${pad}" y1="8" x2="${pad}" y2="${h - pad}"/>` +
    `<text x="${pad}" y="${h - pad + 16}">$0</text><text x="${w - 8}" y="${h - pad + 16}" text-anchor="end">$${maxCost.toFixed(4)}</text>` +
    `<text x="${pad - 4}" y="${h - pad}" text-anchor="end">0</text><text x="${pad - 4}" y="18" text-anchor="end">${fmt(maxReward)}</text>` +
    `<text x="${w / 2}" y="${h - 6}" text-anchor="middle">cost (USD)</text>` +
    `<text x="12" y="${h / 2}" transform="rotate(-90 12 ${h / 2})" text-anchor="middle">reward</text>`;
  const missing =
    known.length < trials.length ? ` (${trials.length - known.length} trial(s) without a cost left out)` : '';
  return svg(w, h, `Cost against reward${missing}`, axes + dots.join(''));
}

const PHASES = [
  ['environment', 'environment_setup'],
  ['agent setup', 'agent_setup'],
  ['agent', 'agent_execution'],
  ['verifier', 'verifier'],
] as const;

const phaseSec = (t: TimingInfo | null) =>
  t?.started_at && t.finished_at ? Math.max(0, (Date.parse(t.finished_at) - Date.parse(t.started_at)) / 1000) : 0;

/** Seconds of each phase of a trial, in order. */
export function phaseTimes(r: TrialResult): Array<{ phase: string; sec: number }> {
  return PHASES.map(([phase, key]) => ({ phase, sec: phaseSec(r[key]) }));
}

/** A trial's phases as one stacked bar, on a scale shared by the job (`maxSec` fills `width`). */
export function phaseBar(r: TrialResult, maxSec: number, width = 160, labels = false): string {
  const h = labels ? 30 : 12;
  let x = 0;
  const parts = phaseTimes(r).map(({ phase, sec }, i) => {
    const w = maxSec > 0 ? (sec / maxSec) * width : 0;
    const rect = `<rect class="p${i}" x="${fmt(x, 1)}" y="0" width="${fmt(w, 1)}" height="12"><title>${phase}: ${sec.toFixed(1)} s</title></rect>`;
    const label = labels && w > 40 ? `<text x="${fmt(x + 2, 1)}" y="26">${phase} ${sec.toFixed(1)}s</text>` : '';
    x += w;
    return rect + label;
  });
  const total = phaseTimes(r).reduce((a, p) => a + p.sec, 0);
  return `<svg class="phases" width="${width}" height="${h}" viewBox="0 0 ${width} ${h}" role="img" aria-label="phase times, ${total.toFixed(1)} s in all">${parts.join('')}</svg>`;
}

function svg(w: number, h: number, title: string, body: string): string {
  return `<figure><figcaption>${esc(title)}</figcaption><svg class="chart" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${esc(title)}">${body}</svg></figure>`;
}
