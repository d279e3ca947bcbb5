import type { Transaction } from 'kysely';
import sharp, { type Metadata, type Sharp, type SharpOptions } from 'sharp';
import type { Deps } from '../deps.js';
import type { DB } from '../schema.js';
import { audited, type ActionContext } from '../access/audit.service.js';
import { can, inScope, type Actor } from '../access/roles.js';
import { invalid, notFound } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { blobDirOf, createBlobStore, type BlobStore } from '../platform/storage/blob-store.js';
import {
  MAX_PIXELS,
  SERVED_MAX_SIDE,
  THUMB_MAX_SIDE,
  THUMB_MIME,
  checkPhotoUpload,
  extensionOf,
  uprightSize,
  type Photo,
  type PhotoMime,
} from './photos.js';
import {
  findAttachments,
  findPhoto,
  findPhotoFile,
  insertAttachment,
  linkFreeAttachments,
  type AttachmentLink,
  type PhotoFileRecord,
  type PreparedPhoto,
} from './photos.store.js';

export type { AttachmentLink, PreparedPhoto } from './photos.store.js';
// Other capabilities (the case loop's evidence) reach the attachment table through this service only.
export { insertAttachment, photosOf } from './photos.store.js';

export interface StorePhotoInput {
  bytes: Uint8Array;
  /** The client's file name: recorded in the audit entry only, never trusted for the type. */
  filename?: string;
  /** The form field or JSON field the photo came in, named in refusals (default 'photo'). */
  field?: string;
  reportId?: string | null;
  caseId?: string | null;
}

export type PhotoVariant = 'served' | 'thumb' | 'original';

export interface PhotoFile {
  bytes: Buffer;
  contentType: string;
  sha256: string;
  /** A download name for the original, e.g. `<id>.jpg`. */
  filename: string;
}

/** The actor id of anonymous residents (audit entries, idempotency principals). */
export const ANONYMOUS_ACTOR_ID = 'anonymous';
/** True for the actor of an anonymous caller. */
export const isAnonymousActor = (actor: Actor): boolean => actor.id === ANONYMOUS_ACTOR_ID;

/**
 * The actor of an anonymous resident's upload, for the audit entry. It holds no permission at all.
 * (Actor has no 'anonymous' kind yet; 'system' with the id 'anonymous' and no permissions stands in.)
 */
export const anonymousActor = (): Actor => ({
  kind: 'system',
  id: ANONYMOUS_ACTOR_ID,
  name: 'anonymous',
  role: null,
  unitId: '',
  unitPath: '//nowhere/', // no unit's path starts with this, so no scope check can pass
  permissions: new Set(),
});

const uploaderOf = (actor: Actor): string | null => (isAnonymousActor(actor) ? null : actor.id);

/** The blob store of a deployment: `<dataDir>/blobs`. */
export const photoBlobs = (deps: Pick<Deps, 'config'>): BlobStore =>
  createBlobStore(blobDirOf(deps.config.dataDir));

const SHARP_FORMAT: Record<PhotoMime, 'jpeg' | 'png' | 'webp'> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/webp': 'webp',
};
// failOn 'error': refuse what libvips cannot decode (including truncation), but not files with mere
// warnings, which some phones write and which are still good evidence.
const DECODE: SharpOptions = { failOn: 'error', limitInputPixels: MAX_PIXELS, animated: false };

function encodeAs(pipeline: Sharp, mime: PhotoMime): Sharp {
  switch (mime) {
    case 'image/jpeg':
      return pipeline.jpeg({ quality: 85 });
    case 'image/png':
      return pipeline.png();
    case 'image/webp':
      return pipeline.webp({ quality: 85 });
  }
}

/**
 * All the file work of a photo and nothing in the database, so it can run before (outside) the caller's
 * transaction: checks the upload (size, type by content), decodes it, makes the served copy (orientation
 * baked in, longest side at most SERVED_MAX_SIDE, every metadata block dropped: sharp writes none unless
 * asked) and a WebP thumbnail, then stores the original, the copy and the thumbnail as blobs. Nothing is
 * written when any check or the decoding fails.
 */
export async function preparePhoto(
  deps: Pick<Deps, 'config' | 'clock'>,
  bytes: Uint8Array,
  opts: { field?: string } = {},
): Promise<PreparedPhoto> {
  const field = opts.field ?? 'photo';
  const mime = checkPhotoUpload(bytes, { limit: deps.config.uploadLimit, field });
  const corrupt = () => invalid('photoCorrupt', { field, mime });

  let meta: Metadata;
  try {
    meta = await sharp(bytes, DECODE).metadata();
  } catch {
    throw corrupt();
  }
  if (!meta.width || !meta.height || meta.format !== SHARP_FORMAT[mime]) throw corrupt();
  if (meta.width * meta.height > MAX_PIXELS) {
    throw invalid('photoTooManyPixels', { field, width: meta.width, height: meta.height, limit: MAX_PIXELS });
  }

  let served: Buffer;
  let thumb: Buffer;
  try {
    served = await encodeAs(
      sharp(bytes, DECODE)
        .rotate() // EXIF orientation into the pixels, before the tag goes with the rest of the metadata
        .resize({ width: SERVED_MAX_SIDE, height: SERVED_MAX_SIDE, fit: 'inside', withoutEnlargement: true }),
      mime,
    ).toBuffer();
    thumb = await sharp(served)
      .resize({ width: THUMB_MAX_SIDE, height: THUMB_MAX_SIDE, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 75 })
      .toBuffer();
  } catch {
    throw corrupt();
  }

  const blobs = photoBlobs(deps);
  const original = await blobs.put(bytes);
  const servedBlob = await blobs.put(served);
  const thumbBlob = await blobs.put(thumb);
  const upright = uprightSize(meta.width, meta.height, meta.orientation);
  return {
    id: newId(deps.clock().getTime()),
    originalSha256: original.sha256,
    servedSha256: servedBlob.sha256,
    thumbSha256: thumbBlob.sha256,
    mime,
    bytes: bytes.byteLength,
    width: upright.width,
    height: upright.height,
  };
}

/**
 * Stores a photo and records its attachment row. Without `tx`, in its own audited transaction
 * ('attachment.upload'). With `tx` (someone else's audited transaction), the row is inserted there and
 * the caller's audit entry covers it; note that the file work then runs while that transaction is open —
 * prefer `preparePhoto` before the transaction and `insertAttachment` inside it.
 */
export async function storePhoto(
  deps: Deps,
  ctx: ActionContext,
  input: StorePhotoInput,
  tx?: Transaction<DB>,
): Promise<Photo> {
  const prepared = await preparePhoto(
    deps,
    input.bytes,
    input.field === undefined ? {} : { field: input.field },
  );
  const link: AttachmentLink = {
    reportId: input.reportId ?? null,
    caseId: input.caseId ?? null,
    uploadedBy: uploaderOf(ctx.actor),
    createdAt: deps.clock().toISOString(),
  };
  if (tx) return insertAttachment(tx, prepared, link);
  return audited(deps, ctx, async (t, audit) => {
    const photo = await insertAttachment(t, prepared, link);
    await audit({
      action: 'attachment.upload',
      entity: 'attachment',
      entityId: photo.id,
      after: {
        originalSha256: prepared.originalSha256,
        servedSha256: prepared.servedSha256,
        mime: photo.mime,
        bytes: photo.bytes,
        width: photo.width,
        height: photo.height,
        filename: input.filename ?? null,
        reportId: link.reportId,
        caseId: link.caseId,
      },
    });
    return photo;
  });
}

/**
 * Links uploaded attachments to a report or a case, inside the caller's transaction. An attachment is
 * linked once: one that does not exist or is linked elsewhere is refused (`attachmentUnknown`, naming the
 * ids); linking again to the same target changes nothing. Answers the photos in the order of `ids`.
 */
export async function linkAttachments(
  tx: Transaction<DB>,
  ids: readonly string[],
  target: { reportId: string; caseId?: undefined } | { caseId: string; reportId?: undefined },
  field = 'attachments',
): Promise<Photo[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const byId = new Map((await findAttachments(tx, unique)).map((a) => [a.photo.id, a]));
  const linkedHere = (a: { reportId: string | null; caseId: string | null }) =>
    target.reportId !== undefined
      ? a.reportId === target.reportId && a.caseId === null
      : a.caseId === target.caseId && a.reportId === null;
  const bad = unique.filter((id) => {
    const a = byId.get(id);
    return !a || !((a.reportId === null && a.caseId === null) || linkedHere(a));
  });
  if (bad.length > 0) throw invalid('attachmentUnknown', { field, ids: bad });
  const fresh = unique.filter((id) => !linkedHere(byId.get(id)!));
  if (fresh.length > 0) {
    const changed = await linkFreeAttachments(
      tx,
      fresh,
      target.reportId !== undefined ? { reportId: target.reportId } : { caseId: target.caseId },
    );
    // Someone linked one of them between our read and this write (PostgreSQL, read committed).
    if (changed !== fresh.length) throw invalid('attachmentUnknown', { field, ids: fresh });
  }
  return ids.map((id) => byId.get(id)!.photo);
}

/** A photo's view by id; NotFound when there is none. */
export async function getPhoto(deps: Pick<Deps, 'database'>, id: string): Promise<Photo> {
  const photo = await findPhoto(deps.database.db, id);
  if (!photo) throw notFound('photo', id);
  return photo;
}

/**
 * May this actor see the original (with its EXIF and GPS)? Staff with `cases:read` whose scope holds the
 * report or case the photo belongs to; a photo not linked yet, only its uploader or district-wide staff.
 */
function mayReadOriginal(actor: Actor | undefined, r: PhotoFileRecord): boolean {
  if (!actor || !can(actor, 'cases:read')) return false;
  const paths = [r.reportPath, r.reportCasePath, r.casePath].filter((p): p is string => p !== null);
  if (paths.length > 0) return paths.some((p) => inScope(actor, p));
  return actor.permissions.has('scope:district') || (r.uploadedBy !== null && r.uploadedBy === actor.id);
}

/**
 * The bytes of a photo's served copy, thumbnail or original. The served copy and the thumbnail carry no
 * metadata and are shown to whoever has the id; the original only to staff allowed by `mayReadOriginal`,
 * and everyone else gets the same NotFound as for a photo that does not exist.
 */
export async function readPhotoFile(
  deps: Pick<Deps, 'database' | 'config'>,
  actor: Actor | undefined,
  id: string,
  variant: PhotoVariant,
): Promise<PhotoFile> {
  const r = await findPhotoFile(deps.database.db, id);
  if (!r) throw notFound('photo', id);
  if (variant === 'original' && !mayReadOriginal(actor, r)) throw notFound('photo', id);
  const mime = r.mime;
  const sha256 =
    variant === 'original'
      ? r.originalSha256
      : variant === 'thumb'
        ? (r.thumbSha256 ?? r.servedSha256)
        : r.servedSha256;
  const bytes = await photoBlobs(deps).get(sha256);
  if (!bytes) {
    // The row is there and its file is not: a damaged data directory, not the caller's fault.
    throw new Error(`photo ${id}: blob ${sha256} (${variant}) is missing from the blob store`);
  }
  return {
    bytes,
    contentType: variant === 'thumb' && r.thumbSha256 !== null ? THUMB_MIME : mime,
    sha256,
    filename: `${id}${variant === 'thumb' ? '-thumb' : ''}.${variant === 'thumb' ? 'webp' : extensionOf(mime)}`,
  };
}
