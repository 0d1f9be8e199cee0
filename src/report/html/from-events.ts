// Transcript entries from what a trial folder holds: our events.jsonl (events.ts, one event a
// line) or, for a Harbor trial folder or one without events, the agent's raw log lines
// (Claude Code's stream-json, https://docs.claude.com/en/docs/claude-code/sdk/sdk-headless,
// else plain text) and an ATIF trajectory (agent/trajectory.json, RFC 0001 in Harbor).
// Pure: one parsed line or file in, entries out.
import type { TrialEvent } from '../../events.js';
import { agentMessageLine } from '../agent-lines.js';
import type { Entry } from './transcript.js';

const isTimeout = (type: string) => /timeout|timed ?out/i.test(type);

/** One line of events.jsonl (already JSON-parsed) -> entries. Unknown lines give none. */
export function entriesOfEvent(raw: unknown): Entry[] {
  if (typeof raw !== 'object' || raw === null) return [];
  const e = raw as TrialEvent | { type: 'output_truncated'; note?: string; at?: string };
  const at = typeof e.at === 'string' ? e.at : undefined;
  switch (e.type) {
    case 'trial_start':
      return [{ kind: 'note', text: `trial started: agent ${e.agent}, attempt ${e.attempt}`, at }];
    case 'step_start':
      return [{ kind: 'phase', text: `step ${e.index}/${e.total} "${e.step ?? ''}" started`, at }];
    case 'step_end':
      return [
        {
          kind: 'phase',
          ok: e.reward !== null,
          text: `step "${e.step ?? ''}" ended: reward ${e.reward ?? '-'}${e.stopped ? `; ${e.stopped}` : ''}`,
          at,
        },
      ];
    case 'phase_start':
      return [{ kind: 'phase', phase: e.phase, text: `${e.phase} started${e.detail ? `: ${e.detail}` : ''}`, at }];
    case 'phase_end':
      return [
        {
          kind: 'phase',
          phase: e.phase,
          ok: e.ok,
          text: `${e.phase} ${e.ok ? 'done' : 'failed'}${e.error ? `: ${e.error}` : ''}`,
          at,
        },
      ];
    case 'output':
      return [{ kind: 'output', phase: e.phase, text: String(e.line), at }];
    case 'agent_message': {
      const m = e.message;
      if (m.kind === 'text') return [{ kind: 'message', text: m.text, at }];
      if (m.kind === 'tool_use') return [{ kind: 'tool_call', text: `${m.name}${m.gist ? `: ${m.gist}` : ''}`, at }];
      if (m.kind === 'tool_result') return [{ kind: 'tool_result', ok: m.ok, text: m.gist, at }];
      const line = agentMessageLine(m);
      if (m.kind === 'result' && m.text && !m.is_error)
        return [
          { kind: 'message', text: m.text, at },
          { kind: 'note', text: line ?? '', at },
        ];
      return line ? [{ kind: m.kind === 'result' && m.is_error ? 'error' : 'note', text: line, at }] : [];
    }
    case 'verifier_result':
      return [
        {
          kind: 'note',
          text: `reward ${e.reward} (${Object.entries(e.rewards)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')})`,
          at,
        },
      ];
    case 'error':
      return [
        {
          kind: isTimeout(e.exception_type) ? 'timeout' : 'error',
          phase: e.phase,
          text: `${e.exception_type}: ${e.message}${e.fatal ? '' : ' (the trial went on)'}`,
          at,
        },
      ];
    case 'trial_retry':
      return [{ kind: 'note', text: `retry ${e.retry}/${e.max_retries} after ${e.exception_type}`, at }];
    case 'output_truncated':
      return [{ kind: 'cut', text: e.note ?? 'output lines cut from events.jsonl', at }];
    default:
      return [];
  }
}

type Json = Record<string, unknown>;
const obj = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);
const str = (x: unknown) => (typeof x === 'string' ? x : x === undefined ? '' : JSON.stringify(x));
const textOf = (c: unknown): string =>
  typeof c === 'string'
    ? c
    : Array.isArray(c)
      ? c.map((b) => (obj(b) && typeof b.text === 'string' ? b.text : str(b))).join('\n')
      : str(c);

/** One line of an agent's raw log -> entries: Claude Code stream-json when it parses as such, else an output line. */
export function entriesOfAgentLine(line: string, phase = 'agent'): Entry[] {
  const plain: Entry[] = [{ kind: 'output', phase, text: line }];
  if (!line.startsWith('{')) return plain;
  let j: unknown;
  try {
    j = JSON.parse(line);
  } catch {
    return plain;
  }
  if (!obj(j) || typeof j.type !== 'string') return plain;
  const content = obj(j.message) && Array.isArray(j.message.content) ? j.message.content.filter(obj) : [];
  switch (j.type) {
    case 'system':
      return j.subtype === 'init'
        ? [{ kind: 'note', text: `session: model ${str(j.model) || '?'}${j.cwd ? `, cwd ${str(j.cwd)}` : ''}` }]
        : [];
    case 'assistant':
      return content.flatMap((b): Entry[] =>
        b.type === 'text'
          ? [{ kind: 'message', text: str(b.text) }]
          : b.type === 'tool_use'
            ? [{ kind: 'tool_call', text: `${str(b.name)}: ${str(b.input)}` }]
            : [],
      );
    case 'user':
      return content.flatMap((b): Entry[] =>
        b.type === 'tool_result' ? [{ kind: 'tool_result', ok: b.is_error !== true, text: textOf(b.content) }] : [],
      );
    case 'result': {
      const parts = [`result: ${str(j.subtype)}${j.is_error ? ' (error)' : ''}`];
      if (typeof j.num_turns === 'number') parts.push(`${j.num_turns} turns`);
      if (typeof j.total_cost_usd === 'number') parts.push(`$${j.total_cost_usd.toFixed(4)}`);
      const out: Entry[] = [{ kind: j.is_error ? 'error' : 'note', text: parts.join(', ') }];
      return typeof j.result === 'string' && j.result ? [{ kind: 'message', text: j.result }, ...out] : out;
    }
    default:
      return plain;
  }
}

/** An ATIF trajectory (agent/trajectory.json) -> entries; null when it is not one. */
export function entriesOfTrajectory(raw: unknown): Entry[] | null {
  if (!obj(raw) || !Array.isArray(raw.steps)) return null;
  return raw.steps.filter(obj).flatMap((s): Entry[] => {
    const at = typeof s.timestamp === 'string' ? s.timestamp : undefined;
    const out: Entry[] = [];
    const msg = str(s.message);
    if (msg)
      out.push({
        kind: s.source === 'agent' ? 'message' : 'note',
        text: s.source === 'agent' ? msg : `${str(s.source)}: ${msg}`,
        at,
      });
    for (const c of Array.isArray(s.tool_calls) ? s.tool_calls.filter(obj) : [])
      out.push({ kind: 'tool_call', text: `${str(c.function_name)}: ${str(c.arguments)}`, at });
    const results = obj(s.observation) && Array.isArray(s.observation.results) ? s.observation.results.filter(obj) : [];
    for (const r of results) out.push({ kind: 'tool_result', text: str(r.content), at });
    return out;
  });
}

/** A trial's exceptions from its result, for folders without events (Harbor's). */
export function entriesOfExceptions(
  xs: ReadonlyArray<{ exception_type: string; exception_message: string; occurred_at?: string; phase?: string }>,
): Entry[] {
  return xs.map((x) => ({
    kind: isTimeout(x.exception_type) ? 'timeout' : 'error',
    phase: x.phase,
    text: `${x.exception_type}: ${x.exception_message}`,
    at: x.occurred_at || undefined,
  }));
}
