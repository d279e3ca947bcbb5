import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A content-addressed blob store on the local disk: bytes are kept under their SHA-256, so the same
 * content is stored once and a blob never changes after it is written. Generic: it knows nothing of what
 * the bytes are (photos, documents, exports).
 *
 * Layout: `<dir>/ab/cdef…` (the first two hex digits shard the folder), `<dir>/tmp/` for writes in
 * progress. A write goes to a temporary file, is fsynced, renamed into place and the folder fsynced, so a
 * blob is either absent or complete, even across a power cut; a crash leaves at most a stray file in tmp/.
 */
export interface BlobStore {
  /** The store's folder. */
  readonly dir: string;
  /** Stores the bytes (once per content) and answers their SHA-256 and size; durable when it resolves. */
  put(bytes: Uint8Array): Promise<StoredBlob>;
  /** The bytes stored under a SHA-256, or undefined when there are none (or the hash is malformed). */
  get(sha256: string): Promise<Buffer | undefined>;
  has(sha256: string): Promise<boolean>;
  /** Where the blob of a SHA-256 lives (whether or not it is there); throws on a malformed hash. */
  path(sha256: string): string;
  /** True when the blob is there and its content still hashes to its name. */
  verify(sha256: string): Promise<boolean>;
}

export interface StoredBlob {
  sha256: string;
  bytes: number;
  /** False when the same content was already stored. */
  created: boolean;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The lower-case hex SHA-256 of some bytes. */
export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
export const isSha256Hex = (s: string): boolean => SHA256_HEX.test(s);

/** The blob store's folder under a data directory (`config.dataDir`). */
export const blobDirOf = (dataDir: string): string => join(dataDir, 'blobs');

const isNotFound = (e: unknown): boolean => (e as NodeJS.ErrnoException | null)?.code === 'ENOENT';

/** fsync of a folder makes a rename or a new entry in it durable (POSIX); some platforms refuse it. */
async function syncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL') throw e;
  } finally {
    await fh?.close();
  }
}

/** A blob store in `dir` (created on first write). */
export function createBlobStore(dir: string): BlobStore {
  const tmpDir = join(dir, 'tmp');

  const path = (sha256: string): string => {
    if (!SHA256_HEX.test(sha256))
      throw new Error(`blob store: not a lower-case hex SHA-256: ${JSON.stringify(sha256)}`);
    return join(dir, sha256.slice(0, 2), sha256.slice(2));
  };

  const sizeOf = async (file: string): Promise<number | undefined> => {
    try {
      return (await stat(file)).size;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  };

  async function put(bytes: Uint8Array): Promise<StoredBlob> {
    const sha256 = sha256Hex(bytes);
    const target = path(sha256);
    // Already there and whole: nothing to do. A size that differs means a damaged copy: write it again.
    if ((await sizeOf(target)) === bytes.byteLength)
      return { sha256, bytes: bytes.byteLength, created: false };

    const shard = join(dir, sha256.slice(0, 2));
    await mkdir(tmpDir, { recursive: true });
    await mkdir(shard, { recursive: true });
    const tmp = join(tmpDir, `${sha256}.${randomBytes(6).toString('hex')}`);
    try {
      // Read-only from the start: evidence is never rewritten in place.
      const fh = await open(tmp, 'wx', 0o444);
      try {
        await fh.writeFile(bytes);
        await fh.sync();
      } finally {
        await fh.close();
      }
      // Concurrent puts of the same content rename identical files over each other: still one blob.
      await rename(tmp, target);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    await syncDir(shard);
    await syncDir(dir);
    return { sha256, bytes: bytes.byteLength, created: true };
  }

  async function get(sha256: string): Promise<Buffer | undefined> {
    if (!SHA256_HEX.test(sha256)) return undefined;
    try {
      return await readFile(path(sha256));
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async function has(sha256: string): Promise<boolean> {
    return SHA256_HEX.test(sha256) && (await sizeOf(path(sha256))) !== undefined;
  }

  async function verify(sha256: string): Promise<boolean> {
    const bytes = await get(sha256);
    return bytes !== undefined && sha256Hex(bytes) === sha256;
  }

  return { dir, put, get, has, path, verify };
}
