import type { RawData, WebSocket } from 'ws';

/** One frame on its way to the other side. */
export interface RelayFrame {
  data: Buffer;
  binary: boolean;
}

export function bufferOf(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

const openBrace = 0x7b;

/**
 * Browser → agent (§10 step 7): a text frame whose first byte is `{` is control JSON (resize,
 * input, heartbeat) and stays text, unchanged; any other text frame and every binary frame go
 * out binary.
 */
export function fromBrowser(data: RawData, isBinary: boolean): RelayFrame {
  const buf = bufferOf(data);
  return { data: buf, binary: isBinary || buf[0] !== openBrace };
}

/** Agent → browser: every frame goes out binary (pty output, and agent error texts alike). */
export function fromAgent(data: RawData): RelayFrame {
  return { data: bufferOf(data), binary: true };
}

export function isOpen(socket: WebSocket): boolean {
  return socket.readyState === socket.OPEN;
}

export function sendFrame(socket: WebSocket | undefined, frame: RelayFrame): void {
  if (socket && isOpen(socket)) socket.send(frame.data, { binary: frame.binary });
}

export function sendText(socket: WebSocket, text: string): void {
  if (isOpen(socket)) socket.send(text);
}

/** A close frame after whatever is queued; a socket still connecting is dropped. */
export function closeSocket(socket: WebSocket | undefined, code = 1000, reason = ''): void {
  if (!socket) return;
  if (socket.readyState === socket.OPEN) socket.close(code, reason);
  else if (socket.readyState === socket.CONNECTING) socket.terminate();
}
