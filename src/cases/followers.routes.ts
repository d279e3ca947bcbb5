import { z } from 'zod';
import type { Deps } from '../deps.js';
import type { HttpServer } from '../platform/http/server.js';
import { authenticateOptional } from '../access/auth.http.js';
import { anonymousActor } from '../intake/photos.service.js';
import { followCase } from './followers.service.js';

const noNul = (s: string) => !s.includes('\u0000');

/** Following an open case instead of reporting it again (public). */
export async function followerRoutes(app: HttpServer, deps: Deps): Promise<void> {
  app.post(
    '/api/public/cases/:caseId/follow',
    {
      schema: {
        tags: ['followers'],
        summary:
          'Follow an open case (from GET /api/reports/nearby) instead of reporting it again, no login: answers a tracking code of your own',
        params: z.strictObject({ caseId: z.string().min(1).max(100).refine(noNul, 'no control characters') }),
        querystring: z.strictObject({ lang: z.string().max(20).optional() }),
        // The rules give the real limits and name the field; these only bound the body.
        body: z
          .strictObject({
            name: z.string().max(1000).refine(noNul, 'no control characters').nullable().optional(),
            phone: z.string().max(100).refine(noNul, 'no control characters').nullable().optional(),
          })
          .nullish(),
        response: { 201: z.object({ trackingCode: z.string(), caseCode: z.string(), status: z.string() }) },
      },
    },
    async (req, reply) => {
      const actor = (await authenticateOptional(deps, req))?.actor ?? anonymousActor();
      const r = await followCase(deps, { actor, requestId: req.id }, req.params.caseId, req.body ?? {});
      return reply.status(201).send(r);
    },
  );
}
