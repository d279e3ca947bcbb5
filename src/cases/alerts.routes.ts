import { z } from 'zod';
import type { Deps } from '../deps.js';
import type { HttpServer } from '../platform/http/server.js';
import { pickLang, renderMessage } from '../platform/http/messages.js';
import { authenticate } from '../access/auth.http.js';
import { ALERT_KINDS } from './alerts.js';
import { alertKindKey, alertMessages } from './alerts.messages.js';
import { listAlerts, readAlert } from './alerts.service.js';

const tags = ['alerts'];
// The satisfaction rules put a dissatisfied rating in the same inbox (case_alert kind 'dissatisfied').
const INBOX_KINDS = [...ALERT_KINDS, 'dissatisfied'] as const;
const lang = z.string().max(20).optional();
const id = z
  .string()
  .min(1)
  .max(100)
  .refine((s) => !s.includes('\u0000'), 'no control characters');

const alertView = z.object({
  id: z.string(),
  kind: z.string(),
  kindLabel: z.string(),
  caseId: z.string(),
  caseCode: z.string(),
  caseStep: z.string(),
  caseStatus: z.string(),
  current: z.boolean(),
  unit: z.object({ id: z.string(), name: z.string() }),
  role: z.string().nullable(),
  message: z.string(),
  dueAt: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});

/** The alert inbox: reminders, overdue notices and escalations of the caller's unit and the units below. */
export async function alertRoutes(app: HttpServer, deps: Deps): Promise<void> {
  app.get(
    '/api/alerts',
    {
      schema: {
        tags,
        summary:
          'Alerts of the caller’s unit and the units below it (in the caller’s own unit, those for another role are left out), unread first, then newest; `current` is false once the case has a new deadline',
        querystring: z.strictObject({
          kind: z.enum(INBOX_KINDS).optional(),
          unread: z.enum(['true', 'false']).optional(),
          limit: z.coerce.number().int().min(1).max(500).optional(),
          offset: z.coerce.number().int().min(0).max(100_000).optional(),
          lang,
        }),
        response: { 200: z.object({ items: z.array(alertView), unread: z.number() }) },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      const { unread, lang: l, ...q } = req.query;
      const r = await listAlerts(deps, actor, {
        ...q,
        ...(unread === undefined ? {} : { unread: unread === 'true' }),
      });
      const language = pickLang(req.headers['accept-language'], l);
      return {
        unread: r.unread,
        items: r.items.map((a) => ({
          ...a,
          kindLabel: renderMessage(alertMessages, alertKindKey(a.kind), language, {}),
        })),
      };
    },
  );

  app.post(
    '/api/alerts/:id/read',
    {
      schema: {
        tags,
        summary:
          'Mark one alert read (idempotent: the first reading time stands); not visible to the caller: 404',
        params: z.strictObject({ id }),
        querystring: z.strictObject({ lang }),
        response: { 200: z.object({ id: z.string(), readAt: z.string() }) },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      return readAlert(deps, { actor, requestId: req.id }, req.params.id);
    },
  );
}
