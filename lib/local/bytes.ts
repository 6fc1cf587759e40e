/**
 * Small helpers for reading JSON as bytes without making strings of it (the local Kinesis server's PutRecords
 * scanner, the processor workers' GetRecords reader).
 */

/** Whether `bytes` holds `expected` at `at`. */
export function startsAt(bytes: Buffer, at: number, expected: Buffer): boolean {
  return at + expected.length <= bytes.length && bytes.compare(expected, 0, expected.length, at, at + expected.length) === 0;
}

/**
 * A buffer reused from one message to the next: `current` when `size` bytes fit in it, else a new one of its own with
 * room to spare (at most `most` bytes), which the caller keeps in its place.
 */
export function reusedBuffer(current: Buffer | undefined, size: number, most = Number.MAX_SAFE_INTEGER): Buffer {
  return current !== undefined && current.length >= size ? current : Buffer.allocUnsafeSlow(Math.min(most, Math.ceil(size * 1.25)));
}

/** The bytes the base64 text at `start`–`end` decodes to, from its length and padding (as `base64ByteLength` of the text). */
export function base64BytesAt(bytes: Buffer, start: number, end: number): number {
  const padding = end - start >= 1 && bytes[end - 1] === 0x3d ? (end - start >= 2 && bytes[end - 2] === 0x3d ? 2 : 1) : 0;
  return Math.floor(((end - start) * 3) / 4) - padding;
}
