// Fault suite: bad inputs of the baseline gate and the PR comment, through the action entry
// (dist/action.js). A bad input is one ::error line naming it, before any trial runs; a PR
// run that cannot comment is a warning that says "comment", and the step keeps its result.
import { jest } from '@jest/globals';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runAction } from '../helpers/action.js';
import { tempDir } from '../helpers/cli.js';
import { makeTask, TEST_REWARD_1 } from './kit.js';

jest.setTimeout(120_000);

const task = makeTask('fault-gate', { test: TEST_REWARD_1, solve: '#!/bin/sh\ntrue\n' });
const garbage = path.join(tempDir('tb2-fault-'), 'baseline.json');
writeFileSync(garbage, '{"not": "a job"');

describe('gate and PR comment: bad inputs, one line naming the input, nothing run', () => {
  test.each([
    [
      { 'regression-alpha': '1.5' },
      /^::error::regression-alpha: expected a number above 0 and below 1, e\.g\. 0\.05 \(got "1\.5"\)$/,
    ],
    [{ 'regression-alpha': 'five' }, /^::error::regression-alpha: expected a number above 0 and below 1/],
    [{ 'fail-on-regressions': 'sometimes' }, /^::error::fail-on-regressions: /],
    [{ 'pr-comment': 'maybe' }, /^::error::pr-comment: expected true or false \(got "maybe"\)$/],
    [{ baseline: '/nonexistent/job' }, /^::error::baseline: \/nonexistent\/job does not exist \(expected /],
    [{ baseline: garbage }, /^::error::baseline: cannot read .*baseline\.json \(.*; expected /],
  ])('%j', async (inputs, line) => {
    const out = path.join(tempDir('tb2-out-'), 'job');
    const run = await runAction({ task, agent: 'oracle', 'output-dir': out, 'upload-artifact': 'false', ...inputs });
    expect(run.exitCode).toBe(1);
    expect(run.stdout.trim().split('\n')).toEqual([expect.stringMatching(line)]);
    expect(run.stderr).toBe('');
    expect(existsSync(out)).toBe(false);
  });
});

describe('gate and PR comment: a PR run that cannot comment: a warning, the step passes', () => {
  const pr = {
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_REPOSITORY: 'octo/bench',
    GITHUB_API_URL: 'http://127.0.0.1:9',
  };
  test.each([
    [
      'the event file is missing',
      { 'github-token': 'ghs_x0123456789abcdef' },
      { GITHUB_EVENT_PATH: '/nonexistent/event.json' },
      /cannot read the event file/,
    ],
    ['no token', { 'github-token': '' }, {}, /no github-token/],
  ])('%s', async (_name, inputs, env, why) => {
    const event = path.join(tempDir('tb2-event-'), 'event.json');
    writeFileSync(event, '{"pull_request":{"number":3}}');
    const run = await runAction(
      { task, agent: 'oracle', 'upload-artifact': 'false', ...inputs },
      { ...pr, GITHUB_EVENT_PATH: event, ...env },
    );
    expect(run.stdout).not.toMatch(/^::error/m);
    expect(run.exitCode).toBe(0);
    const warnings = run.stdout.split('\n').filter((l) => l.startsWith('::warning'));
    expect(warnings).toEqual([
      expect.stringMatching(/^::warning title=tb2%3A PR comment skipped::PR comment not written: /),
    ]);
    expect(warnings[0]).toMatch(why);
    expect(run.stdout).not.toMatch(/^::error/m);
  });
});
