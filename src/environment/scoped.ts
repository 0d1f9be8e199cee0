// A view of an environment with a phase's defaults: the user it runs as (`[agent] user`,
// `[verifier] user`) and the working directory (`[environment] workdir`). Explicit options
// of a call still win.
import type { Environment, ExecOptions } from './types.js';

export function scoped(env: Environment, defaults: { user?: string; cwd?: string }): Environment {
  if (!defaults.user && !defaults.cwd) return env;
  const view: Environment = {
    get name() {
      return env.name;
    },
    exec: (script, opts: ExecOptions = {}) =>
      env.exec(script, { ...opts, user: opts.user ?? defaults.user, cwd: opts.cwd ?? defaults.cwd }),
    run: (script, signal, user) => env.run(script, signal, user ?? defaults.user),
    stage: (hostDir, signal) => env.stage(hostDir, signal),
    copyIn: (hostDir, dir, signal) => env.copyIn(hostDir, dir, signal),
    copyOut: (from, to, signal) => env.copyOut(from, to, signal),
    running: () => env.running(),
    processCount: () => env.processCount(),
    restart: (signal) => env.restart(signal),
    isolate: async (signal, keep) => scoped(await env.isolate(signal, keep), defaults),
    stop: () => env.stop(),
  };
  return view;
}
