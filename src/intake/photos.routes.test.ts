import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import type { LightMyRequestResponse } from 'fastify';
import { buildApp } from '../app.js';
import { DIALECTS } from '../platform/testing/db.js';
import { buildTestDeps, type TestDeps } from '../testing/deps.js';
import { cookieOf } from '../testing/http.js';
import { createHttpServer, type HttpServer } from '../platform/http/server.js';
import { platformMessages } from '../platform/http/messages.js';
import { DEMO_PASSWORD } from '../registry/demo-seed.service.js';
import { sha256Hex } from '../platform/storage/blob-store.js';
import { photoMessages } from './photos.messages.js';
import { photoRoutes } from './photos.routes.js';
import {
  HTML_BYTES,
  PDF_BYTES,
  blobCount,
  exifHasGps,
  jpeg,
  jpegWithGps,
  png,
  tempDataDir,
  webp,
} from './photos.test-support.js';

/** A multipart/form-data body as a browser sends it, made by the platform's own FormData. */
async function formBody(
  parts: Array<{ name: string; bytes?: Uint8Array; filename?: string; type?: string; value?: string }>,
) {
  const fd = new FormData();
  for (const p of parts) {
    if (p.value !== undefined) fd.append(p.name, p.value);
    else
      fd.append(
        p.name,
        new Blob([new Uint8Array(p.bytes ?? [])], { type: p.type ?? 'application/octet-stream' }),
        p.filename ?? 'upload.bin',
      );
  }
  const req = new Request('http://localhost/', { method: 'POST', body: fd });
  return {
    payload: Buffer.from(await req.arrayBuffer()),
    headers: { 'content-type': req.headers.get('content-type') ?? '' },
  };
}
const photoForm = (bytes: Uint8Array, filename = 'IMG_0001.jpg', type = 'image/jpeg') =>
  formBody([{ name: 'photo', bytes, filename, type }]);

const UPLOAD_LIMIT = 256 * 1024;
const errorOf = (res: LightMyRequestResponse) =>
  (res.json() as { error: { code: string; message: string; details: Record<string, unknown> } }).error;

for (const dialect of DIALECTS) {
  describe(`photos over HTTP [${dialect}]`, () => {
    let deps: TestDeps;
    let app: HttpServer;
    const dataDirs: string[] = [];
    const attachmentCount = async () =>
      Number(
        (
          await deps.database.db
            .selectFrom('attachment')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const upload = async (
      body: { payload: Buffer; headers: Record<string, string> },
      headers: Record<string, string> = {},
    ) =>
      app.inject({
        method: 'POST',
        url: '/api/photos',
        payload: body.payload,
        headers: { ...body.headers, ...headers },
      });
    const signIn = async (username: string) => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password: DEMO_PASSWORD },
      });
      return { cookie: cookieOf(res), csrf: (res.json() as { csrfToken: string }).csrfToken };
    };

    beforeAll(async () => {
      deps = await buildTestDeps(dialect);
      // Each test file gets its own blob store; the photo routes read the directory from the config.
      deps.config = { ...deps.config, dataDir: tempDataDir(), uploadLimit: UPLOAD_LIMIT };
      dataDirs.push(deps.config.dataDir);
      app = await buildApp(deps);
      await app.ready();
    });
    afterAll(async () => {
      await app.close();
      await deps.cleanup();
      for (const d of dataDirs) rmSync(d, { recursive: true, force: true });
    });

    it('takes an anonymous upload and serves a copy without EXIF, a thumbnail, and caches both', async () => {
      const bytes = await jpegWithGps(640, 400);
      const res = await upload(await photoForm(bytes));
      expect(res.statusCode).toBe(201);
      const photo = res.json() as { id: string; sha256: string; servedUrl: string; thumbUrl: string };
      expect(photo).toMatchObject({
        sha256: sha256Hex(bytes),
        mime: 'image/jpeg',
        bytes: bytes.length,
        width: 400,
        height: 640,
      });

      const served = await app.inject({ method: 'GET', url: photo.servedUrl });
      expect(served.statusCode).toBe(200);
      expect(served.headers['content-type']).toBe('image/jpeg');
      expect(served.headers['cache-control']).toContain('max-age=31536000');
      expect(served.headers['x-content-type-options']).toBe('nosniff');
      const m = await sharp(served.rawPayload).metadata();
      expect(m.exif).toBeUndefined();
      expect(exifHasGps(m.exif)).toBe(false);
      expect([m.width, m.height]).toEqual([400, 640]);

      const again = await app.inject({
        method: 'GET',
        url: photo.servedUrl,
        headers: { 'if-none-match': String(served.headers.etag) },
      });
      expect(again.statusCode).toBe(304);

      const thumb = await app.inject({ method: 'GET', url: photo.thumbUrl });
      expect(thumb.statusCode).toBe(200);
      expect(thumb.headers['content-type']).toBe('image/webp');
      expect((await sharp(thumb.rawPayload).metadata()).format).toBe('webp');

      const row = await deps.database.db
        .selectFrom('attachment')
        .selectAll()
        .where('id', '=', photo.id)
        .executeTakeFirstOrThrow();
      expect(row.uploaded_by).toBeNull();
      const audit = await deps.database.db
        .selectFrom('audit_entry')
        .selectAll()
        .where('entity_id', '=', photo.id)
        .execute();
      expect(audit.map((a) => [a.action, a.actor_id])).toEqual([['attachment.upload', 'anonymous']]);
    });

    it('gives the original only to staff allowed to see it; everyone else gets the 404 of a missing photo', async () => {
      const bytes = await jpegWithGps(300, 200, 21);
      const { id } = (await upload(await photoForm(bytes))).json() as { id: string };

      const missing = await app.inject({ method: 'GET', url: '/api/photos/no-such-photo/original' });
      const shape = (res: LightMyRequestResponse) => ({
        status: res.statusCode,
        code: errorOf(res).code,
        keys: Object.keys(errorOf(res).details).sort(),
      });
      expect(missing.statusCode).toBe(404);
      const anonymous = await app.inject({ method: 'GET', url: `/api/photos/${id}/original` });
      expect(shape(anonymous)).toEqual(shape(missing));
      expect(errorOf(anonymous).message).toBe(errorOf(missing).message);
      for (const username of ['resident', 'property', 'officer']) {
        const s = await signIn(username);
        const res = await app.inject({
          method: 'GET',
          url: `/api/photos/${id}/original`,
          headers: { cookie: s.cookie },
        });
        expect(shape(res)).toEqual(shape(missing));
      }

      const leader = await signIn('leader'); // district-wide, cases:read
      const orig = await app.inject({
        method: 'GET',
        url: `/api/photos/${id}/original`,
        headers: { cookie: leader.cookie },
      });
      expect(orig.statusCode).toBe(200);
      expect(orig.rawPayload.equals(bytes)).toBe(true);
      expect(orig.headers['x-content-sha256']).toBe(sha256Hex(bytes));
      expect(orig.headers['content-disposition']).toBe(`attachment; filename="${id}.jpg"`);
      expect(exifHasGps((await sharp(orig.rawPayload).metadata()).exif)).toBe(true);
    });

    it('takes a staff upload with the session and its CSRF token, and records the uploader', async () => {
      const officer = await signIn('officer');
      const bytes = await png(200, 150, 22);
      const noCsrf = await upload(await photoForm(bytes, 'scene.png', 'image/png'), {
        cookie: officer.cookie,
      });
      expect(noCsrf.statusCode).toBe(403);
      const res = await upload(await photoForm(bytes, 'scene.png', 'image/png'), {
        cookie: officer.cookie,
        'x-csrf-token': officer.csrf,
      });
      expect(res.statusCode).toBe(201);
      const { id, mime } = res.json() as { id: string; mime: string };
      expect(mime).toBe('image/png');
      const row = await deps.database.db
        .selectFrom('attachment')
        .select('uploaded_by')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(row.uploaded_by).not.toBeNull();
      // the uploader may fetch its own unlinked original
      const orig = await app.inject({
        method: 'GET',
        url: `/api/photos/${id}/original`,
        headers: { cookie: officer.cookie },
      });
      expect(orig.statusCode).toBe(200);
      expect(orig.headers['content-type']).toBe('image/png');
      const w = await upload(await photoForm(await webp(), 'a.webp', 'image/webp'));
      expect((w.json() as { mime: string }).mime).toBe('image/webp');
    });

    describe('refusals store nothing', () => {
      let blobsBefore: number;
      let rowsBefore: number;
      beforeEach(async () => {
        blobsBefore = blobCount(deps.config.dataDir);
        rowsBefore = await attachmentCount();
      });
      afterEach(async () => {
        expect(blobCount(deps.config.dataDir)).toBe(blobsBefore);
        expect(await attachmentCount()).toBe(rowsBefore);
      });

      it('a PDF, an HTML page and a cut-short JPEG named .jpg: 400 photoType naming what was found', async () => {
        const j = await jpeg(200, 200, 23);
        for (const [bytes, detected] of [
          [PDF_BYTES, 'application/pdf'],
          [HTML_BYTES, 'text/html'],
          [j.subarray(0, j.length >> 1), 'image/jpeg (truncated)'],
        ] as const) {
          const res = await upload(await photoForm(bytes, 'x.jpg', 'image/jpeg'), {
            'accept-language': 'en',
          });
          expect(res.statusCode).toBe(400);
          expect(errorOf(res)).toMatchObject({ code: 'Invalid', details: { field: 'photo', detected } });
          expect(errorOf(res).message).toContain(
            `photo is not a photo: only JPEG, PNG and WebP images are accepted, the content is ${detected}`,
          );
        }
        const zh = await upload(await photoForm(PDF_BYTES, 'x.jpg'));
        expect(errorOf(zh).message).toContain('不是照片');
      });

      it('a corrupt image with a valid magic number: 400 photoCorrupt', async () => {
        const corrupt = Buffer.concat([
          Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
          Buffer.alloc(500, 3),
          Buffer.from([0xff, 0xd9]),
        ]);
        const res = await upload(await photoForm(corrupt));
        expect(res.statusCode).toBe(400);
        expect(errorOf(res)).toMatchObject({ code: 'Invalid', details: { field: 'photo' } });
        expect(errorOf(res).message).toContain('损坏');
      });

      it('an oversize file: 413 naming the limit', async () => {
        const big = Buffer.concat([await jpeg(64, 64, 24), Buffer.alloc(UPLOAD_LIMIT)]);
        const res = await upload(await photoForm(big), { 'accept-language': 'en' });
        expect(res.statusCode).toBe(413);
        expect(errorOf(res)).toMatchObject({
          code: 'PayloadTooLarge',
          details: { field: 'photo', limit: UPLOAD_LIMIT },
        });
        expect(errorOf(res).message).toContain(String(UPLOAD_LIMIT));
      });

      it('no multipart, no photo field, an empty file, a broken body: 4xx naming the problem', async () => {
        const json = await app.inject({ method: 'POST', url: '/api/photos', payload: { photo: 'abc' } });
        expect(json.statusCode).toBe(415);
        expect(errorOf(json)).toMatchObject({
          code: 'UnsupportedMediaType',
          details: { contentType: 'application/json' },
        });

        const wrongField = await upload(
          await formBody([{ name: 'file', bytes: await jpeg(), filename: 'a.jpg', type: 'image/jpeg' }]),
        );
        expect(wrongField.statusCode).toBe(400);
        expect(errorOf(wrongField)).toMatchObject({ details: { field: 'photo', got: 'file' } });

        const textOnly = await upload(await formBody([{ name: 'photo', value: 'not a file' }]));
        expect(textOnly.statusCode).toBe(400);
        expect(errorOf(textOnly)).toMatchObject({ details: { field: 'photo' } });

        const empty = await upload(await photoForm(new Uint8Array(0)));
        expect(empty.statusCode).toBe(400);
        expect(errorOf(empty).details).toMatchObject({ field: 'photo', detected: 'empty' });

        const whole = await photoForm(await jpeg(200, 200, 25));
        const cut = await upload({
          payload: whole.payload.subarray(0, whole.payload.length - 400),
          headers: whole.headers,
        });
        expect(cut.statusCode).toBe(400);
        expect(errorOf(cut)).toMatchObject({
          code: 'Invalid',
          details: { field: 'photo', reason: expect.stringMatching(/unexpected end/i) },
        });
        // cut after the photo's bytes, inside the closing boundary: still refused
        const tail = await upload({
          payload: whole.payload.subarray(0, whole.payload.length - 5),
          headers: whole.headers,
        });
        expect(tail.statusCode).toBe(400);

        const noBoundary = await upload({
          payload: whole.payload,
          headers: { 'content-type': 'multipart/form-data' },
        });
        expect(noBoundary.statusCode).toBe(400);
        expect(errorOf(noBoundary)).toMatchObject({ code: 'Invalid', details: { field: 'photo' } });

        const two = await upload(
          await formBody([
            { name: 'photo', bytes: await jpeg(64, 64, 27), filename: 'a.jpg', type: 'image/jpeg' },
            { name: 'photo', bytes: await jpeg(64, 64, 28), filename: 'b.jpg', type: 'image/jpeg' },
          ]),
        );
        expect(two.statusCode).toBe(400);
        expect(errorOf(two)).toMatchObject({
          code: 'Invalid',
          details: { field: 'photo', reason: 'more than one file' },
        });

        const garbage = await upload({
          payload: Buffer.from('this is not multipart at all'),
          headers: whole.headers,
        });
        expect(garbage.statusCode).toBe(400);
      });
    });
  });
}

describe('photo upload rate limit', () => {
  let deps: TestDeps;
  let app: HttpServer;
  beforeAll(async () => {
    deps = await buildTestDeps('sqlite', { seed: false });
    deps.config = { ...deps.config, dataDir: tempDataDir() };
    ({ app } = await createHttpServer({
      logger: deps.logger,
      bodyLimit: deps.config.bodyLimit,
      messages: { ...platformMessages, ...photoMessages },
      secret: deps.config.secret,
      version: 'test',
      ready: async () => undefined,
    }));
    await app.register(async (scope) =>
      photoRoutes(scope as unknown as HttpServer, deps, { uploadsPerMinute: 2 }),
    );
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await deps.cleanup();
    rmSync(deps.config.dataDir, { recursive: true, force: true });
  });

  it('refuses the third upload in a minute from one address with 429 and retry-after', async () => {
    const body = await photoForm(await jpeg(32, 32, 26));
    const send = (ip: string) =>
      app.inject({
        method: 'POST',
        url: '/api/photos',
        payload: body.payload,
        headers: body.headers,
        remoteAddress: ip,
      });
    expect((await send('10.0.0.1')).statusCode).toBe(201);
    expect((await send('10.0.0.1')).statusCode).toBe(201);
    const third = await send('10.0.0.1');
    expect(third.statusCode).toBe(429);
    expect(errorOf(third).code).toBe('RateLimited');
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
    expect((await send('10.0.0.2')).statusCode).toBe(201); // another address is not held back
  });
});
