import { z } from 'zod';
import type { Deps } from '../deps.js';
import type { HttpServer } from '../platform/http/server.js';
import { authenticate } from '../access/auth.http.js';
import { DEPARTMENT_KINDS } from '../registry/parties.js';
import { LAYER_NAME, MAJOR_CODE, TRIAGE_REASONS } from './routing.js';
import { ROUTING_CRS, resolveForActor, routingStats, type RoutingEngine } from './routing.service.js';
import { createRule, listRules, updateRule } from './rules.service.js';

const id = z.string().min(1).max(100);
const layer = z.string().regex(LAYER_NAME, 'a grid layer name');
const target = z.union([
  z.strictObject({ fixedUnitId: id }),
  z.strictObject({ fromLayer: layer, as: z.literal('squad').optional() }),
  z.strictObject({ departmentKind: z.enum(DEPARTMENT_KINDS) }),
]);
const area = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('everywhere') }),
  z.strictObject({ kind: z.literal('unit'), unitId: id }),
  z.strictObject({ kind: z.literal('cell'), layer, code: z.string().min(1).max(60) }),
]);
const categoryKey = z.string().regex(/^(component|event):\d{5}$/, 'a category key such as event:06001');
const majorCode = z.string().regex(MAJOR_CODE, 'a major class such as event:06');
// The range check of priorities is the rules' (it names the default band); here only its type.
const priority = z.number().int();

const ruleView = z.object({
  id: z.string(),
  categoryKey: z.string().nullable(),
  majorCode: z.string().nullable(),
  area,
  lead: target,
  assisting: z.array(target),
  priority: z.number(),
  note: z.string().nullable(),
  active: z.boolean(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const unitView = z.object({
  code: z.string(),
  kind: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
});
const resolutionView = z.object({
  point: z.object({ lng: z.number(), lat: z.number() }),
  cells: z.array(
    z.object({
      layer: z.string(),
      version: z.number(),
      versionId: z.string(),
      code: z.string(),
      unitId: z.string().nullable(),
    }),
  ),
  missingLayers: z.array(z.string()),
  responsible: z
    .object({ unitId: z.string(), ruleId: z.string(), rule: z.string(), assisting: z.array(z.string()) })
    .nullable(),
  triage: z
    .object({ unitId: z.string(), reason: z.enum(TRIAGE_REASONS), ruleId: z.string().nullable() })
    .nullable(),
  units: z.record(z.string(), unitView),
});

/** Routing over HTTP: where a point belongs and who answers for it, and the bureau's responsibility rules. */
export async function routingRoutes(app: HttpServer, deps: Deps, engine: RoutingEngine): Promise<void> {
  /**
   * After a rule write in this process: rebuild now, so the very next lookup here (the next report, the
   * console's probe) routes by the changed rules; the engine's own stamp check alone would answer that
   * lookup from the old snapshot and rebuild only behind it. Other processes notice the stamp within a
   * second. A failed rebuild does not undo the committed rule: the old snapshot answers and the background
   * check tries again.
   */
  const pickUpRules = () =>
    engine.refresh().catch((e: unknown) => {
      deps.logger.error({ err: e }, 'routing: rebuild after a rule change failed');
    });
  app.get(
    '/api/routing/resolve',
    {
      schema: {
        tags: ['routing'],
        summary:
          'The cells of every grid layer at a point, and the unit responsible for a category there (or the triage desk)',
        querystring: z.strictObject({
          lng: z.coerce.number().min(-180).max(180),
          lat: z.coerce.number().min(-90).max(90),
          crs: z.enum(ROUTING_CRS),
          category: categoryKey.optional(),
          lang: z.string().optional(),
        }),
        response: { 200: resolutionView },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      const { lang: _lang, ...q } = req.query;
      return resolveForActor(engine, actor, q);
    },
  );
  app.get(
    '/api/routing/stats',
    {
      schema: {
        tags: ['routing'],
        summary: 'The routing index: layers, cells, memory, rules, when it was built',
        querystring: z.strictObject({ lang: z.string().optional() }),
        response: {
          200: z.object({
            layers: z.array(z.object({ layer: z.string(), version: z.number(), cells: z.number() })),
            cells: z.number(),
            indexBytes: z.number(),
            rules: z.number(),
            builtAt: z.string().nullable(),
            buildMs: z.number().nullable(),
            lastError: z.string().nullable(),
          }),
        },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      return routingStats(engine, actor);
    },
  );
  app.get(
    '/api/routing/rules',
    {
      schema: {
        tags: ['routing'],
        summary: 'Responsibility rules, highest priority first',
        querystring: z.strictObject({
          includeInactive: z.enum(['true', 'false']).optional(),
          lang: z.string().optional(),
        }),
        response: { 200: z.object({ items: z.array(ruleView) }) },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      return {
        items: await listRules(deps, actor, { includeInactive: req.query.includeInactive === 'true' }),
      };
    },
  );
  app.post(
    '/api/routing/rules',
    {
      schema: {
        tags: ['routing'],
        summary:
          'Add a responsibility rule (category or major class or any × area → lead and assisting units)',
        body: z.strictObject({
          categoryKey: categoryKey.nullable().optional(),
          majorCode: majorCode.nullable().optional(),
          area,
          lead: target,
          assisting: z.array(target).max(10).optional(),
          priority,
          note: z.string().trim().max(500).nullable().optional(),
        }),
        response: { 201: ruleView },
      },
    },
    async (req, reply) => {
      const { actor } = await authenticate(deps, req);
      const rule = await createRule(deps, { actor, requestId: req.id }, req.body);
      await pickUpRules();
      return reply.status(201).send(rule);
    },
  );
  app.patch(
    '/api/routing/rules/:id',
    {
      schema: {
        tags: ['routing'],
        summary: 'Edit or deactivate (active: false) a responsibility rule; version must be the current one',
        params: z.strictObject({ id }),
        body: z.strictObject({
          version: z.number().int().min(1),
          categoryKey: categoryKey.nullable().optional(),
          majorCode: majorCode.nullable().optional(),
          area: area.optional(),
          lead: target.optional(),
          assisting: z.array(target).max(10).optional(),
          priority: priority.optional(),
          note: z.string().trim().max(500).nullable().optional(),
          active: z.boolean().optional(),
        }),
        response: { 200: ruleView },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      const rule = await updateRule(deps, { actor, requestId: req.id }, req.params.id, req.body);
      await pickUpRules();
      return rule;
    },
  );
}
