import type { FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import type { HttpServer } from '../platform/http/server.js';
import { DomainError, invalid, isDomainError } from '../platform/errors.js';
import { authenticateOptional } from '../access/auth.http.js';
import { PHOTO_MIMES } from './photos.js';
import { anonymousActor, readPhotoFile, storePhoto, type PhotoFile } from './photos.service.js';

/** Uploads per minute from one address: a resident's report has a few photos; a flood is refused early. */
export const PHOTO_UPLOADS_PER_MINUTE = 60;
/** The multipart form field that carries the photo. */
export const PHOTO_FIELD = 'photo';

/** A photo as the API shows it (upload answer, report detail). */
export const photoView = z.object({
  id: z.string(),
  sha256: z.string().describe('SHA-256 of the original as uploaded (evidence)'),
  servedUrl: z.string(),
  thumbUrl: z.string(),
  mime: z.enum(PHOTO_MIMES),
  bytes: z.number(),
  width: z.number().nullable(),
  height: z.number().nullable(),
});
const idParam = z.strictObject({ id: z.string().min(1).max(100) });

export interface PhotoRoutesOptions {
  /** Uploads per minute per address (default PHOTO_UPLOADS_PER_MINUTE). */
  uploadsPerMinute?: number;
}

/**
 * Photos: upload (anonymous residents too), the served copy and thumbnail by id, the original for staff.
 * Multipart parsing and the upload rate limit are registered in this plugin's scope only.
 */
export async function photoRoutes(app: HttpServer, deps: Deps, opts: PhotoRoutesOptions = {}): Promise<void> {
  const limit = deps.config.uploadLimit;
  await app.register(rateLimit, { global: false });
  await app.register(multipart, {
    // One file of at most the upload limit, a handful of small fields: anything more is refused mid-stream.
    limits: { fileSize: limit, files: 1, fields: 10, fieldSize: 4096, parts: 12, headerPairs: 50 },
    throwFileSizeLimit: true,
  });

  /** The photo's bytes from a multipart body, with every parsing failure as a 4xx naming the problem. */
  async function readUpload(req: FastifyRequest): Promise<{ bytes: Buffer; filename: string }> {
    const contentType = req.headers['content-type'] ?? '';
    if (!req.isMultipart())
      throw new DomainError('UnsupportedMediaType', 'photoNotMultipart', { contentType });
    const fail = (e: unknown): DomainError => {
      if (isDomainError(e)) return e;
      const errors = app.multipartErrors;
      if (e instanceof errors.RequestFileTooLargeError) {
        return new DomainError('PayloadTooLarge', 'photoTooLarge', { field: PHOTO_FIELD, limit });
      }
      if (e instanceof errors.InvalidMultipartContentTypeError) {
        return new DomainError('UnsupportedMediaType', 'photoNotMultipart', { contentType });
      }
      const reason =
        e instanceof errors.FilesLimitError
          ? 'more than one file'
          : e instanceof errors.PartsLimitError || e instanceof errors.FieldsLimitError
            ? 'too many parts'
            : e instanceof Error
              ? e.message
              : String(e);
      return invalid('photoMultipart', { field: PHOTO_FIELD, reason });
    };
    let photo: { bytes: Buffer; filename: string } | undefined;
    try {
      // Read the whole body: a second file, or a body cut short after the photo, is refused too.
      for await (const part of req.parts()) {
        if (part.type !== 'file') continue; // other form fields are ignored
        if (part.fieldname !== PHOTO_FIELD) {
          part.file.resume();
          throw invalid('photoMissing', { field: PHOTO_FIELD, got: part.fieldname });
        }
        photo = { bytes: await part.toBuffer(), filename: part.filename };
      }
    } catch (e) {
      throw fail(e);
    }
    if (!photo) throw invalid('photoMissing', { field: PHOTO_FIELD });
    return photo;
  }

  app.post(
    '/api/photos',
    {
      config: {
        rateLimit: {
          max: opts.uploadsPerMinute ?? PHOTO_UPLOADS_PER_MINUTE,
          timeWindow: '1 minute',
          keyGenerator: (req) => req.ip,
          errorResponseBuilder: (_req, ctx) =>
            new DomainError('RateLimited', 'rateLimited', { retryAfter: Math.ceil(ctx.ttl / 1000) }),
        },
      },
      schema: {
        tags: ['intake'],
        summary:
          'Upload a photo (multipart/form-data, file field "photo"; JPEG, PNG or WebP by content). Anonymous residents may upload; send the answered id with the report.',
        consumes: ['multipart/form-data'],
        response: { 201: photoView },
      },
    },
    async (req, reply) => {
      const auth = await authenticateOptional(deps, req);
      const { bytes, filename } = await readUpload(req);
      const photo = await storePhoto(
        deps,
        { actor: auth?.actor ?? anonymousActor(), requestId: req.id },
        { bytes, field: PHOTO_FIELD, ...(filename ? { filename } : {}) },
      );
      return reply.status(201).send(photo);
    },
  );

  const sendFile = (req: FastifyRequest, reply: FastifyReply, f: PhotoFile, cache: string) => {
    const etag = `"${f.sha256}"`;
    void reply.header('cache-control', cache).header('etag', etag);
    if (req.headers['if-none-match'] === etag) return reply.status(304).send();
    return reply.type(f.contentType).send(f.bytes);
  };
  // The served copy and thumbnail of an id never change (their blobs are content-addressed): cache for a
  // year, in the browser only (a photo of a street may show people).
  const LONG_PRIVATE = 'private, max-age=31536000, immutable';

  app.get(
    '/api/photos/:id',
    {
      schema: {
        tags: ['intake'],
        summary: 'The served copy of a photo: upright, at most 2560 px, without EXIF/XMP/GPS',
        params: idParam,
      },
    },
    async (req, reply) =>
      sendFile(req, reply, await readPhotoFile(deps, undefined, req.params.id, 'served'), LONG_PRIVATE),
  );

  app.get(
    '/api/photos/:id/thumb',
    {
      schema: {
        tags: ['intake'],
        summary: 'The thumbnail of a photo (WebP, at most 320 px)',
        params: idParam,
      },
    },
    async (req, reply) =>
      sendFile(req, reply, await readPhotoFile(deps, undefined, req.params.id, 'thumb'), LONG_PRIVATE),
  );

  app.get(
    '/api/photos/:id/original',
    {
      schema: {
        tags: ['intake'],
        summary:
          'The original as uploaded, with its metadata (evidence); staff with cases:read in scope, 404 for others',
        params: idParam,
      },
    },
    async (req, reply) => {
      const auth = await authenticateOptional(deps, req);
      const f = await readPhotoFile(deps, auth?.actor, req.params.id, 'original');
      void reply
        .header('content-disposition', `attachment; filename="${f.filename}"`)
        .header('x-content-sha256', f.sha256);
      return sendFile(req, reply, f, 'private, no-cache');
    },
  );
}
