import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blobDirOf, createBlobStore, isSha256Hex, sha256Hex, type BlobStore } from './blob-store.js';

/** Every file under a folder, as paths relative to it. */
const filesUnder = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((d) => d.isFile())
        .map((d) => relative(dir, join(d.parentPath, d.name)))
        .sort()
    : [];

describe('blob store', () => {
  let root: string;
  let store: BlobStore;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'onegrid-blobs-'));
    store = createBlobStore(blobDirOf(root));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('stores bytes under their SHA-256 in a two-hex-digit shard and reads them back', async () => {
    const bytes = Buffer.from('街面秩序 evidence');
    const expected = sha256Hex(bytes);
    const r = await store.put(bytes);
    expect(r).toEqual({ sha256: expected, bytes: bytes.length, created: true });
    expect(store.path(expected)).toBe(join(root, 'blobs', expected.slice(0, 2), expected.slice(2)));
    expect(readFileSync(store.path(expected))).toEqual(bytes);
    expect(await store.get(expected)).toEqual(bytes);
    expect(await store.has(expected)).toBe(true);
    expect(await store.verify(expected)).toBe(true);
    // nothing left in the temporary folder
    expect(filesUnder(store.dir)).toEqual([join(expected.slice(0, 2), expected.slice(2))]);
  });

  it('stores the same content once, also when written concurrently', async () => {
    const bytes = Buffer.alloc(100_000, 7);
    const first = await store.put(bytes);
    const again = await store.put(Buffer.from(bytes));
    expect(again).toEqual({ ...first, created: false });
    const many = await Promise.all(Array.from({ length: 8 }, () => store.put(Buffer.alloc(5000, 9))));
    expect(new Set(many.map((m) => m.sha256)).size).toBe(1);
    expect(filesUnder(store.dir)).toHaveLength(2);
    expect(await store.get(many[0]!.sha256)).toEqual(Buffer.alloc(5000, 9));
  });

  it('keeps blobs read-only on disk', async () => {
    const { sha256 } = await store.put(Buffer.from('x'));
    expect(statSync(store.path(sha256)).mode & 0o222).toBe(0);
  });

  it('answers nothing for a missing or malformed hash, and refuses a malformed path', async () => {
    const missing = sha256Hex(Buffer.from('never stored'));
    expect(await store.get(missing)).toBeUndefined();
    expect(await store.has(missing)).toBe(false);
    expect(await store.verify(missing)).toBe(false);
    for (const bad of ['../../etc/passwd', 'ABC', missing.toUpperCase(), `${missing}0`, '']) {
      expect(isSha256Hex(bad)).toBe(false);
      expect(await store.get(bad)).toBeUndefined();
      expect(await store.has(bad)).toBe(false);
      expect(() => store.path(bad)).toThrow(/SHA-256/);
    }
  });

  it('notices a damaged blob, and a put of the same content repairs a truncated one', async () => {
    const bytes = Buffer.from('the original photo bytes');
    const { sha256 } = await store.put(bytes);
    const file = store.path(sha256);
    chmodSync(file, 0o644);
    writeFileSync(file, 'tampered');
    expect(await store.verify(sha256)).toBe(false);
    const r = await store.put(bytes);
    expect(r.created).toBe(true);
    expect(await store.verify(sha256)).toBe(true);
  });

  it('stores an empty blob', async () => {
    const r = await store.put(new Uint8Array(0));
    expect(r.sha256).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(await store.get(r.sha256)).toEqual(Buffer.alloc(0));
  });
});
