import type { ServerMessage } from '@switchyard/core/schema';

/**
 * A server message serialized once and framed once: a complete, unmasked WebSocket text frame
 * (RFC 6455 §5.2: FIN, opcode 1, then the payload length in 7, 16 or 64 bits). Broadcasting
 * writes these same bytes to every socket, so the cost per socket is one write.
 */
export class PreparedFrame {
  /** Header and payload, ready for the wire. */
  readonly bytes: Buffer;
  readonly #headerLength: number;

  private constructor(bytes: Buffer, headerLength: number) {
    this.bytes = bytes;
    this.#headerLength = headerLength;
  }

  /** Frames a message, as JSON. */
  static of(message: ServerMessage): PreparedFrame {
    return PreparedFrame.ofJson(JSON.stringify(message));
  }

  /** Frames JSON text that is already a server message. */
  static ofJson(json: string): PreparedFrame {
    const length = Buffer.byteLength(json);
    const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
    const bytes = Buffer.allocUnsafe(headerLength + length);
    bytes[0] = 0x81;
    if (headerLength === 2) {
      bytes[1] = length;
    } else if (headerLength === 4) {
      bytes[1] = 126;
      bytes.writeUInt16BE(length, 2);
    } else {
      bytes[1] = 127;
      bytes.writeBigUInt64BE(BigInt(length), 2);
    }
    bytes.write(json, headerLength, 'utf8');
    return new PreparedFrame(bytes, headerLength);
  }

  /** The message's JSON bytes alone. */
  get payload(): Buffer {
    return this.bytes.subarray(this.#headerLength);
  }
}
