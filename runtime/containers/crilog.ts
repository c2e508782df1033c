// CRI container log format, as the kubelet reads it:
//   2016-10-06T00:17:09.669794202Z stdout F The content of the log entry 1
// `F` ends a line; `P` is a partial line split because it was longer than maxLine.

/** LogStream names the container output a log line came from. */
export type LogStream = 'stdout' | 'stderr';

/** formatTimestamp prints RFC 3339 with nanoseconds: ms from the date, the rest from extraNanos. */
export function formatTimestamp(date: Date, extraNanos = 0): string {
  const iso = date.toISOString(); // 2016-10-06T00:17:09.669Z
  const nanos = String(extraNanos % 1_000_000).padStart(6, '0');
  return `${iso.slice(0, -1)}${nanos}Z`;
}

/** formatLogLine is one record of the CRI log format, newline included. */
export function formatLogLine(ts: string, stream: LogStream, tag: 'F' | 'P', content: string): string {
  return `${ts} ${stream} ${tag} ${content}\n`;
}

/**
 * LineSplitter turns a byte stream into CRI records: whole lines as F, pieces of lines longer
 * than maxLine as P; flush() ends a trailing line without a newline as F.
 */
export class LineSplitter {
  private pending = '';

  constructor(
    readonly stream: LogStream,
    private readonly maxLine = 16 * 1024,
  ) {}

  /** push returns the records (without timestamps: [tag, content]) the chunk completes. */
  push(chunk: string): Array<['F' | 'P', string]> {
    const out: Array<['F' | 'P', string]> = [];
    this.pending += chunk;
    let nl: number;
    while ((nl = this.pending.indexOf('\n')) >= 0) {
      const line = this.pending.slice(0, nl);
      this.pending = this.pending.slice(nl + 1);
      out.push(...this.split(line));
    }
    while (this.pending.length > this.maxLine) {
      out.push(['P', this.pending.slice(0, this.maxLine)]);
      this.pending = this.pending.slice(this.maxLine);
    }
    return out;
  }

  flush(): Array<['F' | 'P', string]> {
    if (this.pending === '') return [];
    const last = this.pending;
    this.pending = '';
    return this.split(last);
  }

  private split(line: string): Array<['F' | 'P', string]> {
    const out: Array<['F' | 'P', string]> = [];
    let rest = line;
    while (rest.length > this.maxLine) {
      out.push(['P', rest.slice(0, this.maxLine)]);
      rest = rest.slice(this.maxLine);
    }
    out.push(['F', rest]);
    return out;
  }
}
