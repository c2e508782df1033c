// `skiff images ls` formatting: repo/tag split, crictl-like sizes and ids, one row per tag.
import { describe, expect, it } from 'vitest';
import { humanSize, imageRows, shortId, splitRepoTag, table } from '../../../cli/images.js';

describe('images table', () => {
  it.each([
    ['docker.io/library/busybox:1.36', { repo: 'docker.io/library/busybox', tag: '1.36' }],
    ['localhost:5000/web', { repo: 'localhost:5000/web', tag: '<none>' }],
    ['localhost:5000/web:v2', { repo: 'localhost:5000/web', tag: 'v2' }],
  ])('splits %s', (ref, want) => expect(splitRepoTag(ref)).toEqual(want));

  it.each([
    [0, '0B'],
    [999, '999B'],
    [1234, '1.23kB'],
    [4_400_000, '4.4MB'],
    [1_500_000_000, '1.5GB'],
  ])('sizes %d as %s', (n, s) => expect(humanSize(n)).toBe(s));

  it('lists one row per tag, untagged by digest repo, sorted', () => {
    const id = `sha256:${'ab'.repeat(32)}`;
    const rows = imageRows([
      { id, repoTags: ['docker.io/demo/web:v2', 'docker.io/demo/web:v1'], repoDigests: [], size: 2_000_000 },
      { id: `sha256:${'cd'.repeat(32)}`, repoTags: [], repoDigests: ['docker.io/a/b@sha256:ff'], size: 10 },
    ]);
    expect(rows).toEqual([
      ['IMAGE', 'TAG', 'IMAGE ID', 'SIZE'],
      ['docker.io/a/b', '<none>', 'cdcdcdcdcdcdc', '10B'],
      ['docker.io/demo/web', 'v1', shortId(id), '2MB'],
      ['docker.io/demo/web', 'v2', 'ababababababa', '2MB'],
    ]);
    expect(table(rows)[0]).toBe('IMAGE                TAG      IMAGE ID        SIZE');
  });
});
