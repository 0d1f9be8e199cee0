// Keys Harbor v0.22 reads (src/harbor/models/task/config.py) that tb2 does not honour yet and
// that change what a trial measures: never dropped silently. Each becomes one warning line
// in the log and an entry in the trial's `exceptions` (README "Task format" lists them).
// Keys that only describe the task (`[task] description`, `authors`, `keywords`, `source`…)
// change nothing measured and are kept without a word.
import type { TaskToml } from './schema.js';

type Table = Record<string, unknown> | undefined;

const present = (v: unknown) => v !== undefined && !(Array.isArray(v) && v.length === 0);

export function unsupportedKeyWarnings(t: TaskToml): string[] {
  const e = t.environment as Table;
  const v = t.verifier as Table;
  const out: string[] = [];
  if (present(v?.collect))
    out.push(
      'task.toml: [verifier] collect is not supported yet: its commands are not run before the verifier (the verifier sees the state the agent left)',
    );
  if (present(e?.gpu_types))
    out.push('task.toml: [environment] gpu_types is not supported: any GPU the engine gives is used');
  if (present(e?.tpu)) out.push('task.toml: [environment] tpu is not supported: no TPU is attached');
  if (present(e?.skills_dir))
    out.push(
      "task.toml: [environment] skills_dir is not supported yet: its skills are not copied into the agent's configuration",
    );
  // The same inside [[steps]], and artifacts' exclude patterns (files they name are still collected).
  const steps = Array.isArray(t.steps) ? (t.steps as Array<Record<string, unknown>>) : [];
  for (const st of steps) {
    const name = typeof st?.name === 'string' ? st.name : '?';
    if (present((st?.verifier as Table)?.collect))
      out.push(`task.toml: [[steps]] "${name}" [verifier] collect is not supported yet: its commands are not run`);
    if (present(st?.healthcheck))
      out.push(`task.toml: [[steps]] "${name}" healthcheck is not supported yet: the step starts without it`);
  }
  const lists = [t.artifacts, ...steps.map((st) => st?.artifacts)];
  const excludes = lists.some(
    (l) => Array.isArray(l) && l.some((a) => typeof a === 'object' && a !== null && present((a as Table)?.exclude)),
  );
  if (excludes)
    out.push('task.toml: artifacts exclude is not supported yet: the files it names are collected with the rest');
  return out;
}
