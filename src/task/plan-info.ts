// What `tb2 plan` needs of a task, from task.toml alone and never failing: its name
// (`[task] name`, else the folder's name, as loadTask gives it) and `[agent] timeout_sec`.
// A task whose task.toml does not parse or validate is still planned (it fails visibly in
// its own matrix job); `problem` says why, and what could be read of it is kept.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { describeIssue, taskTomlSchema, toTaskConfig, unsupportedSetting } from './schema.js';

export interface TaskPlanInfo {
  /** The folder as given. */
  dir: string;
  name: string;
  /** The folder's own name (a baseline may know the task by it). */
  folder: string;
  agentTimeoutSec: number;
  /** Why the task would fail validation (its task.toml); undefined when it reads cleanly. */
  problem?: string;
}

/** The fields that can still be read from a task.toml that does not validate. */
function salvage(raw: unknown): { name?: string; agentTimeoutSec?: number } {
  const table = (x: unknown) => (typeof x === 'object' && x !== null ? (x as Record<string, unknown>) : {});
  const name = table(table(raw).task).name;
  const timeout = table(table(raw).agent).timeout_sec;
  return {
    ...(typeof name === 'string' && name ? { name } : {}),
    ...(typeof timeout === 'number' && timeout > 0 && Number.isFinite(timeout) ? { agentTimeoutSec: timeout } : {}),
  };
}

export async function readPlanInfo(dir: string): Promise<TaskPlanInfo> {
  const folder = path.basename(path.resolve(dir));
  const base = { dir, name: folder, folder, agentTimeoutSec: toTaskConfig({}).agentTimeoutSec };
  let raw: unknown;
  try {
    raw = parseToml(await readFile(path.join(dir, 'task.toml'), 'utf8'));
  } catch (err) {
    return { ...base, problem: `task.toml: ${(err as Error).message.split('\n')[0]}` };
  }
  const parsed = taskTomlSchema.safeParse(raw);
  const problem = parsed.success ? unsupportedSetting(parsed.data) : describeIssue(parsed.error.issues[0], raw);
  if (!parsed.success || problem) return { ...base, ...salvage(raw), problem: `task.toml: ${problem}` };
  return {
    ...base,
    name: parsed.data.task?.name ?? folder,
    agentTimeoutSec: toTaskConfig(parsed.data).agentTimeoutSec,
  };
}
