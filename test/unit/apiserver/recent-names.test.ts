// RecentNames: the namespaces an API server deleted lately, looked up live for a while.
import { describe, expect, it } from 'vitest';
import { RecentNames } from '../../../apiserver/recent-names.js';

describe('RecentNames', () => {
  it.each([
    { name: 'a name just added is there', addAt: 0, askAt: 0, asked: 'doomed', want: true },
    { name: 'still there just before the ttl ends', addAt: 0, askAt: 29_999, asked: 'doomed', want: true },
    { name: 'gone once the ttl has passed', addAt: 0, askAt: 30_000, asked: 'doomed', want: false },
    { name: 'another name is not there', addAt: 0, askAt: 1, asked: 'other', want: false },
  ])('$name', ({ addAt, askAt, asked, want }) => {
    let now = addAt;
    const names = new RecentNames(30_000, () => now);
    names.add('doomed');
    now = askAt;
    expect(names.has(asked)).toBe(want);
  });

  it('adding again restarts the ttl', () => {
    let now = 0;
    const names = new RecentNames(100, () => now);
    names.add('ns');
    now = 90;
    names.add('ns');
    now = 150;
    expect(names.has('ns')).toBe(true);
    now = 190;
    expect(names.has('ns')).toBe(false);
  });
});
