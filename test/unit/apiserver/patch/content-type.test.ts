import { describe, expect, it } from 'vitest';
import { patchTypeFromContentType, type PatchType } from '../../../../apiserver/patch/index.js';

const cases: { name: string; contentType: string | undefined; want: PatchType | undefined }[] = [
  { name: 'json patch', contentType: 'application/json-patch+json', want: 'json' },
  { name: 'merge patch', contentType: 'application/merge-patch+json', want: 'merge' },
  { name: 'strategic merge patch', contentType: 'application/strategic-merge-patch+json', want: 'strategic' },
  { name: 'server-side apply', contentType: 'application/apply-patch+yaml', want: 'apply' },
  {
    name: 'charset parameter ignored',
    contentType: 'application/merge-patch+json; charset=utf-8',
    want: 'merge',
  },
  {
    name: 'case and spaces ignored',
    contentType: ' Application/Strategic-Merge-Patch+JSON ;charset=UTF-8',
    want: 'strategic',
  },
  { name: 'plain json is not a patch type', contentType: 'application/json', want: undefined },
  { name: 'yaml is not a patch type', contentType: 'application/yaml', want: undefined },
  { name: 'missing header', contentType: undefined, want: undefined },
  { name: 'empty header', contentType: '', want: undefined },
];

describe('patchTypeFromContentType', () => {
  it.each(cases)('$name', ({ contentType, want }) => {
    expect(patchTypeFromContentType(contentType)).toBe(want);
  });
});
