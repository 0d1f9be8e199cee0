// A task's environment/docker-compose.yaml (Harbor's compose environments: sidecar services
// beside `main`). Read at load time, so a file that is not YAML, or not a compose file, is
// one line naming it before anything runs. What the runner needs from it: the names of its
// services, networks and volumes, to label them all for cleanup and the post-step sweep.
// Format: https://docs.docker.com/reference/compose-file/
import path from 'node:path';
import { parseDocument } from 'yaml';
import { TaskValidationError } from '../errors.js';
import { isFile, readRequired } from './files.js';

export interface ComposeFile {
  /** Absolute path of the task's compose file. */
  file: string;
  services: string[];
  /** The task's file gives `main` its own image or build (ours is then not used). */
  mainImage: boolean;
  /** Services the project builds from a Dockerfile of the task's. */
  builds: string[];
  /** Networks and named volumes the project creates, with the task's definitions (external ones left out). */
  networks: Record<string, Record<string, unknown>>;
  volumes: Record<string, Record<string, unknown>>;
  /** The task declares its `default` network external (then it is not ours to change). */
  externalDefault: boolean;
}

export const COMPOSE_NAMES = ['docker-compose.yaml', 'docker-compose.yml'];

const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The task's compose file, or undefined when it has none. */
export async function loadCompose(taskDir: string): Promise<ComposeFile | undefined> {
  for (const name of COMPOSE_NAMES) {
    const rel = path.join('environment', name);
    if (!(await isFile(path.join(taskDir, rel)))) continue;
    return parseCompose(await readRequired(taskDir, rel, 'the compose definition of the environment'), rel, taskDir);
  }
  return undefined;
}

export function parseCompose(text: string, rel: string, taskDir: string): ComposeFile {
  const doc = parseDocument(text);
  const err = doc.errors[0];
  if (err) {
    const where = err.linePos?.[0] ? ` at line ${err.linePos[0].line}, column ${err.linePos[0].col}` : '';
    const why = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new TaskValidationError(`${rel}: invalid YAML${where}: ${why}`);
  }
  const raw: unknown = doc.toJS();
  if (!isMap(raw) || !isMap(raw.services)) {
    throw new TaskValidationError(`${rel}: expected a compose file with a "services" mapping`);
  }
  for (const [name, svc] of Object.entries(raw.services)) {
    if (svc !== null && !isMap(svc)) throw new TaskValidationError(`${rel}: services.${name}: expected a mapping`);
  }
  // Networks and volumes the project creates; an external one is someone else's.
  const owned = (v: unknown) =>
    Object.fromEntries(
      (isMap(v) ? Object.entries(v) : [])
        .filter(([, d]) => !(isMap(d) && d.external))
        .map(([k, d]) => [k, isMap(d) ? d : {}]),
    );
  const netDefault: unknown = isMap(raw.networks) ? raw.networks.default : undefined;
  const main = raw.services.main;
  return {
    file: path.join(taskDir, rel),
    mainImage: isMap(main) && (main.image !== undefined || main.build !== undefined),
    services: Object.keys(raw.services),
    builds: Object.entries(raw.services)
      .filter(([, svc]) => isMap(svc) && svc.build !== undefined)
      .map(([name]) => name),
    networks: owned(raw.networks),
    volumes: owned(raw.volumes),
    externalDefault: isMap(netDefault) && !!netDefault.external,
  };
}
