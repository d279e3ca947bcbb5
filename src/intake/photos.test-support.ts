// Test photos for the photo tests: real images made with sharp, with and without camera metadata, and
// files that only pretend to be photos.
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';

/** A deterministic, poorly compressible RGB picture (so a JPEG of it has a long image-data segment). */
export function pixels(
  width: number,
  height: number,
  seed = 1,
): { raw: Buffer; width: number; height: number } {
  const raw = Buffer.alloc(width * height * 3);
  let x = seed * 2654435761;
  for (let i = 0; i < raw.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    raw[i] = (x >>> 16) & 0xff;
  }
  return { raw, width, height };
}

const image = (width: number, height: number, seed = 1) => {
  const p = pixels(width, height, seed);
  return sharp(p.raw, { raw: { width: p.width, height: p.height, channels: 3 } });
};

/** The camera metadata a phone writes: maker, model, and where the photo was taken (莘庄, 31.11°N 121.37°E). */
export const CAMERA_EXIF = {
  IFD0: { Make: 'OneGridTestCam', Model: 'GPS Phone 1' },
  IFD3: {
    GPSLatitudeRef: 'N',
    GPSLatitude: '31/1 6/1 36/1',
    GPSLongitudeRef: 'E',
    GPSLongitude: '121/1 22/1 12/1',
  },
};

/** A JPEG as a phone takes it: EXIF with GPS, and stored sideways with orientation 6 (turn 90° clockwise). */
export const jpegWithGps = (width = 640, height = 400, seed = 1): Promise<Buffer> =>
  image(width, height, seed)
    .jpeg({ quality: 90 })
    .withMetadata({ orientation: 6 })
    .withExifMerge(CAMERA_EXIF)
    .toBuffer();
export const jpeg = (width = 320, height = 200, seed = 2): Promise<Buffer> =>
  image(width, height, seed).jpeg().toBuffer();
export const png = (width = 300, height = 200, seed = 3): Promise<Buffer> =>
  image(width, height, seed).png().toBuffer();
export const webp = (width = 300, height = 200, seed = 4): Promise<Buffer> =>
  image(width, height, seed).webp().toBuffer();

/** True when an EXIF block holds a GPS IFD pointer (tag 0x8825, either byte order). */
export const exifHasGps = (exif: Buffer | undefined): boolean =>
  exif !== undefined &&
  (exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88])));

export const PDF_BYTES = Buffer.from(
  '%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);
export const HTML_BYTES = Buffer.from('<!DOCTYPE html><html><body><script>alert(1)</script></body></html>');
export const ZIP_BYTES = Buffer.from([
  0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0, 0, 0, 0,
]);

/** A fresh data directory for a test's blob store (tests never write into the project's var/). */
export const tempDataDir = (): string => mkdtempSync(join(tmpdir(), 'onegrid-photos-'));

/** How many blob files a data directory holds (the temporary folder excluded). */
export function blobCount(dataDir: string): number {
  const dir = join(dataDir, 'blobs');
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'tmp')
    .reduce((n, d) => n + readdirSync(join(dir, d.name)).length, 0);
}
