import { describe, expect, it } from 'vitest';
import { DomainError } from '../platform/errors.js';
import { checkPhotoUpload, describeContent, looksComplete, sniffPhotoType, uprightSize } from './photos.js';
import { HTML_BYTES, PDF_BYTES, ZIP_BYTES, jpeg, png, webp } from './photos.test-support.js';

const refusal = (f: () => unknown): DomainError => {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
};

describe('photo type by content', () => {
  it('knows JPEG, PNG and WebP by their magic numbers', async () => {
    expect(sniffPhotoType(await jpeg())).toBe('image/jpeg');
    expect(sniffPhotoType(await png())).toBe('image/png');
    expect(sniffPhotoType(await webp())).toBe('image/webp');
    expect(sniffPhotoType(Buffer.from([0xff, 0xd8]))).toBeUndefined(); // too short for the JPEG magic
    expect(sniffPhotoType(Buffer.from('RIFF\0\0\0\0WAVEfmt '))).toBeUndefined(); // RIFF, but audio
  });

  it('names what a non-photo looks like', () => {
    expect(describeContent(PDF_BYTES)).toBe('application/pdf');
    expect(describeContent(HTML_BYTES)).toBe('text/html');
    expect(describeContent(ZIP_BYTES)).toBe('application/zip');
    expect(describeContent(Buffer.from('GIF89a......'))).toBe('image/gif');
    expect(describeContent(Buffer.from('just a note, 随手记'))).toBe('text/plain');
    expect(describeContent(Buffer.alloc(0))).toBe('empty');
    expect(describeContent(Buffer.from([0, 1, 2, 3, 0, 0, 0, 0, 0, 9]))).toBe('application/octet-stream');
  });

  it('refuses fakes, empty and cut-short files with photoType naming the field and what was found', async () => {
    for (const [bytes, detected] of [
      [PDF_BYTES, 'application/pdf'],
      [HTML_BYTES, 'text/html'],
      [ZIP_BYTES, 'application/zip'],
      [Buffer.alloc(0), 'empty'],
    ] as const) {
      const e = refusal(() => checkPhotoUpload(bytes, { limit: 1e6, field: 'photo' }));
      expect(e.code).toBe('Invalid');
      expect(e.messageKey).toBe('photoType');
      expect(e.details).toMatchObject({ field: 'photo', detected });
    }
    const j = await jpeg();
    const cut = j.subarray(0, Math.floor(j.length / 2));
    expect(looksComplete(cut, 'image/jpeg')).toBe(false);
    expect(refusal(() => checkPhotoUpload(cut, { limit: 1e6 })).details).toMatchObject({
      field: 'photo',
      detected: 'image/jpeg (truncated)',
    });
    const p = await png();
    expect(looksComplete(p.subarray(0, p.length - 20), 'image/png')).toBe(false);
    const w = await webp();
    expect(looksComplete(w.subarray(0, w.length - 10), 'image/webp')).toBe(false);
    for (const whole of [j, p, w])
      expect(checkPhotoUpload(whole, { limit: 1e6 })).toBe(sniffPhotoType(whole));
  });

  it('accepts data appended after a JPEG end marker (motion photos), but not a JPEG without one', async () => {
    const j = await jpeg();
    expect(
      checkPhotoUpload(Buffer.concat([j, Buffer.from('....ftypmp42 video follows')]), { limit: 1e6 }),
    ).toBe('image/jpeg');
    expect(looksComplete(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]), 'image/jpeg')).toBe(false);
  });

  it('refuses an upload over the limit with PayloadTooLarge naming the limit, before looking at it', () => {
    const e = refusal(() => checkPhotoUpload(Buffer.alloc(2049), { limit: 2048, field: 'media' }));
    expect(e.code).toBe('PayloadTooLarge');
    expect(e.details).toMatchObject({ field: 'media', limit: 2048, bytes: 2049 });
  });

  it('turns the size for EXIF orientations 5 to 8 only', () => {
    expect(uprightSize(4000, 3000, 6)).toEqual({ width: 3000, height: 4000 });
    expect(uprightSize(4000, 3000, 8)).toEqual({ width: 3000, height: 4000 });
    expect(uprightSize(4000, 3000, 3)).toEqual({ width: 4000, height: 3000 });
    expect(uprightSize(4000, 3000, undefined)).toEqual({ width: 4000, height: 3000 });
  });
});
