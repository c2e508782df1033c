import { describe, expect, it } from 'vitest';
import { WatchDecodeError, WatchLineDecoder, decodeWatchStream } from '../../../client/watch-decoder.js';

const line1 = '{"type":"ADDED","object":{"metadata":{"name":"héllo","resourceVersion":"1"}}}\n';
const line2 = '{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"7"}}}\n';
const bytes = new TextEncoder().encode(line1 + line2);

async function* chunks(parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* parts;
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('watch decoder', () => {
  const splits = [
    { name: 'one chunk', at: [] as number[] },
    { name: 'split inside the first line', at: [20] },
    { name: 'split inside the multi-byte é', at: [line1.indexOf('é') + 1] },
    { name: 'split at the newline', at: [Buffer.byteLength(line1) - 1, Buffer.byteLength(line1)] },
    { name: 'one byte per chunk', at: Array.from({ length: bytes.length - 1 }, (_, i) => i + 1) },
  ];
  it.each(splits)('decodes events with $name', async ({ at }) => {
    const bounds = [0, ...at, bytes.length];
    const parts = bounds.slice(1).map((end, i) => bytes.subarray(bounds[i], end));
    const events = await collect(decodeWatchStream(chunks(parts)));
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'BOOKMARK']);
    expect(events[0].object.metadata.name).toBe('héllo');
    expect(events[1].object.metadata.resourceVersion).toBe('7');
  });

  it('decodes a final line without newline and skips blank lines', () => {
    const d = new WatchLineDecoder();
    expect(d.push('\n' + line1.trim())).toEqual([]);
    expect(d.end().map((e) => e.type)).toEqual(['ADDED']);
  });

  const malformed = [
    { name: 'invalid JSON', line: '{"type":"ADDED","object":{' },
    { name: 'unknown type', line: '{"type":"CHANGED","object":{}}' },
    { name: 'object missing', line: '{"type":"ADDED"}' },
    { name: 'not an object', line: '[1,2]' },
  ];
  it.each(malformed)('throws on $name instead of skipping it', async ({ line }) => {
    const enc = new TextEncoder();
    const stream = decodeWatchStream(chunks([enc.encode(line1), enc.encode(line + '\n'), enc.encode(line2)]));
    const seen: string[] = [];
    const run = async (): Promise<void> => {
      for await (const e of stream) seen.push(e.type);
    };
    await expect(run()).rejects.toBeInstanceOf(WatchDecodeError);
    expect(seen).toEqual(['ADDED']);
  });
});
