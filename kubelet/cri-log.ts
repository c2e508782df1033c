// The CRI log format the runtime writes, one record per line: `<RFC3339Nano> <stream> <P|F> <msg>`
// (P: partial, the message continues in the next record; F: full line). Pure parsing and
// selection for the log server (upstream pkg/kubelet/kuberuntime/logs/logs.go).

/** CriLogRecord is one parsed line. */
export interface CriLogRecord {
  timestamp: string;
  timeMs: number;
  stream: 'stdout' | 'stderr';
  partial: boolean;
  message: string;
}

/** parseCriLine parses one line, or undefined when malformed. */
export function parseCriLine(line: string): CriLogRecord | undefined {
  const m = /^(\S+) (stdout|stderr) ([PF]) ?(.*)$/.exec(line);
  if (!m) return undefined;
  const timeMs = Date.parse(m[1]);
  if (Number.isNaN(timeMs)) return undefined;
  return { timestamp: m[1], timeMs, stream: m[2] as 'stdout' | 'stderr', partial: m[3] === 'P', message: m[4] };
}

/** LogOptions are the log query's selection and formatting options. */
export interface LogOptions {
  tailLines?: number;
  /** Only records at or after this time (ms since epoch), from sinceSeconds or sinceTime. */
  sinceMs?: number;
  timestamps?: boolean;
}

/** formatRecord renders a record as kubectl expects: optional timestamp, message, newline on F. */
export function formatRecord(r: CriLogRecord, timestamps: boolean): string {
  return `${timestamps ? `${r.timestamp} ` : ''}${r.message}${r.partial ? '' : '\n'}`;
}

/** selectLogs parses a whole file's text and applies since and tail. */
export function selectLogs(text: string, opts: LogOptions): string {
  let records = text.split('\n').filter(Boolean).map(parseCriLine).filter((r): r is CriLogRecord => r !== undefined);
  if (opts.sinceMs !== undefined) records = records.filter((r) => r.timeMs >= (opts.sinceMs as number));
  if (opts.tailLines !== undefined) records = tail(records, opts.tailLines);
  return records.map((r) => formatRecord(r, opts.timestamps ?? false)).join('');
}

/** tail keeps the last n full lines (a line may span several partial records). */
function tail(records: CriLogRecord[], n: number): CriLogRecord[] {
  if (n <= 0) return [];
  let lines = 0;
  for (let i = records.length - 1; i >= 0; i--) {
    if (!records[i].partial) lines++;
    if (lines > n) return records.slice(i + 1);
  }
  return records;
}
