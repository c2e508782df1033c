// A set of field paths, as structured-merge-diff's fieldpath.Set: a tree whose edges are path
// element tokens written the way managedFields' FieldsV1 writes them — `f:replicas` (a field),
// `k:{"name":"web"}` (an associative list item), `v:"x"` (a set item), `i:0` (a list index).
// `members` are the nodes owned themselves; `children` lead to owned nodes further down.
// Invariant: no child set is empty.

/** FieldPath is a list of path element tokens from the object's root. */
export type FieldPath = readonly string[];

/** FieldSet is a tree of owned field paths. */
export class FieldSet {
  readonly members = new Set<string>();
  readonly children = new Map<string, FieldSet>();

  /** insert adds a path (the empty path, the object itself, is never stored). */
  insert(path: FieldPath): void {
    const [head, ...rest] = path;
    if (head === undefined) return;
    if (rest.length === 0) this.members.add(head);
    else this.childOrCreate(head).insert(rest);
  }

  /** has reports whether a path is a member. */
  has(path: FieldPath): boolean {
    if (path.length === 0) return false;
    const parent = this.at(path.slice(0, -1));
    return parent?.members.has(path[path.length - 1] as string) ?? false;
  }

  /** at returns the subtree under a path, if any. */
  at(path: FieldPath): FieldSet | undefined {
    const [head, ...rest] = path;
    return head === undefined ? this : this.children.get(head)?.at(rest);
  }

  /** owns reports whether the node `token` or anything below it is in the set. */
  owns(token: string): boolean {
    return this.members.has(token) || this.children.has(token);
  }

  isEmpty(): boolean {
    return this.members.size === 0 && this.children.size === 0;
  }

  /** tokens lists every token at this level (members and children), in upstream's sorted order. */
  tokens(): string[] {
    return [...new Set([...this.members, ...this.children.keys()])].sort(compareTokens);
  }

  union(other: FieldSet): FieldSet {
    const out = this.clone();
    for (const m of other.members) out.members.add(m);
    for (const [token, child] of other.children) {
      const mine = out.children.get(token);
      out.children.set(token, mine ? mine.union(child) : child.clone());
    }
    return out;
  }

  /** difference removes other's members; as upstream, removing a node keeps its descendants. */
  difference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (!other.members.has(m)) out.members.add(m);
    for (const [token, child] of this.children) {
      const theirs = other.children.get(token);
      out.setChild(token, theirs ? child.difference(theirs) : child.clone());
    }
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (other.members.has(m)) out.members.add(m);
    for (const [token, child] of this.children) {
      const theirs = other.children.get(token);
      if (theirs) out.setChild(token, child.intersection(theirs));
    }
    return out;
  }

  /**
   * leaves lists the members that have nothing owned below them, in upstream's iteration order:
   * a level's own leaves (sorted) before descending into its children (sorted).
   */
  leaves(prefix: FieldPath = []): FieldPath[] {
    const own = [...this.members].filter((m) => !this.children.has(m)).sort(compareTokens);
    const out: FieldPath[] = own.map((m) => [...prefix, m]);
    for (const token of [...this.children.keys()].sort(compareTokens)) {
      out.push(...(this.children.get(token) as FieldSet).leaves([...prefix, token]));
    }
    return out;
  }

  clone(): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) out.members.add(m);
    for (const [token, child] of this.children) out.children.set(token, child.clone());
    return out;
  }

  /** setChild stores a subtree, dropping it when empty to keep the invariant. */
  setChild(token: string, child: FieldSet): void {
    if (child.isEmpty()) this.children.delete(token);
    else this.children.set(token, child);
  }

  private childOrCreate(token: string): FieldSet {
    let child = this.children.get(token);
    if (!child) {
      child = new FieldSet();
      this.children.set(token, child);
    }
    return child;
  }
}

// Upstream orders path elements fields < keys < values < indexes, then by their content.
const KIND_ORDER: Readonly<Record<string, number>> = { f: 0, k: 1, v: 2, i: 3 };

/** compareTokens orders tokens as upstream orders path elements. */
export function compareTokens(a: string, b: string): number {
  const ka = KIND_ORDER[a[0] ?? ''] ?? 4;
  const kb = KIND_ORDER[b[0] ?? ''] ?? 4;
  if (ka !== kb) return ka - kb;
  if (a[0] === 'i' && b[0] === 'i') return Number(a.slice(2)) - Number(b.slice(2));
  return a < b ? -1 : a > b ? 1 : 0;
}
