// The state the action's main step saves for its post step (core.saveState / getState).
// A module of its own so the post bundle does not load the whole config and agent code.

/** The main step's run id, read back by the post step to sweep its label. */
export const STATE_RUN_ID = 'run-id';
