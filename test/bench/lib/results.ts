// Writes a benchmark's figures as test/bench/results/NAME.json (flat, machine-readable) and
// NAME.md (the same as a table), stamped with where and when they were measured.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { round } from './stats.js';

/** Figure is one named measurement, optionally beside a baseline measured in the same run. */
export interface Figure {
  value: number;
  unit: string;
  baseline: number | null;
  baselineName: string;
  /** value ÷ baseline, or null without a baseline. */
  ratio: number | null;
}

export interface Meta {
  date: string;
  node: string;
  cpus: number;
  cpuModel: string;
  commit: string;
  notes?: string;
}

const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

/** figure builds a Figure and computes its ratio; non-finite numbers become null-safe values. */
export function figure(value: number, unit: string, baseline?: number, baselineName = ''): Figure {
  const b = baseline !== undefined && Number.isFinite(baseline) ? round(baseline, 3) : null;
  const v = round(value, 3);
  return { value: v, unit, baseline: b, baselineName, ratio: b ? round(value / baseline!, 3) : null };
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/** meta describes the machine and the checkout the figures come from. */
export function meta(notes?: string): Meta {
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    commit: gitCommit(),
    ...(notes ? { notes } : {}),
  };
}

/** markdownTable renders figures in insertion order, one row each. */
export function markdownTable(figures: Record<string, Figure>): string {
  const rows = ['| figure | value | unit | baseline | baseline name | ratio |', '|---|---|---|---|---|---|'];
  for (const [name, f] of Object.entries(figures)) {
    rows.push(`| ${name} | ${f.value} | ${f.unit} | ${f.baseline ?? '—'} | ${f.baselineName || '—'} | ${f.ratio ?? '—'} |`);
  }
  return rows.join('\n');
}

/** writeResults writes NAME.json and NAME.md and returns their paths. */
export function writeResults(name: string, figures: Record<string, Figure>, m: Meta): { json: string; md: string } {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const json = join(RESULTS_DIR, `${name}.json`);
  const md = join(RESULTS_DIR, `${name}.md`);
  writeFileSync(json, JSON.stringify({ ...figures, _meta: m }, null, 2) + '\n');
  const header = `# Benchmark: ${name}\n\n${m.date} · node ${m.node} · ${m.cpus} × ${m.cpuModel} · commit ${m.commit}\n`;
  const notes = m.notes ? `\n${m.notes}\n` : '';
  writeFileSync(md, `${header}\n${markdownTable(figures)}\n${notes}`);
  return { json, md };
}
