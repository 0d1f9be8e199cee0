// Fault suite, compose environments: a compose file that is not YAML, a sidecar that never
// becomes healthy, a sidecar whose build fails, and SIGINT/SIGTERM while the agent runs in
// a compose project. Every time: one clear line, a result file, the right exit code, and
// no container, network, volume or sidecar image left.
import { jest } from '@jest/globals';
import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES, leftovers, runCli, tempDir } from '../helpers/cli.js';
import { expectNothingLeft, results, sleep, startCli } from './kit.js';

jest.setTimeout(120_000);

/** The compose fixture copied, its compose file (and more) replaced. */
function variant(name: string, compose?: string, files: Record<string, string> = {}): string {
  const dir = path.join(tempDir('tb2-compose-'), name);
  cpSync(path.join(FIXTURES, 'compose-sidecar'), dir, { recursive: true });
  if (compose !== undefined) writeFileSync(path.join(dir, 'environment', 'docker-compose.yaml'), compose);
  for (const [rel, text] of Object.entries(files)) writeFileSync(path.join(dir, rel), text);
  return dir;
}

const healthcheck = (test: string) =>
  `services:\n  main:\n    depends_on:\n      web:\n        condition: service_healthy\n  web:\n    build: ./web\n    healthcheck:\n      test: ${test}\n      interval: 1s\n      timeout: 1s\n      retries: 3\n`;

describe('compose environments', () => {
  test('a compose file with a syntax error: one line naming the file, a result file, exit 2', async () => {
    const t = variant('compose-bad-yaml', 'services:\n  web:\n    image: [oops\n');
    const r = await runCli([t, '--agent', 'oracle']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/environment\/docker-compose.yaml: invalid YAML at line \d+/);
    expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    const { trials } = results(r.out);
    expect(trials[0]).toMatchObject({ status: 'error', exception_info: { exception_type: 'TaskValidationError' } });
  });

  test('a sidecar that never becomes healthy: ComposeUpError, exit 3, no agent, nothing left', async () => {
    const t = variant('compose-unhealthy', healthcheck('["CMD", "false"]'));
    const r = await runCli([t, '--agent', 'oracle']);
    expect(r.exitCode).toBe(3);
    const [trial] = results(r.out).trials;
    expect(trial).toMatchObject({ status: 'error', agent_execution: null, verifier_result: null });
    expect(trial.exception_info).toMatchObject({ exception_type: 'ComposeUpError', kind: 'infra' });
    expect(trial.exception_info.exception_message).toMatch(/unhealthy/i);
    await expectNothingLeft(r.runId);
  });

  test('a sidecar whose build fails: ComposeUpError naming the failure, exit 3, nothing left', async () => {
    const t = variant('compose-build-fails', undefined, {
      'environment/web/Dockerfile': 'FROM tb2-base/busybox:latest\nRUN echo tb2-sidecar-build-breaks && exit 7\n',
    });
    const r = await runCli([t, '--agent', 'oracle']);
    expect(r.exitCode).toBe(3);
    const [trial] = results(r.out).trials;
    expect(trial.exception_info).toMatchObject({ exception_type: 'ComposeUpError' });
    expect(r.stderr).toMatch(/tb2-sidecar-build-breaks/);
    await expectNothingLeft(r.runId, 'tb2-sidecar-build-breaks');
  });

  test.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    '%s while the agent runs: exits within 5 s with %i, cancelled, no container, network or volume left',
    async (signal, code) => {
      const s = startCli([
        path.join(FIXTURES, 'compose-sidecar'),
        '--agent',
        'command',
        '--agent-command',
        'sleep 300',
      ]);
      await s.waitFor(/· agent\n/);
      await sleep(300);
      const sent = Date.now();
      s.child.kill(signal);
      const res = await s.child;
      expect(Date.now() - sent).toBeLessThan(5000);
      expect(res.exitCode).toBe(code);
      expect(results(s.out).trials[0]).toMatchObject({ status: 'cancelled' });
      await expectNothingLeft(s.runId);
      expect(await leftovers(s.runId)).toEqual([]);
    },
  );
});
