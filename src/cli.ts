#!/usr/bin/env node
// The tb2 CLI entry: wiring only. Flags -> Config -> runJob -> renderers -> exit status.
import { parseCli, HELP } from './config/cli-args.js';
import { DockerCli } from './docker/cli.js';
import { asTb2Error } from './errors.js';
import type { Emit } from './events.js';
import { exitCodeOf, EXIT } from './result/exit-code.js';
import { consoleProgress, resultTable } from './report/console.js';
import { eventsFileWriter } from './report/events-file.js';
import { runJob } from './trial/job.js';
import { forwardedEnv, jobPlanFrom, newRunId } from './trial/plan.js';
import { trapSignals } from './signals.js';

declare const TB2_VERSION: string | undefined;

async function main(argv: string[]): Promise<number> {
  let cmd;
  try {
    cmd = parseCli(argv);
  } catch (err) {
    process.stderr.write(`tb2: ${asTb2Error(err).message}\n`);
    return EXIT.usage;
  }
  if (cmd.kind === 'help') return void process.stdout.write(HELP), EXIT.ok;
  if (cmd.kind === 'version') return void process.stdout.write(`${typeof TB2_VERSION === 'string' ? TB2_VERSION : 'dev'}\n`), EXIT.ok;

  const { config } = cmd;
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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`tb2: ${asTb2Error(err).message}\n`);
    process.exit(EXIT.infra);
  },
);
