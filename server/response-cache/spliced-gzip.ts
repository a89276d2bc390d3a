import { constants, crc32, deflateRawSync } from "node:zlib";

/**
 * A response body kept compressed, cut where its per-request values stand (a CSP nonce, a
 * request id, a draft's client id), so each serve can put fresh values in without compressing
 * the body again. The fixed pieces are each compressed once into raw deflate blocks that end
 * byte-aligned and not final (a sync flush); each value goes between them as a stored block;
 * an empty final block and the gzip trailer (CRC-32 and length of the whole) close the stream.
 * The CRC of the whole is combined from the pieces' CRCs and the values' (zlib's
 * crc32_combine), so a serve never reads the uncompressed body.
 */
export interface SplicedBody {
  /** Raw deflate of each fixed piece; one more piece than holes. */
  pieces: Buffer[];
  /** CRC-32 of each piece's uncompressed bytes. */
  pieceCrcs: number[];
  /** The operator that shifts a CRC past each piece's length (see combine). */
  pieceShifts: number[];
  pieceLengths: number[];
  /** Between piece i and i+1 stands value number holes[i]. */
  holes: number[];
  /** Compressed size, what the cache counts. */
  bytes: number;
}

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff]);
const FINAL_EMPTY_BLOCK = Buffer.from([0x01, 0x00, 0x00, 0xff, 0xff]);
const EMPTY = Buffer.alloc(0);

/** Cuts `body` at every occurrence of each of `values` and compresses the pieces at `level`. */
export function spliceBody(body: Buffer, values: readonly string[], level: number): SplicedBody {
  const found: Array<{ at: number; value: number; length: number }> = [];
  values.forEach((text, value) => {
    const needle = Buffer.from(text);
    if (needle.length === 0) return;
    for (let at = body.indexOf(needle); at !== -1; at = body.indexOf(needle, at + needle.length)) {
      found.push({ at, value, length: needle.length });
    }
  });
  found.sort((a, b) => a.at - b.at);
  const raw: Buffer[] = [];
  const holes: number[] = [];
  let from = 0;
  for (const hole of found) {
    if (hole.at < from) continue; // overlapping values cannot happen with random ones; never split twice
    raw.push(body.subarray(from, hole.at));
    holes.push(hole.value);
    from = hole.at + hole.length;
  }
  raw.push(body.subarray(from));
  const pieces = ownedCopies(
    raw.map((piece) =>
      piece.length === 0 ? EMPTY : deflateRawSync(piece, { level, finishFlush: constants.Z_SYNC_FLUSH }),
    ),
  );
  return {
    pieces,
    pieceCrcs: raw.map((piece) => crc32(piece)),
    pieceShifts: raw.map((piece) => shiftFor(piece.length)),
    pieceLengths: raw.map((piece) => piece.length),
    holes,
    bytes: pieces.reduce((sum, piece) => sum + piece.length, 0),
  };
}

/**
 * The pieces copied into one buffer of exactly their total size, each a view of it. What
 * deflateRawSync returns is a view of its 16 kB output chunk, so a piece of a few hundred
 * bytes kept 16 kB alive: the cache, counting the pieces' lengths, held 188 MB of chunks
 * under a 16 MiB bound (0029).
 */
function ownedCopies(pieces: readonly Buffer[]): Buffer[] {
  const store = Buffer.allocUnsafeSlow(pieces.reduce((sum, piece) => sum + piece.length, 0));
  let at = 0;
  return pieces.map((piece) => {
    if (piece.length === 0) return EMPTY;
    piece.copy(store, at);
    at += piece.length;
    return store.subarray(at - piece.length, at);
  });
}

/** The gzip stream of `body` with `values` in its holes, as chunks to write in order. */
export function assembleGzip(body: SplicedBody, values: readonly string[]): Buffer[] {
  // Each value once, however many holes it fills (a nonce stands in every inline script).
  const filled = values.map((value) => {
    const bytes = Buffer.from(value);
    return {
      bytes,
      header: storedBlockHeader(bytes.length),
      crc: crc32(bytes),
      shift: shiftFor(bytes.length),
    };
  });
  const chunks: Buffer[] = [GZIP_HEADER];
  let crc = 0;
  let length = 0;
  body.pieces.forEach((piece, index) => {
    if (piece.length > 0) chunks.push(piece);
    crc = combine(crc, body.pieceCrcs[index], body.pieceShifts[index]);
    length += body.pieceLengths[index];
    if (index === body.holes.length) return;
    const value = filled[body.holes[index]];
    chunks.push(value.header, value.bytes);
    crc = combine(crc, value.crc, value.shift);
    length += value.bytes.length;
  });
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(length >>> 0, 4);
  chunks.push(FINAL_EMPTY_BLOCK, trailer);
  return chunks;
}

/** A non-final stored block of `length` bytes (deflate, RFC 1951 §3.2.4), at a byte boundary. */
function storedBlockHeader(length: number): Buffer {
  if (length > 0xffff) throw new RangeError("a per-request value is longer than one stored block");
  const header = Buffer.alloc(5);
  header.writeUInt16LE(length, 1);
  header.writeUInt16LE(~length & 0xffff, 3);
  return header;
}

// ---- CRC-32 combination, after zlib's crc32_combine (crc32.c, 1.2.12 and later) ----------

const POLY = 0xedb88320;

/** a·b modulo the CRC polynomial, bit-reflected like the CRC itself. */
function multiplyModP(a: number, b: number): number {
  let m = 0x80000000;
  let product = 0;
  for (;;) {
    if (a & m) {
      product ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return product >>> 0;
}

/** x^(2^n) modulo P for n = 0..31. */
const X2N = (() => {
  const table: number[] = [];
  let p = 1 << 30; // x^1
  table.push(p >>> 0);
  for (let n = 1; n < 32; n++) table.push((p = multiplyModP(p, p)));
  return table;
})();

/** Shifts of the few lengths values have (a nonce, an id), computed once. */
const shifts = new Map<number, number>();

/** x^(8·length) modulo P: multiplying a CRC by it moves it past `length` zero bytes. */
function shiftFor(length: number): number {
  let shift = shifts.get(length);
  if (shift === undefined) {
    shift = computeShift(length);
    if (length < 256) shifts.set(length, shift);
  }
  return shift;
}

function computeShift(length: number): number {
  let p = 0x80000000; // x^0
  let k = 3;
  for (let n = length; n > 0; n = Math.floor(n / 2), k++) {
    if (n & 1) p = multiplyModP(X2N[k & 31], p);
  }
  return p >>> 0;
}

/** CRC of A followed by B, from CRC(A), CRC(B) and B's shift. */
function combine(crcA: number, crcB: number, shiftB: number): number {
  return (multiplyModP(shiftB, crcA) ^ crcB) >>> 0;
}
