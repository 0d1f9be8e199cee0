// The oracle agent: copies solution/ to /solution and runs solve.sh with [solution.env]
// (docs/LIFECYCLE.md "Agents"). It scores 1 on a correct task, which is how a task is validated.
import path from 'node:path';
import type { Agent, AgentContext, AgentOutcome } from './types.js';
import { outcomeOf } from './types.js';
import { runLogged } from './run-logged.js';
import { runScript } from '../environment/types.js';

export function oracleAgent(): Agent {
  return {
    name: 'oracle',
    async setup(ctx: AgentContext) {
      await ctx.env.copyIn(path.join(ctx.task.dir, 'solution'), '/solution', ctx.signal);
      // As Harbor, chmod +x as root: `[agent] user` may not own the copy (runScript falls back to bash).
      if (ctx.task.config.agentUser !== undefined)
        await ctx.env.run('chmod +x /solution/solve.sh 2>/dev/null; true', ctx.signal, '0');
    },
    async run(ctx: AgentContext): Promise<AgentOutcome> {
      // Harbor's way: need not be executable (docker/exec-scripts.ts, runScript).
      const res = await runLogged(ctx, runScript('/solution/solve.sh'), {
        env: ctx.task.config.solutionEnv,
        logName: 'oracle.txt',
      });
      return outcomeOf(res, ctx.timeoutMs, 'solution/solve.sh');
    },
  };
}
