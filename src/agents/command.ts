// The command agent: any shell command in the task container, the way other agents plug
// in. The instruction arrives on stdin, in $TB_INSTRUCTION, and in the file named by
// $TB_INSTRUCTION_FILE (/logs/agent/instruction.md); output streams as plain lines.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import type { Agent, AgentContext, AgentOutcome } from './types.js';
import { outcomeOf } from './types.js';
import { runLogged } from './run-logged.js';

/** `forwardEnv`: the caller's ANTHROPIC_* / CLAUDE_CODE_* (and the action's API key), by name. */
export function commandAgent(command: string | undefined, forwardEnv: Record<string, string> = {}): Agent {
  if (!command?.trim())
    throw new UsageError('agent-command: required with agent "command" (the shell command that runs the agent)');
  return {
    name: 'command',
    async run(ctx: AgentContext): Promise<AgentOutcome> {
      await writeFile(path.join(ctx.agentDir, 'instruction.md'), ctx.task.instruction);
      const res = await runLogged(ctx, command, {
        env: { ...forwardEnv, TB_INSTRUCTION: ctx.task.instruction, TB_INSTRUCTION_FILE: '/logs/agent/instruction.md' },
        input: ctx.task.instruction,
        logName: 'command.txt',
      });
      return outcomeOf(res, ctx.timeoutMs, 'the agent command');
    },
  };
}
