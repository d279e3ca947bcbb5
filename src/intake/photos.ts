/**
 * Photos as evidence, the rules: which uploads are photos at all, judged by their content and never by
 * their name or the type the client claims; and the view of a stored photo. Pure.
 */
import { DomainError, invalid } from '../platform/errors.js';

export const PHOTO_MIMES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoMime = (typeof PHOTO_MIMES)[number];

/** The longest side of the copy everyone sees; enough for a case file, far smaller than a phone's 50 MP. */
export const SERVED_MAX_SIDE = 2560;
/** The longest side of the thumbnail in lists and on the phone pages. */
export const THUMB_MAX_SIDE = 320;
/** Refuse pictures above this many pixels before decoding them (a small PNG can claim 50 000 × 50 000). */
export const MAX_PIXELS = 100_000_000;
/** The thumbnail is always WebP: small, keeps transparency, shown by every current browser and WeChat. */
export const THUMB_MIME = 'image/webp';

/** A stored photo as the API shows it; `sha256` is the hash of the original bytes as uploaded (evidence). */
export interface Photo {
  id: string;
  sha256: string;
  servedUrl: string;
  thumbUrl: string;
  /** The type of the original and of the served copy (the served copy keeps the format). */
  mime: PhotoMime;
  /** Size of the original in bytes. */
  bytes: number;
  /** The picture as seen upright (EXIF orientation applied), in the original's pixels. */
  width: number | null;
  height: number | null;
}

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0): boolean =>
  b.length >= at + sig.length && sig.every((v, i) => b[at + i] === v);
const ascii = (b: Uint8Array, from: number, to: number): string =>
  String.fromCharCode(...b.subarray(from, Math.min(to, b.length)));

const JPEG_SOI = [0xff, 0xd8, 0xff];
const PNG_SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The photo type of some bytes, from their magic number: JPEG, PNG or WebP; undefined for anything else. */
export function sniffPhotoType(b: Uint8Array): PhotoMime | undefined {
  if (startsWith(b, JPEG_SOI)) return 'image/jpeg';
  if (startsWith(b, PNG_SIG)) return 'image/png';
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return 'image/webp';
  return undefined;
}

/** A short name of what some non-photo bytes look like, for the refusal (`detected`). */
export function describeContent(b: Uint8Array): string {
  if (b.length === 0) return 'empty';
  const head = ascii(b, 0, 512)
    .replace(/^\uFEFF|^\xEF\xBB\xBF/, '')
    .trimStart()
    .toLowerCase();
  if (head.startsWith('%pdf')) return 'application/pdf';
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04]) || startsWith(b, [0x50, 0x4b, 0x05, 0x06]))
    return 'application/zip';
  if (head.startsWith('gif87a') || head.startsWith('gif89a')) return 'image/gif';
  if (startsWith(b, [0x42, 0x4d])) return 'image/bmp';
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])) return 'image/tiff';
  if (ascii(b, 4, 12) === 'ftypheic' || ascii(b, 4, 12) === 'ftypheix' || ascii(b, 4, 12) === 'ftypmif1')
    return 'image/heic';
  if (ascii(b, 4, 8) === 'ftyp') return 'video/mp4';
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) return 'image/svg+xml';
  if (head.startsWith('<!doctype html') || head.startsWith('<html') || head.startsWith('<'))
    return 'text/html';
  if (startsWith(b, [0x1f, 0x8b])) return 'application/gzip';
  // Mostly printable: text (a note saved as .jpg); otherwise unknown binary.
  const sample = b.subarray(0, 512);
  const printable = sample.filter(
    (c) => c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127) || c >= 128,
  ).length;
  return printable / sample.length > 0.95 ? 'text/plain' : 'application/octet-stream';
}

/** True when the bytes end as a whole file of their type should; false for a file cut short. */
export function looksComplete(b: Uint8Array, mime: PhotoMime): boolean {
  switch (mime) {
    case 'image/jpeg': {
      // An end-of-image marker somewhere after the start. Not necessarily last: phones append data after it
      // (motion photos, vendor trailers), and decoding catches a file cut inside its image data.
      for (let i = b.length - 2; i >= 2; i--) if (b[i] === 0xff && b[i + 1] === 0xd9) return true;
      return false;
    }
    case 'image/png': {
      // The IEND chunk: "IEND" followed by its CRC (PNG spec §11.2.5); trailing bytes after it are tolerated.
      const iend = Buffer.from(b.buffer, b.byteOffset, b.byteLength).lastIndexOf('IEND');
      return iend >= 8 && iend + 8 <= b.length;
    }
    case 'image/webp': {
      // RIFF: the little-endian size at offset 4 counts the bytes after the first eight.
      if (b.length < 12) return false;
      const size = Buffer.from(b.buffer, b.byteOffset, b.byteLength).readUInt32LE(4);
      return size + 8 <= b.length;
    }
  }
}

/**
 * Checks an upload before anything is stored: its size against the limit (PayloadTooLarge) and, from its
 * content, that it is a whole JPEG, PNG or WebP (`photoType`). Answers the type.
 */
export function checkPhotoUpload(b: Uint8Array, opts: { limit: number; field?: string }): PhotoMime {
  const field = opts.field ?? 'photo';
  if (b.length > opts.limit) {
    throw new DomainError('PayloadTooLarge', 'photoTooLarge', { field, limit: opts.limit, bytes: b.length });
  }
  const mime = sniffPhotoType(b);
  if (!mime) throw invalid('photoType', { field, detected: describeContent(b), allowed: [...PHOTO_MIMES] });
  if (!looksComplete(b, mime))
    throw invalid('photoType', { field, detected: `${mime} (truncated)`, allowed: [...PHOTO_MIMES] });
  return mime;
}

/** Width and height as seen upright: EXIF orientations 5–8 turn the picture a quarter (EXIF 2.32, 4.6.4 A). */
export function uprightSize(
  width: number,
  height: number,
  orientation: number | undefined,
): { width: number; height: number } {
  return orientation !== undefined && orientation >= 5 && orientation <= 8
    ? { width: height, height: width }
    : { width, height };
}

/** The file-name extension of a photo type, for downloads of the original. */
export const extensionOf = (mime: PhotoMime): string =>
  mime === 'image/jpeg' ? 'jpg' : mime === 'image/png' ? 'png' : 'webp';

export const isPhotoMime = (s: string): s is PhotoMime => (PHOTO_MIMES as readonly string[]).includes(s);

/** The URLs of a photo's served copy and thumbnail. */
export const photoUrls = (id: string): { servedUrl: string; thumbUrl: string } => ({
  servedUrl: `/api/photos/${id}`,
  thumbUrl: `/api/photos/${id}/thumb`,
});
