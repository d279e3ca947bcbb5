import { z } from 'zod';
import type { Deps } from '../deps.js';
import type { HttpServer } from '../platform/http/server.js';
import { authenticate, authenticateOptional } from '../access/auth.http.js';
import { anonymousActor } from '../intake/photos.service.js';
import { RATINGS, RATING_GROUPINGS } from './ratings.js';
import { listCaseRatings, rateByCallback, rateByTrackingCode, satisfactionRates } from './ratings.service.js';

const lang = z.string().max(20).optional();
const noNul = (s: string) => !s.includes('\u0000');
// The rules bound the comment (COMMENT_MAX characters, fieldTooLong); this only bounds the body.
const ratingBody = z.strictObject({
  rating: z.enum(RATINGS),
  comment: z.string().max(2000).refine(noNul, 'no control characters').nullable().optional(),
});
const ratingView = z.object({
  id: z.string(),
  caseId: z.string(),
  caseCode: z.string(),
  round: z.number(),
  rating: z.enum(RATINGS),
  comment: z.string().nullable(),
  source: z.string(),
  ratedAt: z.string(),
  alert: z.object({ unitId: z.string(), role: z.string() }).nullable(),
});
const groupView = z.object({
  key: z.string().nullable(),
  name: z.string().nullable(),
  nameEn: z.string().nullable(),
  rated: z.number(),
  satisfied: z.number(),
  basicallySatisfied: z.number(),
  dissatisfied: z.number(),
  rate: z.number().nullable(),
});

/** Satisfaction ratings: by the reporter (public, tracking code), by a dispatcher after a callback, and the rate. */
export async function ratingRoutes(app: HttpServer, deps: Deps): Promise<void> {
  const tags = ['ratings'];

  app.post(
    '/api/public/track/:trackingCode/rating',
    {
      schema: {
        tags,
        summary:
          'The reporter (or a follower) rates a closed case by tracking code, no login; once per close (409 for a second rating or an open case)',
        params: z.strictObject({ trackingCode: z.string().min(1).max(40) }),
        querystring: z.strictObject({ lang }),
        body: ratingBody,
        response: { 201: ratingView },
      },
    },
    async (req, reply) => {
      const actor = (await authenticateOptional(deps, req))?.actor ?? anonymousActor();
      const r = await rateByTrackingCode(
        deps,
        { actor, requestId: req.id },
        req.params.trackingCode,
        req.body,
      );
      return reply.status(201).send(r);
    },
  );

  app.post(
    '/api/cases/:id/ratings',
    {
      schema: {
        tags,
        summary: 'Dispatcher: record the rating heard on a callback (回访) of a closed case; once per close',
        params: z.strictObject({ id: z.string().min(1).max(100).refine(noNul) }),
        querystring: z.strictObject({ lang }),
        body: ratingBody,
        response: { 201: ratingView },
      },
    },
    async (req, reply) => {
      const { actor } = await authenticate(deps, req);
      return reply
        .status(201)
        .send(await rateByCallback(deps, { actor, requestId: req.id }, req.params.id, req.body));
    },
  );

  app.get(
    '/api/cases/:id/ratings',
    {
      schema: {
        tags,
        summary: 'The ratings of a case, one per close (round = the reopen count when rated)',
        params: z.strictObject({ id: z.string().min(1).max(100).refine(noNul) }),
        querystring: z.strictObject({ lang }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.string(),
                round: z.number(),
                rating: z.enum(RATINGS),
                comment: z.string().nullable(),
                source: z.string(),
                ratedAt: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => ({
      items: await listCaseRatings(deps, (await authenticate(deps, req)).actor, req.params.id),
    }),
  );

  app.get(
    '/api/ratings/rate',
    {
      schema: {
        tags,
        summary:
          'Satisfaction rate = (satisfied + basically satisfied) / rated, per unit, category or month (YYYY-MM, Shanghai), over cases in the caller’s scope',
        querystring: z.strictObject({
          by: z.enum(RATING_GROUPINGS).default('month'),
          from: z.string().max(20).optional(),
          to: z.string().max(20).optional(),
          lang,
        }),
        response: {
          200: z.object({ by: z.enum(RATING_GROUPINGS), groups: z.array(groupView), total: groupView }),
        },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      const { by, from, to } = req.query;
      return satisfactionRates(deps, actor, {
        by,
        ...(from === undefined ? {} : { from }),
        ...(to === undefined ? {} : { to }),
      });
    },
  );
}
