import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/**
 * A WebSocket client written on a bare TCP socket, so that a test can do what no library
 * client does: stop reading its socket, or send frames a library would refuse to build.
 */
export interface RawWebSocket {
  /** Text messages received so far, oldest first. */
  messages: string[];
  /** Bytes of frames received so far. */
  bytesReceived(): number;
  send(text: string): void;
  /** Sends a frame with any opcode and payload (a binary frame, a text frame that is not UTF-8…). */
  sendFrame(opcode: number, payload: Buffer): void;
  /** Stops reading the TCP socket: the kernel buffers fill, then the server's. */
  stopReading(): void;
  /** Resolves when the server closed the connection (or it broke). */
  closed: Promise<void>;
  isClosed(): boolean;
  destroy(): void;
}

export interface RawWebSocketOptions {
  path?: string;
  headers?: Record<string, string>;
}

/** Opens `ws://host:port/path`, resolving after the 101 answer; rejects with the status line and body otherwise. */
export function openRawWebSocket(baseUrl: string, options: RawWebSocketOptions = {}): Promise<RawWebSocket> {
  const url = new URL(baseUrl);
  const path = options.path ?? '/socket.io/?EIO=4&transport=websocket';
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(Number(url.port), url.hostname);
    const key = randomBytes(16).toString('base64');
    let buffer = Buffer.alloc(0);
    let upgraded = false;
    let received = 0;
    let closedFlag = false;
    const messages: string[] = [];
    let resolveClosed!: () => void;
    const closed = new Promise<void>((done) => (resolveClosed = done));
    const finish = () => {
      closedFlag = true;
      resolveClosed();
    };
    socket.on('close', finish);
    socket.on('error', (error) => {
      if (!upgraded) reject(error);
    });
    socket.on('connect', () => {
      const headers = {
        Host: url.host,
        Upgrade: 'websocket',
        Connection: 'Upgrade',
        'Sec-WebSocket-Key': key,
        'Sec-WebSocket-Version': '13',
        ...options.headers,
      };
      socket.write(`GET ${path} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`);
    });
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!upgraded) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end === -1) return;
        const head = buffer.subarray(0, end).toString('latin1');
        if (!/^HTTP\/1\.1 101 /.test(head)) {
          socket.on('end', () => reject(new Error(`${head.split('\r\n')[0]}: ${buffer.subarray(end + 4).toString()}`)));
          socket.on('close', () => reject(new Error(`${head.split('\r\n')[0]}: ${buffer.subarray(end + 4).toString()}`)));
          return;
        }
        upgraded = true;
        buffer = buffer.subarray(end + 4);
        resolve(client);
      }
      for (;;) {
        const frame = readFrame(buffer);
        if (!frame) break;
        buffer = buffer.subarray(frame.size);
        received += frame.size;
        if (frame.opcode === 0x1) messages.push(frame.payload.toString('utf8'));
        if (frame.opcode === 0x8) socket.end();
      }
    });
    const client: RawWebSocket = {
      messages,
      bytesReceived: () => received,
      send(text) {
        socket.write(encodeFrame(0x1, Buffer.from(text, 'utf8')));
      },
      sendFrame(opcode, payload) {
        socket.write(encodeFrame(opcode, payload));
      },
      stopReading() {
        socket.pause();
      },
      closed,
      isClosed: () => closedFlag,
      destroy() {
        socket.destroy();
      },
    };
  });
}

function readFrame(buffer: Buffer): { opcode: number; payload: Buffer; size: number } | undefined {
  if (buffer.length < 2) return undefined;
  const opcode = buffer[0]! & 0x0f;
  let length = buffer[1]! & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buffer.length < 4) return undefined;
    length = buffer.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buffer.length < 10) return undefined;
    length = Number(buffer.readBigUInt64BE(2));
    offset = 10;
  }
  if (buffer.length < offset + length) return undefined;
  return { opcode, payload: buffer.subarray(offset, offset + length), size: offset + length };
}

/** A masked, final frame, as a client must send. */
function encodeFrame(opcode: number, payload: Buffer): Buffer {
  const mask = randomBytes(4);
  const length = payload.length;
  const first = 0x80 | opcode;
  const head =
    length < 126
      ? Buffer.from([first, 0x80 | length])
      : length < 65536
        ? Buffer.from([first, 0x80 | 126, length >> 8, length & 0xff])
        : Buffer.concat([Buffer.from([first, 0x80 | 127]), bigEndian64(length)]);
  const masked = Buffer.alloc(length);
  for (let i = 0; i < length; i++) masked[i] = payload[i]! ^ mask[i % 4]!;
  return Buffer.concat([head, mask, masked]);
}

function bigEndian64(value: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(BigInt(value));
  return bytes;
}
