// The exec/attach channel protocol over WebSocket, shared by the client (skiff exec) and the node's
// stream server: every binary message is one channel byte, then the payload (as upstream's
// k8s.io/apimachinery remotecommand and client-go's WebSocket executor).

/** STREAM_PROTOCOL_V5 adds the close channel (half-close of stdin); kubectl 1.30+ asks for it first. */
export const STREAM_PROTOCOL_V5 = 'v5.channel.k8s.io';
/** STREAM_PROTOCOL_V4 sends the exit status as a meta/v1 Status on the error channel. */
export const STREAM_PROTOCOL_V4 = 'v4.channel.k8s.io';

export const STDIN_CHANNEL = 0;
export const STDOUT_CHANNEL = 1;
export const STDERR_CHANNEL = 2;
/** ERROR_CHANNEL carries the session's final Status (v4+: also the exit code). */
export const ERROR_CHANNEL = 3;
/** RESIZE_CHANNEL carries terminal sizes as JSON `{"Width":80,"Height":24}`. */
export const RESIZE_CHANNEL = 4;
/** CLOSE_CHANNEL (v5): the payload's one byte names the channel its sender closed. */
export const CLOSE_CHANNEL = 255;
