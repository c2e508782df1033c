import { describe, expect, it } from 'vitest';
import { isStatusError, type FieldError } from '../../../api/errors.js';
import {
  formatLabelSelector,
  parseSelector,
  selectorFromLabelSelector,
  selectorMatchesLabels,
  validateLabels,
  validateLabelSelector,
  type LabelSelector,
  type LabelSelectorRequirement,
} from '../../../api/labels.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('parseSelector', () => {
  it.each([
    { input: '', canonical: '', reqs: [] },
    { input: 'a=b', canonical: 'a=b', reqs: [{ key: 'a', op: '=', values: ['b'] }] },
    { input: 'a==b', canonical: 'a==b', reqs: [{ key: 'a', op: '==', values: ['b'] }] },
    { input: 'a!=b', canonical: 'a!=b', reqs: [{ key: 'a', op: '!=', values: ['b'] }] },
    { input: 'a=', canonical: 'a=', reqs: [{ key: 'a', op: '=', values: [''] }] },
    { input: 'a in (y, x ,y)', canonical: 'a in (x,y)', reqs: [{ key: 'a', op: 'in', values: ['x', 'y'] }] },
    { input: 'a notin (x)', canonical: 'a notin (x)', reqs: [{ key: 'a', op: 'notin', values: ['x'] }] },
    { input: 'a in ()', canonical: 'a in ()', reqs: [{ key: 'a', op: 'in', values: [''] }] },
    { input: 'a in (x,)', canonical: 'a in (,x)', reqs: [{ key: 'a', op: 'in', values: ['', 'x'] }] },
    { input: 'a', canonical: 'a', reqs: [{ key: 'a', op: 'exists', values: [] }] },
    { input: '!a', canonical: '!a', reqs: [{ key: 'a', op: '!', values: [] }] },
    { input: 'a>5', canonical: 'a>5', reqs: [{ key: 'a', op: 'gt', values: ['5'] }] },
    { input: 'a<5', canonical: 'a<5', reqs: [{ key: 'a', op: 'lt', values: ['5'] }] },
    { input: 'in in (notin)', canonical: 'in in (notin)', reqs: [{ key: 'in', op: 'in', values: ['notin'] }] },
    { input: 'example.com/app = web', canonical: 'example.com/app=web', reqs: [{ key: 'example.com/app', op: '=', values: ['web'] }] },
    {
      input: ' z=1 , !y,  x  ',
      canonical: 'x,!y,z=1',
      reqs: [
        { key: 'x', op: 'exists', values: [] },
        { key: 'y', op: '!', values: [] },
        { key: 'z', op: '=', values: ['1'] },
      ],
    },
  ])('$input', ({ input, canonical, reqs }) => {
    const sel = parseSelector(input);
    expect(sel.requirements).toEqual(reqs);
    expect(sel.toString()).toBe(canonical);
    expect(sel.empty()).toBe(reqs.length === 0);
  });

  it.each([
    { input: 'a=b c', message: "found 'c', expected: ',' or 'end of string'" },
    { input: 'a=b,', message: "found '', expected: identifier after ','" },
    { input: ',a', message: "found ',', expected: !, identifier, or 'end of string'" },
    { input: '!a=b', message: "found '=', expected: ',' or 'end of string'" },
    { input: 'a b', message: "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt" },
    { input: 'a in b', message: "unable to parse requirement: found 'b' expected: '('" },
    { input: 'a in (x y)', message: "unable to parse requirement: found 'y', expected: ',' or ')'" },
    { input: 'a in (x', message: "unable to parse requirement: found '', expected: ',' or ')'" },
    { input: 'a=(', message: "unable to parse requirement: found '(', expected: identifier" },
    { input: 'a>x', message: 'unable to parse requirement: values[0]: Invalid value: "x": for \'Gt\', \'Lt\' operators, the value must be an integer' },
    { input: 'a=-x', message: 'unable to parse requirement: values[0][a]: Invalid value: "-x": a valid label must be' },
    { input: 'a/b/c=1', message: 'unable to parse requirement: <nil>: Invalid value: "a/b/c": a qualified name must' },
  ])('rejects $input', ({ input, message }) => {
    const err = thrown(() => parseSelector(input));
    expect(isStatusError(err, 'BadRequest')).toBe(true);
    expect((err as Error).message).toContain(message);
  });

  const labels = { app: 'web', tier: 'front', n: '7' };
  it.each([
    { sel: '', want: true },
    { sel: 'app=web', want: true },
    { sel: 'app==db', want: false },
    { sel: 'app!=db', want: true },
    { sel: 'missing!=x', want: true },
    { sel: 'missing=x', want: false },
    { sel: 'tier in (back,front)', want: true },
    { sel: 'tier notin (front)', want: false },
    { sel: 'missing notin (front)', want: true },
    { sel: 'app', want: true },
    { sel: '!app', want: false },
    { sel: '!missing', want: true },
    { sel: 'n>5,n<10', want: true },
    { sel: 'n>7', want: false },
    { sel: 'app>1', want: false },
    { sel: 'app=web,tier=back', want: false },
  ])('$sel matches -> $want', ({ sel, want }) => {
    expect(parseSelector(sel).matches(labels)).toBe(want);
  });

  it('treats undefined labels as empty', () => {
    expect(parseSelector('!a').matches(undefined)).toBe(true);
    expect(parseSelector('a').matches(undefined)).toBe(false);
  });
});

describe('selectorFromLabelSelector', () => {
  const labels = { app: 'web', env: 'prod' };
  it.each<{ name: string; sel: LabelSelector | null | undefined; want: boolean; empty: boolean }>([
    { name: 'null selects nothing', sel: null, want: false, empty: false },
    { name: 'undefined selects nothing', sel: undefined, want: false, empty: false },
    { name: '{} selects everything', sel: {}, want: true, empty: true },
    { name: 'empty lists select everything', sel: { matchLabels: {}, matchExpressions: [] }, want: true, empty: true },
    { name: 'matchLabels hit', sel: { matchLabels: { app: 'web' } }, want: true, empty: false },
    { name: 'matchLabels miss', sel: { matchLabels: { app: 'db' } }, want: false, empty: false },
    { name: 'In', sel: { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dev'] }] }, want: true, empty: false },
    { name: 'NotIn', sel: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, want: false, empty: false },
    { name: 'Exists', sel: { matchExpressions: [{ key: 'app', operator: 'Exists' }] }, want: true, empty: false },
    { name: 'DoesNotExist', sel: { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, want: false, empty: false },
  ])('$name', ({ sel, want, empty }) => {
    expect(selectorFromLabelSelector(sel).matches(labels)).toBe(want);
    expect(selectorFromLabelSelector(sel).empty()).toBe(empty);
    expect(selectorMatchesLabels(sel, labels)).toBe(want);
  });

  it.each<{ name: string; sel: LabelSelector; message: string }>([
    {
      name: 'unknown operator',
      sel: { matchExpressions: [{ key: 'a', operator: 'Bogus', values: ['x'] }] },
      message: '"Bogus" is not a valid label selector operator',
    },
    {
      name: 'In without values',
      sel: { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] },
      message: "values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty",
    },
    { name: 'bad label value', sel: { matchLabels: { a: 'x y' } }, message: 'values[0][a]: Invalid value: "x y"' },
  ])('rejects $name', ({ sel, message }) => {
    const err = thrown(() => selectorFromLabelSelector(sel));
    expect(isStatusError(err, 'BadRequest')).toBe(true);
    expect((err as Error).message).toContain(message);
  });
});

describe('formatLabelSelector', () => {
  it.each<{ sel: LabelSelector | undefined; want: string }>([
    { sel: undefined, want: '<none>' },
    { sel: {}, want: '<none>' },
    { sel: { matchLabels: { app: 'web' } }, want: 'app=web' },
    {
      sel: { matchLabels: { tier: 'x', app: 'web' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['b', 'a'] }] },
      want: 'app=web,env in (a,b),tier=x',
    },
    { sel: { matchExpressions: [{ key: 'gone', operator: 'DoesNotExist' }, { key: 'has', operator: 'Exists' }] }, want: '!gone,has' },
    { sel: { matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['x'] }] }, want: 'a notin (x)' },
    { sel: { matchLabels: { 'bad key!': 'x' } }, want: '<error>' },
  ])('$want', ({ sel, want }) => {
    expect(formatLabelSelector(sel)).toBe(want);
  });
});

describe('validateLabelSelector', () => {
  const req = (r: Partial<LabelSelectorRequirement>): LabelSelector => ({
    matchExpressions: [{ key: 'a', operator: 'In', values: ['x'], ...r }],
  });
  const p = 'spec.selector';
  it.each<{ name: string; sel: LabelSelector; want: Partial<FieldError>[] }>([
    { name: 'valid', sel: { matchLabels: { app: 'web' }, ...req({}) }, want: [] },
    { name: 'In without values', sel: req({ values: [] }), want: [{ type: 'FieldValueRequired', field: `${p}.matchExpressions[0].values` }] },
    { name: 'NotIn missing values', sel: req({ operator: 'NotIn', values: undefined }), want: [{ type: 'FieldValueRequired', field: `${p}.matchExpressions[0].values` }] },
    { name: 'Exists with values', sel: req({ operator: 'Exists' }), want: [{ type: 'FieldValueForbidden', field: `${p}.matchExpressions[0].values` }] },
    { name: 'DoesNotExist without values', sel: req({ operator: 'DoesNotExist', values: [] }), want: [] },
    {
      name: 'unknown operator',
      sel: req({ operator: 'Gt' }),
      want: [{ type: 'FieldValueInvalid', field: `${p}.matchExpressions[0].operator`, badValue: 'Gt' }],
    },
    { name: 'bad key', sel: req({ key: '-a' }), want: [{ type: 'FieldValueInvalid', field: `${p}.matchExpressions[0].key`, badValue: '-a' }] },
    {
      name: 'bad value',
      sel: req({ values: ['ok', 'not ok'] }),
      want: [{ type: 'FieldValueInvalid', field: `${p}.matchExpressions[0].values[1]`, badValue: 'not ok' }],
    },
    { name: 'bad matchLabels value', sel: { matchLabels: { a: '-' } }, want: [{ type: 'FieldValueInvalid', field: `${p}.matchLabels`, badValue: '-' }] },
  ])('$name', ({ sel, want }) => {
    const errs = validateLabelSelector(sel, p);
    expect(errs).toHaveLength(want.length);
    want.forEach((w, i) => expect(errs[i]).toMatchObject(w));
  });
});

describe('validateLabels', () => {
  it.each<{ name: string; labels: Record<string, string> | undefined; want: Partial<FieldError>[] }>([
    { name: 'undefined', labels: undefined, want: [] },
    { name: 'valid', labels: { app: 'web', 'example.com/tier': '', 'a.b_c-d': 'X.y_z-1' }, want: [] },
    { name: 'bad key', labels: { 'a b': 'x' }, want: [{ type: 'FieldValueInvalid', field: 'metadata.labels', badValue: 'a b' }] },
    { name: 'empty key prefix', labels: { '/a': 'x' }, want: [{ field: 'metadata.labels', detail: 'prefix part must be non-empty' }] },
    { name: 'bad value', labels: { a: 'x/y' }, want: [{ type: 'FieldValueInvalid', field: 'metadata.labels', badValue: 'x/y' }] },
    {
      name: 'value too long and malformed gives one error per problem',
      labels: { a: `${'x'.repeat(64)}-` },
      want: [{ detail: 'must be no more than 63 characters' }, { type: 'FieldValueInvalid' }],
    },
  ])('$name', ({ labels, want }) => {
    const errs = validateLabels(labels, 'metadata.labels');
    expect(errs).toHaveLength(want.length);
    want.forEach((w, i) => expect(errs[i]).toMatchObject(w));
  });
});
