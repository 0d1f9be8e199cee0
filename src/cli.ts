#!/usr/bin/env node
// The tb2 CLI entry: wiring only. Flags -> a command -> exit status. The only place that
// calls process.exit.
import module from 'node:module';
import { aggregate } from './commands/aggregate.js';
import { planCommand } from './commands/plan.js';
import { HELP, parseCli, type CliCommand } from './config/cli-args.js';
import { asTb2Error } from './errors.js';
import { EXIT, regressionGate } from './result/exit-code.js';

// V8's on-disk compile cache (Node >= 22.1; absent on Node 20): a bundle is compiled before
// its first line runs, so what it caches is what loads later, `run`'s chunks (Docker,
// execa, the agents), read back by later runs on this machine (docs/BENCHMARKS.md, start-up).
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

declare const TB2_VERSION: string | undefined;

async function dispatch(cmd: CliCommand): Promise<number> {
  switch (cmd.kind) {
    case 'help':
      process.stdout.write(HELP);
      return EXIT.ok;
    case 'version':
      process.stdout.write(`${typeof TB2_VERSION === 'string' ? TB2_VERSION : 'dev'}\n`);
      return EXIT.ok;
    case 'run':
      // Loaded on demand: only `run` needs Docker (execa) and the agents, so `--help`,
      // `plan` and `aggregate` start without them.
      return (await import('./commands/run.js')).runCommand(cmd.config);
    case 'plan':
      return planCommand(
        cmd,
        (s) => process.stdout.write(s),
        (s) => process.stderr.write(s),
      );
    case 'aggregate': {
      const out = await aggregate(cmd);
      for (const p of out.job.problems) process.stderr.write(`tb2: warning: ${p}\n`);
      process.stdout.write(
        `${out.job.n_trials} trial(s), mean reward ${out.job.mean_reward.toFixed(3)}${out.job.baseline ? `, ${out.job.baseline.regressions} regression(s)` : ''}\njob result: ${out.jobResultPath}\nsummary: ${out.summaryPath}\n${out.reportPath ? `report: ${out.reportPath}\n` : ''}`,
      );
      return regressionGate(EXIT.ok, out.job.baseline, cmd.failOnRegressions);
    }
    case 'report': {
      const { reportCommand } = await import('./commands/report.js');
      const compare = cmd.baseline ? { baseline: cmd.baseline, alpha: cmd.regressionAlpha } : undefined;
      const out = await reportCommand(cmd.dir, compare);
      for (const p of out.problems) process.stderr.write(`tb2: warning: ${p}\n`);
      process.stdout.write(`${out.trials} trial(s)\nreport: ${out.path} (${out.bytes} bytes)\n`);
      return EXIT.ok;
    }
  }
}

async function main(argv: string[]): Promise<number> {
  try {
    return await dispatch(parseCli(argv));
  } catch (err) {
    const e = asTb2Error(err);
    process.stderr.write(`tb2: ${e.message}\n`);
    return e.kind === 'usage' || e.kind === 'validation' ? EXIT.usage : EXIT.infra;
  }
}

void main(process.argv.slice(2)).then((code) => process.exit(code));
