// A subset of kubectl's JSONPath templates: `{.a.b}`, `['a.b']`, `[0]`, `[*]`, `[1:3]`,
// `[?(@.type=="Ready")]`, `{range .items[*]}...{end}`, quoted literals (`{"\n"}`), plain text.
// Several results of one expression are joined by a space; maps and lists print as JSON.

type Node = { text: string } | { expr: string } | { range: string; body: Node[] };

/** JsonPathError reports a template kubectl would also reject. */
export class JsonPathError extends Error {}

/** renderJsonPath evaluates template against data. */
export function renderJsonPath(template: string, data: unknown): string {
  const t = template.includes('{') ? template : `{${template}}`;
  const [nodes, rest] = parseNodes(tokenize(t), 0);
  if (rest !== tokenize(t).length) throw new JsonPathError('unexpected {end}');
  return renderNodes(nodes, data, data);
}

function tokenize(t: string): { text?: string; expr?: string }[] {
  const out: { text?: string; expr?: string }[] = [];
  let i = 0;
  while (i < t.length) {
    const open = t.indexOf('{', i);
    if (open < 0) {
      out.push({ text: t.slice(i) });
      break;
    }
    if (open > i) out.push({ text: t.slice(i, open) });
    const close = findClose(t, open);
    out.push({ expr: t.slice(open + 1, close).trim() });
    i = close + 1;
  }
  return out;
}

function findClose(t: string, open: number): number {
  let quote = '';
  for (let i = open + 1; i < t.length; i++) {
    const ch = t[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '}') return i;
  }
  throw new JsonPathError(`unclosed action in template "${t}"`);
}

function parseNodes(toks: { text?: string; expr?: string }[], start: number): [Node[], number] {
  const nodes: Node[] = [];
  let i = start;
  while (i < toks.length) {
    const tok = toks[i];
    if (tok.text !== undefined) nodes.push({ text: tok.text });
    else if (tok.expr === 'end') return [nodes, i];
    else if (tok.expr?.startsWith('range ')) {
      const [body, end] = parseNodes(toks, i + 1);
      if (end >= toks.length) throw new JsonPathError('range without end');
      nodes.push({ range: tok.expr.slice(6).trim(), body });
      i = end;
    } else nodes.push({ expr: tok.expr ?? '' });
    i++;
  }
  return [nodes, i];
}

function renderNodes(nodes: Node[], root: unknown, cur: unknown): string {
  let s = '';
  for (const n of nodes) {
    if ('text' in n) s += n.text;
    else if ('range' in n) for (const v of evalPath(n.range, root, cur)) s += renderNodes(n.body, root, v);
    else s += evalExpr(n.expr, root, cur).map(show).join(' ');
  }
  return s;
}

function evalExpr(expr: string, root: unknown, cur: unknown): unknown[] {
  const lit = /^(["'])(.*)\1$/s.exec(expr);
  if (lit) return [unescape(lit[2])];
  return evalPath(expr, root, cur);
}

function unescape(s: string): string {
  return s.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c);
}

function show(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** evalPath evaluates one path (`.a[0].b`, `$.x`, `@.y`) to every value it selects. */
export function evalPath(path: string, root: unknown, cur: unknown): unknown[] {
  let p = path.trim();
  let vals: unknown[] = [cur];
  if (p.startsWith('$')) {
    vals = [root];
    p = p.slice(1);
  } else if (p.startsWith('@')) p = p.slice(1);
  for (const seg of segments(p)) vals = vals.flatMap((v) => step(v, seg));
  return vals.filter((v) => v !== undefined);
}

function segments(p: string): string[] {
  const segs: string[] = [];
  let i = 0;
  while (i < p.length) {
    if (p[i] === '.') {
      const m = /^\.([^.[\]]*)/.exec(p.slice(i))!;
      if (m[1]) segs.push(m[1]);
      i += m[0].length;
    } else if (p[i] === '[') {
      const close = bracketEnd(p, i);
      segs.push(p.slice(i, close + 1));
      i = close + 1;
    } else throw new JsonPathError(`unrecognized character in action: ${p.slice(i)}`);
  }
  return segs;
}

function bracketEnd(p: string, open: number): number {
  let depth = 0;
  let quote = '';
  for (let i = open; i < p.length; i++) {
    const ch = p[i];
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[') depth++;
    else if (ch === ']' && --depth === 0) return i;
  }
  throw new JsonPathError(`unterminated array in ${p}`);
}

function step(v: unknown, seg: string): unknown[] {
  if (!seg.startsWith('[')) return seg === '*' ? children(v) : [field(v, seg)];
  const inner = seg.slice(1, -1).trim();
  if (inner === '*') return children(v);
  const quoted = /^(["'])(.*)\1$/.exec(inner);
  if (quoted) return [field(v, quoted[2])];
  if (inner.startsWith('?(')) return filter(v, inner.slice(2, -1));
  if (!Array.isArray(v)) return [];
  const slice = /^(-?\d*):(-?\d*)$/.exec(inner);
  if (slice) return v.slice(slice[1] ? Number(slice[1]) : 0, slice[2] ? Number(slice[2]) : v.length);
  const idx = Number(inner);
  if (!Number.isInteger(idx)) throw new JsonPathError(`invalid array index ${inner}`);
  return [v[idx < 0 ? v.length + idx : idx]];
}

function field(v: unknown, name: string): unknown {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>)[name] : undefined;
}

function children(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  return v !== null && typeof v === 'object' ? Object.values(v) : [];
}

function filter(v: unknown, cond: string): unknown[] {
  if (!Array.isArray(v)) return [];
  const m = /^(@[^=!<>]*?)\s*(==|!=|<=|>=|<|>)\s*(.+)$/.exec(cond.trim());
  if (!m) return v.filter((item) => evalPath(cond, item, item).length > 0);
  const want = parseLiteral(m[3].trim());
  return v.filter((item) => evalPath(m[1], item, item).some((got) => compare(got, m[2], want)));
}

function parseLiteral(s: string): unknown {
  const q = /^(["'])(.*)\1$/.exec(s);
  if (q) return q[2];
  return Number.isNaN(Number(s)) ? s : Number(s);
}

function compare(a: unknown, op: string, b: unknown): boolean {
  switch (op) {
    case '==':
      return a === b || String(a) === String(b);
    case '!=':
      return String(a) !== String(b);
    default: {
      const [x, y] = [Number(a), Number(b)];
      return op === '<' ? x < y : op === '>' ? x > y : op === '<=' ? x <= y : x >= y;
    }
  }
}
