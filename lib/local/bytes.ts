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
 * room to spare (at most `most` bytes), which the caller keeps in its place. It grows at least twofold: every new
 * buffer is fresh memory, which costs ~45 times as much to write as memory in use (see docs/local-mode.md,
 * "Throughput"). Growing by a quarter, a processor worker's GetRecords answers, which grow with the pages as a run
 * gets going, had touched ~30 MB of new buffers on their way to an ~11 MB one.
 */
export function reusedBuffer(current: Buffer | undefined, size: number, most = Number.MAX_SAFE_INTEGER): Buffer {
  if (current !== undefined && current.length >= size) return current;
  return Buffer.allocUnsafeSlow(Math.min(most, Math.max(Math.ceil(size * 1.25), 2 * (current?.length ?? 0))));
}

/** The bytes the base64 text at `start`–`end` decodes to, from its length and padding (as `base64ByteLength` of the text). */
export function base64BytesAt(bytes: Buffer, start: number, end: number): number {
  const padding = end - start >= 1 && bytes[end - 1] === 0x3d ? (end - start >= 2 && bytes[end - 2] === 0x3d ? 2 : 1) : 0;
  // In integer arithmetic, so that the size is a small integer to V8: as a double (Math.floor of a division), the
  // scanned records' field changed representation and the server's optimized putScannedRecords was thrown away.
  return (((end - start) * 3) >>> 2) - padding;
}

/**
 * Detaches a throwaway buffer, to call before any code runs hot in a thread that will transfer buffers. The first
 * ArrayBuffer a thread detaches tells V8 that buffers can be detached, and V8 then throws away every optimized
 * function that reads a typed array and compiles it again: in a processor worker, twenty-odd functions (the bundle's
 * record parsing, the page reader) in the middle of a run. Done first, nothing is optimized yet.
 */
export function expectDetachedBuffers(): void {
  const buffer = new ArrayBuffer(0);
  structuredClone(buffer, { transfer: [buffer] });
}

/**
 * Adds `buffer` to `kept`, which holds at most `most` buffers: when full, the smallest of them all (the new one
 * included) is left out. Returns whether `buffer` was kept.
 */
export function keepLargest(kept: ArrayBuffer[], buffer: ArrayBuffer, most: number): boolean {
  if (kept.includes(buffer)) return false;
  if (kept.length < most) {
    kept.push(buffer);
    return true;
  }
  let smallest = 0;
  for (let i = 1; i < kept.length; i++) if (kept[i].byteLength < kept[smallest].byteLength) smallest = i;
  if (buffer.byteLength <= kept[smallest].byteLength) return false;
  kept[smallest] = buffer;
  return true;
}

const BASE64_ALPHABET = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 'latin1');

/**
 * The two base64 characters of every 12 bits, as the low 16 bits of a little-endian word (first character first):
 * two lookups and one 32-bit store encode three bytes.
 */
const BASE64_PAIRS = (() => {
  const pairs = new Uint32Array(4096);
  for (let bits = 0; bits < 4096; bits++) pairs[bits] = BASE64_ALPHABET[bits >> 6] | (BASE64_ALPHABET[bits & 63] << 8);
  return pairs;
})();

/** The length of the base64 text of `bytes` bytes (padded, as `Buffer.toString('base64')` writes it). */
export function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

/**
 * Writes the base64 text of `source` (padded, the characters of `Buffer.toString('base64')`) into `target` at `at`, and
 * returns where it ends. No string is made: the mesh's publisher writes ~1 KB of data per record into its PutRecords
 * bodies, and a base64 string per record (then flattened into the request's JSON) was most of what the main thread
 * allocated in a run, and the garbage collector's work (see docs/local-mode.md, "Throughput").
 */
export function writeBase64(source: Uint8Array, target: DataView, at: number): number {
  const length = source.length;
  const whole = length - (length % 3);
  let i = 0;
  for (; i < whole; i += 3) {
    const bits = (source[i] << 16) | (source[i + 1] << 8) | source[i + 2];
    target.setUint32(at, BASE64_PAIRS[bits >>> 12] | (BASE64_PAIRS[bits & 4095] << 16), true);
    at += 4;
  }
  if (i < length) {
    const bits = (source[i] << 16) | (i + 1 < length ? source[i + 1] << 8 : 0);
    target.setUint8(at, BASE64_ALPHABET[bits >>> 18]);
    target.setUint8(at + 1, BASE64_ALPHABET[(bits >>> 12) & 63]);
    target.setUint8(at + 2, i + 1 < length ? BASE64_ALPHABET[(bits >>> 6) & 63] : 0x3d);
    target.setUint8(at + 3, 0x3d);
    at += 4;
  }
  return at;
}
