// The two readers of a gemini-cli run for trajectory.ts, both into step drafts: its chat log
// (GEMINI_CLI_HOME/.gemini/tmp/<project>/chats/session-*.jsonl, copied to agent/sessions/):
// JSONL of a header {sessionId, …}, message records {id, timestamp, type:
// user|gemini|info|warning|error, content, thoughts, tokens, model, toolCalls: [{id, name,
// args, result: [functionResponse…], status}]}, where a later record with the same id
// replaces the earlier one and {"$set": {messages}} replaces the whole list
// (packages/core/src/services/chatRecordingService.ts of https://github.com/google-gemini/gemini-cli);
// and, without one, its stream. Pure.
import type { AtifObservationResult, AtifToolCall } from '../atif.js';
import type { Tokens } from './accounting.js';
import { parseStreamLine, type ResultLine } from './stream.js';

export interface Draft {
  source: 'system' | 'user' | 'agent';
  timestamp?: string;
  model?: string;
  texts: string[];
  thinking: string[];
  calls: AtifToolCall[];
  results: AtifObservationResult[];
  tokens?: Tokens;
  extra: Record<string, unknown>;
}

export const draft = (source: Draft['source'], extra: Record<string, unknown> = {}): Draft => ({
  source,
  texts: [],
  thinking: [],
  calls: [],
  results: [],
  extra,
});

type Rec = Record<string, unknown>;
const obj = (v: unknown): v is Rec => !!v && typeof v === 'object' && !Array.isArray(v);
const isoOr = (v: unknown) => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? v : undefined);

/** Parts or a string as text (functionResponse parts are results, not text). */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((p) => (obj(p) && typeof p.text === 'string' && !p.thought ? p.text : ''))
    .filter(Boolean)
    .join('\n');
}

function responseText(r: unknown): string {
  if (!obj(r)) return typeof r === 'string' ? r : JSON.stringify(r ?? '');
  if (typeof r.output === 'string') return r.output;
  if (typeof r.error === 'string') return r.error;
  return JSON.stringify(r);
}

/** The chat log's messages, in order, after replacements. */
export class ChatLog {
  sessionId?: string;
  skipped = 0;
  private readonly byId = new Map<string, Rec>();
  private anon: Rec[] = [];

  feed(line: string): void {
    if (!line.trim()) return;
    let r: unknown;
    try {
      r = JSON.parse(line);
    } catch {
      this.skipped++;
      return;
    }
    if (!obj(r)) return void this.skipped++;
    if (obj(r.$set)) {
      if (Array.isArray(r.$set.messages)) {
        this.byId.clear();
        this.anon = [];
        for (const m of r.$set.messages) this.put(m);
      }
      return;
    }
    if (typeof r.sessionId === 'string' && r.type === undefined) {
      this.sessionId ??= r.sessionId;
      return;
    }
    this.put(r);
  }

  private put(m: unknown): void {
    if (!obj(m) || typeof m.type !== 'string') return;
    if (typeof m.id === 'string') {
      this.byId.set(m.id, m); // a later record of the same id replaces it
    } else this.anon.push(m);
  }

  messages(): Rec[] {
    return [...this.byId.values(), ...this.anon].sort(
      (a, b) => (Date.parse(String(a.timestamp)) || 0) - (Date.parse(String(b.timestamp)) || 0),
    );
  }

  drafts(): Draft[] {
    const out: Draft[] = [];
    for (const m of this.messages()) {
      const ts = isoOr(m.timestamp);
      if (m.type === 'user') {
        const text = textOf(m.content);
        if (!text) continue; // only functionResponse parts: already in the step of the call
        const d = text.startsWith('<session_context>') ? draft('system', { from: 'session_context' }) : draft('user');
        d.timestamp = ts;
        d.texts.push(text);
        out.push(d);
      } else if (m.type === 'gemini') {
        const d = draft('agent', { message_id: m.id });
        d.timestamp = ts;
        if (typeof m.model === 'string') d.model = m.model;
        const text = textOf(m.content);
        if (text) d.texts.push(text);
        for (const t of Array.isArray(m.thoughts) ? m.thoughts : [])
          if (obj(t)) d.thinking.push([t.subject, t.description].filter((x) => typeof x === 'string' && x).join(': '));
        for (const c of Array.isArray(m.toolCalls) ? m.toolCalls : []) {
          if (!obj(c) || typeof c.name !== 'string') continue;
          const id = typeof c.id === 'string' ? c.id : `call_${d.calls.length + 1}`;
          d.calls.push({ tool_call_id: id, function_name: c.name, arguments: obj(c.args) ? c.args : {} });
          const parts = Array.isArray(c.result) ? c.result : [];
          const content = parts
            .map((p: unknown) => (obj(p) && obj(p.functionResponse) ? responseText(p.functionResponse.response) : ''))
            .filter(Boolean)
            .join('\n');
          if (parts.length || c.status)
            d.results.push({
              source_call_id: id,
              content,
              extra: { status: c.status, ...(c.status && c.status !== 'success' ? { is_error: true } : {}) },
            });
        }
        const t = m.tokens;
        if (obj(t)) {
          const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
          d.tokens = { prompt: n(t.input), cached: n(t.cached), completion: n(t.output) + n(t.thoughts) };
          if (n(t.tool)) d.extra.tool_use_prompt_tokens = n(t.tool);
        }
        out.push(d);
      } else if (m.type === 'error' || m.type === 'warning' || m.type === 'info') {
        const text = textOf(m.content);
        if (!text) continue;
        const d = draft('system', { from: m.type });
        d.timestamp = ts;
        d.texts.push(text);
        out.push(d);
      }
    }
    return out;
  }
}

/** The stream alone (no chat log was found): text, calls and results; no per-step usage. */
export class StreamTranscript {
  sessionId?: string;
  model?: string;
  result?: ResultLine;
  readonly out: Draft[] = [];
  private turn?: Draft;
  private closeAfterResults = false;

  feed(line: string): void {
    const p = parseStreamLine(line);
    if (p.kind === 'init') {
      this.sessionId ??= p.line.session_id;
      this.model ??= p.line.model;
    } else if (p.kind === 'message' && p.line.role === 'user') {
      const d = draft('user');
      d.timestamp = isoOr(p.line.timestamp);
      d.texts.push(p.line.content);
      this.out.push(d);
      this.turn = undefined;
    } else if (p.kind === 'message' && p.line.role === 'assistant') {
      const t = this.current(p.line.timestamp);
      if (p.line.delta && t.texts.length) t.texts[t.texts.length - 1] += p.line.content;
      else t.texts.push(p.line.content);
    } else if (p.kind === 'tool_use') {
      const t = this.current(p.line.timestamp);
      const id = p.line.tool_id ?? `call_${t.calls.length + 1}`;
      t.calls.push({
        tool_call_id: id,
        function_name: p.line.tool_name,
        arguments: obj(p.line.parameters) ? p.line.parameters : {},
      });
    } else if (p.kind === 'tool_result') {
      const t = this.turn;
      const call = t?.calls.find((c) => c.tool_call_id === p.line.tool_id);
      if (t && call)
        t.results.push({
          source_call_id: call.tool_call_id,
          content: p.line.output ?? p.line.error?.message ?? '',
          extra: { status: p.line.status, ...(p.line.status !== 'success' ? { is_error: true } : {}) },
        });
      // The next text or call is the model's next response.
      this.closeAfterResults = true;
    } else if (p.kind === 'result') this.result = p.line;
  }

  private current(ts: unknown): Draft {
    if (!this.turn || this.closeAfterResults) {
      this.turn = draft('agent');
      this.turn.timestamp = isoOr(ts);
      this.out.push(this.turn);
      this.closeAfterResults = false;
    }
    return this.turn;
  }
}
