// A container's log file: CRI records appended with synchronous writes (one shim, one writer),
// rotated to <path>.1 when it grows past maxBytes, reopened on request (ReopenContainerLog).
import { closeSync, fstatSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { formatLogLine, formatTimestamp, LineSplitter, type LogStream } from './crilog.js';

/** LogFile appends CRI records to path. */
export class LogFile {
  private fd: number;
  private size: number;

  constructor(
    readonly path: string,
    private readonly maxBytes: number,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'a');
    this.size = fstatSync(this.fd).size;
  }

  /** write appends the records a chunk of a stream completed. */
  write(splitter: LineSplitter, chunk: string | undefined): void {
    const records = chunk === undefined ? splitter.flush() : splitter.push(chunk);
    for (const [tag, content] of records) this.append(formatLogLine(timestamp(), splitter.stream, tag, content));
  }

  /** reopen starts a new file at path (after someone moved the old one away). */
  reopen(): void {
    closeSync(this.fd);
    this.fd = openSync(this.path, 'a');
    this.size = fstatSync(this.fd).size;
  }

  close(): void {
    closeSync(this.fd);
  }

  private append(line: string): void {
    const bytes = Buffer.from(line);
    if (this.maxBytes > 0 && this.size + bytes.length > this.maxBytes && this.size > 0) this.rotate();
    writeSync(this.fd, bytes);
    this.size += bytes.length;
  }

  // A rotation racing a log rotator that already moved the file away (and has not yet asked for a
  // reopen) finds nothing to rename; it still starts a fresh file rather than crashing the shim.
  private rotate(): void {
    closeSync(this.fd);
    try {
      renameSync(this.path, `${this.path}.1`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    this.fd = openSync(this.path, 'a');
    this.size = fstatSync(this.fd).size;
  }
}

/** streamSplitter makes the splitter for one of a container's streams. */
export function streamSplitter(stream: LogStream): LineSplitter {
  return new LineSplitter(stream);
}

const hrBase = process.hrtime.bigint();
const wallBase = Date.now();

/** timestamp is now with ns resolution: the wall clock at start plus the monotonic clock since. */
function timestamp(): string {
  const elapsedNs = process.hrtime.bigint() - hrBase;
  const ms = wallBase + Number(elapsedNs / 1_000_000n);
  return formatTimestamp(new Date(ms), Number(elapsedNs % 1_000_000n));
}
