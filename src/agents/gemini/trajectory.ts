// A gemini-cli run as an ATIF trajectory (atif.ts), from the step drafts transcript.ts reads
// from its chat log or its stream: one agent step per model response, each tool's result in
// the step of its call, metrics by accounting.ts against the stream's result line. Harbor's
// validator rules hold by construction: our keys under `extra`, agent-only fields only on
// agent steps. Pure.
import { ATIF_VERSION, type AtifStep, type AtifTrajectory } from '../atif.js';
import { Clipper, type Cut } from '../claude/clip.js';
import type { TrialUsage } from '../claude/usage.js';
import { account, anyTokens, type PriceOf, type Tokens } from './accounting.js';
import { generated } from './session.js';
import type { ResultLine } from './stream.js';
import { draft, type Draft } from './transcript.js';

export { ChatLog, StreamTranscript, type Draft } from './transcript.js';

/** The result line's totals by model, tokens as accounting.ts counts them. */
export function reportedOf(r: ResultLine | undefined, model: string | undefined): Map<string, Tokens> | undefined {
  const s = r?.stats;
  if (!s) return undefined;
  const of = (t: typeof s) => ({ prompt: t.input_tokens, cached: t.cached, completion: generated(t) });
  if (s.models && Object.keys(s.models).length) return new Map(Object.entries(s.models).map(([m, t]) => [m, of(t)]));
  return new Map([[model ?? '', of(s)]]);
}

export interface BuildOptions {
  agentName: string;
  agentVersion: string;
  /** The configured or streamed model: for steps whose log names none. */
  model?: string;
  sessionId?: string;
  source: 'session' | 'stream';
  sourceFile?: string;
  /** The prompt, when the lines fed do not hold it. */
  instruction?: string;
  result?: ResultLine;
  /** Totals the CLI reported (result line), by model. */
  reported?: Map<string, Tokens>;
  priceOf: PriceOf;
  pricesAsOf: string;
  budget?: number;
  skipped?: number;
}

export interface Built {
  trajectory: AtifTrajectory;
  usage?: TrialUsage;
}

export function buildTrajectory(drafts: Draft[], o: BuildOptions): Built | undefined {
  const ds = [...drafts];
  if (o.instruction !== undefined && !ds.some((d) => d.source === 'user')) {
    const d = draft('user', { from: 'instruction' });
    d.texts.push(o.instruction);
    ds.splice(
      ds.findIndex((x) => x.source !== 'system') < 0 ? ds.length : ds.findIndex((x) => x.source !== 'system'),
      0,
      d,
    );
  }
  const reported = o.reported;
  if (reported && [...reported.values()].some(anyTokens) && !ds.some((d) => d.source === 'agent')) {
    // Its messages are lost (killed, or the log cut): the result line stands for them.
    const d = draft('agent', { from: 'result_line' });
    ds.push(d);
  }
  if (!ds.length) return undefined;
  const agents = ds.filter((d) => d.source === 'agent');
  const acc = account(
    agents.map((d) => ({ model: d.model ?? o.model, tokens: d.tokens })),
    reported,
    o.priceOf,
    o.model,
  );
  const metrics = new Map(agents.map((d, i) => [d, acc.perStep[i]]));
  const clip = new Clipper(o.budget);
  const steps = ds.map((d, i): AtifStep => {
    const cuts: Cut[] = [];
    const s: AtifStep = { step_id: i + 1, source: d.source, message: clip.text(d.texts.join('\n\n'), 'message', cuts) };
    if (d.timestamp) s.timestamp = d.timestamp;
    if (d.source === 'agent') {
      const model = d.model ?? o.model;
      if (model) s.model_name = model;
      if (d.thinking.length) s.reasoning_content = clip.text(d.thinking.join('\n\n'), 'reasoning_content', cuts);
      if (d.calls.length)
        s.tool_calls = d.calls.map((c) => ({
          ...c,
          arguments: clip.value(c.arguments, 'tool_calls.arguments', cuts) as Record<string, unknown>,
        }));
      const m = metrics.get(d);
      if (m) s.metrics = m;
      if (d.tokens) s.llm_call_count = 1;
    }
    if (d.results.length)
      s.observation = {
        results: d.results.map((r) => ({ ...r, content: clip.text(r.content ?? '', 'observation', cuts) })),
      };
    const extra = { ...d.extra, ...(cuts.length ? { truncated: cuts } : {}) };
    if (Object.keys(extra).length) s.extra = extra;
    return ordered(s);
  });
  const trajectory: AtifTrajectory = {
    schema_version: ATIF_VERSION,
    ...(o.sessionId ? { session_id: o.sessionId } : {}),
    agent: { name: o.agentName, version: o.agentVersion, ...(o.model ? { model_name: o.model } : {}) },
    steps,
    notes:
      `Converted by tb2 from ${o.agentName}'s ${o.source === 'session' ? 'chat log' : 'stream (no chat log was found)'}. ` +
      `Step metrics are each model response's usage, matched to the result line's totals; cost_usd is estimated ` +
      `from list prices as of ${o.pricesAsOf} (the CLI reports none).`,
    final_metrics: { ...acc.final, total_steps: steps.length },
    extra: {
      source: o.source,
      ...(o.sourceFile ? { source_file: o.sourceFile } : {}),
      ...(o.skipped ? { lines_skipped: o.skipped } : {}),
      ...(clip.cuts ? { strings_cut: clip.cuts } : {}),
    },
  };
  return { trajectory, usage: acc.usage };
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

function ordered(s: AtifStep): AtifStep {
  return Object.fromEntries(ORDER.filter((k) => s[k] !== undefined).map((k) => [k, s[k]])) as unknown as AtifStep;
}
