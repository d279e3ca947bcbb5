import { z } from 'zod';
import type { Deps } from '../deps.js';
import type { HttpServer } from '../platform/http/server.js';
import { authenticate } from '../access/auth.http.js';
import { CATEGORY_FAMILIES, CATEGORY_KINDS } from './categories.js';
import {
  createLocalCategory,
  getCategory,
  listCategories,
  listMajorClasses,
  updateCategory,
} from './categories.service.js';

const categoryView = z.object({
  key: z.string(),
  kind: z.enum(CATEGORY_KINDS),
  code: z.string(),
  majorCode: z.string(),
  majorName: z.string(),
  majorNameEn: z.string().nullable(),
  parentKey: z.string().nullable(),
  name: z.string(),
  nameEn: z.string(),
  local: z.boolean(),
  family: z.enum(CATEGORY_FAMILIES).nullable(),
  defaultUnitKind: z.string().nullable(),
  defaultTimeLimit: z.string().nullable(),
  active: z.boolean(),
  version: z.number(),
});

const majorView = z.object({
  kind: z.enum(CATEGORY_KINDS),
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  count: z.number(),
  localCount: z.number(),
});

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');
const key = z.string().min(1).max(40);
// Format checks (unit kind, time limit, local code range) are the rules' and answer with their own keys.
const unitKind = z.string().min(1).max(60);
const timeLimit = z.string().min(1).max(30);

export async function categoryRoutes(app: HttpServer, deps: Deps): Promise<void> {
  app.get(
    '/api/categories',
    {
      schema: {
        tags: ['registry'],
        summary: 'Problem categories (GB/T 47678.5 and local), filtered',
        querystring: z.strictObject({
          kind: z.enum(CATEGORY_KINDS).optional(),
          major: z
            .string()
            .regex(/^\d{2}$/, 'two digits')
            .optional(),
          q: z.string().min(1).max(100).optional(),
          local: flag.optional(),
          family: z.enum(CATEGORY_FAMILIES).optional(),
          includeInactive: flag.optional(),
          limit: z.coerce.number().int().min(1).max(5000).optional(),
          lang: z.string().optional(),
        }),
        response: { 200: z.object({ items: z.array(categoryView) }) },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      const { lang: _lang, ...f } = req.query;
      return { items: await listCategories(deps, actor, f) };
    },
  );
  app.get(
    '/api/categories/majors',
    {
      schema: {
        tags: ['registry'],
        summary: 'Major classes with zh/en names and counts of active categories',
        querystring: z.strictObject({ lang: z.string().optional() }),
        response: { 200: z.object({ items: z.array(majorView) }) },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      return { items: await listMajorClasses(deps, actor) };
    },
  );
  app.get(
    '/api/categories/:key',
    {
      schema: {
        tags: ['registry'],
        summary: 'One category',
        params: z.strictObject({ key }),
        response: { 200: categoryView },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      return getCategory(deps, actor, req.params.key);
    },
  );
  app.post(
    '/api/categories',
    {
      schema: {
        tags: ['registry'],
        summary: 'Add a local category under a standard major class',
        body: z.strictObject({
          kind: z.enum(CATEGORY_KINDS),
          majorCode: z.string().regex(/^\d{2}$/, 'two digits'),
          code: z.string().min(1).max(10),
          name: z.string().trim().min(1).max(60),
          nameEn: z.string().trim().min(1).max(120),
          parentKey: key.nullable().optional(),
          family: z.enum(CATEGORY_FAMILIES).nullable().optional(),
          defaultUnitKind: unitKind.nullable().optional(),
          defaultTimeLimit: timeLimit.nullable().optional(),
        }),
        response: { 201: categoryView },
      },
    },
    async (req, reply) => {
      const { actor } = await authenticate(deps, req);
      return reply.status(201).send(await createLocalCategory(deps, { actor, requestId: req.id }, req.body));
    },
  );
  app.patch(
    '/api/categories/:key',
    {
      schema: {
        tags: ['registry'],
        summary: 'Edit a category: a local one’s names, parent, family, active; any one’s defaults',
        params: z.strictObject({ key }),
        body: z.strictObject({
          version: z.number().int().min(1),
          name: z.string().trim().min(1).max(60).optional(),
          nameEn: z.string().trim().min(1).max(120).optional(),
          parentKey: key.nullable().optional(),
          family: z.enum(CATEGORY_FAMILIES).nullable().optional(),
          active: z.boolean().optional(),
          defaultUnitKind: unitKind.nullable().optional(),
          defaultTimeLimit: timeLimit.nullable().optional(),
        }),
        response: { 200: categoryView },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      return updateCategory(deps, { actor, requestId: req.id }, req.params.key, req.body);
    },
  );
}
