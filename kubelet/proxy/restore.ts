// iptables-restore text for Skiff's chains, and what iptables-save shows of them. Pure.
//
// `iptables-restore --noflush` leaves every chain it is not told about alone; a chain it declares
// (`:NAME - [0:0]`) is created or flushed, then refilled by the `-A` lines that follow, all in
// one transaction per table. So each sync rewrites Skiff's chains whole and atomically, without
// touching anybody else's rules. Jumps from built-in chains are added (`-I`) only when missing.
import { quote, type JumpRule, type ProxyRules, type TableRules } from './rules.js';

export type TableName = 'nat' | 'filter';
const TABLES: TableName[] = ['filter', 'nat'];

/** SavedRule is one rule of a chain Skiff does not own that jumps to one it does. */
export interface SavedJump {
  table: TableName;
  chain: string;
  target: string;
  /** The rule as iptables-save printed it, starting with -A. */
  line: string;
}

/** SavedState is what iptables-save shows of Skiff's chains (one prefix). */
export interface SavedState {
  chains: Record<TableName, string[]>;
  jumps: SavedJump[];
}

function owned(prefix: string, chain: string): boolean {
  return chain.startsWith(`${prefix}-`);
}

/** targetOf is the -j/-g argument of a saved rule line. */
function targetOf(line: string): string | undefined {
  return / -[jg] ("[^"]*"|\S+)/.exec(line)?.[1];
}

/** parseSave picks Skiff's chains (by prefix) and the foreign rules that jump to them out of iptables-save output. */
export function parseSave(text: string, prefix: string): SavedState {
  const out: SavedState = { chains: { nat: [], filter: [] }, jumps: [] };
  let table: TableName | undefined;
  for (const raw of text.split('\n')) {
    const l = raw.trim();
    if (l.startsWith('*')) table = (TABLES as string[]).includes(l.slice(1)) ? (l.slice(1) as TableName) : undefined;
    if (!table) continue;
    if (l.startsWith(':')) {
      const name = l.slice(1).split(' ')[0]!;
      if (owned(prefix, name)) out.chains[table].push(name);
    } else if (l.startsWith('-A ')) {
      const chain = l.split(' ')[1]!;
      const target = targetOf(l);
      if (!owned(prefix, chain) && target && owned(prefix, target)) out.jumps.push({ table, chain, target, line: l });
    }
  }
  return out;
}

/** jumpTarget is the chain a JumpRule leads to. */
function jumpTarget(j: JumpRule): string {
  return j.args[j.args.indexOf('-j') + 1]!;
}

function jumpKey(table: string, chain: string, target: string): string {
  return `${table} ${chain} ${target}`;
}

/** renderRules is the desired part of the text: chains and rules, no jumps. Equal text, equal rules. */
export function renderRules(rules: ProxyRules): string {
  return TABLES.map((t) => tableBody(rules[t]).join('\n')).join('\n---\n');
}

function tableBody(t: TableRules): string[] {
  return [...t.chains.map((c) => `:${c} - [0:0]`), ...t.rules];
}

/** RestorePlan is the restore text plus what it changes beyond the chains' contents. */
export interface RestorePlan {
  text: string;
  addedJumps: number;
  removedJumps: number;
  removedChains: number;
}

/**
 * planRestore is the iptables-restore --noflush input that moves `saved` to `rules`: declare
 * (and so flush) every chain of ours, drop jumps nobody wants, add missing jumps, fill the
 * chains, delete the chains no longer wanted.
 */
export function planRestore(rules: ProxyRules, saved: SavedState): RestorePlan {
  const wanted = new Set(rules.jumps.map((j) => jumpKey(j.table, j.chain, jumpTarget(j))));
  const present = new Set(saved.jumps.map((j) => jumpKey(j.table, j.chain, j.target)));
  const plan: RestorePlan = { text: '', addedJumps: 0, removedJumps: 0, removedChains: 0 };
  const lines: string[] = [];
  for (const t of TABLES) {
    const desired = new Set(rules[t].chains);
    const stale = saved.chains[t].filter((c) => !desired.has(c));
    const seen = new Set<string>();
    // Unwanted jumps go, and so do duplicates of wanted ones (e.g. two agents raced at start).
    const drop = saved.jumps.filter((j) => {
      const k = jumpKey(t, j.chain, j.target);
      if (j.table !== t) return false;
      if (!wanted.has(k) || seen.has(k)) return true;
      seen.add(k);
      return false;
    });
    const add = rules.jumps.filter((j) => j.table === t && !present.has(jumpKey(t, j.chain, jumpTarget(j))));
    lines.push(`*${t}`, ...[...rules[t].chains, ...stale].map((c) => `:${c} - [0:0]`));
    lines.push(...drop.map((j) => j.line.replace(/^-A /, '-D ')));
    lines.push(...add.map((j) => ['-I', j.chain, '1', ...j.args].map(quote).join(' ')));
    lines.push(...rules[t].rules, ...stale.map((c) => `-X ${c}`), 'COMMIT');
    plan.addedJumps += add.length;
    plan.removedJumps += drop.length;
    plan.removedChains += stale.length;
  }
  plan.text = lines.join('\n') + '\n';
  return plan;
}

/** cleanupRestore removes every jump to Skiff's chains and then the chains; undefined when there is nothing. */
export function cleanupRestore(saved: SavedState): string | undefined {
  if (saved.jumps.length === 0 && TABLES.every((t) => saved.chains[t].length === 0)) return undefined;
  const lines: string[] = [];
  for (const t of TABLES) {
    lines.push(`*${t}`, ...saved.chains[t].map((c) => `:${c} - [0:0]`));
    lines.push(...saved.jumps.filter((j) => j.table === t).map((j) => j.line.replace(/^-A /, '-D ')));
    lines.push(...saved.chains[t].map((c) => `-X ${c}`), 'COMMIT');
  }
  return lines.join('\n') + '\n';
}
