// Failing tests of the verifier's CTRF report (https://ctrf.io/docs/specification/tests:
// status "failed") as error annotations, one per test, titled with the task and the test, so
// they show on the run page and the PR's checks. Pure: action/publish.ts writes them.
/** A failing test of the verifier's CTRF report, as a `core.error` annotation. */
export interface TestAnnotation {
  title: string;
  message: string;
}

/**
 * GitHub shows at most 10 error annotations per step (and 50 per job): beyond that they are
 * dropped silently, so we cap at 10 and say how many were left out
 * (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands#setting-an-error-message).
 */
export const MAX_TEST_ANNOTATIONS = 10;

export function failedTestAnnotations(
  trials: ReadonlyArray<{
    task_name: string;
    trial_name: string;
    tests: ReadonlyArray<{ name: string; status: string; message?: string }>;
  }>,
  max = MAX_TEST_ANNOTATIONS,
): { annotations: TestAnnotation[]; more: number } {
  const all = trials.flatMap((t) =>
    t.tests
      .filter((x) => x.status === 'failed')
      .map((x) => ({
        title: `${t.task_name}: ${x.name}`.slice(0, 200),
        message: `Test failed: ${x.name} (task ${t.task_name}, trial ${t.trial_name})${x.message ? `\n${x.message.slice(0, 2000)}` : ''}`,
      })),
  );
  return { annotations: all.slice(0, max), more: Math.max(0, all.length - max) };
}
