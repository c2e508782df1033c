// Status objects for the exec error channel and for refused upgrades, as the kubelet writes them.
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/** Status is the subset of metav1.Status the streaming protocols carry. */
export interface Status {
  kind?: 'Status';
  apiVersion?: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  code?: number;
  details?: { causes: { reason: string; message: string }[] };
}

/** successStatus is what ends a session whose process exited 0. */
export function successStatus(): Status {
  return { metadata: {}, status: 'Success' };
}

/** exitCodeStatus makes kubectl print `command terminated with exit code N` and exit with N. */
export function exitCodeStatus(exitCode: number): Status {
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: exit status ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

/** failureStatus is an API-style error (bad request, runtime failure). */
export function failureStatus(code: number, reason: string, message: string): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

/**
 * encodeStatus renders a status for the error channel of exec protocol version `version`
 * (2..5). v4+ carry the JSON Status; v2/v3 carry only the failure message and nothing on success.
 */
export function encodeStatus(version: number, status: Status): Buffer | undefined {
  if (version >= 4) return Buffer.from(JSON.stringify(status));
  if (status.status === 'Success') return undefined;
  return Buffer.from(status.message ?? 'error executing command');
}

/** rejectUpgrade answers an upgrade request with a non-101 response carrying the Status. */
export function rejectUpgrade(socket: Duplex, status: Status): void {
  const code = status.code ?? 500;
  const body = JSON.stringify(status);
  socket.end(
    `HTTP/1.1 ${code} ${STATUS_CODES[code] ?? 'Error'}\r\n` +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}
