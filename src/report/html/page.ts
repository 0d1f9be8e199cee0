// The HTML report (issue 15): one self-contained page per job, built from the job folder
// after scrubbing. Rendered in three parts, so the reader at the edge can write each trial's
// section as soon as its transcript is read and keep only one transcript in memory:
// reportHead (headline, charts, the sortable trial table), trialSection per trial,
// reportTail. Every string from a task, an agent or a verifier is escaped here. Pure.
import { durationSec, type JobResult } from '../../result/job.js';
import { decidingException } from '../../result/reduce.js';
import type { TrialResult } from '../../trial-result.js';
import { escapeHtml as esc, num, seconds, usd } from '../markdown.js';
import { CSP, SCRIPT, STYLE } from './assets.js';
import { baselineSection, type BaselineView } from './baseline.js';
import { stepsTable } from './steps.js';
import { costRewardChart, phaseBar, rewardByTaskChart } from './charts.js';
import type { Entry } from './transcript.js';

export interface ReportMeta {
  title: string;
  /** Where the results came from, e.g. "tb2 job folder" or "Harbor job folder". */
  source: string;
  generatedAt: string;
  generator: string;
  /** Result files that were skipped, one line each. */
  problems: readonly string[];
  /** The baseline diff and its regression gate, when the run or aggregate was given one. */
  baseline?: BaselineView;
}

const trialId = (i: number) => `trial-${i + 1}`;
const tokensOf = (t: TrialResult) => {
  const [i, o] = [t.agent_result.n_input_tokens, t.agent_result.n_output_tokens];
  return i === null && o === null
    ? null
    : { text: `${num(i ?? 0)} in / ${num(o ?? 0)} out`, total: (i ?? 0) + (o ?? 0) };
};
const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
/** A cell with its sort key: numbers sort as numbers, a missing value first. */
const td = (text: string, v?: number | null, cls = '') =>
  `<td${cls ? ` class="${cls}"` : ''}${v === undefined ? '' : ` data-v="${v === null ? -1 : v}"`}>${text}</td>`;

/** 42.0 s, 3 min 05 s, 2 h 07 min: whole units, never "60 s". */
export function duration(sec: number): string {
  if (sec < 59.95) return `${sec.toFixed(1)} s`;
  const s = Math.round(sec);
  const [h, m] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60)];
  return h ? `${h} h ${String(m).padStart(2, '0')} min` : `${m} min ${String(s % 60).padStart(2, '0')} s`;
}

/** The maximum trial duration: every phase bar is drawn on this one scale. */
export const maxTrialSec = (trials: readonly TrialResult[]) => Math.max(0, ...trials.map(durationSec));

function wallClock(trials: readonly TrialResult[]): number {
  const starts = trials.map((t) => Date.parse(t.started_at)).filter(Number.isFinite);
  const ends = trials.map((t) => Date.parse(t.finished_at ?? '')).filter(Number.isFinite);
  return starts.length && ends.length ? Math.max(0, (Math.max(...ends) - Math.min(...starts)) / 1000) : 0;
}

/** pass@1, a few k between (2, 3, 5, 10) and the largest: 50 attempts must not make 50 boxes (the table has none of them; result.json all). */
export function headlinePassAtK(passAtK: Record<string, number>): Array<[string, number]> {
  const ks = Object.keys(passAtK).map(Number);
  const max = Math.max(...ks);
  return Object.entries(passAtK).filter(([k]) => [1, 2, 3, 5, 10, max].includes(Number(k)));
}

function headline(job: JobResult, trials: readonly TrialResult[]): string {
  const stat = (label: string, value: string, cls = '') =>
    `<div class="stat ${cls}"><b>${value}</b><span>${esc(label)}</span></div>`;
  const agents = [
    ...new Set(trials.map((t) => [t.agent_info.name, t.agent_info.model_info?.name].filter(Boolean).join(' · '))),
  ];
  return [
    `<div class="headline" id="headline">`,
    stat(
      'solved',
      `${job.n_passed}/${job.n_trials}`,
      job.n_passed === job.n_trials && job.n_trials > 0 ? 'completed' : 'unsolved',
    ),
    stat('mean reward', num(job.mean_reward)),
    ...headlinePassAtK(job.pass_at_k).map(([k, v]) => stat(`pass@${k}`, num(v))),
    stat('cost', trials.some((t) => t.agent_result.cost_usd !== null) ? usd(job.cost_usd, job.cost_estimated) : '-'),
    stat('duration', duration(wallClock(trials))),
    stat('tasks', String(job.n_tasks)),
    stat('errors', String(job.counts.error), job.counts.error ? 'error' : ''),
    stat('cancelled', String(job.counts.cancelled)),
    stat('tokens in / out', `${num(job.tokens.input)} / ${num(job.tokens.output)}`),
    `</div>`,
    agents.length ? `<p>Agent: ${agents.map(esc).join(', ')}</p>` : '',
  ].join('\n');
}

function trialRow(t: TrialResult, i: number, maxSec: number): string {
  const x = decidingException(t);
  const tok = tokensOf(t);
  return (
    `<tr id="row-${i + 1}">` +
    td(`<a href="#${trialId(i)}">${esc(t.task_name)}</a>`) +
    td(String(t.attempt), t.attempt, 'n') +
    td(esc(t.status), undefined, t.status) +
    td(num(t.reward, 4), t.reward, 'n') +
    td(
      t.tests_total ? `${t.tests_passed}/${t.tests_total}` : '-',
      t.tests_total ? t.tests_passed / t.tests_total : null,
      'n',
    ) +
    td(duration(durationSec(t)), durationSec(t), 'n') +
    td(phaseBar(t, maxSec)) +
    td(tok?.text ?? '-', tok?.total ?? null, 'n') +
    td(usd(t.agent_result.cost_usd, t.agent_result.cost_estimated), t.agent_result.cost_usd, 'n') +
    td(x ? `<span title="${esc(clip(x.exception_message, 500))}">${esc(x.exception_type)}</span>` : '-') +
    `</tr>`
  );
}

export function reportHead(job: JobResult, trials: readonly TrialResult[], meta: ReportMeta): string {
  const maxSec = maxTrialSec(trials);
  const head = ['Task', 'Attempt', 'Status', 'Reward', 'Tests', 'Duration', 'Phases', 'Tokens', 'Cost', 'Error'];
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(meta.title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${esc(meta.title)}</h1>`,
    `<p>${esc(meta.source)} · ${job.n_trials} trial(s) of ${job.n_tasks} task(s)</p>`,
    headline(job, trials),
    baselineSection(meta.baseline),
    '<h2>Charts</h2><div class="charts" id="charts">',
    rewardByTaskChart(job.tasks),
    costRewardChart(trials),
    '</div>',
    '<p>Phases: <svg width="12" height="10"><rect class="p0" width="12" height="10"/></svg> environment ' +
      '<svg width="12" height="10"><rect class="p1" width="12" height="10"/></svg> agent setup ' +
      '<svg width="12" height="10"><rect class="p2" width="12" height="10"/></svg> agent ' +
      `<svg width="12" height="10"><rect class="p3" width="12" height="10"/></svg> verifier (bars share one scale: ${duration(maxSec)} fills one)</p>`,
    '<h2>Trials</h2><p>Click a column to sort.</p>',
    `<table id="trials"><thead><tr>${head.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead><tbody>`,
    ...trials.map((t, i) => trialRow(t, i, maxSec)),
    '</tbody></table>',
    '<h2>Transcripts and tests</h2>',
  ].join('\n');
}

function testsTable(t: TrialResult): string {
  if (!t.tests.length) return '<p>No per-test results (the verifier wrote no CTRF report).</p>';
  const rows = t.tests.map(
    (x) =>
      `<tr class="${esc(x.status)}" title="${esc(x.status)}"><td>${esc(x.name)}</td><td>${esc(x.status)}</td>` +
      `<td class="n">${x.duration_ms === undefined ? '-' : seconds(x.duration_ms / 1000)}</td><td>${esc(clip(x.message ?? '', 2000))}</td></tr>`,
  );
  return `<table class="tests"><caption>Tests: ${t.tests_passed}/${t.tests_total} passed</caption><thead><tr><th>Test</th><th>Status</th><th>Duration</th><th>Message</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Words, not emoji: a runner or a reader without an emoji font sees them all the same. */
const KIND_LABEL: Record<Entry['kind'], string> = {
  phase: 'phase',
  output: '',
  message: 'agent',
  tool_call: 'tool',
  tool_result: 'result',
  error: 'error',
  timeout: 'timeout',
  note: 'note',
  cut: 'cut',
};

function transcriptList(entries: readonly Entry[]): string {
  if (!entries.length) return '<p>No transcript: the trial folder holds no events.jsonl and no agent log.</p>';
  const items = entries.map((e) => {
    const cls = [e.kind, e.ok === false ? 'failed' : '', e.phase && e.kind === 'output' ? `ph-${e.phase}` : '']
      .filter(Boolean)
      .join(' ');
    const label = KIND_LABEL[e.kind] ? `<span class="kind">${KIND_LABEL[e.kind]}</span>` : '';
    const phase = e.kind === 'output' && e.phase ? ` title="${esc(e.phase)}"` : '';
    return `<li class="${esc(cls)}"${phase}>${label}${esc(e.text)}</li>`;
  });
  return `<ol class="transcript">${items.join('\n')}</ol>`;
}

const verdict = (t: TrialResult) => (t.passed ? 'solved' : t.status === 'completed' ? 'unsolved' : t.status);

export function trialSection(t: TrialResult, i: number, entries: readonly Entry[], maxSec: number): string {
  const x = decidingException(t);
  const facts = [
    `trial <code>${esc(t.trial_name)}</code>`,
    `status <span class="${t.status}">${esc(t.status)}</span>`,
    `reward ${num(t.reward, 4)}`,
    `tests ${t.tests_total ? `${t.tests_passed}/${t.tests_total}` : '-'}`,
    `duration ${duration(durationSec(t))}`,
    `agent ${esc([t.agent_info.name, t.agent_info.version, t.agent_info.model_info?.name].filter(Boolean).join(' · '))}`,
  ];
  return [
    `<details class="trial" id="${trialId(i)}"><summary><span class="${verdict(t)}">${verdict(t)}</span> ${esc(t.task_name)} · attempt ${t.attempt} · ${esc(t.status)} · reward ${num(t.reward, 4)}</summary>`,
    `<p>${facts.join(' · ')}</p>`,
    x ? `<p class="error">${esc(x.exception_type)}: ${esc(clip(x.exception_message, 2000))}</p>` : '',
    phaseBar(t, maxSec, 480, true),
    stepsTable(t),
    testsTable(t),
    `<h3>Transcript</h3>`,
    transcriptList(entries),
    '</details>',
  ].join('\n');
}

export function reportTail(meta: ReportMeta): string {
  const problems = meta.problems.length
    ? `<h2>Skipped files</h2><ul>${meta.problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>`
    : '';
  return `${problems}<footer>Written by ${esc(meta.generator)} at ${esc(meta.generatedAt)}. One file: nothing here loads from anywhere else.</footer>\n<script>${SCRIPT}</script>\n</body></html>\n`;
}
