// Label selectors as apimachinery's pkg/labels (the `a=b,c in (x,y),!d` query form) and metav1's
// LabelSelector (matchLabels / matchExpressions), with upstream's parse errors and validation.

import { badRequest, fieldErr, fieldErrorMessage, type FieldError } from './errors.js';
import { isQualifiedName, isValidLabelValue } from './names.js';

export type LabelSelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface LabelSelectorRequirement {
  key: string;
  /** A LabelSelectorOperator when valid; typed loosely because it arrives unvalidated from users. */
  operator: LabelSelectorOperator | (string & {});
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** selection.Operator: `!` is DoesNotExist, `gt`/`lt` compare integers. */
export type Operator = 'in' | 'notin' | 'exists' | '!' | '=' | '==' | '!=' | 'gt' | 'lt';

export interface Requirement {
  key: string;
  op: Operator;
  values: string[];
}

export interface Selector {
  /** True when the selector matches everything. */
  empty(): boolean;
  matches(labels: Record<string, string> | undefined): boolean;
  requirements: Requirement[];
  toString(): string;
}

const LABEL_SELECTOR_OPS: Partial<Record<string, Operator>> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

// ---- requirements ----

function has(labels: Record<string, string>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(labels, key);
}

function compareInt(op: 'gt' | 'lt', actual: string, wanted: string | undefined): boolean {
  const isInt = (s: string | undefined): s is string => s !== undefined && /^[+-]?[0-9]+$/.test(s);
  if (!isInt(actual) || !isInt(wanted)) return false;
  return op === 'gt' ? BigInt(actual) > BigInt(wanted) : BigInt(actual) < BigInt(wanted);
}

export function requirementMatches(r: Requirement, labels: Record<string, string>): boolean {
  const present = has(labels, r.key);
  const actual = labels[r.key] ?? '';
  switch (r.op) {
    case 'in':
    case '=':
    case '==':
      return present && r.values.includes(actual);
    case 'notin':
    case '!=':
      return !present || !r.values.includes(actual);
    case 'exists':
      return present;
    case '!':
      return !present;
    case 'gt':
    case 'lt':
      return present && r.values.length === 1 && compareInt(r.op, actual, r.values[0]);
  }
}

const OP_TEXT: Record<Operator, string> = {
  in: ' in ', notin: ' notin ', exists: '', '!': '', '=': '=', '==': '==', '!=': '!=', gt: '>', lt: '<',
};

/** Upstream Requirement.String(): values sorted, set operators parenthesised. */
export function formatRequirement(r: Requirement): string {
  const head = `${r.op === '!' ? '!' : ''}${r.key}${OP_TEXT[r.op]}`;
  if (r.op === 'exists' || r.op === '!') return head;
  const vals = [...r.values].sort().join(',');
  return r.op === 'in' || r.op === 'notin' ? `${head}(${vals})` : `${head}${vals}`;
}

/** labels.NewRequirement's checks; `path` prefixes field paths (upstream's nil path is ''). */
export function requirementErrors(r: Requirement, path = ''): FieldError[] {
  const child = (name: string) => (path ? `${path}.${name}` : name);
  const errs: FieldError[] = [];
  const keyErrs = isQualifiedName(r.key);
  if (keyErrs.length) errs.push(fieldErr.invalid(child('key'), r.key, keyErrs.join('; ')));
  errs.push(...valueCountErrors(r, child('values')));
  r.values.forEach((v, i) => {
    const msgs = isValidLabelValue(v);
    if (msgs.length) errs.push(fieldErr.invalid(`${child('values')}[${i}][${r.key}]`, v, msgs.join('; ')));
  });
  return errs;
}

function valueCountErrors(r: Requirement, valuesPath: string): FieldError[] {
  const n = r.values.length;
  switch (r.op) {
    case 'in':
    case 'notin':
      return n === 0 ? [fieldErr.invalid(valuesPath, r.values, "for 'in', 'notin' operators, values set can't be empty")] : [];
    case '=':
    case '==':
    case '!=':
      return n !== 1 ? [fieldErr.invalid(valuesPath, r.values, 'exact-match compatibility requires one single value')] : [];
    case 'exists':
    case '!':
      return n !== 0 ? [fieldErr.invalid(valuesPath, r.values, 'values set must be empty for exists and does not exist')] : [];
    case 'gt':
    case 'lt':
      return intValueErrors(r.values, valuesPath);
  }
}

function intValueErrors(values: string[], valuesPath: string): FieldError[] {
  const errs: FieldError[] = [];
  if (values.length !== 1) {
    errs.push(fieldErr.invalid(valuesPath, values, "for 'Gt', 'Lt' operators, exactly one value is required"));
  }
  values.forEach((v, i) => {
    if (!/^[+-]?[0-9]+$/.test(v)) {
      errs.push(fieldErr.invalid(`${valuesPath}[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
    }
  });
  return errs;
}

/** utilerrors.Aggregate's message: the lone error, or `[e1, e2]`. */
function aggregateMessage(errs: FieldError[]): string {
  const msgs = errs.map(fieldErrorMessage);
  return msgs.length === 1 ? (msgs[0] as string) : `[${msgs.join(', ')}]`;
}

/** Builds a requirement, throwing badRequest with upstream's aggregate message when invalid. */
export function newRequirement(key: string, op: Operator, values: string[]): Requirement {
  const r = { key, op, values };
  const errs = requirementErrors(r);
  if (errs.length) throw badRequest(aggregateMessage(errs));
  return r;
}

// ---- selectors ----

/** A selector over requirements sorted by key, as upstream's internalSelector. */
export function selectorOf(requirements: Requirement[]): Selector {
  const sorted = [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    requirements: sorted,
    empty: () => sorted.length === 0,
    matches: (labels) => sorted.every((r) => requirementMatches(r, labels ?? {})),
    toString: () => sorted.map(formatRequirement).join(','),
  };
}

export const EVERYTHING: Selector = selectorOf([]);

export const NOTHING: Selector = {
  requirements: [],
  empty: () => false,
  matches: () => false,
  toString: () => '',
};

/** Parses the query-string form; `''` selects everything. Bad input throws badRequest. */
export function parseSelector(s: string): Selector {
  return selectorOf(new SelectorParser(s).parse());
}

/** metav1.LabelSelectorAsSelector: null/undefined selects nothing, `{}` everything. */
export function selectorFromLabelSelector(sel: LabelSelector | undefined | null): Selector {
  if (!sel) return NOTHING;
  const labels = Object.entries(sel.matchLabels ?? {});
  const exprs = sel.matchExpressions ?? [];
  if (labels.length + exprs.length === 0) return EVERYTHING;
  const reqs = labels.map(([k, v]) => newRequirement(k, '=', [v]));
  for (const e of exprs) {
    const op = LABEL_SELECTOR_OPS[e.operator];
    if (!op) throw badRequest(`${JSON.stringify(e.operator)} is not a valid label selector operator`);
    reqs.push(newRequirement(e.key, op, [...(e.values ?? [])]));
  }
  return selectorOf(reqs);
}

/** metav1.FormatLabelSelector: `app=web,tier in (a,b)`, `<none>` when empty, `<error>` when invalid. */
export function formatLabelSelector(sel: LabelSelector | undefined | null): string {
  try {
    return selectorFromLabelSelector(sel).toString() || '<none>';
  } catch {
    return '<error>';
  }
}

export function selectorMatchesLabels(
  sel: LabelSelector | undefined | null,
  labels: Record<string, string> | undefined,
): boolean {
  return selectorFromLabelSelector(sel).matches(labels);
}

// ---- validation (metav1 validation.ValidateLabelSelector / ValidateLabels) ----

function labelNameErrors(name: string, fieldPath: string): FieldError[] {
  return isQualifiedName(name).map((msg) => fieldErr.invalid(fieldPath, name, msg));
}

/** One error per problem, on the labels path itself, as upstream. */
export function validateLabels(labels: Record<string, string> | undefined, fieldPath: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    errs.push(...labelNameErrors(k, fieldPath));
    errs.push(...isValidLabelValue(v).map((msg) => fieldErr.invalid(fieldPath, v, msg)));
  }
  return errs;
}

export function validateLabelSelectorRequirement(r: LabelSelectorRequirement, fieldPath: string): FieldError[] {
  const errs: FieldError[] = [];
  const values = r.values ?? [];
  if (r.operator === 'In' || r.operator === 'NotIn') {
    if (values.length === 0) {
      errs.push(fieldErr.required(`${fieldPath}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    }
  } else if (r.operator === 'Exists' || r.operator === 'DoesNotExist') {
    if (values.length > 0) {
      errs.push(fieldErr.forbidden(`${fieldPath}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    }
  } else {
    errs.push(fieldErr.invalid(`${fieldPath}.operator`, r.operator, 'not a valid selector operator'));
  }
  errs.push(...labelNameErrors(r.key, `${fieldPath}.key`));
  values.forEach((v, i) => {
    errs.push(...isValidLabelValue(v).map((msg) => fieldErr.invalid(`${fieldPath}.values[${i}]`, v, msg)));
  });
  return errs;
}

export function validateLabelSelector(sel: LabelSelector | undefined | null, fieldPath: string): FieldError[] {
  if (!sel) return [];
  const errs = validateLabels(sel.matchLabels, `${fieldPath}.matchLabels`);
  (sel.matchExpressions ?? []).forEach((r, i) => {
    errs.push(...validateLabelSelectorRequirement(r, `${fieldPath}.matchExpressions[${i}]`));
  });
  return errs;
}

// ---- the query-string parser (pkg/labels Lexer + Parser) ----

type TokenKind = 'id' | 'in' | 'notin' | '(' | ')' | ',' | '!' | '=' | '==' | '!=' | '>' | '<' | 'eos' | 'error';

interface Token {
  kind: TokenKind;
  lit: string;
}

const SYMBOLS = new Set<string>(['(', ')', ',', '!', '=', '==', '!=', '>', '<']);
const SPECIAL_CHARS = '!(),=<>';
const WHITESPACE = ' \t\r\n';
const BINARY_OPERATORS = 'in, notin, =, ==, !=, gt, lt';

/** Splits the selector into tokens; a run of symbols is matched longest-first, as upstream. */
export function lexSelector(s: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < s.length) {
    const ch = s[pos] as string;
    if (WHITESPACE.includes(ch)) pos++;
    else if (SPECIAL_CHARS.includes(ch)) pos = lexSymbol(s, pos, tokens);
    else pos = lexWord(s, pos, tokens);
  }
  tokens.push({ kind: 'eos', lit: '' });
  return tokens;
}

function lexSymbol(s: string, pos: number, out: Token[]): number {
  let end = pos;
  let matched = '';
  while (end < s.length && SPECIAL_CHARS.includes(s[end] as string)) {
    const buf = s.slice(pos, end + 1);
    if (SYMBOLS.has(buf)) matched = buf;
    else if (matched) break;
    end++;
  }
  if (!matched) {
    out.push({ kind: 'error', lit: `error expected: keyword found '${s.slice(pos, end)}'` });
    return end;
  }
  out.push({ kind: matched as TokenKind, lit: matched });
  return pos + matched.length;
}

function lexWord(s: string, pos: number, out: Token[]): number {
  let end = pos;
  while (end < s.length && !WHITESPACE.includes(s[end] as string) && !SPECIAL_CHARS.includes(s[end] as string)) end++;
  const lit = s.slice(pos, end);
  out.push({ kind: lit === 'in' || lit === 'notin' ? lit : 'id', lit });
  return end;
}

/** In value position `in` and `notin` are plain identifiers (upstream's Values context). */
type Context = 'values' | 'operator';

class SelectorParser {
  private readonly tokens: Token[];
  private pos = 0;

  constructor(input: string) {
    this.tokens = lexSelector(input);
  }

  private peek(ctx: Context = 'values'): Token {
    const t = this.tokens[this.pos] ?? { kind: 'eos', lit: '' };
    return ctx === 'values' && (t.kind === 'in' || t.kind === 'notin') ? { kind: 'id', lit: t.lit } : t;
  }

  private next(ctx: Context = 'values'): Token {
    const t = this.peek(ctx);
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eos') return reqs;
      if (t.kind !== 'id' && t.kind !== '!') {
        throw badRequest(`found '${t.lit}', expected: !, identifier, or 'end of string'`);
      }
      reqs.push(this.requirementOrThrow());
      const sep = this.next();
      if (sep.kind === 'eos') return reqs;
      if (sep.kind !== ',') throw badRequest(`found '${sep.lit}', expected: ',' or 'end of string'`);
      const after = this.peek();
      if (after.kind !== 'id' && after.kind !== '!') {
        throw badRequest(`found '${after.lit}', expected: identifier after ','`);
      }
    }
  }

  private requirementOrThrow(): Requirement {
    try {
      return this.requirement();
    } catch (err) {
      throw badRequest(`unable to parse requirement: ${(err as Error).message}`);
    }
  }

  private requirement(): Requirement {
    const negated = this.peek().kind === '!';
    if (negated) this.next();
    const key = this.next();
    if (key.kind !== 'id') throw new Error(`found '${key.lit}', expected: identifier`);
    const keyErrs = isQualifiedName(key.lit);
    if (keyErrs.length) throw new Error(fieldErrorMessage(fieldErr.invalid('<nil>', key.lit, keyErrs.join('; '))));
    const following = this.peek().kind;
    if (negated || following === 'eos' || following === ',') {
      // Upstream then rejects `!a=b` at the top level: '=' is neither ',' nor end of string.
      return checked({ key: key.lit, op: negated ? '!' : 'exists', values: [] });
    }
    const op = this.operator();
    const values = op === 'in' || op === 'notin' ? this.setValues() : this.exactValue();
    return checked({ key: key.lit, op, values: [...new Set(values)].sort() });
  }

  private operator(): Operator {
    const t = this.next('operator');
    switch (t.kind) {
      case 'in':
      case 'notin':
      case '=':
      case '==':
      case '!=':
        return t.kind;
      case '>':
        return 'gt';
      case '<':
        return 'lt';
      default:
        throw new Error(`found '${t.lit}', expected: ${BINARY_OPERATORS}`);
    }
  }

  private exactValue(): string[] {
    const t = this.peek();
    if (t.kind === 'eos' || t.kind === ',') return [''];
    this.next();
    if (t.kind === 'id') return [t.lit];
    throw new Error(`found '${t.lit}', expected: identifier`);
  }

  private setValues(): string[] {
    const open = this.next();
    if (open.kind !== '(') throw new Error(`found '${open.lit}' expected: '('`);
    const first = this.peek();
    if (first.kind === ')') {
      this.next();
      return [''];
    }
    if (first.kind !== 'id' && first.kind !== ',') {
      throw new Error(`found '${first.lit}', expected: ',', ')' or identifier`);
    }
    const values = this.identifierList();
    if (this.next().kind !== ')') throw new Error(`found '${first.lit}', expected: ')'`);
    return values;
  }

  /** `(a,b)`, with empty entries for `(,a)`, `(a,)` and `(a,,b)` as upstream. */
  private identifierList(): string[] {
    const values: string[] = [];
    for (;;) {
      const t = this.next();
      if (t.kind === 'id') {
        values.push(t.lit);
        const after = this.peek();
        if (after.kind === ')') return values;
        if (after.kind !== ',') throw new Error(`found '${after.lit}', expected: ',' or ')'`);
      } else if (t.kind === ',') {
        if (values.length === 0) values.push('');
        const after = this.peek().kind;
        if (after === ')') return [...values, ''];
        if (after === ',') {
          this.next();
          values.push('');
        }
      } else {
        throw new Error(`found '${t.lit}', expected: ',', or identifier`);
      }
    }
  }
}

function checked(r: Requirement): Requirement {
  const errs = requirementErrors(r);
  if (errs.length) throw new Error(aggregateMessage(errs));
  return r;
}
