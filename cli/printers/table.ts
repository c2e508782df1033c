// Prints server-side Tables the way kubectl get does: upper-cased headers, priority > 0 columns
// only with -o wide, NAMESPACE first with -A, LABELS last with --show-labels.

import type { Table, TableRow } from '../verbs/requests.js';

/** TableOptions are the get flags that change the human output. */
export interface TablePrintOptions {
  wide?: boolean;
  withNamespace?: boolean;
  showLabels?: boolean;
  /** `deployment.apps/` prefix on names when several types are printed. */
  kindPrefix?: string;
  noHeaders?: boolean;
}

/** visibleColumns are the column indexes shown. */
export function visibleColumns(t: Table, opts: TablePrintOptions): number[] {
  return (t.columnDefinitions ?? []).flatMap((c, i) => (opts.wide || !c.priority ? [i] : []));
}

/** headerRow is the upper-cased header. */
export function headerRow(t: Table, opts: TablePrintOptions): string[] {
  const cols = visibleColumns(t, opts).map((i) => (t.columnDefinitions ?? [])[i].name.toUpperCase());
  return [...(opts.withNamespace ? ['NAMESPACE'] : []), ...cols, ...(opts.showLabels ? ['LABELS'] : [])];
}

/** rowCells renders one row's cells as strings. */
export function rowCells(t: Table, row: TableRow, cols: number[], opts: TablePrintOptions): string[] {
  const defs = t.columnDefinitions ?? [];
  const cells = cols.map((i) => {
    const v = cellText(row.cells[i]);
    return defs[i]?.format === 'name' && opts.kindPrefix ? `${opts.kindPrefix}/${v}` : v;
  });
  const md = row.object?.metadata;
  return [...(opts.withNamespace ? [md?.namespace ?? ''] : []), ...cells, ...(opts.showLabels ? [formatLabels(md?.labels)] : [])];
}

/** tableRows renders the header (unless noHeaders) and every row. */
export function tableRows(t: Table, opts: TablePrintOptions): string[][] {
  const cols = visibleColumns(t, opts);
  const rows = t.rows.map((r) => rowCells(t, r, cols, opts));
  return opts.noHeaders ? rows : [headerRow(t, opts), ...rows];
}

/** cellText renders one cell: null as <none>, everything else as text. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '<none>';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** formatLabels is `a=b,c=d` sorted by key, or <none>. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const entries = Object.entries(labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(',') : '<none>';
}
