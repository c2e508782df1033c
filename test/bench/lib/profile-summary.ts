// Summarizes a .cpuprofile: self time by function and by source area (apiserver/, undici, grpc...),
// and by owner: each sample charged to the nearest frame of our code or of a package on its stack
// (so time in node: internals and native code, e.g. socket writes, counts for whoever called it).
// Usage: npx tsx test/bench/lib/profile-summary.ts FILE.cpuprofile [top=25]
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

function area(url: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  const own = /\/work\/[^/]+\/([^/]+)\//.exec(url);
  if (own) return own[1]!;
  return url.startsWith('node:') ? 'node:' + url.slice(5).split('/')[0] : url || '(native/gc/idle)';
}

function top(map: Map<string, number>, n: number, total: number): string[] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, us]) => `${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`);
}

const [file, n = '25'] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary.ts FILE.cpuprofile [top]');
const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(p.nodes.map((x) => [x.id, x]));
const parent = new Map<number, number>();
for (const x of p.nodes) for (const c of x.children ?? []) parent.set(c, x.id);
const SPECIAL = new Set(['(garbage collector)', '(idle)', '(program)']);
/** owner: the nearest frame on the stack in our code or a package, else the leaf's area. */
function owner(id: number): string {
  const leaf = byId.get(id)!.callFrame;
  if (SPECIAL.has(leaf.functionName)) return leaf.functionName;
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const url = byId.get(cur)!.callFrame.url;
    if (url.startsWith('file:') || url.startsWith('/')) return area(url);
  }
  return area(leaf.url);
}
const byOwner = new Map<string, number>();
const byFn = new Map<string, number>();
const byArea = new Map<string, number>();
let total = 0;
p.samples.forEach((id, i) => {
  const cf = byId.get(id)!.callFrame;
  const dt = p.timeDeltas[i] ?? 0;
  total += dt;
  const fn = `${cf.functionName || '(anonymous)'} ${cf.url.replace(/^.*\/work\/[^/]+\//, '')}:${cf.lineNumber + 1}`;
  byFn.set(fn, (byFn.get(fn) ?? 0) + dt);
  byArea.set(area(cf.url), (byArea.get(area(cf.url)) ?? 0) + dt);
  const o = owner(id);
  byOwner.set(o, (byOwner.get(o) ?? 0) + dt);
});
console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled\n\nby area:`);
console.log(top(byArea, 15, total).join('\n'));
console.log('\nby owner (nearest frame of our code or a package):');
console.log(top(byOwner, 15, total).join('\n'));
console.log('\nby function (self):');
console.log(top(byFn, Number(n), total).join('\n'));
