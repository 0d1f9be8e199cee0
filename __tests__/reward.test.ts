import { parseCtrf, parseRewardJson, parseRewardTxt } from '../src/trial/reward.js';

describe('reward.txt', () => {
  test.each([
    ['1\n', 1],
    [' 0 ', 0],
    ['0.75', 0.75],
    ['1e0', 1],
    ['-1', -1],
  ])('%j -> %d', (text, want) => expect(parseRewardTxt(text).reward).toBe(want));
  test.each([['garbage'], ['NaN'], ['Infinity'], ['1 2'], ['0x1']])('%j is a parse error', (text) => {
    expect(() => parseRewardTxt(text)).toThrow(/reward.txt: expected one number/);
  });
  test('empty is its own error', () => {
    expect(() => parseRewardTxt('  \n')).toThrow(expect.objectContaining({ exceptionType: 'RewardFileEmptyError' }));
  });
});

describe('reward.json', () => {
  test('reward key is the main reward, all keys kept', () => {
    expect(parseRewardJson('{"reward": 0.5, "accuracy": 0.9}')).toEqual({
      reward: 0.5,
      rewards: { reward: 0.5, accuracy: 0.9 },
    });
  });
  test('the only key is the main reward', () => {
    expect(parseRewardJson('{"score": 1}').reward).toBe(1);
  });
  test.each([['[1]'], ['{"reward": "1"}'], ['{}'], ['{"a": 1, "b": 2}'], ['{"reward": {"x": 1}}'], ['nope']])(
    '%j is rejected',
    (text) => {
      expect(() => parseRewardJson(text)).toThrow(/reward.json/);
    },
  );
});

describe('CTRF', () => {
  test('reads name, status, duration, message', () => {
    const text = JSON.stringify({
      results: {
        tool: { name: 'pytest' },
        summary: {},
        tests: [
          { name: 'a', status: 'passed', duration: 3 },
          { name: 'b', status: 'failed', duration: 1, message: 'boom' },
        ],
      },
    });
    expect(parseCtrf(text)).toEqual([
      { name: 'a', status: 'passed', duration_ms: 3 },
      { name: 'b', status: 'failed', duration_ms: 1, message: 'boom' },
    ]);
  });
  test('not CTRF -> null', () => {
    expect(parseCtrf('{"tests": []}')).toBeNull();
    expect(parseCtrf('{')).toBeNull();
  });
});
