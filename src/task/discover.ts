// Turn task arguments into task folders (issue 5): a task folder (holds task.toml), a
// folder of task folders (searched recursively), or a glob. Nothing is validated here: a
// broken task must still be listed, so it fails visibly in its own trial or matrix job.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';

const IGNORE = ['**/node_modules/**', '**/.git/**'];

async function isDir(p: string): Promise<boolean> {
  return (await stat(p).catch(() => undefined))?.isDirectory() ?? false;
}

/** Task folders under `dir` (itself included), outermost only, sorted. */
async function tasksUnder(dir: string): Promise<string[]> {
  if (await stat(path.join(dir, 'task.toml')).catch(() => undefined)) return [dir];
  const tomls = await glob('**/task.toml', { cwd: dir, ignore: IGNORE, dot: false, followSymbolicLinks: false });
  const dirs = tomls.map((t) => path.join(dir, path.dirname(t))).sort();
  return dirs.filter((d) => !dirs.some((o) => o !== d && d.startsWith(o + path.sep)));
}

export interface Discovery {
  tasks: string[];
  /** Arguments that named no task at all (kept out of `tasks`). */
  unmatched: string[];
}

export async function discoverTasks(args: readonly string[]): Promise<Discovery> {
  const seen = new Set<string>();
  const tasks: string[] = [];
  const unmatched: string[] = [];
  const add = (d: string) => {
    const key = path.resolve(d);
    if (!seen.has(key)) {
      seen.add(key);
      tasks.push(d);
    }
  };
  for (const arg of args) {
    const roots = isDynamicPattern(arg)
      ? (await glob(arg, { onlyDirectories: true, ignore: IGNORE, expandDirectories: false }))
          .map((p) => p.replace(/\/$/, ''))
          .sort()
      : (await isDir(arg))
        ? [arg]
        : [];
    const found = (await Promise.all(roots.map(tasksUnder))).flat();
    if (found.length === 0) unmatched.push(arg);
    found.forEach(add);
  }
  return { tasks, unmatched };
}

/** For `run`: every argument naming no task stays, so it fails validation visibly. */
export async function expandTaskArgs(args: readonly string[]): Promise<string[]> {
  const { tasks, unmatched } = await discoverTasks(args);
  return [...tasks, ...unmatched];
}
