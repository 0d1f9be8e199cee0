// Errors that decide a trial's status and the process exit code (README "Exit status").
// Each carries the exception_type written to result.json, so tooling that reads Harbor's
// trial results sees familiar names.

export type ErrorKind = 'usage' | 'validation' | 'infra' | 'trial' | 'cancelled';

export class Tb2Error extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly exceptionType: string,
    message: string,
  ) {
    super(message);
    this.name = exceptionType;
  }
}

/** Bad flags or inputs: exit 2. */
export class UsageError extends Tb2Error {
  constructor(message: string) {
    super('usage', 'UsageError', message);
  }
}

/** A task directory that fails validation before anything runs: exit 2 (README "Exit status"). */
export class TaskValidationError extends Tb2Error {
  constructor(message: string) {
    super('validation', 'TaskValidationError', message);
  }
}

/** Docker unreachable, pull/build failure, container would not start: exit 3. */
export class InfraError extends Tb2Error {
  constructor(exceptionType: string, message: string) {
    super('infra', exceptionType, message);
  }
}

/** A trial that ran but could not produce a reward (no reward file, verifier timeout). */
export class TrialError extends Tb2Error {
  constructor(exceptionType: string, message: string) {
    super('trial', exceptionType, message);
  }
}

export class CancelledError extends Tb2Error {
  constructor(readonly signal: string = 'SIGINT') {
    super('cancelled', 'CancelledError', `cancelled by ${signal}`);
  }

  /** The cancellation an aborted signal stands for (its reason names SIGINT or SIGTERM). */
  static of(signal: AbortSignal): CancelledError {
    return new CancelledError(typeof signal.reason === 'string' ? signal.reason : 'SIGINT');
  }
}

/** Any thrown value as a Tb2Error; unknown errors are infrastructure faults of ours. */
export function asTb2Error(err: unknown): Tb2Error {
  if (err instanceof Tb2Error) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new InfraError('InternalError', message);
}
