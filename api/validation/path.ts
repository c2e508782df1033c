// Field paths in upstream's printed form: `spec.containers[0].ports[1].name`, `data[key]`.

export const child = (path: string, ...names: string[]): string =>
  names.reduce((p, n) => (p ? `${p}.${n}` : n), path);

export const index = (path: string, i: number): string => `${path}[${i}]`;

export const key = (path: string, k: string): string => `${path}[${k}]`;
