// How an opencode run ended, as a named failure for result.json's exception_info (Harbor's
// names where it has them). opencode reports an API failure as one `error` event
// {name: "APIError", data: {message, statusCode, isRetryable}} and exits 1: a 401 at once,
// a 429 or 5xx after its own retries (about a minute). Its other failures arrive as
// "UnknownError" with the real cause only in its log (ProviderModelNotFoundError for a
// model its catalogue lacks), which the script puts on stderr. Messages carry opencode's
// own text, which names the URL, never the key. Pure.
import type { Failure } from './stream.js';

export interface AgentError {
  type: string;
  message: string;
}

/** How an auth failure reads without a status (a missing key is caught before any request). */
const AUTH = /AuthError|Unauthorized|invalid[_ ]api[_ ]key|incorrect api key|(missing|no) api key|api key is missing/i;

const clip = (s: string, n = 400) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** The key variable for a model's provider, for the auth hint. */
export function keyHint(provider: string | undefined): string {
  const v =
    provider === 'anthropic'
      ? 'ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL)'
      : provider === 'openai' || !provider
        ? 'OPENAI_API_KEY (and OPENAI_BASE_URL, ending in /v1)'
        : `the ${provider} provider's key variable (forward it with --agent-env)`;
  return `Check ${v} in the caller's environment`;
}

/** The key variable opencode's built-in provider reads, where we know it. */
export const KEY_VARS: Record<string, string> = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  google: 'GOOGLE_GENERATIVE_AI_API_KEY',
};

/**
 * `keyGiven`: whether the provider's key variable reached opencode. Without it opencode
 * loads none of the provider's models and says "Model not found" for every one of them.
 */
export function errorOfFailure(
  f: Failure,
  provider: string | undefined,
  loggedError?: string,
  keyGiven = true,
): AgentError {
  const s = f.status;
  const said = clip(f.message || f.name);
  const text = `${f.name} ${f.message}`;
  if (s === 401 || s === 403 || (s === undefined && AUTH.test(text)))
    return {
      type: 'AgentAuthError',
      message: `opencode: the model API refused the credentials${s ? ` (HTTP ${s})` : ''}: ${said.replace(/\.$/, '')}. ${keyHint(provider)}`,
    };
  if (/context[_ ]length|context window|ContextOverflow|maximum context|prompt is too long/i.test(text))
    return {
      type: 'ContextLengthExceededError',
      message: `opencode: the conversation exceeded the model's context window: ${said}`,
    };
  if (s === 429 || /rate limit|insufficient_quota|quota/i.test(text))
    return {
      type: 'AgentRateLimitError',
      message: `opencode: rate limited by the model API after opencode's retries: ${said}`,
    };
  if (s !== undefined && s >= 500)
    return {
      type: 'AgentOverloadedError',
      message: `opencode: the model API was failing (HTTP ${s}) after opencode's retries: ${said}`,
    };
  if (s !== undefined) return { type: 'AgentApiError', message: `opencode: the model API answered HTTP ${s}: ${said}` };
  if (loggedError && /ModelNotFound/.test(loggedError) && !keyGiven && provider && KEY_VARS[provider])
    return {
      type: 'AgentAuthError',
      message: `opencode: no ${KEY_VARS[provider]} reached it, so it loaded no ${provider} models (${clip(loggedError, 200)}). ${keyHint(provider)}`,
    };
  if (loggedError && /ModelNotFound/.test(loggedError))
    return {
      type: 'ModelNotFoundError',
      message: `opencode: ${clip(loggedError)} (the model as provider/model, from opencode's catalogue)`,
    };
  const cause = loggedError ? `; its log: ${clip(loggedError)}` : '';
  return { type: 'AgentExecutionError', message: `opencode: ${f.name}: ${said}${cause}` };
}

export function maxTurnsError(limit: number): AgentError {
  return { type: 'AgentMaxTurnsError', message: `opencode: stopped at the turn limit (--max-turns ${limit})` };
}

/** A run that ended without finishing its turn or an error event (and no timeout or cancel). */
export function errorWithoutEnd(exitCode: number, lastOutput: string[]): AgentError {
  const tail = lastOutput.length ? `; last output: ${clip(lastOutput.join(' | '), 500)}` : '';
  return {
    type: exitCode === 0 ? 'AgentNoResultError' : 'NonZeroAgentExitCodeError',
    message: `opencode exited with code ${exitCode} before its turn ended${tail}`,
  };
}
