// The trial result (README "Results"): a superset of Harbor's TrialResult, so tools that
// read Harbor's result.json read ours — Harbor's fields with Harbor's names and JSON types
// (src/harbor/models/trial/result.py, https://github.com/laude-institute/harbor), beside
// our own (status, reward, passed, tests, exceptions, run_config). Defined as zod schemas
// because aggregation reads these files back (a boundary); Harbor's own files are mapped
// onto this shape by result/harbor-trial.ts, so the Harbor-only fields are optional here.
import { z } from 'zod';

const timing = z.object({ started_at: z.string().nullable(), finished_at: z.string().nullable() });
export type TimingInfo = z.infer<typeof timing>;

const exceptionInfo = z.object({
  exception_type: z.string(),
  exception_message: z.string(),
  /** Harbor's field (a Python traceback there): ours names the phase and the exception. */
  exception_traceback: z.string().optional(),
  occurred_at: z.string(),
  phase: z.string().optional(),
  /** errors.ts ErrorKind of a fatal error: what the exit status is derived from. */
  kind: z.enum(['usage', 'validation', 'infra', 'trial', 'cancelled']).optional(),
  /** The error that ended the trial (its status follows from it), as opposed to one it went on after. */
  fatal: z.boolean().optional(),
  /** Set on the exceptions of an attempt that was replaced by a retry (--max-retries). */
  retried: z.boolean().optional(),
  /** The step of a multi-step task it was raised in (then it is that step's, not the trial's). */
  step: z.string().optional(),
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

/** Harbor's AgentContext (models/agent/context.py) plus our `cost_estimated`. */
const agentResult = z.object({
  n_input_tokens: z.number().nullable(),
  n_cache_tokens: z.number().nullable(),
  n_output_tokens: z.number().nullable(),
  cost_usd: z.number().nullable(),
  rollout_details: z.array(z.unknown()).nullable().optional(),
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
  cost_estimated: z.boolean(),
});
export type AgentResult = z.infer<typeof agentResult>;

export const trialResultSchema = z.looseObject({
  // Harbor's identity fields (absent from files written before the Harbor results issue).
  id: z.string().optional(),
  task_name: z.string(),
  trial_name: z.string(),
  trial_uri: z.string().optional(),
  task_id: z.looseObject({}).optional(),
  source: z.string().nullable().optional(),
  task_checksum: z.string().optional(),
  /** Harbor's TrialConfig (trial/harbor-config.ts writes it). */
  config: z.looseObject({}).optional(),
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
  agent_result: agentResult,
  verifier_result: z.object({ rewards: z.record(z.string(), z.number()) }).nullable(),
  verifier_environment_mode: z.enum(['shared', 'separate']).nullable().optional(),
  exception_info: exceptionInfo.nullable(),
  exceptions: z.array(exceptionInfo),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  environment_setup: timing.nullable(),
  agent_setup: timing.nullable(),
  agent_execution: timing.nullable(),
  verifier: timing.nullable(),
  /** Harbor's StepResult per step that ran (multi-step tasks), plus our reward and verifier mode. */
  step_results: z
    .array(
      z.looseObject({
        step_name: z.string(),
        agent_result: agentResult.partial().nullable().optional(),
        verifier_result: z
          .object({ rewards: z.record(z.string(), z.number()) })
          .nullable()
          .optional(),
        exception_info: exceptionInfo.nullable().optional(),
        agent_execution: timing.nullable().optional(),
        verifier: timing.nullable().optional(),
      }),
    )
    .nullable()
    .optional(),
  /** Our own: how a multi-step task's steps went (null for a single-step task). */
  multi_step: z
    .object({
      strategy: z.enum(['mean', 'final']),
      total: z.number().int(),
      ran: z.number().int(),
      stopped: z.object({ step: z.string(), reason: z.string() }).nullable(),
    })
    .nullable()
    .optional(),
  /** Our own run settings (image, network, timeouts used…): Harbor's `config` is its TrialConfig. */
  run_config: z.looseObject({}).optional(),
});
export type TrialResult = z.infer<typeof trialResultSchema>;
