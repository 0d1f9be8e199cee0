// SIGINT/SIGTERM -> one AbortController. `process.on`, not `once`: with `once`, execa's
// exit hook re-raises the signal and node dies before `docker rm -f` finishes (signal-exit, which execa uses, re-raises a signal that has no other listener).
// A second signal is ignored on purpose: cleanup is already under way, and GitHub's
// runner escalates to SIGKILL on its own schedule.
export function trapSignals(controller: AbortController): () => void {
  const onSignal = (sig: NodeJS.Signals) => {
    if (!controller.signal.aborted) controller.abort(sig);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
