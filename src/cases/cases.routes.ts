import { z } from 'zod';
import type { Deps } from '../deps.js';
import type { HttpServer } from '../platform/http/server.js';
import { invalid } from '../platform/errors.js';
import { authenticate } from '../access/auth.http.js';
import { DURATION_UNITS } from '../platform/calendar/deadline.js';
import { CASE_STATUSES, CASE_STEPS, MOVE_TYPES } from './case-loop.js';
import { DOCUMENT_KINDS, ENFORCEMENT_MOVE_TYPES, EXECUTION_OUTCOMES } from './enforcement.js';
import type { CaseRulesSource } from './rules-source.js';
import {
  caseMap,
  getCase,
  getEnforcement,
  listCases,
  moveCase,
  moveEnforcement,
  myTasks,
  startEnforcement,
  type EnforcementView,
} from './cases.service.js';

const tags = ['cases'];
const id = z.string().min(1).max(100);
const idParam = z.strictObject({ id });
const lang = z.string().max(20).optional();
const text = (max: number) => z.string().max(max);

// ---------------------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------------------

const deadline = z.object({
  due: z.string(),
  from: z.string(),
  rule: z.object({ n: z.number(), unit: z.string() }),
  basis: z.string(),
  suspensions: z.array(z.object({ from: z.string(), to: z.string() })).optional(),
});
const urgency = z.enum(['overdue', 'dueSoon', 'later', 'none']);
const photo = z.object({
  id: z.string(),
  sha256: z.string(),
  servedUrl: z.string(),
  thumbUrl: z.string(),
  mime: z.string(),
  bytes: z.number(),
  width: z.number().nullable(),
  height: z.number().nullable(),
});
const summaryFields = {
  id: z.string(),
  code: z.string(),
  status: z.enum(CASE_STATUSES),
  step: z.enum(CASE_STEPS),
  channel: z.string(),
  categoryKey: z.string().nullable(),
  responsibleUnitId: z.string().nullable(),
  handlingUnitId: z.string().nullable(),
  location: z.object({ lng: z.number(), lat: z.number() }).nullable(),
  openedAt: z.string(),
  updatedAt: z.string(),
  stepStartedAt: z.string(),
  dueAt: z.string().nullable(),
  reporterDueAt: z.string().nullable(),
  urgency,
  escalationLevel: z.number(),
  version: z.number(),
};
const caseSummary = z.object(summaryFields);
const flow = z.object({
  seq: z.number(),
  track: z.enum(['loop', 'enforcement']),
  step: z.string(),
  move: z.string(),
  toStep: z.string(),
  actorId: z.string(),
  actorName: z.string().nullable(),
  role: z.string().nullable(),
  unitId: z.string().nullable(),
  startedAt: z.string(),
  endedAt: z.string(),
  deadline: deadline.nullable(),
  onTime: z.boolean().nullable(),
  note: z.string().nullable(),
  reason: z.string().nullable(),
  targetUnitId: z.string().nullable(),
  attachments: z.array(z.string()),
  detail: z.record(z.string(), z.unknown()).nullable(),
});
const caseDetail = z.object({
  ...summaryFields,
  parentCategoryKey: z.string().nullable(),
  areaGrade: z.string().nullable(),
  underWay: z.boolean(),
  receivedAt: z.string(),
  deadline: deadline.nullable(),
  reporterDeadline: deadline.nullable(),
  reporterInformedAt: z.string().nullable(),
  pendingPostpone: z
    .object({
      requestedAt: z.string(),
      requestedBy: z.string(),
      extension: z.object({ n: z.number(), unit: z.string() }),
      reason: z.string(),
    })
    .nullable(),
  suspendedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  counts: z.object({
    dispatch: z.number(),
    rework: z.number(),
    return: z.number(),
    postpone: z.number(),
    reopen: z.number(),
  }),
  timeline: z.array(flow),
  attachments: z.array(photo),
  reports: z.array(
    z.object({
      id: z.string(),
      trackingCode: z.string(),
      channel: z.string(),
      description: z.string(),
      address: z.string().nullable(),
      receivedAt: z.string(),
      reporterName: z.string().nullable(),
      reporterPhone: z.string().nullable(),
      anonymous: z.boolean(),
      photos: z.array(photo),
    }),
  ),
  allowedMoves: z.array(z.enum(MOVE_TYPES)),
  enforcement: z.object({ step: z.string(), version: z.number() }).nullable(),
});
const enforcementView = z.object({
  caseId: z.string(),
  /** The procedure's full state (src/cases/enforcement.ts EnforcementState). */
  state: z.record(z.string(), z.unknown()),
  version: z.number(),
  dueAt: z.string().nullable(),
  requiredDocuments: z.array(z.object({ kind: z.enum(DOCUMENT_KINDS), name: z.string() })),
  missingDocuments: z.array(z.enum(DOCUMENT_KINDS)),
  allowedMoves: z.array(z.enum(ENFORCEMENT_MOVE_TYPES)),
});

// ---------------------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------------------

const duration = z.strictObject({
  n: z.number().int().min(1).max(10_000),
  unit: z.enum(DURATION_UNITS as readonly ['day', 'workday', 'hour', 'workhour']),
});
const expectedVersion = z.number().int().min(0);

const moveBody = z.strictObject({
  type: z.enum(MOVE_TYPES),
  expectedVersion,
  reason: text(2000).optional(),
  note: text(4000).optional(),
  attachments: z.array(id).max(20).optional(),
  targetUnitId: id.optional(),
  extension: duration.optional(),
  onSiteCheck: z.boolean().optional(),
  categoryKey: text(40).optional(),
});

const flagsBody = z.strictObject({
  hearingRight: z.boolean().optional(),
  majorPublicInterest: z.boolean().optional(),
  majorRights: z.boolean().optional(),
  legallyComplex: z.boolean().optional(),
  reviewRequiredByLaw: z.boolean().optional(),
  complexCircumstances: z.boolean().optional(),
  majorViolation: z.boolean().optional(),
  illegalStructure: z.boolean().optional(),
});

const enforcementMoveBody = z.strictObject({
  type: z.enum(ENFORCEMENT_MOVE_TYPES),
  expectedVersion,
  reason: text(2000).optional(),
  note: text(4000).optional(),
  document: z.enum(DOCUMENT_KINDS).optional(),
  attachmentId: id.optional(),
  officerIds: z.array(id).max(20).optional(),
  flags: flagsBody.optional(),
  extension: duration.optional(),
  statementMade: z.boolean().optional(),
  hearingAt: text(40).optional(),
  fineCents: z.number().int().min(0).optional(),
  partyPresent: z.boolean().optional(),
  outcome: z.enum(EXECUTION_OUTCOMES).optional(),
  appealPeriodEnded: z.boolean().optional(),
});

/** A comma-separated list of enum values in a query string. */
const listOf = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .max(500)
    .transform((s) => s.split(',').filter((v) => v !== ''))
    .pipe(z.array(z.enum(values)));

/** The view with its state as a plain record (the response schema passes the state through whole). */
const presentEnforcement = (v: EnforcementView) => ({ ...v, state: { ...v.state } });

const ctxOf = (actor: Awaited<ReturnType<typeof authenticate>>['actor'], requestId: string) => ({
  actor,
  requestId,
});

/**
 * The case loop over HTTP: list with filters and cursor, map of open cases by urgency, detail, moves with
 * optimistic versions (409 with the current state), the enforcement procedure, and "my tasks". `rules` is
 * the application's one rules source (caseRulesOf), the one intake's receipts use as well.
 */
export async function casesRoutes(app: HttpServer, deps: Deps, rules: CaseRulesSource): Promise<void> {
  app.get(
    '/api/cases',
    {
      schema: {
        tags,
        summary: 'Cases in the caller’s scope, newest first, with filters; nextCursor continues the list',
        querystring: z.strictObject({
          status: listOf(CASE_STATUSES).optional(),
          step: listOf(CASE_STEPS).optional(),
          responsibleUnitId: id.optional(),
          handlingUnitId: id.optional(),
          categoryKey: text(40).optional(),
          channel: text(40).optional(),
          overdue: z.enum(['true', 'false']).optional(),
          from: text(40).optional(),
          to: text(40).optional(),
          cursor: text(200).optional(),
          limit: z.coerce.number().int().min(1).max(200).optional(),
          lang,
        }),
        response: { 200: z.object({ items: z.array(caseSummary), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      const { overdue, lang: _lang, ...q } = req.query;
      return listCases(deps, actor, {
        ...q,
        ...(overdue === undefined ? {} : { overdue: overdue === 'true' }),
      });
    },
  );

  app.get(
    '/api/cases/map',
    {
      schema: {
        tags,
        summary:
          'Open (active or suspended) cases in a box as GeoJSON, most urgent first: overdue, due within 4 h, later, no deadline',
        querystring: z.strictObject({
          bbox: text(200),
          limit: z.coerce.number().int().min(1).max(5000).optional(),
          lang,
        }),
        response: {
          200: z.object({
            type: z.literal('FeatureCollection'),
            truncated: z.boolean(),
            features: z.array(
              z.object({
                type: z.literal('Feature'),
                geometry: z.object({
                  type: z.literal('Point'),
                  coordinates: z.tuple([z.number(), z.number()]),
                }),
                properties: z.object({
                  id: z.string(),
                  code: z.string(),
                  status: z.enum(CASE_STATUSES),
                  step: z.enum(CASE_STEPS),
                  categoryKey: z.string().nullable(),
                  dueAt: z.string().nullable(),
                  urgency,
                }),
              }),
            ),
          }),
        },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      const parts = req.query.bbox.split(',').map(Number);
      if (parts.length !== 4 || !parts.every(Number.isFinite))
        throw invalid('bboxInvalid', { field: 'bbox', value: req.query.bbox });
      return caseMap(deps, actor, {
        bbox: parts as [number, number, number, number],
        ...(req.query.limit === undefined ? {} : { limit: req.query.limit }),
      });
    },
  );

  app.get(
    '/api/cases/:id',
    {
      schema: {
        tags,
        summary:
          'A case: timeline of flow records, deadlines with their rule and legal basis, attachments, reports (phones masked unless the role triages), and the moves the caller may make',
        params: idParam,
        querystring: z.strictObject({ lang }),
        response: { 200: caseDetail },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      return getCase(deps, actor, req.params.id);
    },
  );

  app.post(
    '/api/cases/:id/moves',
    {
      schema: {
        tags,
        summary:
          'Make one move of the loop. expectedVersion is the version the caller saw: 409 with the current state when the case moved since',
        params: idParam,
        querystring: z.strictObject({ lang }),
        body: moveBody,
        response: { 200: caseDetail },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      const { expectedVersion: version, ...move } = req.body;
      return moveCase(deps, rules, ctxOf(actor, req.id), req.params.id, move, version);
    },
  );

  app.get(
    '/api/cases/:id/enforcement',
    {
      schema: {
        tags,
        summary: 'The penalty procedure of a case: state, documents required and missing, the caller’s moves',
        params: idParam,
        querystring: z.strictObject({ lang }),
        response: { 200: enforcementView },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      return presentEnforcement(await getEnforcement(deps, actor, req.params.id));
    },
  );

  app.post(
    '/api/cases/:id/enforcement',
    {
      schema: {
        tags,
        summary: 'Start the penalty procedure on an opened case (waiting for its filing approval)',
        params: idParam,
        querystring: z.strictObject({ lang }),
        body: z.strictObject({ flags: flagsBody.optional() }).optional(),
        response: { 201: enforcementView },
      },
    },
    async (req, reply) => {
      const { actor } = await authenticate(deps, req);
      const view = await startEnforcement(deps, ctxOf(actor, req.id), req.params.id, req.body?.flags ?? {});
      return reply.status(201).send(presentEnforcement(view));
    },
  );

  app.post(
    '/api/cases/:id/enforcement/moves',
    {
      schema: {
        tags,
        summary:
          'One move of the penalty procedure (addDocument with an attachment id from POST /api/photos, …); a step cannot close while a document is missing; 409 on a stale expectedVersion',
        params: idParam,
        querystring: z.strictObject({ lang }),
        body: enforcementMoveBody,
        response: { 200: enforcementView },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      const { expectedVersion: version, ...move } = req.body;
      return presentEnforcement(await moveEnforcement(deps, rules, ctxOf(actor, req.id), req.params.id, move, version));
    },
  );

  app.get(
    '/api/my/tasks',
    {
      schema: {
        tags,
        summary:
          'Cases whose current step awaits the caller: desk steps for dispatchers and squad leaders, on-site checks for officers, handling for the unit the case is handled by',
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(500).optional(), lang }),
        response: { 200: z.object({ items: z.array(caseSummary) }) },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      return { items: await myTasks(deps, actor, req.query.limit) };
    },
  );
}
