/**
 * Duty notice use cases: a squad issues a notice to a property company listing what it missed, delivers it,
 * the company replies; every step is audited. The duty score of a company for a period, for the bureau and
 * the district housing department (房管, which fines under 上海市住宅物业管理规定 第87条).
 */
import { getSite } from '../matching/matching.service.js';
import type { Deps } from '../deps.js';
import { audited, type ActionContext } from '../access/audit.service.js';
import { can, inScope, systemActor, type Actor } from '../access/roles.js';
import { conflict, forbidden, invalid, isDomainError, notFound } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { getCompound, getPropertyCompany } from '../registry/parties.service.js';
import { getReport } from '../intake/reports.service.js';
import { parseInstant } from '../intake/reports.js';
import { companyOfUnit, departmentUnit, dualReportCounts } from './dual-report.store.js';
import {
  NOTE_MAX,
  REPLY_MAX,
  checkMissed,
  checkText,
  dutyScore,
  isUnanswered,
  type DutyScore,
  type MissedRef,
} from './duty-notices.js';
import {
  findDutyNotice,
  insertDutyNotice,
  listDutyNotices,
  setDelivered,
  setReply,
  type StoredDutyNotice,
} from './duty-notices.store.js';

const registryReader = systemActor('dutyNotice');

export interface DutyNoticeView extends Omit<StoredDutyNotice, 'unit'> {
  unit: { id: string; name: string };
  unanswered: boolean;
}

const present = ({ unit, ...n }: StoredDutyNotice, now: Date): DutyNoticeView => ({
  ...n,
  unit: { id: unit.id, name: unit.name },
  unanswered: isUnanswered(n, now),
});

const companyOf = (deps: Pick<Deps, 'database'>, actor: Actor) =>
  actor.role === 'propertyCompany'
    ? companyOfUnit(deps.database.db, actor.unitId)
    : Promise.resolve(undefined);

/** The housing department's members and district-wide readers may see every company's notices and score. */
async function readsAllCompanies(deps: Pick<Deps, 'database'>, actor: Actor): Promise<boolean> {
  if (!can(actor, 'matching:read')) return false;
  if (can(actor, 'scope:district')) return true;
  const housing = await departmentUnit(deps.database.db, 'housing');
  return housing !== undefined && housing.id === actor.unitId;
}

async function unknownAs<T>(load: () => Promise<T>, field: string, value: string): Promise<T> {
  try {
    return await load();
  } catch (e) {
    if (isDomainError(e) && e.code === 'NotFound')
      throw invalid('unknownReference', { field, reason: 'unknown', value });
    throw e;
  }
}

export interface DutyNoticeInput {
  companyId: string;
  missed: MissedRef[];
  note?: string | null;
}

/**
 * A squad issues a duty notice. Each missed report or site (matching) must be one the issuer sees and lie
 * in a compound the company manages.
 */
export async function issueDutyNotice(
  deps: Deps,
  ctx: ActionContext,
  input: DutyNoticeInput,
): Promise<DutyNoticeView> {
  const { actor } = ctx;
  if (!can(actor, 'duty:issue')) throw forbidden();
  const company = await unknownAs(
    () => getPropertyCompany(deps, registryReader, input.companyId),
    'companyId',
    input.companyId,
  );
  const missed = checkMissed(input.missed);
  const note = checkText('note', input.note, NOTE_MAX, false);
  for (const [i, m] of missed.entries()) {
    const field = `missed[${i}].id`;
    if (m.kind === 'site') {
      // A site (matching) the issuer sees, in a compound of this company.
      const site = await unknownAs(() => getSite(deps, actor, m.id), field, m.id);
      if (site.propertyCompanyId !== company.id)
        throw invalid('dutyNoticeReportNotCompany', { field, value: m.id });
      continue;
    }
    const r = await unknownAs(() => getReport(deps, actor, m.id), field, m.id);
    const compound = r.compoundId ? await getCompound(deps, registryReader, r.compoundId) : null;
    if (compound?.propertyCompany?.id !== company.id)
      throw invalid('dutyNoticeReportNotCompany', { field, value: m.id });
  }
  const id = newId();
  const at = deps.clock().toISOString();
  await audited(deps, ctx, async (tx, audit) => {
    await insertDutyNotice(tx, {
      id,
      company_id: company.id,
      unit_id: actor.unitId,
      unit_path: actor.unitPath,
      missed: JSON.stringify(missed),
      note,
      issued_at: at,
      issued_by: actor.id,
    });
    await audit({
      action: 'dutyNotice.issue',
      entity: 'dutyNotice',
      entityId: id,
      after: { companyId: company.id, missed, note },
    });
  });
  return present((await findDutyNotice(deps.database.db, id))!, deps.clock());
}

/** The issuer records the notice's delivery to the company, once. */
export async function deliverDutyNotice(deps: Deps, ctx: ActionContext, id: string): Promise<DutyNoticeView> {
  if (!can(ctx.actor, 'duty:issue')) throw forbidden();
  const n = await findDutyNotice(deps.database.db, id);
  if (!n || !inScope(ctx.actor, n.unit.path)) throw notFound('dutyNotice', id);
  const at = deps.clock().toISOString();
  await audited(deps, ctx, async (tx, audit) => {
    if (!(await setDelivered(tx, id, at, ctx.actor.id)))
      throw conflict('dutyNoticeAlreadyDelivered', { field: 'id', value: id });
    await audit({
      action: 'dutyNotice.deliver',
      entity: 'dutyNotice',
      entityId: id,
      after: { companyId: n.company.id, deliveredAt: at },
    });
  });
  return present((await findDutyNotice(deps.database.db, id))!, deps.clock());
}

/** The company replies to a delivered notice, once. */
export async function replyDutyNotice(
  deps: Deps,
  ctx: ActionContext,
  id: string,
  input: { reply: string },
): Promise<DutyNoticeView> {
  if (!can(ctx.actor, 'duty:reply')) throw forbidden();
  const company = await companyOf(deps, ctx.actor);
  const n = await findDutyNotice(deps.database.db, id);
  if (!n || !company || n.company.id !== company.id) throw notFound('dutyNotice', id);
  const reply = checkText('reply', input.reply, REPLY_MAX, true)!;
  const at = deps.clock().toISOString();
  await audited(deps, ctx, async (tx, audit) => {
    if (!(await setReply(tx, id, reply, at, ctx.actor.id)))
      throw conflict(n.deliveredAt ? 'dutyNoticeAlreadyReplied' : 'dutyNoticeNotDelivered', {
        field: 'id',
        value: id,
      });
    await audit({
      action: 'dutyNotice.reply',
      entity: 'dutyNotice',
      entityId: id,
      after: { companyId: company.id, reply, repliedAt: at },
    });
  });
  return present((await findDutyNotice(deps.database.db, id))!, deps.clock());
}

const period = (q: { from?: string; to?: string }, now: Date, defaultDays: number) => {
  // `to` is exclusive; by default the period includes what happened at this very instant.
  const out = {
    from: new Date(now.getTime() - defaultDays * 86_400_000).toISOString(),
    to: new Date(now.getTime() + 1).toISOString(),
  };
  for (const field of ['from', 'to'] as const) {
    const text = q[field];
    if (text === undefined) continue;
    const d = parseInstant(text);
    if (!d) throw invalid('instantFormat', { field, reason: 'format', value: text });
    out[field] = d.toISOString();
  }
  return out;
};

/** Notices the actor sees: a company its own; an issuer those of its scope; the bureau and 房管 all. */
export async function searchDutyNotices(
  deps: Pick<Deps, 'database' | 'clock'>,
  actor: Actor,
  q: { companyId?: string; from?: string; to?: string; limit?: number },
): Promise<DutyNoticeView[]> {
  const company = await companyOf(deps, actor);
  let scope: { companyId?: string; pathPrefix?: string };
  if (company) scope = { companyId: company.id };
  else if (await readsAllCompanies(deps, actor)) scope = {};
  else if (can(actor, 'duty:issue')) scope = { pathPrefix: actor.unitPath };
  else throw forbidden();
  const p = period(q, deps.clock(), 3650);
  const rows = await listDutyNotices(deps.database.db, {
    ...(q.companyId ? { companyId: q.companyId } : {}),
    ...scope,
    ...p,
    limit: Math.min(Math.max(q.limit ?? 200, 1), 1000),
  });
  return rows.map((n) => present(n, deps.clock()));
}

/**
 * The duty score of a company over a period (default: the last 365 days): see duty-notices.ts for the
 * formula. Visible to the bureau (district-wide readers) and the housing department.
 */
export async function companyDutyScore(
  deps: Pick<Deps, 'database' | 'clock'>,
  actor: Actor,
  companyId: string,
  q: { from?: string; to?: string } = {},
): Promise<DutyScore & { company: { id: string; name: string }; from: string; to: string }> {
  if (!(await readsAllCompanies(deps, actor))) throw forbidden();
  const company = await getPropertyCompany(deps, registryReader, companyId);
  const now = deps.clock();
  const p = period(q, now, 365);
  const notices = await listDutyNotices(deps.database.db, { companyId, ...p, limit: 100_000 });
  const reports = await dualReportCounts(deps.database.db, companyId, p.from, p.to);
  return {
    company: { id: company.id, name: company.name },
    ...p,
    ...dutyScore({
      missed: notices.reduce((s, n) => s + n.missed.length, 0),
      notices: notices.length,
      unanswered: notices.filter((n) => isUnanswered(n, now)).length,
      lateReports: reports.late,
    }),
  };
}
