import { z } from 'zod';
import type { Deps } from '../deps.js';
import type { HttpServer } from '../platform/http/server.js';
import { authenticate } from '../access/auth.http.js';
import { coverageGeoJson } from './patrols.js';
import {
  createPlan,
  finishPatrol,
  getPatrolRecord,
  getPlan,
  patrolCoverage,
  searchPatrolRecords,
  searchPlans,
  startPatrol,
  updatePatrolPlan,
} from './patrols.service.js';

const tags = ['patrols'];
const noNul = (s: string) => !s.includes('\u0000');
const id = z.string().min(1).max(100).refine(noNul, 'no control characters');
const lang = z.string().max(20).optional();
const instant = z.string().max(40);
const position = z.array(z.number()).min(2).max(3);
const polygon = z.strictObject({
  type: z.literal('Polygon'),
  coordinates: z.array(z.array(position)).min(1),
});
const lineString = z.strictObject({
  type: z.literal('LineString'),
  coordinates: z.array(position).max(100_000),
});

const planFields = {
  name: z.string().max(200),
  officerIds: z.array(id).max(100),
  compoundIds: z.array(id).max(2000),
  area: polygon.nullable().optional(),
  weekdays: z.array(z.number().int()).max(7),
  startTime: z.string().max(10),
  endTime: z.string().max(10),
  validFrom: z.string().max(10),
  validTo: z.string().max(10).nullable().optional(),
};
const planView = z.object({
  id: z.string(),
  unitId: z.string(),
  name: z.string(),
  officerIds: z.array(z.string()),
  compoundIds: z.array(z.string()),
  area: z.unknown(),
  weekdays: z.array(z.number()),
  startTime: z.string(),
  endTime: z.string(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  active: z.boolean(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const recordView = z.object({
  id: z.string(),
  planId: z.string().nullable(),
  officerId: z.string(),
  unitId: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  track: z.unknown(),
  findings: z.array(z.string()),
  coveredCompoundIds: z.array(z.string()),
});
const coverageItem = z.object({
  compound: z.object({ id: z.string(), code: z.string(), name: z.string() }),
  location: z.object({ lng: z.number(), lat: z.number() }).nullable(),
  patrolled: z.boolean(),
  patrols: z.number(),
  lastAt: z.string().nullable(),
});
const coverageQuery = z.strictObject({
  from: instant.optional(),
  to: instant.optional(),
  subdistrictId: id.optional(),
  lang,
});

/** Patrols over HTTP: plans, records (start/finish), coverage as a table and as a GeoJSON map layer. */
export async function patrolRoutes(app: HttpServer, deps: Deps): Promise<void> {
  const ctx = (actor: Parameters<typeof createPlan>[1]['actor'], requestId: string) => ({ actor, requestId });

  app.post(
    '/api/patrol-plans',
    {
      schema: {
        tags,
        summary: 'Plan patrols: officers, compounds and/or an area, weekdays and a time window, validity',
        querystring: z.strictObject({ lang }),
        body: z.strictObject(planFields),
        response: { 201: planView },
      },
    },
    async (req, reply) => {
      const { actor } = await authenticate(deps, req);
      return reply.status(201).send(await createPlan(deps, ctx(actor, req.id), req.body));
    },
  );
  app.get(
    '/api/patrol-plans',
    {
      schema: {
        tags,
        summary: 'Patrol plans in the caller’s scope',
        querystring: z.strictObject({ active: z.enum(['true', 'false']).optional(), lang }),
        response: { 200: z.object({ items: z.array(planView) }) },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      const { active } = req.query;
      return {
        items: await searchPlans(deps, actor, active === undefined ? {} : { active: active === 'true' }),
      };
    },
  );
  app.get(
    '/api/patrol-plans/:id',
    {
      schema: {
        tags,
        summary: 'One patrol plan',
        params: z.strictObject({ id }),
        querystring: z.strictObject({ lang }),
        response: { 200: planView },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      return getPlan(deps, actor, req.params.id);
    },
  );
  app.patch(
    '/api/patrol-plans/:id',
    {
      schema: {
        tags,
        summary: 'Change a patrol plan or deactivate it (active: false); version for optimistic locking',
        params: z.strictObject({ id }),
        querystring: z.strictObject({ lang }),
        body: z.strictObject({
          ...Object.fromEntries(Object.entries(planFields).map(([k, v]) => [k, v.optional()])),
          active: z.boolean().optional(),
          version: z.number().int(),
        }),
        response: { 200: planView },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      return updatePatrolPlan(
        deps,
        ctx(actor, req.id),
        req.params.id,
        req.body as Parameters<typeof updatePatrolPlan>[3],
      );
    },
  );
  app.post(
    '/api/patrols',
    {
      schema: {
        tags,
        summary: 'Start a patrol (under a plan or ad hoc)',
        querystring: z.strictObject({ lang }),
        body: z.strictObject({ planId: id.nullable().optional() }),
        response: { 201: recordView },
      },
    },
    async (req, reply) => {
      const { actor } = await authenticate(deps, req);
      return reply.status(201).send(await startPatrol(deps, ctx(actor, req.id), req.body));
    },
  );
  app.post(
    '/api/patrols/:id/finish',
    {
      schema: {
        tags,
        summary:
          'Finish one’s patrol, once: the compounds covered, an optional track, findings (reports of channel patrol)',
        params: z.strictObject({ id }),
        querystring: z.strictObject({ lang }),
        body: z.strictObject({
          coveredCompoundIds: z.array(id).max(2000),
          track: lineString.nullable().optional(),
          findingReportIds: z.array(id).max(500).optional(),
        }),
        response: { 200: recordView },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      return finishPatrol(
        deps,
        ctx(actor, req.id),
        req.params.id,
        req.body as Parameters<typeof finishPatrol>[3],
      );
    },
  );
  app.get(
    '/api/patrols',
    {
      schema: {
        tags,
        summary: 'Patrol records in the caller’s scope, newest first',
        querystring: z.strictObject({
          from: instant.optional(),
          to: instant.optional(),
          limit: z.coerce.number().int().min(1).max(2000).optional(),
          lang,
        }),
        response: { 200: z.object({ items: z.array(recordView) }) },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      const { lang: _lang, ...q } = req.query;
      return { items: await searchPatrolRecords(deps, actor, q) };
    },
  );
  app.get(
    '/api/patrols/coverage',
    {
      schema: {
        tags,
        summary:
          'Per compound in the caller’s scope: patrolled or not in [from, to) (default the last 30 days), how often, last time',
        querystring: coverageQuery,
        response: {
          200: z.object({
            from: z.string(),
            to: z.string(),
            total: z.number(),
            patrolled: z.number(),
            items: z.array(coverageItem),
          }),
        },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      const { lang: _lang, ...q } = req.query;
      return patrolCoverage(deps, actor, q);
    },
  );
  app.get(
    '/api/patrols/coverage.geojson',
    {
      schema: {
        tags,
        summary: 'The coverage map: compound points coloured by patrolled (green) or not (red)',
        querystring: coverageQuery,
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      const { lang: _lang, ...q } = req.query;
      return coverageGeoJson((await patrolCoverage(deps, actor, q)).items);
    },
  );
  app.get(
    '/api/patrols/:id',
    {
      schema: {
        tags,
        summary: 'One patrol record',
        params: z.strictObject({ id }),
        querystring: z.strictObject({ lang }),
        response: { 200: recordView },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      return getPatrolRecord(deps, actor, req.params.id);
    },
  );
}
