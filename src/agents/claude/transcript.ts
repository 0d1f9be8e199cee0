// Follows Claude Code's session log (CLAUDE_CONFIG_DIR/projects/<cwd>/<session>.jsonl),
// or failing that its stream-json output, line by line into drafts of ATIF steps, mapped
// as Harbor's own conversion does (src/harbor/agents/installed/claude_code.py,
// _convert_events_to_trajectory, https://github.com/laude-institute/harbor):
// - a `user` line with text → a `user` step (`system` for Claude Code's own meta messages);
// - the `assistant` lines of one API message (one per content block, same message.id) →
//   one `agent` step: text → message, thinking → reasoning_content, tool_use → tool_calls,
//   usage: the last one logged for that id;
// - a tool_result → observation.results of the step holding its tool_use (source_call_id);
//   one with no such call becomes a `system` step of its own;
// - anything else (attachments, request copies, queue operations…) is skipped, as are
//   lines already seen (same uuid: a resumed session replays them).
// Pure state machine; trajectory.ts turns the drafts into the trajectory.
import type { AtifObservationResult, AtifStep, AtifToolCall } from '../atif.js';
import { Clipper, type Cut } from './clip.js';
import { parseStreamLine, type AssistantLine, type ResultLine, type StreamUsage, type UserLine } from './stream.js';

export interface Draft {
  step: Omit<AtifStep, 'step_id'> & { extra: Record<string, unknown> };
  texts: string[];
  thinking: string[];
  calls: AtifToolCall[];
  results: AtifObservationResult[];
  cuts: Cut[];
  usage?: StreamUsage;
}

/** Cheap test before parsing: request copies and snapshots can be large and are never steps. */
const RELEVANT = /"type"\s*:\s*"(user|assistant|result|system)"/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

export class Transcript {
  readonly drafts: Draft[] = [];
  result?: ResultLine;
  sessionId?: string;
  version?: string;
  model?: string;
  /** Lines that looked like messages but were not JSON (cut by a size limit). */
  skipped = 0;
  readonly clip: Clipper;
  private readonly byMessage = new Map<string, Draft>();
  private readonly byCall = new Map<string, Draft>();
  private readonly answered = new Set<string>();
  private readonly uuids = new Set<string>();

  /** `budget`: characters of content kept in full before strings are cut short (clip.ts). */
  constructor(budget?: number) {
    this.clip = new Clipper(budget);
  }

  feed(raw: string): void {
    if (!RELEVANT.test(raw)) return;
    const p = parseStreamLine(raw);
    if (p.kind === 'other' || p.kind === 'retry') {
      if (p.kind === 'other' && !isJson(raw)) this.skipped++;
      return;
    }
    const line = p.line as Record<string, unknown>;
    const uuid = str(line.uuid);
    if (uuid && this.uuids.has(uuid)) return;
    if (uuid) this.uuids.add(uuid);
    this.sessionId ??= str(line.sessionId) ?? str(line.session_id);
    this.version ??= str(line.version);
    if (p.kind === 'init') {
      this.version ??= p.line.claude_code_version;
      this.model ??= p.line.model;
    } else if (p.kind === 'result') this.result = p.line;
    else if (p.kind === 'assistant') this.assistant(p.line, timestampOf(line));
    else this.user(p.line, timestampOf(line));
  }

  push(source: AtifStep['source'], timestamp: string | undefined, extra: Record<string, unknown> = {}): Draft {
    const d: Draft = {
      step: { source, message: '', ...(timestamp ? { timestamp } : {}), extra },
      texts: [],
      thinking: [],
      calls: [],
      results: [],
      cuts: [],
    };
    this.drafts.push(d);
    return d;
  }

  private assistant(line: AssistantLine, timestamp?: string): void {
    const m = line.message;
    let d = m.id ? this.byMessage.get(m.id) : undefined;
    if (!d) {
      // Claude Code's synthetic messages (API errors) made no API call: no model, no usage.
      const synthetic = m.model === '<synthetic>';
      d = this.push('agent', timestamp, {
        ...(m.id ? { message_id: m.id } : {}),
        ...(synthetic ? { synthetic: true } : {}),
        ...(line.isSidechain === true ? { is_sidechain: true } : {}),
      });
      if (!synthetic && m.model) {
        d.step.model_name = m.model;
        this.model ??= m.model;
      }
      if (m.id) this.byMessage.set(m.id, d);
    }
    const requestId = str(line.requestId) ?? str(line.request_id);
    if (requestId) d.step.extra.request_id = requestId;
    const stop = str(m.stop_reason);
    if (stop) d.step.extra.stop_reason = stop;
    if (m.usage && d.step.extra.synthetic !== true) d.usage = m.usage;
    for (const b of m.content) {
      const block = b as Record<string, unknown>;
      if (b.type === 'text' && typeof block.text === 'string' && block.text.trim()) d.texts.push(block.text);
      else if (b.type === 'thinking' && typeof block.thinking === 'string' && block.thinking.trim())
        d.thinking.push(block.thinking);
      else if (b.type === 'tool_use') this.toolUse(d, block);
    }
  }

  private toolUse(d: Draft, b: Record<string, unknown>): void {
    const id = str(b.id);
    if (!id || this.byCall.has(id)) return;
    const input = b.input && typeof b.input === 'object' && !Array.isArray(b.input) ? b.input : { input: b.input };
    const field = `tool_calls[${d.calls.length}].arguments`;
    d.calls.push({
      tool_call_id: id,
      function_name: str(b.name) ?? '',
      arguments: this.clip.value(input, field, d.cuts) as Record<string, unknown>,
    });
    this.byCall.set(id, d);
  }

  private user(line: UserLine, timestamp?: string): void {
    const c = line.message.content;
    const texts: string[] = [];
    for (const b of typeof c === 'string' ? [{ type: 'text', text: c }] : c) {
      const block = b as Record<string, unknown>;
      if (b.type === 'text' && typeof block.text === 'string') texts.push(block.text);
      else if (b.type === 'image') texts.push('[image]');
      else if (b.type === 'tool_result') this.toolResult(block, timestamp);
    }
    const text = texts.filter((t) => t.trim()).join('\n\n');
    if (!text) return;
    const meta = line.isMeta === true || line.isCompactSummary === true;
    this.push(meta ? 'system' : 'user', timestamp, line.isSidechain === true ? { is_sidechain: true } : {}).texts.push(
      text,
    );
  }

  private toolResult(b: Record<string, unknown>, timestamp?: string): void {
    const id = str(b.tool_use_id);
    if (id && this.answered.has(id)) return;
    if (id) this.answered.add(id);
    const owner = id ? this.byCall.get(id) : undefined;
    const d = owner ?? this.push('system', timestamp);
    const field = `observation.results[${d.results.length}].content`;
    const r: AtifObservationResult = {
      ...(owner ? { source_call_id: id } : {}),
      content: this.clip.text(resultText(b.content), field, d.cuts),
    };
    const extra = { ...(owner || !id ? {} : { tool_use_id: id }), ...(b.is_error === true ? { is_error: true } : {}) };
    if (Object.keys(extra).length) r.extra = extra;
    d.results.push(r);
  }
}

/** A tool_result's content (a string, or text and image blocks) as text. */
function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return content == null ? '' : JSON.stringify(content);
  return content
    .map((b: { type?: unknown; text?: unknown }) =>
      b?.type === 'text' && typeof b.text === 'string' ? b.text : `[${String(b?.type ?? 'block')}]`,
    )
    .join('\n');
}

function isJson(raw: string): boolean {
  try {
    JSON.parse(raw);
    return true;
  } catch {
    return false;
  }
}

function timestampOf(line: Record<string, unknown>): string | undefined {
  const t = str(line.timestamp);
  return t && ISO.test(t) && !Number.isNaN(Date.parse(t)) ? t : undefined;
}
