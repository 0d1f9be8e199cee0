// A Harbor identity for a trial a test runs by hand (runTrial, TrialRecord, finalize).
import { trialIdentityOf, type RunShape, type TrialIdentity } from '../../src/trial/harbor-config.js';

export const TEST_SHAPE: RunShape = {
  jobDir: '/tmp/tb2-test-job',
  jobId: '00000000-0000-4000-8000-000000000000',
  agent: 'oracle',
  forceBuild: false,
  verifierMode: 'shared',
};

export function testIdentity(trialDir = '/tmp/tb2-test-job/t__1', over: Partial<RunShape> = {}): TrialIdentity {
  return trialIdentityOf(
    { ...TEST_SHAPE, ...over },
    { taskDir: '/t', trialName: trialDir.split('/').at(-1) ?? 't__1', trialDir, checksum: 'f'.repeat(64) },
  );
}
