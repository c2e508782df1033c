// Column alignment like Go's tabwriter as kubectl configures it (padding 3 for get, 2 for
// describe and history; left-aligned, the last column unpadded).

/** alignColumns pads every column to its widest cell plus three spaces. */
export function alignColumns(rows: string[][], widths: number[] = [], padding = 3): string[] {
  const w = columnWidths(rows, widths);
  return rows.map((r) => padRow(r, w, padding));
}

/** columnWidths is the widest cell per column, at least the given minimums. */
export function columnWidths(rows: string[][], min: number[] = []): number[] {
  const w = [...min];
  for (const r of rows) r.forEach((c, i) => (w[i] = Math.max(w[i] ?? 0, c.length)));
  return w;
}

/** padRow renders one row with the given column widths. */
export function padRow(row: string[], widths: number[], padding = 3): string {
  return row
    .map((c, i) => (i === row.length - 1 ? c : c.padEnd((widths[i] ?? c.length) + padding)))
    .join('')
    .trimEnd();
}
