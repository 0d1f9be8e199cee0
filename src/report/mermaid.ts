// Charts for the job summary of a multi-task run, as Mermaid blocks GitHub renders in
// Markdown (https://docs.github.com/en/get-started/writing-on-github/working-with-advanced-formatting/creating-diagrams):
// an xychart-beta of the mean reward by task and a pie of the trials' statuses
// (https://mermaid.js.org/syntax/xyChart.html, https://mermaid.js.org/syntax/pie.html).
// Labels are always quoted, so `org/task-name` and any other character parse; a Mermaid
// string has no escape for `"`, so quotes, backticks, line breaks, `%%` (a comment even
// inside a string), `#` (entity codes) and angle brackets in names are replaced.
// Bounded: at most MAX_BARS tasks (lowest reward first), a few KB whatever the job. Pure.
import type { JobResult } from '../result/job.js';

export const MAX_BARS = 40;
const MAX_LABEL = 40;

/** A Mermaid double-quoted string: no `"`, no line break, no backtick fence, clipped. */
export function mermaidLabel(s: string): string {
  const one = s
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/"/g, "'")
    .replace(/`/g, "'")
    .replace(/[<>]/g, (c) => (c === '<' ? '‹' : '›'))
    .replace(/#/g, '♯')
    // `%%` starts a comment anywhere on a line, even inside a string (seen with Mermaid 11).
    .replace(/%(?=%)/g, '% ')
    .trim();
  return `"${one.length > MAX_LABEL ? `${one.slice(0, MAX_LABEL - 1)}…` : one}"`;
}

const n = (x: number) => String(+x.toFixed(3));

function rewardChart(j: JobResult): string {
  const tasks = [...j.tasks]
    .sort((a, b) => a.mean_reward - b.mean_reward || a.task_name.localeCompare(b.task_name))
    .slice(0, MAX_BARS);
  const top = Math.max(1, ...tasks.map((t) => t.mean_reward));
  const title =
    j.tasks.length > tasks.length
      ? `Mean reward, the ${tasks.length} lowest of ${j.tasks.length} tasks`
      : 'Mean reward by task';
  return [
    '```mermaid',
    'xychart-beta',
    `    title ${mermaidLabel(title)}`,
    `    x-axis [${tasks.map((t) => mermaidLabel(t.task_name)).join(', ')}]`,
    `    y-axis "Mean reward" 0 --> ${n(top)}`,
    `    bar [${tasks.map((t) => n(t.mean_reward)).join(', ')}]`,
    '```',
  ].join('\n');
}

function statusPie(j: JobResult): string {
  const slices: Array<[string, number]> = [
    ['solved', j.n_passed],
    ['not solved', Math.max(0, j.counts.completed - j.n_passed)],
    ['error', j.counts.error],
    ['cancelled', j.counts.cancelled],
  ];
  return [
    '```mermaid',
    'pie showData',
    // A pie's title is the rest of its line (no quotes); this one holds no outside text.
    `    title Trials by status (${j.n_trials})`,
    ...slices.filter(([, v]) => v > 0).map(([k, v]) => `    ${mermaidLabel(k)} : ${v}`),
    '```',
  ].join('\n');
}

/** The summary's chart section for a run of several tasks; '' for one task. */
export function mermaidCharts(j: JobResult): string {
  if (j.n_tasks < 2) return '';
  return `#### Charts\n\n${rewardChart(j)}\n\n${statusPie(j)}`;
}
