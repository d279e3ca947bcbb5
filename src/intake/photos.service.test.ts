import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { DIALECTS } from '../platform/testing/db.js';
import { buildTestDeps, type TestDeps } from '../testing/deps.js';
import { ROLE_PERMISSIONS, systemActor, type Actor, type Role } from '../access/roles.js';
import { audited } from '../access/audit.service.js';
import { DomainError } from '../platform/errors.js';
import { sha256Hex } from '../platform/storage/blob-store.js';
import { newId } from '../platform/ids.js';
import { SERVED_MAX_SIDE, THUMB_MAX_SIDE } from './photos.js';
import {
  anonymousActor,
  getPhoto,
  insertAttachment,
  linkAttachments,
  photoBlobs,
  photosOf,
  preparePhoto,
  readPhotoFile,
  storePhoto,
} from './photos.service.js';
import {
  CAMERA_EXIF,
  HTML_BYTES,
  PDF_BYTES,
  blobCount,
  exifHasGps,
  jpeg,
  jpegWithGps,
  pixels,
  png,
  tempDataDir,
  webp,
} from './photos.test-support.js';

const staff = (role: Role, unitPath: string, id = `u-${role}-${unitPath.replaceAll('/', '')}`): Actor => ({
  kind: 'user',
  id,
  name: role,
  role,
  unitId: unitPath.split('/').filter(Boolean).at(-1) ?? '',
  unitPath,
  permissions: new Set(ROLE_PERMISSIONS[role]),
});

const refusal = async (p: Promise<unknown>): Promise<DomainError> => {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
};

for (const dialect of DIALECTS) {
  describe(`photos [${dialect}]`, () => {
    let deps: TestDeps;
    const system = { actor: systemActor('test') };
    const attachmentCount = async () =>
      Number(
        (
          await deps.database.db
            .selectFrom('attachment')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const uploads = async () =>
      deps.database.db
        .selectFrom('audit_entry')
        .selectAll()
        .where('action', '=', 'attachment.upload')
        .execute();

    beforeAll(async () => {
      deps = await buildTestDeps(dialect, { seed: false });
    });
    beforeEach(() => {
      // A fresh blob store per test, so "nothing written" can be checked by counting files.
      deps.config = { ...deps.config, dataDir: tempDataDir(), uploadLimit: 2 * 1024 * 1024 };
    });
    afterEach(() => rmSync(deps.config.dataDir, { recursive: true, force: true }));
    afterAll(async () => deps.cleanup());

    it('keeps the original as evidence and serves an upright copy without EXIF or GPS', async () => {
      const upload = await jpegWithGps(640, 400);
      const before = await sharp(upload).metadata();
      expect(before.orientation).toBe(6);
      expect(exifHasGps(before.exif)).toBe(true);
      expect(upload.includes(Buffer.from(CAMERA_EXIF.IFD0.Make))).toBe(true);

      const photo = await storePhoto(deps, system, { bytes: upload, filename: 'IMG_0001.jpg' });
      expect(photo).toMatchObject({
        sha256: sha256Hex(upload),
        servedUrl: `/api/photos/${photo.id}`,
        thumbUrl: `/api/photos/${photo.id}/thumb`,
        mime: 'image/jpeg',
        bytes: upload.length,
        width: 400, // upright: orientation 6 turns 640×400 into 400×640
        height: 640,
      });

      const original = await readPhotoFile(deps, system.actor, photo.id, 'original');
      expect(original.bytes.equals(upload)).toBe(true);
      expect(original.sha256).toBe(sha256Hex(upload));

      const served = await readPhotoFile(deps, undefined, photo.id, 'served');
      expect(served.contentType).toBe('image/jpeg');
      const m = await sharp(served.bytes).metadata();
      expect(m.exif).toBeUndefined();
      expect(m.xmp).toBeUndefined();
      expect(m.iptc).toBeUndefined();
      expect(m.orientation).toBeUndefined();
      expect([m.width, m.height]).toEqual([400, 640]);
      expect(served.bytes.includes(Buffer.from(CAMERA_EXIF.IFD0.Make))).toBe(false);

      const thumb = await readPhotoFile(deps, undefined, photo.id, 'thumb');
      const t = await sharp(thumb.bytes).metadata();
      expect(thumb.contentType).toBe('image/webp');
      expect(t.format).toBe('webp');
      expect(Math.max(t.width, t.height)).toBe(THUMB_MAX_SIDE);
      expect(t.exif).toBeUndefined();

      const row = await deps.database.db
        .selectFrom('attachment')
        .selectAll()
        .where('id', '=', photo.id)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({
        original_sha256: sha256Hex(upload),
        served_sha256: served.sha256,
        thumb_sha256: thumb.sha256,
        report_id: null,
        uploaded_by: 'system:test',
      });
      const [entry] = (await uploads()).filter((a) => a.entity_id === photo.id);
      expect(JSON.parse(entry!.summary)).toMatchObject({
        after: { originalSha256: sha256Hex(upload), filename: 'IMG_0001.jpg', mime: 'image/jpeg' },
      });
      expect(await getPhoto(deps, photo.id)).toEqual(photo);
    });

    it('caps the served copy at the longest side', async () => {
      const big = await sharp(pixels(3000, 1000).raw, { raw: { width: 3000, height: 1000, channels: 3 } })
        .jpeg({ quality: 60 })
        .toBuffer();
      const photo = await storePhoto(deps, system, { bytes: big });
      expect([photo.width, photo.height]).toEqual([3000, 1000]);
      const m = await sharp((await readPhotoFile(deps, undefined, photo.id, 'served')).bytes).metadata();
      expect([m.width, m.height]).toEqual([SERVED_MAX_SIDE, Math.round((1000 * SERVED_MAX_SIDE) / 3000)]);
    });

    it('accepts PNG and WebP and serves them in their own format', async () => {
      for (const [bytes, mime, format] of [
        [await png(), 'image/png', 'png'],
        [await webp(), 'image/webp', 'webp'],
      ] as const) {
        const photo = await storePhoto(deps, system, { bytes });
        expect(photo).toMatchObject({ mime, width: 300, height: 200, sha256: sha256Hex(bytes) });
        const served = await readPhotoFile(deps, undefined, photo.id, 'served');
        expect(served.contentType).toBe(mime);
        expect((await sharp(served.bytes).metadata()).format).toBe(format);
      }
    });

    it('refuses fakes, cut-short and corrupt images and writes nothing to disk or database', async () => {
      const j = await jpeg();
      const before = await attachmentCount();
      const corrupt = Buffer.concat([
        Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
        Buffer.alloc(300, 7),
        Buffer.from([0xff, 0xd9]),
      ]);
      const cases: Array<[Buffer, string, Record<string, unknown>]> = [
        [PDF_BYTES, 'photoType', { field: 'photo', detected: 'application/pdf' }],
        [HTML_BYTES, 'photoType', { field: 'photo', detected: 'text/html' }],
        [
          j.subarray(0, Math.floor(j.length * 0.6)),
          'photoType',
          { field: 'photo', detected: 'image/jpeg (truncated)' },
        ],
        [corrupt, 'photoCorrupt', { field: 'photo', mime: 'image/jpeg' }],
      ];
      for (const [bytes, key, details] of cases) {
        const e = await refusal(storePhoto(deps, system, { bytes, filename: 'x.jpg' }));
        expect(e.code).toBe('Invalid');
        expect(e.messageKey).toBe(key);
        expect(e.details).toMatchObject(details);
      }
      expect(blobCount(deps.config.dataDir)).toBe(0);
      expect(await attachmentCount()).toBe(before);
    });

    it('refuses an oversize photo with the limit and writes nothing', async () => {
      deps.config = { ...deps.config, uploadLimit: 20_000 };
      const big = await jpeg(400, 400);
      expect(big.length).toBeGreaterThan(20_000);
      const e = await refusal(storePhoto(deps, system, { bytes: big }));
      expect(e.code).toBe('PayloadTooLarge');
      expect(e.details).toMatchObject({ limit: 20_000, bytes: big.length });
      expect(blobCount(deps.config.dataDir)).toBe(0);
    });

    it('stores the same photo once on disk, whoever uploads it how often', async () => {
      const bytes = await jpegWithGps(200, 120, 9);
      const a = await storePhoto(deps, system, { bytes });
      const b = await storePhoto(deps, { actor: anonymousActor() }, { bytes });
      expect(a.id).not.toBe(b.id);
      expect(a.sha256).toBe(b.sha256);
      expect(blobCount(deps.config.dataDir)).toBe(3); // original, served copy, thumbnail
      const rows = await deps.database.db
        .selectFrom('attachment')
        .select(['id', 'served_sha256', 'uploaded_by'])
        .where('id', 'in', [a.id, b.id])
        .orderBy('id')
        .execute();
      expect(new Set(rows.map((r) => r.served_sha256)).size).toBe(1);
      expect(rows.map((r) => r.uploaded_by)).toEqual(['system:test', null]); // the anonymous resident leaves no id
      expect(await photoBlobs(deps).verify(a.sha256)).toBe(true);
    });

    it("inserts inside someone else's audited transaction without an audit entry of its own, and links later", async () => {
      const reportPath = '/u-bureau/u-sub1/';
      const reportId = newId();
      const loose = await storePhoto(deps, { actor: anonymousActor() }, { bytes: await png(120, 80, 5) });
      const entriesBefore = (await uploads()).length;
      const prepared = await preparePhoto(deps, await webp(100, 100, 6));
      const inside = await audited(deps, system, async (tx, audit) => {
        await tx
          .insertInto('report')
          .values({
            id: reportId,
            tracking_code: `T-${reportId.slice(0, 8)}`,
            channel: 'resident',
            description: '乱堆物',
            received_at: new Date().toISOString(),
            anonymous: 1,
            routing: '{}',
            unit_path: reportPath,
          })
          .execute();
        const p1 = await insertAttachment(tx, prepared, {
          reportId,
          uploadedBy: null,
          createdAt: new Date().toISOString(),
        });
        const p2 = await storePhoto(deps, system, { bytes: await jpeg(90, 60, 7), reportId }, tx);
        const linked = await linkAttachments(tx, [loose.id], { reportId });
        await audit({
          action: 'report.create',
          entity: 'report',
          entityId: reportId,
          after: { attachments: [p1.id, p2.id, loose.id] },
        });
        return [p1, p2, ...linked];
      });
      expect((await uploads()).length).toBe(entriesBefore); // the caller's one entry covers them
      expect((await photosOf(deps.database.db, { reportId })).map((p) => p.id).sort()).toEqual(
        inside.map((p) => p.id).sort(),
      );

      // linking again to the same report changes nothing; to another one, or an unknown id, is refused
      await deps.database.db.transaction().execute(async (tx) => {
        expect((await linkAttachments(tx, [loose.id], { reportId })).map((p) => p.id)).toEqual([loose.id]);
        const e = await refusal(linkAttachments(tx, [loose.id, 'no-such-id'], { caseId: 'c-1' }));
        expect(e.messageKey).toBe('attachmentUnknown');
        expect(e.details).toMatchObject({ field: 'attachments', ids: [loose.id, 'no-such-id'] });
      });

      // the original: staff with cases:read in scope; everyone else gets NotFound, as for a missing photo
      const inScopeOfficer = staff('officer', reportPath);
      expect((await readPhotoFile(deps, inScopeOfficer, loose.id, 'original')).sha256).toBe(loose.sha256);
      expect(
        (await readPhotoFile(deps, staff('bureauLeader', '/u-bureau/'), loose.id, 'original')).sha256,
      ).toBe(loose.sha256);
      for (const who of [
        undefined,
        staff('officer', '/u-bureau/u-sub2/'),
        staff('resident', reportPath),
        staff('propertyCompany', reportPath),
        anonymousActor(),
      ]) {
        const e = await refusal(readPhotoFile(deps, who, loose.id, 'original'));
        expect(e.code).toBe('NotFound');
        expect(e.details).toEqual({ entity: 'photo', id: loose.id });
      }
      const missing = await refusal(readPhotoFile(deps, inScopeOfficer, 'no-such-photo', 'original'));
      expect(missing.details).toEqual({ entity: 'photo', id: 'no-such-photo' });
      // the served copy is there for anyone with the id
      expect((await readPhotoFile(deps, undefined, loose.id, 'served')).contentType).toBe('image/png');
    });

    it('shows the original of a photo not linked yet only to its uploader and district-wide staff', async () => {
      const officer = staff('officer', '/u-bureau/u-sub1/u-squad1/', 'u-officer-1');
      const photo = await storePhoto(deps, { actor: officer }, { bytes: await jpeg(64, 64, 11) });
      expect((await readPhotoFile(deps, officer, photo.id, 'original')).bytes.length).toBe(photo.bytes);
      expect(
        (await readPhotoFile(deps, staff('bureauStaff', '/u-bureau/'), photo.id, 'original')).sha256,
      ).toBe(photo.sha256);
      const colleague = staff('officer', '/u-bureau/u-sub1/u-squad1/', 'u-officer-2');
      expect((await refusal(readPhotoFile(deps, colleague, photo.id, 'original'))).code).toBe('NotFound');
    });
  });
}
