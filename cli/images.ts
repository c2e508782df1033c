// `skiff images ls` and `skiff images rm`: the node's images, through the running runtime's
// gRPC service (ListImages, ImageStatus, RemoveImage) as crictl does, so only the runtime ever
// writes its store. `ls` falls back to reading the store when no runtime runs; `rm` needs one.
import type { Image } from '../runtime/api.js';

/** splitRepoTag splits `repo:tag` (the colon after the last slash); a bare name has tag <none>. */
export function splitRepoTag(ref: string): { repo: string; tag: string } {
  const at = ref.lastIndexOf(':');
  if (at > ref.lastIndexOf('/')) return { repo: ref.slice(0, at), tag: ref.slice(at + 1) };
  return { repo: ref, tag: '<none>' };
}

/** humanSize is crictl's size column: decimal units, about three significant digits. */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v : Number(v.toPrecision(3))}${units[i]}`;
}

/** shortId is the first 13 hex digits of an image id (crictl images). */
export function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 13);
}

/** imageRows renders `skiff images ls` like `crictl images`: one row per tag, sorted. */
export function imageRows(images: Image[]): string[][] {
  const rows: string[][] = [];
  for (const img of images) {
    const tags = img.repoTags.length ? img.repoTags : img.repoDigests.map((d) => d.split('@')[0]!);
    for (const ref of tags.length ? tags : ['<none>']) {
      const { repo, tag } = img.repoTags.length ? splitRepoTag(ref) : { repo: ref, tag: '<none>' };
      rows.push([repo, tag, shortId(img.id), humanSize(img.size)]);
    }
  }
  rows.sort((a, b) => a[0]!.localeCompare(b[0]!) || a[1]!.localeCompare(b[1]!));
  return [['IMAGE', 'TAG', 'IMAGE ID', 'SIZE'], ...rows];
}

/** table pads columns with three spaces, as kubectl's and crictl's tables do. */
export function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 3))).join('').trimEnd());
}
