// How a codex run ended, as a named failure for result.json's exception_info. Codex reports
// API failures as text ("unexpected status 401 Unauthorized: …, url: …, request id: …") in
// turn.failed / error events, so the HTTP status and OpenAI's error codes are read from it.
// Messages carry only codex's own text (which names the URL, never the key).
export interface AgentError {
  type: string;
  message: string;
}

const clip = (s: string, n = 400) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** A failure message of codex as a named error. Pure. */
export function errorOfFailure(message: string): AgentError {
  const said = clip(message.trim());
  const status = /\bstatus (\d{3})\b/.exec(message)?.[1];
  const s = status ? Number(status) : undefined;
  if (s === 401 || s === 403 || /invalid_api_key|incorrect api key|missing bearer|no api key/i.test(message))
    return {
      type: 'AgentAuthError',
      message: `codex: the OpenAI API refused the credentials${s ? ` (HTTP ${s})` : ''}: ${said}. Check OPENAI_API_KEY in the caller's environment`,
    };
  if (/context[_ ]length[_ ]exceeded|context window|maximum context length/i.test(message))
    return {
      type: 'ContextLengthExceededError',
      message: `codex: the conversation exceeded the model's context window: ${said}`,
    };
  if (s === 429 || /rate limit|insufficient_quota|usage limit/i.test(message))
    return {
      type: 'AgentRateLimitError',
      message: `codex: rate limited by the OpenAI API after codex's retries: ${said}`,
    };
  if (s !== undefined && s >= 500)
    return {
      type: 'AgentOverloadedError',
      message: `codex: the OpenAI API was failing (HTTP ${s}) after codex's retries: ${said}`,
    };
  if (s !== undefined) return { type: 'AgentApiError', message: `codex: the OpenAI API answered HTTP ${s}: ${said}` };
  return { type: 'AgentExecutionError', message: `codex: the turn failed: ${said}` };
}

export function maxTurnsError(limit: number): AgentError {
  return { type: 'AgentMaxTurnsError', message: `codex: stopped at the turn limit (--max-turns ${limit})` };
}

/** A run that ended with neither turn.completed nor turn.failed (and no timeout or cancel). */
export function errorWithoutEnd(exitCode: number, lastOutput: string[]): AgentError {
  const tail = lastOutput.length ? `; last output: ${clip(lastOutput.join(' | '), 500)}` : '';
  return {
    type: exitCode === 0 ? 'AgentNoResultError' : 'NonZeroAgentExitCodeError',
    message: `codex exited with code ${exitCode} before its turn ended${tail}`,
  };
}
