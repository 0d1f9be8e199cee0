// `tb2 run`: Config -> runJob with the console and events-file renderers -> exit status;
// with --baseline, the comparison printed after the table and, with --fail-on-regressions,
// its gate on the exit status (result/baseline.ts). The job folder gets its HTML report.
import path from 'node:path';
import type { Config } from '../config/config.js';
import { DockerCli } from '../docker/cli.js';
import { DockerEnvironments } from '../environment/factory.js';
import type { Emit, TrialEvent } from '../events.js';
import { diffAgainstBaseline } from '../result/baseline.js';
import { readBaseline } from '../result/baseline-read.js';
import { exitCodeOf, regressionGate } from '../result/exit-code.js';
import { renderBaselineDiff } from '../report/baseline-markdown.js';
import { consoleProgress, resultTable } from '../report/console.js';
import { liveProgress } from '../report/console-live.js';
import { eventsFileWriter } from '../report/events-file.js';
import { redactor, scrubFolder, secretsToScrub } from '../report/scrub.js';
import { templatedCallerValues } from '../task/env-template.js';
import { runJob } from '../trial/job.js';
import { REPORT_FILE, writeReportQuietly } from './report.js';
import { forwardedEnv, jobPlanFrom, newRunId } from '../trial/plan.js';
import { trapSignals } from '../signals.js';

export async function runCommand(config: Config): Promise<number> {
  // Read first: a bad baseline path is one line now, not after the trials.
  const baseline = config.baseline ? await readBaseline(config.baseline) : undefined;
  const controller = new AbortController();
  const untrap = trapSignals(controller);
  // TB2_RUN_ID: a caller-chosen label value (tests, wrappers) to find this run's containers.
  const runId = process.env.TB2_RUN_ID || newRunId();
  const plan = jobPlanFrom(config, runId, forwardedEnv(process.env, config.agentEnv), process.env);
  // Secret values of the caller's environment never reach a file of the job folder, nor
  // do the values task.toml's env templates take from it.
  const secrets = secretsToScrub(process.env, await templatedCallerValues(config.tasks, process.env));
  const redact = redactor(secrets);
  const events = eventsFileWriter(config.outputDir, redact);
  // Nor the terminal: an agent that prints its environment prints the key (fault suite).
  const clean = (e: TrialEvent): TrialEvent =>
    !secrets.length
      ? e
      : e.type === 'output'
        ? { ...e, line: redact(e.line) }
        : (JSON.parse(redact(JSON.stringify(e))) as TrialEvent);
  // Several trials at once on a terminal: a live block; otherwise plain prefixed lines.
  const live = config.concurrency > 1 && process.stderr.isTTY ? liveProgress(process.stderr) : undefined;
  const progress = live?.emit ?? consoleProgress((s) => process.stderr.write(s), { prefix: config.concurrency > 1 });
  const emit: Emit = (e) => {
    events.emit(e);
    progress(clean(e));
  };
  try {
    const outcome = await runJob(plan, {
      environments: new DockerEnvironments(new DockerCli()),
      emit,
      signal: controller.signal,
    });
    live?.stop();
    await events.close();
    const scrub = await scrubFolder(config.outputDir, secrets);
    for (const f of scrub.unscrubbable) process.stderr.write(`tb2: warning: ${f}: could not be scrubbed of secrets\n`);
    if (outcome.unsaved) process.stderr.write(`tb2: warning: ${outcome.unsaved}\n`);
    const diff = baseline ? diffAgainstBaseline(outcome.job, baseline, config.regressionAlpha) : undefined;
    // Built from the scrubbed folder: a secret that reached a log never reaches the page.
    const report = await writeReportQuietly(
      {
        inputs: [config.outputDir],
        outFile: path.join(config.outputDir, REPORT_FILE),
        redact,
        ...(diff ? { baseline: { diff, name: config.baseline! } } : {}),
      },
      (line) => process.stderr.write(`tb2: warning: ${line}\n`),
    );
    process.stdout.write(resultTable(outcome.job, outcome.jobResultPath));
    if (report) process.stdout.write(`report: ${report}\n`);
    const code = exitCodeOf(outcome.trials, config.minReward);
    if (!diff) return code;
    process.stdout.write(`\n${renderBaselineDiff(diff, config.baseline!)}\n`);
    return regressionGate(code, diff, config.failOnRegressions);
  } finally {
    untrap();
  }
}
