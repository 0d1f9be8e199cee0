// How a Claude Code run ended, as a named failure for result.json's exception_info.
// Success (docs/claude-code.md): subtype "success" and not is_error. An API failure keeps subtype
// "success" but sets is_error and api_error_status (401, 429, 529…), so the status is
// checked first. Messages never carry a secret: only statuses and Claude's own text.
import type { ResultLine } from './stream.js';

export interface AgentError {
  type: string;
  message: string;
}

const clip = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** undefined = the run succeeded. Pure. */
export function errorOfResult(r: ResultLine): AgentError | undefined {
  if (r.subtype === 'success' && !r.is_error) return undefined;
  const said = clip(([r.result, ...(r.errors ?? [])].filter(Boolean) as string[]).join('; ').trim());
  const detail = said ? `: ${said}` : '';
  const status = r.api_error_status ?? undefined;
  if (status === 401 || status === 403) {
    return {
      type: 'AgentAuthError',
      message: `claude-code: the Anthropic API refused the credentials (HTTP ${status}${r.api_error_type ? ` ${r.api_error_type}` : ''})${detail}. Check ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN) in the caller's environment`,
    };
  }
  if (status === 429) {
    return {
      type: 'AgentRateLimitError',
      message: `claude-code: rate limited by the Anthropic API (HTTP 429) after Claude Code's retries${detail}`,
    };
  }
  if (status !== undefined && (status === 529 || status >= 500)) {
    return {
      type: 'AgentOverloadedError',
      message: `claude-code: the Anthropic API was ${status === 529 ? 'overloaded' : 'failing'} (HTTP ${status}) after Claude Code's retries${detail}`,
    };
  }
  if (status !== undefined) {
    return {
      type: 'AgentApiError',
      message: `claude-code: the Anthropic API answered HTTP ${status}${r.api_error_type ? ` ${r.api_error_type}` : ''}${detail}`,
    };
  }
  if (r.subtype === 'error_max_turns') {
    return {
      type: 'AgentMaxTurnsError',
      message: `claude-code: stopped at the turn limit (--max-turns) after ${r.num_turns ?? '?'} turns${detail}`,
    };
  }
  return {
    type: 'AgentExecutionError',
    message: `claude-code: the run ended with ${r.subtype}${r.is_error ? ' (is_error)' : ''}${detail}`,
  };
}

/** A run that ended with no `result` line (and no timeout or cancel to explain it). */
export function errorWithoutResult(exitCode: number, lastOutput: string[]): AgentError {
  const tail = lastOutput.length ? `; last output: ${clip(lastOutput.join(' | '), 500)}` : '';
  return {
    type: exitCode === 0 ? 'AgentNoResultError' : 'NonZeroAgentExitCodeError',
    message: `claude-code exited with code ${exitCode} before writing its result line${tail}`,
  };
}
