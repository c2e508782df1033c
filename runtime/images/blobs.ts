// Content-addressed blob storage: blobs/sha256/<hex>, written through a temp file and renamed
// only after the digest matches, so a blob in the store is always the bytes its name says.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { access, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable, Transform } from 'node:stream';

/** BlobStore keeps blobs by sha256 digest under root. */
export class BlobStore {
  private readonly inflight = new Map<string, Promise<void>>();

  constructor(readonly root: string) {}

  /** path is where the blob with digest lives (whether or not it is there). */
  path(digest: string): string {
    const [algo, hex] = digest.split(':');
    if (algo !== 'sha256' || !hex || !/^[0-9a-f]{64}$/.test(hex)) throw new Error(`unsupported digest ${digest}`);
    return join(this.root, 'blobs', 'sha256', hex);
  }

  async has(digest: string): Promise<boolean> {
    return access(this.path(digest)).then(() => true, () => false);
  }

  async size(digest: string): Promise<number> {
    return (await stat(this.path(digest))).size;
  }

  async read(digest: string): Promise<Buffer> {
    return readFile(this.path(digest));
  }

  async readJson<T>(digest: string): Promise<T> {
    return JSON.parse((await this.read(digest)).toString()) as T;
  }

  /**
   * put stores a stream, refusing it (and keeping nothing) when its digest is not `expected`;
   * onChunk sees the byte count so far (for progress).
   */
  async put(source: Readable, expected?: string, onChunk?: (bytes: number) => void): Promise<string> {
    const dir = join(this.root, 'blobs', 'sha256');
    await mkdir(dir, { recursive: true });
    const tmp = join(this.root, 'blobs', `.tmp-${randomBytes(6).toString('hex')}`);
    const hash = createHash('sha256');
    let bytes = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        bytes += chunk.length;
        onChunk?.(bytes);
        cb(null, chunk);
      },
    });
    try {
      await pipeline(source, tap, createWriteStream(tmp));
      const digest = `sha256:${hash.digest('hex')}`;
      if (expected && digest !== expected) throw new Error(`digest mismatch: expected ${expected}, got ${digest}`);
      await rename(tmp, this.path(digest));
      return digest;
    } finally {
      await rm(tmp, { force: true });
    }
  }

  /**
   * putResumable fetches a blob that may be partly here from an earlier, broken transfer:
   * fetchFrom(offset) answers the bytes from offset on, and the offset it honoured (0 when the server
   * sent everything). A broken transfer keeps what arrived (blobs/.partial-<hex>) for the next
   * try; bytes that do not hash to the digest are dropped. One transfer per digest at a time.
   */
  putResumable(digest: string, fetchFrom: (offset: number) => Promise<{ body: Readable; offset: number }>, onChunk?: (bytes: number) => void): Promise<void> {
    let pending = this.inflight.get(digest);
    if (!pending) {
      pending = this.resume(digest, fetchFrom, onChunk).finally(() => this.inflight.delete(digest));
      this.inflight.set(digest, pending);
    }
    return pending;
  }

  private async resume(digest: string, fetchFrom: (offset: number) => Promise<{ body: Readable; offset: number }>, onChunk?: (bytes: number) => void): Promise<void> {
    const final = this.path(digest);
    const partial = join(this.root, 'blobs', `.partial-${digest.slice('sha256:'.length)}`);
    await mkdir(dirname(final), { recursive: true });
    const have = await stat(partial).then((s) => s.size, () => 0);
    const { body, offset } = await fetchFrom(have);
    const hash = createHash('sha256');
    if (offset > 0) for await (const chunk of createReadStream(partial, { end: offset - 1 })) hash.update(chunk as Buffer);
    // Each chunk is on disk before the next is read, so a broken transfer keeps all that arrived.
    const file = await open(partial, offset > 0 ? 'r+' : 'w');
    try {
      let bytes = offset;
      for await (const chunk of body as AsyncIterable<Buffer>) {
        hash.update(chunk);
        await file.write(chunk, 0, chunk.length, bytes);
        bytes += chunk.length;
        onChunk?.(bytes);
      }
      await file.truncate(bytes);
    } finally {
      await file.close();
    }
    const got = `sha256:${hash.digest('hex')}`;
    if (got !== digest) {
      await rm(partial, { force: true });
      throw new Error(`digest mismatch: expected ${digest}, got ${got}`);
    }
    await rename(partial, final);
  }

  /** putFile stores a file's bytes, verified against expected when given. */
  async putFile(file: string, expected?: string): Promise<string> {
    return this.put(createReadStream(file), expected);
  }

  /** putBytes stores bytes and returns their digest. */
  async putBytes(bytes: Buffer | string): Promise<string> {
    return this.put(Readable.from([Buffer.from(bytes)]));
  }

  async remove(digest: string): Promise<void> {
    await rm(this.path(digest), { force: true });
  }
}
