// Drops fields the schema does not know, given their paths (`spec.template.spec.containers[0].imagee`),
// the way decoding into upstream's typed structs silently drops them.

export function parseFieldPath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  }
  return out;
}

export function pruneFields(obj: Record<string, unknown>, paths: string[]): void {
  for (const p of paths) {
    const segs = parseFieldPath(p);
    let cur: unknown = obj;
    for (const s of segs.slice(0, -1)) {
      if (cur === null || typeof cur !== 'object') break;
      cur = (cur as Record<string | number, unknown>)[s];
    }
    const last = segs[segs.length - 1];
    if (cur !== null && typeof cur === 'object' && last !== undefined && !Array.isArray(cur)) {
      delete (cur as Record<string, unknown>)[String(last)];
    }
  }
}
