// How a qwen-code run ended, as a named failure for result.json's exception_info. Its
// `result` line has subtype "success", "error_max_turns" or "error_during_execution" with
// error.message, where an API failure reads "[API Error: 401 Incorrect API key …]" (exit 1).
// The naming itself is gemini-cli's (the same fork family): gemini/outcome.ts classify. Pure.
import type { AgentError } from '../claude/outcome.js';
import { classify, errorWithoutResult as withoutResult } from '../gemini/outcome.js';
import { statusOf } from '../gemini/session.js';
import { apiStatusOf, type ResultLine } from './stream.js';

export const KEY_HINT = 'Check OPENAI_API_KEY (and OPENAI_BASE_URL, ending in /v1) in the caller’s environment';
const API = 'OpenAI-compatible API';

/** The message with its status in the form gemini's classify reads ("status 401"). */
export function withStatus(message: string): string {
  const s = apiStatusOf(message);
  return s !== undefined && statusOf(message) === undefined ? `${message} (status ${s})` : message;
}

/** undefined = the run succeeded. */
export function errorOfResult(r: ResultLine, exitCode: number): AgentError | undefined {
  if (r.subtype === 'success' && !r.is_error) return undefined;
  if (r.subtype === 'error_max_turns')
    return { type: 'AgentMaxTurnsError', message: `qwen-code: stopped at the turn limit (--max-turns)` };
  return classify('qwen-code', API, KEY_HINT, r.error?.type, withStatus(r.error?.message ?? r.result ?? ''), exitCode);
}

/** A run that ended with no `result` line (and no timeout or cancel to explain it). */
export function errorWithoutResult(exitCode: number, lastOutput: string[]): AgentError {
  return withoutResult('qwen-code', exitCode, lastOutput.map(withStatus), KEY_HINT);
}
