// Text helpers for describe: aligned `Label:  value` blocks, selectors, YAML sections.

import { formatLabelSelector, type LabelSelector } from '../../api/labels.js';
import { toYaml } from './object.js';

/** fields aligns `Label:  value` pairs; continuation lines of a value are indented under it. */
export function fields(pairs: [string, string][], indent = ''): string {
  const width = Math.max(...pairs.map(([k]) => k.length)) + 2;
  return pairs
    .map(([k, v]) => {
      const [head, ...rest] = v.split('\n');
      return [`${indent}${k.padEnd(width)}${head}`, ...rest.map((l) => `${indent}${' '.repeat(width)}${l}`)].join('\n');
    })
    .map((l) => `${l.trimEnd()}\n`)
    .join('');
}

/** selectorText prints a LabelSelector like kubectl (`app=web`). */
export function selectorText(sel: LabelSelector | undefined): string {
  return formatLabelSelector(sel) || '<none>';
}

/** yamlBlock indents a value's YAML for generic sections. */
export function yamlBlock(title: string, v: unknown): string {
  if (v === undefined) return '';
  return `${title}:\n${toYaml(v).replace(/^(?=.)/gm, '  ')}`;
}
