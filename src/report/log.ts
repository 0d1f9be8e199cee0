// The GitHub log view of a job: one flat group per phase (groups cannot nest), agent
// activity as short lines with elapsed time and turn, errors and timeouts as annotations,
// then a result group and a one-line verdict per trial. With several trials at once each
// trial's lines are held back and printed whole when it ends, plus a running tally, so
// groups from different trials never interleave. Everything a container or task file
// supplied goes through FencedWriter.text (fenced and neutralised).
import path from 'node:path';
import type { Emit, Phase, TrialEvent } from '../events.js';
import type { TrialResult } from '../trial-result.js';
import { agentMessageLine, clip } from './agent-lines.js';
import { annotation, escapeData, FencedWriter } from './workflow-commands.js';
import { decidingException } from '../result/reduce.js';

export const MAX_LOG_LINES_PER_PHASE = 500;
const MAX_LINE_CHARS = 1000;

export interface LogOptions {
  write: (s: string) => void;
  /** Several trials at once: buffer each trial, print it whole when it finishes. */
  buffered: boolean;
  /** The job folder, to print where each trial's result.json is. */
  outputDir?: string;
  stopToken?: string;
}

const TITLES: Record<Phase, string> = {
  environment: 'environment',
  agent_setup: 'agent setup',
  agent: 'agent',
  verifier: 'verifier',
};
const RAW_LOG: Record<Phase, string> = {
  environment: 'events.jsonl',
  agent_setup: 'agent/',
  agent: 'agent/',
  verifier: 'verifier/test-stdout.txt',
};

type Kind = 'cmd' | 'own' | 'untrusted';

interface TrialLog {
  label: string;
  agent: string;
  entries: Array<{ kind: Kind; line: string }>;
  phaseAt: number;
  turn: number;
  shown: number;
  hidden: number;
}

export function githubLog(opts: LogOptions): Emit {
  const out = new FencedWriter(opts.write, opts.stopToken);
  const trials = new Map<string, TrialLog>();
  const tally = { running: 0, solved: 0, unsolved: 0, error: 0, cancelled: 0 };
  // Kinds of line: our command, our own text, container output (fenced).
  const write = (kind: Kind, line: string) =>
    kind === 'cmd' ? out.command(line) : kind === 'own' ? out.plain(line) : out.text(line);
  const put = (t: TrialLog, kind: Kind, line: string) =>
    opts.buffered ? t.entries.push({ kind, line }) : write(kind, line);
  const secs = (from: number, e: TrialEvent) => ((Date.parse(e.at) - from) / 1000).toFixed(1);

  return (e) => {
    let t = trials.get(e.trial_name);
    if (!t) {
      t = { label: e.trial_name, agent: '', entries: [], phaseAt: Date.parse(e.at), turn: 0, shown: 0, hidden: 0 };
      trials.set(e.trial_name, t);
    }
    switch (e.type) {
      case 'trial_start':
        t.label = e.attempt > 1 ? `${e.task_name} #${e.attempt}` : e.task_name;
        t.agent = e.agent;
        tally.running++;
        if (opts.buffered) out.plain(`▶ ${t.label} started (trial ${e.trial_name}; ${tally.running} running)`);
        else put(t, 'own', `▶ ${t.label} (trial ${e.trial_name}, agent ${e.agent}, attempt ${e.attempt})`);
        break;
      case 'phase_start': {
        Object.assign(t, { phaseAt: Date.parse(e.at), shown: 0, hidden: 0, turn: 0 });
        // A multi-step task's groups say which step they are (groups cannot nest).
        const step = e.step ? ` · step ${e.step}` : '';
        put(
          t,
          'cmd',
          `::group::${escapeData(`${t.label}${step} · ${TITLES[e.phase]}${e.phase === 'agent' ? ` (${t.agent})` : ''}`)}`,
        );
        break;
      }
      case 'step_start':
        put(t, 'own', `── step ${e.index}/${e.total}: ${e.step}`);
        break;
      case 'step_end':
        if (e.reward === null) put(t, 'own', `step ${e.step}: no verifier result`);
        if (e.stopped) put(t, 'cmd', annotation('warning', `${t.label}: stopped after step ${e.step}`, e.stopped));
        break;
      case 'phase_end':
        if (t.hidden)
          put(t, 'own', `… ${t.hidden} more lines not shown here: see ${RAW_LOG[e.phase]} in the trial folder`);
        put(t, 'cmd', '::endgroup::');
        put(
          t,
          'own',
          `${e.ok ? '✓' : '✗'} ${TITLES[e.phase]} ${secs(t.phaseAt, e)}s${e.error ? ` — ${clip(e.error, 300)}` : ''}`,
        );
        break;
      case 'output':
      case 'agent_message': {
        if (e.type === 'agent_message' && e.message.kind === 'turn') t.turn = e.message.turn;
        const text = e.type === 'output' ? `│ ${e.line}` : agentMessageLine(e.message);
        if (text === undefined) break;
        if (t.shown >= MAX_LOG_LINES_PER_PHASE) {
          t.hidden++;
          break;
        }
        t.shown++;
        const inAgent = e.type === 'agent_message' || e.phase === 'agent';
        const stamp = inAgent ? `[${clock(Date.parse(e.at) - t.phaseAt)}${t.turn ? ` · turn ${t.turn}` : ''}] ` : '';
        put(t, 'untrusted', `${stamp}${text.length > MAX_LINE_CHARS ? `${text.slice(0, MAX_LINE_CHARS)}…` : text}`);
        break;
      }
      case 'error': {
        const level = e.fatal && e.exception_type !== 'CancelledError' ? 'error' : 'warning';
        put(t, 'cmd', annotation(level, `${t.label}: ${e.exception_type}`, clip(e.message, 2000)));
        break;
      }
      case 'trial_retry':
        // The errored attempt was counted when it ended; the retry replaces it.
        tally.error = Math.max(0, tally.error - 1);
        put(
          t,
          'cmd',
          annotation(
            'warning',
            `${t.label}: ${e.exception_type}`,
            `transient: running the trial again (retry ${e.retry} of ${e.max_retries})`,
          ),
        );
        break;
      case 'verifier_result':
        put(
          t,
          'own',
          `${e.step ? `step ${e.step} ` : ''}reward ${e.reward}${e.tests.length ? ` (${e.tests.filter((x) => x.status === 'passed').length}/${e.tests.length} tests passed)` : ''}`,
        );
        break;
      case 'run_complete': {
        const r = e.result;
        put(t, 'cmd', `::group::${escapeData(`${t.label} · result`)}`);
        for (const line of resultLines(r, opts.outputDir)) put(t, 'own', line);
        put(t, 'cmd', '::endgroup::');
        put(t, 'own', verdictLine(t.label, r));
        if (opts.buffered) {
          for (const x of t.entries) write(x.kind, x.line);
        }
        trials.delete(e.trial_name);
        tally.running = Math.max(0, tally.running - 1);
        if (r.status === 'completed') tally[r.passed ? 'solved' : 'unsolved']++;
        else tally[r.status]++;
        if (opts.buffered) {
          const done = tally.solved + tally.unsolved + tally.error + tally.cancelled;
          out.plain(
            `── ${done} finished: ${tally.solved} solved, ${tally.unsolved} not solved, ${tally.error} errored, ${tally.cancelled} cancelled; ${tally.running} running`,
          );
        }
        out.close();
        break;
      }
    }
  };
}

function clock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

const duration = (r: TrialResult) =>
  r.finished_at ? `${((Date.parse(r.finished_at) - Date.parse(r.started_at)) / 1000).toFixed(1)}s` : '';

/** The closing line of a trial, outside every group so it shows with groups collapsed. */
export function verdictLine(label: string, r: TrialResult): string {
  const tests = r.tests_total ? `, ${r.tests_passed}/${r.tests_total} tests` : '';
  const x = decidingException(r);
  const why = x ? `${x.exception_type}: ${clip(x.exception_message, 200)}` : '';
  if (r.status === 'cancelled') return `⏹️ ${label}: cancelled after ${duration(r)}`;
  if (r.status === 'error') return `⚠️ ${label}: error — ${why} (${duration(r)})`;
  return `${r.passed ? '✅' : '❌'} ${label}: ${r.passed ? 'solved' : 'not solved'} — reward ${r.reward}${tests} (${duration(r)})`;
}

function resultLines(r: TrialResult, outputDir?: string): string[] {
  const u = r.agent_result;
  const lines = [
    `status   ${r.status}`,
    `reward   ${r.reward ?? '-'}${r.verifier_result ? ` ${JSON.stringify(r.verifier_result.rewards)}` : ''}`,
  ];
  for (const x of r.step_results ?? [])
    lines.push(`step     ${x.step_name}: reward ${typeof x.reward === 'number' ? x.reward : '-'}`);
  if (r.multi_step?.stopped) lines.push(`stopped  after ${r.multi_step.stopped.step}: ${r.multi_step.stopped.reason}`);
  if (r.tests_total) lines.push(`tests    ${r.tests_passed}/${r.tests_total} passed`);
  for (const x of r.tests.filter((x) => x.status !== 'passed').slice(0, 20))
    lines.push(`  ✗ ${clip(x.name, 120)} (${x.status})${x.message ? ` — ${clip(x.message, 200)}` : ''}`);
  if (u.n_input_tokens !== null)
    lines.push(`tokens   in ${u.n_input_tokens} · cache ${u.n_cache_tokens ?? 0} · out ${u.n_output_tokens ?? 0}`);
  if (u.cost_usd !== null) lines.push(`cost     $${u.cost_usd.toFixed(4)}${u.cost_estimated ? ' (estimated)' : ''}`);
  for (const x of r.exceptions) lines.push(`error    ${x.exception_type}: ${clip(x.exception_message, 300)}`);
  if (outputDir) lines.push(`result   ${path.join(outputDir, r.trial_name, 'result.json')}`);
  return lines;
}
