// The trial result (README "Results"), field names following Harbor's TrialResult so tools
// that read Harbor's result.json read ours:
// https://github.com/laude-institute/harbor (src/harbor/models/trial/result.py).
// Defined as zod schemas because aggregation reads these files back (a boundary).
import { z } from 'zod';

const timing = z.object({ started_at: z.string().nullable(), finished_at: z.string().nullable() });
export type TimingInfo = z.infer<typeof timing>;

const exceptionInfo = z.object({
  exception_type: z.string(),
  exception_message: z.string(),
  occurred_at: z.string(),
  phase: z.string().optional(),
  /** errors.ts ErrorKind of a fatal error: what the exit status is derived from. */
  kind: z.enum(['usage', 'validation', 'infra', 'trial', 'cancelled']).optional(),
});
export type ExceptionInfo = z.infer<typeof exceptionInfo>;

export const testCaseSchema = z.object({
  name: z.string(),
  status: z.string(),
  duration_ms: z.number().optional(),
  message: z.string().optional(),
});
/** One test of the verifier's CTRF report (https://ctrf.io/docs/specification/overview). */
export type TestCase = z.infer<typeof testCaseSchema>;

export const trialStatus = z.enum(['completed', 'error', 'cancelled']);
export type TrialStatus = z.infer<typeof trialStatus>;

export const trialResultSchema = z.looseObject({
  task_name: z.string(),
  trial_name: z.string(),
  task_dir: z.string(),
  attempt: z.number().int(),
  status: trialStatus,
  reward: z.number().nullable(),
  passed: z.boolean(),
  tests: z.array(testCaseSchema),
  tests_passed: z.number().int(),
  tests_total: z.number().int(),
  agent_info: z.object({
    name: z.string(),
    version: z.string().nullable(),
    model_info: z.object({ name: z.string(), provider: z.string().nullable() }).nullable(),
  }),
  agent_result: z.object({
    n_input_tokens: z.number().nullable(),
    n_cache_tokens: z.number().nullable(),
    n_output_tokens: z.number().nullable(),
    cost_usd: z.number().nullable(),
    cost_estimated: z.boolean(),
  }),
  verifier_result: z.object({ rewards: z.record(z.string(), z.number()) }).nullable(),
  exception_info: exceptionInfo.nullable(),
  exceptions: z.array(exceptionInfo),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  environment_setup: timing.nullable(),
  agent_setup: timing.nullable(),
  agent_execution: timing.nullable(),
  verifier: timing.nullable(),
  config: z.looseObject({}),
});
export type TrialResult = z.infer<typeof trialResultSchema>;
