import { parseDuration } from '../../../lib/kernel/duration';

describe('parseDuration', () => {
  it.each([
    ['PT1H30M', 90],
    ['PT45M', 45],
    ['P1D', 1440],
    ['P1W', 10080],
    ['P1DT2H', 1560],
    ['PT120S', 2],
    ['PT0.5H', 30],
    ['PT1,5H', 90],
    ['pt15m', 15],
    ['90m', 90],
    ['1h30m', 90],
    ['1h 30m', 90],
    ['2h', 120],
    ['1d', 1440],
    ['  45m  ', 45],
  ])('reads %s as %i minutes', (text, minutes) => {
    expect(parseDuration(text)).toBe(minutes);
  });

  it.each([
    [''],
    ['P'],
    ['PT'],
    ['P1DT'],
    ['PT0M'],
    ['0m'],
    ['-PT1H'],
    ['-90m'],
    ['PT30S'],
    ['PT1.01M'],
    ['P1M'],
    ['P1Y'],
    ['90'],
    ['1.5h'],
    ['abc'],
    ['1h30'],
    ['30m1h'],
    ['PT1H30M garbage'],
    ['PT99999999999999999999H'],
  ])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeNull();
  });
});
