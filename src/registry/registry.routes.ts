import { z } from 'zod';
import type { Deps } from '../deps.js';
import type { HttpServer } from '../platform/http/server.js';
import { authenticate } from '../access/auth.http.js';
import { ORG_UNIT_KINDS } from './org-units.js';
import { createOrgUnit, getOrgUnit, searchOrgUnits, setOrgUnitActive, updateOrgUnit } from './org-units.service.js';

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
