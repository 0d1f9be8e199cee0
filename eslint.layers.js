// Layers point down (docs/ARCHITECTURE.md): each folder of src/ may import only the layers
// listed for it. Enforced with no-restricted-imports, so an arrow pointing up fails lint.
/** Layer -> the layers it may import (besides itself and node:/npm packages). */
const ALLOWED = {
  errors: [],
  stream: ['errors'],
  events: ['errors'],
  task: ['errors'],
  config: ['errors'],
  docker: ['errors', 'stream'],
  environment: ['errors', 'stream', 'task', 'docker', 'events'],
  agents: ['errors', 'stream', 'events', 'task', 'config', 'environment'],
  result: ['errors', 'events'],
  trial: ['errors', 'stream', 'events', 'task', 'config', 'environment', 'agents', 'result'],
  report: ['errors', 'events', 'result'],
};
/** The shells above every layer: they may import anything. */
const SHELLS = ['commands', 'action'];
const ALL = [...Object.keys(ALLOWED), ...SHELLS];
/** Layers that must not reach GitHub's toolkit: all but errors; only the action's shell and entries do. */
const NO_ACTIONS = Object.keys(ALLOWED).filter((l) => l !== 'errors');

/** Import specifiers that reach a layer: a folder (`../docker/cli.js`) or a root module (`../errors.js`). */
const reach = (layer) =>
  (MODULES[layer] ?? [layer]).flatMap((m) => [`**/${m}/**`, `**/${m}.js`, `./${m}/**`, `./${m}.js`]);
/** Files of a layer: its folder, or the root modules of the same name. */
const filesOf = (layer) => (MODULES[layer] ?? [layer]).flatMap((m) => [`src/${m}/**/*.ts`, `src/${m}.ts`]);
/** Layers made of more than one root module: the event stream and the record it ends in. */
const MODULES = { events: ['events', 'trial-result'] };

export const layerRules = Object.entries(ALLOWED).map(([layer, allowed]) => {
  const denied = ALL.filter((l) => l !== layer && !allowed.includes(l));
  const patterns = denied.map((l) => ({
    group: reach(l),
    message: `${layer}/ must not import ${l} (layers point down)`,
  }));
  if (NO_ACTIONS.includes(layer)) {
    patterns.push({
      group: ['@actions/*'],
      message: `${layer}/ must not import GitHub's toolkit (only the action's shell does)`,
    });
  }
  return { files: filesOf(layer), rules: { 'no-restricted-imports': ['error', { patterns }] } };
});
