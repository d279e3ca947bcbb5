import { z } from 'zod';
import type { Deps } from '../deps.js';
import type { HttpServer } from '../platform/http/server.js';
import { authenticate } from '../access/auth.http.js';
import { ORG_UNIT_KINDS } from './org-units.js';
import { createOrgUnit, getOrgUnit, searchOrgUnits, setOrgUnitActive, updateOrgUnit } from './org-units.service.js';
import { exportOrgUnitsCsv, exportUsersCsv, importOrgUnitsCsv, importUsersCsv } from './org-units.csv.js';
import { decodeCsv } from './csv.js';
import { invalid } from '../platform/errors.js';

const orgUnitView = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  kind: z.string(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  path: z.string(),
  active: z.boolean(),
  version: z.number(),
});

export async function registryRoutes(app: HttpServer, deps: Deps): Promise<void> {
  // CSV bodies for the org-unit and user imports (this plugin's scope only).
  app.addContentTypeParser(['text/csv', 'application/csv'], { parseAs: 'buffer', bodyLimit: deps.config.uploadLimit }, (_req, body, done) => {
    try {
      done(null, decodeCsv(body as Buffer));
    } catch {
      done(invalid('csvNotUtf8', { field: 'body' }), undefined);
    }
  });
  const csvImportResult = z.object({
    rejected: z.boolean(),
    imported: z.number(),
    skippedLines: z.array(z.number()),
    problems: z.array(z.object({ line: z.number(), field: z.string(), reason: z.string(), value: z.string().optional() })),
    passwords: z.array(z.object({ username: z.string(), password: z.string() })).optional(),
  });
  const importQuery = z.strictObject({ skipBadRows: z.enum(['true', 'false']).optional(), lang: z.string().optional() });
  for (const kind of ['org-units', 'users'] as const) {
    app.get(
      `/api/${kind}/export.csv`,
      { schema: { tags: ['registry'], summary: `Export ${kind} as CSV (UTF-8 with BOM)` } },
      async (req, reply) => {
        const { actor } = await authenticate(deps, req);
        const text = kind === 'org-units' ? await exportOrgUnitsCsv(deps, actor) : await exportUsersCsv(deps, actor);
        return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${kind}.csv"`).send(text);
      },
    );
    app.post(
      `/api/${kind}/import`,
      {
        schema: {
          tags: ['registry'],
          summary: `Import ${kind} from CSV: every bad row by line and column; nothing imported unless skipBadRows=true`,
          querystring: importQuery,
          body: z.string(),
          response: { 200: csvImportResult, 400: z.unknown() },
        },
      },
      async (req, reply) => {
        const { actor } = await authenticate(deps, req);
        const ctx = { actor, requestId: req.id };
        const opts = { skipBadRows: req.query.skipBadRows === 'true' };
        const r = kind === 'org-units' ? await importOrgUnitsCsv(deps, ctx, req.body, opts) : await importUsersCsv(deps, ctx, req.body, opts);
        if (r.rejected) throw invalid('csvRejected', { rows: new Set(r.problems.map((p) => p.line)).size, problems: r.problems });
        return reply.status(200).send(r);
      },
    );
  }

  app.get(
    '/api/org-units',
    {
      schema: {
        tags: ['registry'],
        summary: 'Org units in the caller’s scope',
        querystring: z.strictObject({
          kind: z.enum(ORG_UNIT_KINDS).optional(),
          q: z.string().max(100).optional(),
          parentId: z.string().max(100).optional(),
          limit: z.coerce.number().int().min(1).max(5000).optional(),
          lang: z.string().optional(),
        }),
        response: { 200: z.object({ items: z.array(orgUnitView) }) },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      const { lang: _lang, ...f } = req.query;
      return { items: await searchOrgUnits(deps, actor, f) };
    },
  );
  app.get(
    '/api/org-units/:id',
    { schema: { tags: ['registry'], summary: 'One org unit', params: z.strictObject({ id: z.string().max(100) }), response: { 200: orgUnitView } } },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      return getOrgUnit(deps, actor, req.params.id);
    },
  );
  app.post(
    '/api/org-units',
    {
      schema: {
        tags: ['registry'],
        summary: 'Create an org unit',
        body: z.strictObject({
          parentId: z.string().max(100).nullable(),
          kind: z.enum(ORG_UNIT_KINDS),
          code: z.string().min(1).max(40),
          name: z.string().min(1).max(200),
          nameEn: z.string().max(200).nullable().optional(),
        }),
        response: { 201: orgUnitView },
      },
    },
    async (req, reply) => {
      const { actor } = await authenticate(deps, req);
      return reply.status(201).send(await createOrgUnit(deps, { actor, requestId: req.id }, req.body));
    },
  );

  app.patch(
    '/api/org-units/:id',
    {
      schema: {
        tags: ['registry'],
        summary: 'Rename or recode an org unit (optimistic version)',
        params: z.strictObject({ id: z.string().max(100) }),
        body: z.strictObject({
          name: z.string().min(1).max(200).optional(),
          nameEn: z.string().max(200).nullable().optional(),
          code: z.string().min(1).max(40).optional(),
          version: z.number().int().min(1),
        }),
        response: { 200: orgUnitView },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      return updateOrgUnit(deps, { actor, requestId: req.id }, req.params.id, req.body);
    },
  );
  app.post(
    '/api/org-units/:id/active',
    {
      schema: {
        tags: ['registry'],
        summary: 'Deactivate or reactivate an org unit (never deleted)',
        params: z.strictObject({ id: z.string().max(100) }),
        body: z.strictObject({ active: z.boolean(), version: z.number().int().min(1) }),
        response: { 200: orgUnitView },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      return setOrgUnitActive(deps, { actor, requestId: req.id }, req.params.id, req.body.active, req.body.version);
    },
  );
}
