// Pure argv builders for docker compose, in both flavours: the v2 plugin (`docker compose`,
// GitHub's runners) and the standalone v1 (`docker-compose` 1.29, Debian 12). Both take the
// same global flags before the subcommand (https://docs.docker.com/reference/cli/docker/compose/).
// Tested by tables, like argv.ts.

export type ComposeFlavor = 'v2' | 'v1';

export interface ComposeProject {
  /** Unique per trial, so concurrent trials of one task never collide. */
  name: string;
  /** Layered in order: our base definition first, the task's file after it. */
  files: string[];
  /** Where the task's relative paths (build contexts, env files) resolve: environment/. */
  directory: string;
}

export interface ComposeCommand {
  /** 'docker' for the plugin, 'docker-compose' for v1. */
  bin: 'docker' | 'docker-compose';
  args: string[];
}

export function composeArgs(flavor: ComposeFlavor, p: ComposeProject, sub: readonly string[]): ComposeCommand {
  const global = [
    '--project-name',
    p.name,
    '--project-directory',
    p.directory,
    ...p.files.flatMap((f) => ['--file', f]),
  ];
  return flavor === 'v2'
    ? { bin: 'docker', args: ['compose', ...global, ...sub] }
    : { bin: 'docker-compose', args: [...global, ...sub] };
}

/** Start detached, building what has no image yet; dependencies' healthchecks gate `main`. */
export const UP = ['up', '--detach', '--no-color'] as const;

/**
 * Everything of the project goes: containers without waiting (the keep-alive PID 1 ignores
 * SIGTERM, so `-t 0`), its networks and volumes, orphans, and images compose built for it
 * (`--rmi local`: images without a custom tag; the content-tagged `main` image stays), as
 * Harbor's teardown does.
 */
export const DOWN = ['down', '--timeout', '0', '--volumes', '--remove-orphans', '--rmi', 'local'] as const;

/**
 * Build the services that build, removing intermediate containers even on failure: v1
 * builds with the legacy builder, which otherwise leaves a failed RUN step's container
 * behind (as `docker build` does without --force-rm). v2 builds with BuildKit, which does not.
 */
export const BUILD_V1 = ['build', '--force-rm'] as const;

/**
 * The line of compose's stderr that says what went wrong: v1 ends a failed `up` with
 * "Encountered errors while bringing up the project.", which says nothing; the line before
 * names the unhealthy container or the failed build.
 */
export function composeError(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim().replace(/^ERROR:\s*/, ''))
    .filter((l) => l && !/^Encountered errors while bringing up the project/.test(l));
  return [...lines].reverse().find((l) => /unhealthy|error|failed/i.test(l)) ?? lines.at(-1) ?? '';
}

/** The v2 plugin answers this; without it, the standalone v1 is used. */
export const VERSION_V2: ComposeCommand = { bin: 'docker', args: ['compose', 'version'] };
