// The contract between the stream server (protocol side) and the container runtime (process side).

/** ExecRequest names one exec or attach session; attach has an empty command. */
export interface ExecRequest {
  namespace: string;
  pod: string;
  container: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** ExecProcess is a running exec/attach session as the runtime hands it back. */
export interface ExecProcess {
  stdin?: NodeJS.WritableStream;
  stdout?: NodeJS.ReadableStream;
  stderr?: NodeJS.ReadableStream;
  resize?(width: number, height: number): void;
  /** Resolves with the exit code once the process has exited. */
  exitCode: Promise<number>;
  /** Stops the process; called when the client goes away first. */
  kill(): void;
}

/** StreamBackend is what the stream server needs from the runtime. */
export interface StreamBackend {
  /** Starts a command in a container (attach: command []). */
  exec(req: ExecRequest): Promise<ExecProcess>;
  /** Opens a byte stream to a port of the pod, e.g. a net.Socket to podIP:port. */
  portForward(namespace: string, pod: string, port: number): Promise<NodeJS.ReadWriteStream>;
}

/** TerminalSize is one resize event from the client. */
export interface TerminalSize {
  width: number;
  height: number;
}
