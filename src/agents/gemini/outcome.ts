// How a gemini-cli run ended, as a named failure for result.json's exception_info. Its
// `result` line says status "success" or "error" with the error's class name and message;
// an API failure's message embeds the API's JSON ("[API Error: {"error":{"code":401,…}}]"),
// and the exit code is the HTTP status mod 256 (401 → 145, 429 → 173). Its own fatal errors
// have fixed exit codes (packages/core/src/utils/errors.ts): 41 authentication, 42 input,
// 52 config, 53 turn limit. Messages carry only statuses and the CLI's own text. Pure.
import type { AgentError } from '../claude/outcome.js';
import { statusOf } from './session.js';
import type { ResultLine } from './stream.js';

const clip = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

const KEY_HINT = 'Check GEMINI_API_KEY (and GOOGLE_GEMINI_BASE_URL) in the caller’s environment';

/** A failure named from what the CLI said (type, message) and its exit code. */
export function classify(
  agent: string,
  api: string,
  keyHint: string,
  errType: string | undefined,
  said: string,
  exitCode: number | undefined,
): AgentError {
  const status = statusOf(said);
  const detail = said ? `: ${clip(said)}` : '';
  const text = `${errType ?? ''} ${said}`;
  if (
    status === 401 ||
    status === 403 ||
    /AuthenticationError|API[ _]key not valid|API_KEY_INVALID|UNAUTHENTICATED|PERMISSION_DENIED|invalid[ _]api[ _]key|Incorrect API key/i.test(
      text,
    ) ||
    exitCode === 41
  )
    return {
      type: 'AgentAuthError',
      message: `${agent}: the ${api} refused the credentials${status ? ` (HTTP ${status})` : ''}${detail}. ${keyHint}`,
    };
  if (status === 429 || /RESOURCE_EXHAUSTED|rate.?limit|quota/i.test(text))
    return {
      type: 'AgentRateLimitError',
      message: `${agent}: rate limited by the ${api}${status ? ` (HTTP ${status})` : ''} after its retries${detail}`,
    };
  if (
    /context.?(window|length)|maximum (number of tokens|context)|input token count|token limit|too many tokens|prompt is too long/i.test(
      text,
    )
  )
    return {
      type: 'ContextLengthExceededError',
      message: `${agent}: the conversation no longer fits the model's context window${detail}`,
    };
  if (/TurnLimited|max(imum)? session turns|max.?turns/i.test(text) || exitCode === 53)
    return { type: 'AgentMaxTurnsError', message: `${agent}: stopped at the turn limit (--max-turns)${detail}` };
  if (status !== undefined && (status >= 500 || status === 529))
    return {
      type: 'AgentOverloadedError',
      message: `${agent}: the ${api} was failing (HTTP ${status}) after its retries${detail}`,
    };
  if (status !== undefined)
    return { type: 'AgentApiError', message: `${agent}: the ${api} answered HTTP ${status}${detail}` };
  return { type: 'AgentExecutionError', message: `${agent}: the run ended with an error${detail}` };
}

/** undefined = the run succeeded. */
export function errorOfResult(r: ResultLine, exitCode: number): AgentError | undefined {
  if (r.status === 'success') return undefined;
  return classify('gemini-cli', 'Gemini API', KEY_HINT, r.error?.type, r.error?.message ?? '', exitCode);
}

/** A run that ended with no `result` line (and no timeout or cancel to explain it). */
export function errorWithoutResult(
  agent: string,
  exitCode: number,
  lastOutput: string[],
  keyHint = KEY_HINT,
): AgentError {
  const tail = lastOutput.join(' | ');
  if (exitCode !== 0) {
    const named = classify(agent, 'API', keyHint, undefined, tail, exitCode);
    if (named.type !== 'AgentExecutionError' && named.type !== 'AgentApiError') return named;
  }
  return {
    type: exitCode === 0 ? 'AgentNoResultError' : 'NonZeroAgentExitCodeError',
    message: `${agent} exited with code ${exitCode} before writing its result line${tail ? `; last output: ${clip(tail, 500)}` : ''}`,
  };
}
