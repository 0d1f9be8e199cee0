// `tb2 run`: Config -> runJob with the console and events-file renderers -> exit status.
import type { Config } from '../config/config.js';
import { DockerCli } from '../docker/cli.js';
import type { Emit } from '../events.js';
import { exitCodeOf } from '../result/exit-code.js';
import { consoleProgress, resultTable } from '../report/console.js';
import { eventsFileWriter } from '../report/events-file.js';
import { runJob } from '../trial/job.js';
import { forwardedEnv, jobPlanFrom, newRunId } from '../trial/plan.js';
import { trapSignals } from '../signals.js';

export async function runCommand(config: Config): Promise<number> {
  const controller = new AbortController();
  const untrap = trapSignals(controller);
  // TB2_RUN_ID: a caller-chosen label value (tests, wrappers) to find this run's containers.
  const plan = jobPlanFrom(config, process.env.TB2_RUN_ID || newRunId(), forwardedEnv(process.env));
  const events = eventsFileWriter(config.outputDir);
  const progress = consoleProgress((s) => process.stderr.write(s), { prefix: config.concurrency > 1 });
  const emit: Emit = (e) => {
    events.emit(e);
    progress(e);
  };
  try {
    const outcome = await runJob(plan, { docker: new DockerCli(), emit, signal: controller.signal });
    await events.close();
    process.stdout.write(resultTable(outcome.job, outcome.jobResultPath));
    return exitCodeOf(outcome.trials, config.minReward);
  } finally {
    untrap();
  }
}
