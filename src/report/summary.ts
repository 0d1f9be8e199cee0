// The job summary (GitHub's step summary, Markdown): for one trial, reward and pass/fail
// first, then tests, timings per phase, tokens and cost, then collapsed details; for
// several, a table per task (failures first). Pure: result objects in, Markdown out, kept
// under GitHub's 1 MiB per-step limit whatever the agent printed (over it, GitHub drops
// the whole summary): https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions#step-isolation-and-limits
import type { JobResult } from '../result/job.js';
import { durationSec } from '../result/job.js';
import type { TimingInfo, TrialResult } from '../trial-result.js';
import { cell, details, escapeHtml, num, seconds, table, usd, bytes } from './markdown.js';
import type { TrialNotes } from './notes.js';
import { decidingException } from '../result/reduce.js';
import { stepsSection } from './steps-summary.js';
import { mermaidCharts } from './mermaid.js';

export const SUMMARY_LIMIT_BYTES = 1024 * 1024;
/** Room left for anything else that writes to the same summary file. */
const DEFAULT_BUDGET = SUMMARY_LIMIT_BYTES - 64 * 1024;
const DETAILS_MAX_BYTES = 64 * 1024;
const MAX_TABLE_ROWS = 300;

export interface SummaryInput {
  job: JobResult;
  trials: TrialResult[];
  notes?: Map<string, TrialNotes>;
  minReward?: number;
  /** Shown in the footer; paths are printed as given. */
  jobResultPath?: string;
}

export function renderSummary(input: SummaryInput, budget = DEFAULT_BUDGET): string {
  const sections = input.trials.length === 1 ? trialSections(input, input.trials[0]) : jobSections(input);
  sections.push(footer(input));
  return fit(sections.filter(Boolean), budget);
}

/** Whole sections in order while they fit; a note says how many were left out. */
function fit(sections: string[], budget: number): string {
  const note = (n: number) =>
    `\n_${n} more section(s) left out to stay under GitHub's 1 MiB summary limit; the artifact has everything._\n`;
  let out = '';
  for (let i = 0; i < sections.length; i++) {
    const next = `${sections[i]}\n\n`;
    if (bytes(out) + bytes(next) + bytes(note(sections.length)) > budget) return out + note(sections.length - i);
    out += next;
  }
  return out;
}

function headline(r: TrialResult): string {
  if (r.status === 'cancelled') return `⏹️ ${escapeHtml(r.task_name)} — cancelled`;
  if (r.status === 'error') return `⚠️ ${escapeHtml(r.task_name)} — error, no reward`;
  return `${r.passed ? '✅' : '❌'} ${escapeHtml(r.task_name)} — ${r.passed ? 'solved' : 'not solved'} (reward ${num(r.reward, 4)})`;
}

function gate(minReward: number | undefined, ok: boolean): string {
  return minReward === undefined
    ? 'any completed trial passes'
    : `min-reward ${minReward}: ${ok ? 'met' : '**not met**'}`;
}

const phaseSec = (t: TimingInfo | null) =>
  t?.started_at && t.finished_at ? (Date.parse(t.finished_at) - Date.parse(t.started_at)) / 1000 : null;

function trialSections(input: SummaryInput, r: TrialResult): string[] {
  const met = r.status === 'completed' && (input.minReward === undefined || (r.reward ?? 0) >= input.minReward);
  const out: string[] = [`### ${headline(r)}`];
  out.push(
    table(
      ['Reward', 'Solved', 'Status', 'Tests', 'Duration', 'Agent', 'Gate'],
      [
        [
          `**${num(r.reward, 4)}**`,
          r.passed ? 'yes' : 'no',
          r.status,
          r.tests_total ? `${r.tests_passed}/${r.tests_total}` : '-',
          seconds(durationSec(r)),
          cell(agentLabel(r)),
          gate(input.minReward, met),
        ],
      ],
    ),
  );
  const x = decidingException(r);
  if (x)
    out.push(
      `> ${r.status === 'completed' ? 'ℹ️' : '⚠️'} **${cell(x.exception_type)}**: ${cell(x.exception_message, 500)}`,
    );
  if (r.tests.length) {
    const rows = r.tests
      .slice(0, MAX_TABLE_ROWS)
      .map((x) => [
        cell(x.name),
        `${x.status === 'passed' ? '✅' : x.status === 'failed' ? '❌' : '➖'} ${cell(x.status)}`,
        x.duration_ms === undefined ? '-' : seconds(x.duration_ms / 1000),
        cell(x.message ?? '', 300),
      ]);
    const more =
      r.tests.length > MAX_TABLE_ROWS ? `\n\n_${r.tests.length - MAX_TABLE_ROWS} more tests in result.json._` : '';
    out.push(
      `#### Tests (${r.tests_passed}/${r.tests_total} passed)\n\n${table(['Test', 'Status', 'Duration', 'Message'], rows, ['l', 'l', 'r', 'l'])}${more}`,
    );
  }
  const steps = stepsSection(r);
  if (steps) out.push(steps);
  const phases: Array<[string, TimingInfo | null]> = [
    ['environment', r.environment_setup],
    ['agent setup', r.agent_setup],
    ['agent', r.agent_execution],
    ['verifier', r.verifier],
  ];
  const timingRows = phases.filter(([, t]) => t).map(([name, t]) => [name, seconds(phaseSec(t))]);
  out.push(
    `#### Timings\n\n${table(['Phase', 'Duration'], [...timingRows, ['**total**', `**${seconds(durationSec(r))}**`]], ['l', 'r'])}`,
  );
  const u = r.agent_result;
  out.push(
    `#### Tokens and cost\n\n${table(['Input', 'Cache', 'Output', 'Cost'], [[num(u.n_input_tokens), num(u.n_cache_tokens), num(u.n_output_tokens), usd(u.cost_usd, u.cost_estimated)]], ['r', 'r', 'r', 'r'])}`,
  );
  const n = input.notes?.get(r.trial_name);
  if (n?.finalMessage) out.push(details("Agent's final message", n.finalMessage, DETAILS_MAX_BYTES));
  else if (n?.agentTail.length)
    out.push(details(`Agent output (last ${n.agentTail.length} lines)`, n.agentTail.join('\n'), DETAILS_MAX_BYTES));
  if (n?.verifierTail.length)
    out.push(
      details(`Verifier output (last ${n.verifierTail.length} lines)`, n.verifierTail.join('\n'), DETAILS_MAX_BYTES),
    );
  if (r.exceptions.length > 1)
    out.push(
      details(
        `All errors (${r.exceptions.length})`,
        r.exceptions
          .map((x) => `${x.occurred_at} ${x.phase ?? '-'} ${x.exception_type}: ${x.exception_message}`)
          .join('\n'),
        DETAILS_MAX_BYTES,
      ),
    );
  return out;
}

function agentLabel(r: TrialResult): string {
  const a = r.agent_info;
  return [a.name, a.version, a.model_info?.name].filter(Boolean).join(' · ');
}

function jobSections(input: SummaryInput): string[] {
  const j = input.job;
  const passK = Object.entries(j.pass_at_k);
  const out = [
    `### ${j.n_passed === j.n_trials && j.n_trials > 0 ? '✅' : '❌'} Terminal-Bench: ${j.n_passed}/${j.n_trials} trials solved · mean reward ${num(j.mean_reward)}`,
  ];
  out.push(
    table(
      [
        'Tasks',
        'Trials',
        'Completed',
        'Errors',
        'Cancelled',
        'Mean reward',
        ...passK.map(([k]) => `pass@${k}`),
        'Tokens (in / cache / out)',
        'Cost',
      ],
      [
        [
          String(j.n_tasks),
          String(j.n_trials),
          String(j.counts.completed),
          String(j.counts.error),
          String(j.counts.cancelled),
          num(j.mean_reward),
          ...passK.map(([, v]) => num(v)),
          `${j.tokens.input} / ${j.tokens.cache} / ${j.tokens.output}`,
          j.trials.some((t) => t.cost_usd !== null) ? usd(j.cost_usd, j.cost_estimated) : '-',
        ],
      ],
    ),
  );
  out.push(mermaidCharts(j));
  // Failures first: the rows a reader came for.
  const tasks = [...j.tasks].sort(
    (a, b) =>
      a.n_passed / a.n_trials - b.n_passed / b.n_trials ||
      a.mean_reward - b.mean_reward ||
      a.task_name.localeCompare(b.task_name),
  );
  const rows = tasks
    .slice(0, MAX_TABLE_ROWS)
    .map((t) => [
      `${t.n_passed === t.n_trials ? '✅' : t.n_passed > 0 ? '🟡' : '❌'} ${cell(t.task_name)}`,
      String(t.n_trials),
      num(t.mean_reward),
      num(t.pass_at_1),
      seconds(t.duration_sec),
      usd(t.cost_usd),
      cell(t.exception_types.join(', ') || '-'),
    ]);
  const more =
    tasks.length > MAX_TABLE_ROWS ? `\n\n_${tasks.length - MAX_TABLE_ROWS} more tasks in the job result.json._` : '';
  out.push(
    `#### Tasks\n\n${table(['Task', 'Attempts', 'Mean reward', 'pass@1', 'Duration', 'Cost', 'Errors'], rows, ['l', 'r', 'r', 'r', 'r', 'r', 'l'])}${more}`,
  );
  const failed = j.trials.filter((t) => !t.passed).slice(0, MAX_TABLE_ROWS);
  if (failed.length) {
    const trialRows = failed.map((t) => [
      cell(t.trial_name),
      t.status,
      num(t.reward),
      t.tests_total ? `${t.tests_passed}/${t.tests_total}` : '-',
      seconds(t.duration_sec),
      cell(t.exception_type ?? '-'),
    ]);
    out.push(
      `<details><summary>Trials not solved (${j.trials.filter((t) => !t.passed).length})</summary>\n\n${table(['Trial', 'Status', 'Reward', 'Tests', 'Duration', 'Error'], trialRows)}\n\n</details>`,
    );
  }
  return out;
}

function footer(input: SummaryInput): string {
  const parts: string[] = [];
  if (input.jobResultPath) parts.push(`Result: <code>${escapeHtml(input.jobResultPath)}</code>`);
  return parts.length ? `<sub>${parts.join(' · ')}</sub>` : '';
}
