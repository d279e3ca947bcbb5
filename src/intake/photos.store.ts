/**
 * Every query of the attachment table (photos are the only attachments so far): maps rows to the Photo the
 * API shows and to the few link and file facts the photo service decides on. No rules here: who may link
 * or read what is photos.service's.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../schema.js';
import type { AttachmentTable } from './intake.tables.js';
import { isPhotoMime, photoUrls, type Photo, type PhotoMime } from './photos.js';

type Q = Kysely<DB> | Transaction<DB>;

/** A photo whose files are stored (original, served copy, thumbnail) but which has no attachment row yet. */
export interface PreparedPhoto {
  id: string;
  /** SHA-256 of the bytes as uploaded: the evidence. */
  originalSha256: string;
  /** SHA-256 of the copy without EXIF/XMP/GPS that everyone sees. */
  servedSha256: string;
  thumbSha256: string;
  mime: PhotoMime;
  /** Size of the original. */
  bytes: number;
  /** The original's size as seen upright. */
  width: number;
  height: number;
}

/** What an attachment row is attached to, who uploaded it and when. */
export interface AttachmentLink {
  reportId?: string | null;
  caseId?: string | null;
  /** The uploader's user or API key id; null for an anonymous resident. */
  uploadedBy: string | null;
  createdAt: string;
}

/** A stored attachment with what it is linked to. */
export interface StoredAttachment {
  photo: Photo;
  reportId: string | null;
  caseId: string | null;
}

/** What reading a photo's file needs: its blobs, its uploader and the unit paths that decide who sees the original. */
export interface PhotoFileRecord {
  id: string;
  mime: PhotoMime;
  originalSha256: string;
  servedSha256: string;
  /** Null for rows written before thumbnails existed: the served copy stands in. */
  thumbSha256: string | null;
  uploadedBy: string | null;
  /** Unit paths of the report it belongs to, of that report's case, and of the case it belongs to directly. */
  reportPath: string | null;
  reportCasePath: string | null;
  casePath: string | null;
}

// A mime outside the three is impossible through preparePhoto; a row edited by hand still reads as a JPEG
// rather than failing every listing it appears in.
const mimeOf = (s: string): PhotoMime => (isPhotoMime(s) ? s : 'image/jpeg');

const toPhoto = (
  r: Pick<AttachmentTable, 'id' | 'original_sha256' | 'mime' | 'bytes' | 'width' | 'height'>,
): Photo => ({
  id: r.id,
  sha256: r.original_sha256,
  ...photoUrls(r.id),
  mime: mimeOf(r.mime),
  // Number(): were a column ever widened to bigint, node-postgres would answer it as a string.
  bytes: Number(r.bytes),
  width: r.width === null ? null : Number(r.width),
  height: r.height === null ? null : Number(r.height),
});

/** Inserts the attachment row of a prepared photo; answers the photo's view. */
export async function insertAttachment(tx: Q, photo: PreparedPhoto, link: AttachmentLink): Promise<Photo> {
  const row: AttachmentTable = {
    id: photo.id,
    original_sha256: photo.originalSha256,
    served_sha256: photo.servedSha256,
    thumb_sha256: photo.thumbSha256,
    mime: photo.mime,
    bytes: photo.bytes,
    width: photo.width,
    height: photo.height,
    report_id: link.reportId ?? null,
    case_id: link.caseId ?? null,
    uploaded_by: link.uploadedBy,
    created_at: link.createdAt,
  };
  await tx.insertInto('attachment').values(row).execute();
  return toPhoto(row);
}

/** The attachments with these ids (those that exist), with their links. */
export async function findAttachments(db: Q, ids: readonly string[]): Promise<StoredAttachment[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('attachment').selectAll().where('id', 'in', ids).execute();
  return rows.map((r) => ({ photo: toPhoto(r), reportId: r.report_id, caseId: r.case_id }));
}

/**
 * Links attachments that are linked to nothing yet to a report or a case. Answers how many rows changed:
 * fewer than `ids` when another transaction linked one of them in between (PostgreSQL, read committed).
 */
export async function linkFreeAttachments(
  tx: Q,
  ids: readonly string[],
  target: { reportId: string } | { caseId: string },
): Promise<number> {
  if (ids.length === 0) return 0;
  const set = 'reportId' in target ? { report_id: target.reportId } : { case_id: target.caseId };
  const updated = await tx
    .updateTable('attachment')
    .set(set)
    .where('id', 'in', ids)
    .where('report_id', 'is', null)
    .where('case_id', 'is', null)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows);
}

/** The photos of a report or of a case, oldest first (id breaks ties of one instant). */
export async function photosOf(db: Q, of: { reportId: string } | { caseId: string }): Promise<Photo[]> {
  const rows = await db
    .selectFrom('attachment')
    .selectAll()
    .where('reportId' in of ? 'report_id' : 'case_id', '=', 'reportId' in of ? of.reportId : of.caseId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toPhoto);
}

/** One photo's view by id; undefined when there is none. */
export async function findPhoto(db: Q, id: string): Promise<Photo | undefined> {
  const r = await db.selectFrom('attachment').selectAll().where('id', '=', id).executeTakeFirst();
  return r && toPhoto(r);
}

/** What serving one photo's files needs (see PhotoFileRecord); undefined when there is no such photo. */
export async function findPhotoFile(db: Q, id: string): Promise<PhotoFileRecord | undefined> {
  const r = await db
    .selectFrom('attachment as a')
    .leftJoin('report as r', 'r.id', 'a.report_id')
    .leftJoin('case_file as rc', 'rc.id', 'r.case_id')
    .leftJoin('case_file as c', 'c.id', 'a.case_id')
    .select([
      'a.id',
      'a.original_sha256',
      'a.served_sha256',
      'a.thumb_sha256',
      'a.mime',
      'a.uploaded_by',
      'r.unit_path as report_path',
      'rc.unit_path as report_case_path',
      'c.unit_path as case_path',
    ])
    .where('a.id', '=', id)
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    id: r.id,
    mime: mimeOf(r.mime),
    originalSha256: r.original_sha256,
    servedSha256: r.served_sha256,
    thumbSha256: r.thumb_sha256,
    uploadedBy: r.uploaded_by,
    reportPath: r.report_path,
    reportCasePath: r.report_case_path,
    casePath: r.case_path,
  };
}
