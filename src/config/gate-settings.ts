// The rows of the settings table (settings.ts) for the baseline gate, shared by `tb2 run`,
// `tb2 aggregate` and the action: a file of their own so the table stays one screen per
// concern. The regression alpha's default lives here and nowhere else.
import { z } from 'zod';
import { bool, numberLike, optional } from './schemas.js';
import type { Setting } from './settings.js';

/** Significance level of the noise-aware regression gate (result/baseline.ts). */
export const DEFAULT_REGRESSION_ALPHA = 0.05;

/** "expected a number above 0 and below 1". */
export const alphaSchema = optional(
  numberLike(
    z
      .number({ error: 'expected a number above 0 and below 1, e.g. 0.05' })
      .gt(0, 'expected a number above 0 and below 1, e.g. 0.05')
      .lt(1, 'expected a number above 0 and below 1, e.g. 0.05'),
  ),
).transform((a) => a ?? DEFAULT_REGRESSION_ALPHA);

export const GATE_SETTINGS = {
  baseline: {
    flag: 'baseline',
    input: 'baseline',
    arg: 'PATH',
    help: [
      "a baseline job: a result.json or job folder (ours or Harbor's),",
      'or a folder of trial folders: the summary shows regressions, fixes',
      'and, per task, pass counts now and before with a p-value',
    ],
    group: 'gate',
    schema: optional(z.string()),
  },
  failOnRegressions: {
    flag: 'fail-on-regressions',
    input: 'fail-on-regressions',
    boolean: true,
    help: [
      'exit 1 on a regression against --baseline: a task passing less',
      "often now, significant at --regression-alpha (Fisher's exact",
      'test); with too few attempts for that, a task passing before',
      'and failing now (anecdotal)',
    ],
    group: 'gate',
    schema: optional(bool).transform((b) => b ?? false),
  },
  regressionAlpha: {
    flag: 'regression-alpha',
    input: 'regression-alpha',
    arg: 'A',
    help: [`significance level of --fail-on-regressions (default: ${DEFAULT_REGRESSION_ALPHA})`],
    group: 'gate',
    schema: alphaSchema,
  },
} as const satisfies Record<string, Setting>;
