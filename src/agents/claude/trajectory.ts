// A claude-code run as an ATIF trajectory (atif.ts): the step drafts transcript.ts
// followed from Claude Code's lines, numbered 1..n, with metrics from
// trajectory-metrics.ts (per-step metrics sum to final_metrics, which agent_result is).
// Harbor's validator rules (src/harbor/models/trajectories/*.py of
// https://github.com/laude-institute/harbor) hold by construction: keys only from the
// spec, ours under `extra`; agent-only fields (model_name, reasoning_content, tool_calls,
// metrics) only on agent steps; results in the step of their call. Pure.
import { ATIF_VERSION, type AtifMetrics, type AtifStep, type AtifTrajectory } from '../atif.js';
import type { ResultLine } from './stream.js';
import { accountSteps } from './trajectory-metrics.js';
import { Transcript, type Draft } from './transcript.js';
import type { TrialUsage } from './usage.js';

export interface BuildOptions {
  /** Where the lines came from, for the trajectory's extra. */
  source: 'session' | 'stream';
  sourceFile?: string;
  /** Used when the lines do not say (the configured version and model). */
  agentVersion?: string;
  model?: string;
  /** The prompt, for a stream: it goes to stdin and the stream does not repeat it. */
  instruction?: string;
  /** The stream's result line, when the lines fed (a session log) have none. */
  result?: ResultLine;
  /** Characters of content kept in full before strings are cut short (clip.ts). */
  budget?: number;
}

export interface Built {
  trajectory: AtifTrajectory;
  /** For agent_result: final_metrics as Harbor's AgentContext fields. */
  usage?: TrialUsage;
}

const NOTES =
  "Converted by tb2 from Claude Code's %s. Step metrics are per API message, matched to the " +
  'result line when there is one; cost_usd is the result line total_cost_usd shared by ' +
  'estimated cost (else a list-price estimate).';

/** Lines in, trajectory out; undefined when there is not a single step (ATIF needs one). */
export function toTrajectory(lines: Iterable<string>, o: BuildOptions): Built | undefined {
  const t = new Transcript(o.budget);
  for (const l of lines) t.feed(l);
  return buildTrajectory(t, o);
}

/** Once, at the end of a transcript. */
export function buildTrajectory(t: Transcript, o: BuildOptions): Built | undefined {
  if (o.instruction !== undefined && t.drafts[0]?.step.source !== 'user') {
    t.push('user', undefined, { from: 'instruction' }).texts.push(o.instruction);
    t.drafts.unshift(t.drafts.pop()!);
  }
  const result = t.result ?? o.result;
  if (result && !t.drafts.some((d) => d.step.source === 'agent')) {
    // Its messages are lost (the log cap cut a huge stream): the result line stands for them.
    const d = t.push('agent', undefined, { from: 'result_line' });
    if (result.result) d.texts.push(result.result);
    d.usage = result.usage;
  }
  if (!t.drafts.length) return undefined;
  const model = t.model ?? o.model;
  const agents = t.drafts.filter((d) => d.step.source === 'agent');
  const acc = accountSteps(
    agents.map((d) => ({ usage: d.usage, model: d.step.model_name ?? model })),
    result,
  );
  const metrics = new Map(agents.map((d, i) => [d, acc.perStep[i]]));
  const steps = t.drafts.map((d, i) => finish(t, d, i + 1, metrics.get(d)));
  const trajectory: AtifTrajectory = {
    schema_version: ATIF_VERSION,
    ...(t.sessionId ? { session_id: t.sessionId } : {}),
    agent: {
      name: 'claude-code',
      version: t.version ?? o.agentVersion ?? 'unknown',
      ...(model ? { model_name: model } : {}),
    },
    steps,
    notes: NOTES.replace('%s', o.source === 'session' ? 'session log' : 'stream (no session log was found)'),
    final_metrics: { ...acc.final, total_steps: steps.length, ...(acc.final.extra ? { extra: acc.final.extra } : {}) },
    extra: {
      source: o.source,
      ...(o.sourceFile ? { source_file: o.sourceFile } : {}),
      ...(t.skipped ? { lines_skipped: t.skipped } : {}),
      ...(t.clip.cuts ? { strings_cut: t.clip.cuts } : {}),
    },
  };
  return { trajectory, usage: acc.usage };
}

function finish(t: Transcript, d: Draft, step_id: number, metrics?: AtifMetrics): AtifStep {
  const s: AtifStep = { step_id, ...d.step, message: t.clip.text(d.texts.join('\n\n'), 'message', d.cuts) };
  if (d.thinking.length) s.reasoning_content = t.clip.text(d.thinking.join('\n\n'), 'reasoning_content', d.cuts);
  if (d.calls.length) s.tool_calls = d.calls;
  if (d.results.length) s.observation = { results: d.results };
  if (metrics) s.metrics = metrics;
  if (s.source === 'agent' && d.usage) s.llm_call_count = 1;
  const extra = { ...d.step.extra, ...(d.cuts.length ? { truncated: d.cuts } : {}) };
  if (Object.keys(extra).length) s.extra = extra;
  else delete s.extra;
  // Keys in the order of ATIF's field list, for people reading the file.
  return Object.fromEntries(ORDER.filter((k) => s[k] !== undefined).map((k) => [k, s[k]])) as unknown as AtifStep;
}

const ORDER = [
  'step_id',
  'timestamp',
  'source',
  'model_name',
  'message',
  'reasoning_content',
  'tool_calls',
  'observation',
  'metrics',
  'llm_call_count',
  'extra',
] as const satisfies ReadonlyArray<keyof AtifStep>;
