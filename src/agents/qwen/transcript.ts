// qwen-code's stream as step drafts for the ATIF builder of gemini/trajectory.ts (the stream
// carries everything a trajectory needs: each response's text, reasoning, tool calls with
// their ids and usage, and the tool results). One agent draft per model response: the
// assistant lines up to the next tool results; a zero-usage "[API Error: …]" text is a system
// step, not a response. Pure.
import type { Tokens } from '../gemini/accounting.js';
import { draft, type Draft } from '../gemini/transcript.js';
import { isApiErrorText, parseStreamLine, resultText, type ResultLine } from './stream.js';

const obj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

export class QwenTranscript {
  sessionId?: string;
  model?: string;
  result?: ResultLine;
  skipped = 0;
  readonly out: Draft[] = [];
  private turn?: Draft;

  /** The prompt goes first (the stream does not repeat it), before any API error. */
  constructor(instruction?: string) {
    if (instruction === undefined) return;
    const d = draft('user');
    d.texts.push(instruction);
    this.out.push(d);
  }

  feed(line: string): void {
    const p = parseStreamLine(line);
    if (p.kind === 'init') {
      this.sessionId ??= p.line.session_id;
      this.model ??= p.line.model;
    } else if (p.kind === 'assistant') {
      const m = p.line.message;
      const u = m.usage;
      const blocks = m.content;
      const apiError =
        (!u || u.input_tokens + u.output_tokens === 0) &&
        blocks.length > 0 &&
        blocks.every((b) => b.type === 'text' && typeof b.text === 'string' && isApiErrorText(b.text));
      if (apiError) {
        const d = draft('system', { from: 'api_error' });
        d.texts.push(blocks.map((b) => String(b.text)).join('\n'));
        this.out.push(d);
        return;
      }
      const t = this.current();
      if (m.model) t.model ??= m.model;
      if (m.id) ((t.extra.message_ids ??= []) as string[]).push(m.id);
      for (const b of blocks) {
        if (b.type === 'text' && typeof b.text === 'string' && b.text) t.texts.push(b.text);
        else if (b.type === 'thinking' && typeof b.thinking === 'string' && b.thinking) t.thinking.push(b.thinking);
        else if (b.type === 'tool_use' && typeof b.name === 'string')
          t.calls.push({
            tool_call_id: typeof b.id === 'string' ? b.id : `call_${t.calls.length + 1}`,
            function_name: b.name,
            arguments: obj(b.input) ? b.input : {},
          });
      }
      if (u) {
        const add: Tokens = { prompt: u.input_tokens, cached: u.cache_read_input_tokens, completion: u.output_tokens };
        t.tokens = t.tokens
          ? {
              prompt: t.tokens.prompt + add.prompt,
              cached: t.tokens.cached + add.cached,
              completion: t.tokens.completion + add.completion,
            }
          : add;
      }
    } else if (p.kind === 'user') {
      const content = p.line.message.content;
      for (const b of Array.isArray(content) ? content : []) {
        if (b.type !== 'tool_result') continue;
        const id = typeof b.tool_use_id === 'string' ? b.tool_use_id : undefined;
        const owner = [...this.out].reverse().find((d) => d.calls.some((c) => c.tool_call_id === id));
        if (!owner || !id) continue;
        owner.results.push({
          source_call_id: id,
          content: resultText(b.content),
          ...(b.is_error === true ? { extra: { is_error: true } } : {}),
        });
      }
      // The next assistant line is the model's next response.
      this.turn = undefined;
    } else if (p.kind === 'result') this.result = p.line;
    else if (p.kind === 'other' && line.trim().startsWith('{')) this.skipped++;
  }

  private current(): Draft {
    if (!this.turn) {
      this.turn = draft('agent');
      this.out.push(this.turn);
    }
    return this.turn;
  }
}

/** The result line's totals, tokens as accounting.ts counts them, keyed by the run's model. */
export function reportedOf(r: ResultLine | undefined, model: string | undefined): Map<string, Tokens> | undefined {
  const u = r?.usage;
  if (!u) return undefined;
  return new Map([
    [model ?? '', { prompt: u.input_tokens, cached: u.cache_read_input_tokens, completion: u.output_tokens }],
  ]);
}
