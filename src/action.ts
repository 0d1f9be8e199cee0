// The GitHub Action entry (action.yml `runs.main`): wiring only, and the one place that
// fails the step. Inputs -> Config -> runJob -> renderers (log, events file, notes) ->
// publish (scrub, outputs, summary, artifact) -> step outcome from the exit status.
import module from 'node:module';
import * as core from '@actions/core';
import { actionSettingsFrom } from './config/action-inputs.js';
import { STATE_RUN_ID } from './config/state.js';
import { DockerCli } from './docker/cli.js';
import { DockerEnvironments } from './environment/factory.js';
import { asTb2Error } from './errors.js';
import { readBaseline } from './result/baseline-read.js';
import { exitCodeOf, regressionGate } from './result/exit-code.js';
import { gateFailureMessage } from './report/baseline-markdown.js';
import { eventsFileWriter } from './report/events-file.js';
import { githubLog } from './report/log.js';
import { notesCollector } from './report/notes.js';
import { failureMessage } from './report/outputs.js';
import { publishToGitHub } from './action/publish.js';
import { redactor, secretsToScrub } from './report/scrub.js';
import { trapSignals } from './signals.js';
import { templatedCallerValues } from './task/env-template.js';
import { runJob } from './trial/job.js';
import { forwardedEnv, jobPlanFrom, newRunId } from './trial/plan.js';

// V8's on-disk compile cache (Node >= 22.1; absent on Node 20): a bundle is compiled before
// its first line runs, so what it caches is what loads later, the artifact client's chunk.
// Not on GitHub-hosted runners: every job there is a fresh machine, so the cache would only
// be written, never read (docs/BENCHMARKS.md, start-up).
if (process.env.RUNNER_ENVIRONMENT !== 'github-hosted')
  (module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

async function main(): Promise<void> {
  const runId = newRunId();
  core.saveState(STATE_RUN_ID, runId);
  const settings = actionSettingsFrom((name) => core.getInput(name));
  const { config, apiKeys } = settings;
  for (const key of Object.values(apiKeys)) core.setSecret(key);
  // The values task.toml's env templates take from the caller are secrets too (task/env-template.ts).
  const templated = await templatedCallerValues(config.tasks, process.env);
  for (const value of secretsToScrub({}, templated)) core.setSecret(value);
  // The github-token is not set as a secret here: the runner already masks github.token and
  // secrets.*, and an ::add-mask:: line would put it in our own log. It is scrubbed from files.
  const secrets = secretsToScrub(process.env, [...Object.values(apiKeys), ...templated, settings.githubToken]);
  // Read before the run: a bad baseline path is one line now, not after an hour of trials.
  const baseline = config.baseline ? await readBaseline(config.baseline) : undefined;
  // Secrets reach the agent by name only (docker exec -e NAME); nothing else is forwarded.
  const agentEnv = { ...forwardedEnv(process.env, config.agentEnv), ...apiKeys };
  const redact = redactor(secrets);
  const events = eventsFileWriter(config.outputDir, redact);
  const notes = notesCollector();
  const log = githubLog({
    write: (s) => process.stdout.write(redact(s)),
    buffered: config.concurrency > 1,
    outputDir: config.outputDir,
  });
  const controller = new AbortController();
  const untrap = trapSignals(controller);
  try {
    const outcome = await runJob(jobPlanFrom(config, runId, agentEnv, process.env), {
      environments: new DockerEnvironments(new DockerCli()),
      emit: (e) => (events.emit(e), notes.emit(e), log(e)),
      signal: controller.signal,
    });
    await events.close();
    const { diff } = await publishToGitHub({
      outcome,
      settings,
      notes: notes.notes,
      secrets,
      env: process.env,
      baseline,
    });
    const code = exitCodeOf(outcome.trials, config.minReward);
    const failure =
      failureMessage(code, outcome.trials, config.minReward) ??
      (regressionGate(code, diff, config.failOnRegressions) !== code ? gateFailureMessage(diff!) : undefined);
    if (failure) core.setFailed(failure);
  } finally {
    untrap();
  }
}

// The build smoke-loads the bundle with TB2_BUNDLE_SMOKE set: import only, run nothing.
if (!process.env.TB2_BUNDLE_SMOKE) {
  main()
    .catch((err) => core.setFailed(asTb2Error(err).message))
    .finally(() => process.exit());
}
