import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../platform/testing/db.js';
import { DomainError } from '../platform/errors.js';
import { createWorkCalendar } from '../platform/calendar/calendar.js';
import type { DemoDistrict } from '../registry/demo/index.js';
import { createRoutingEngine } from '../routing/routing.service.js';
import { submitReport } from '../intake/reports.service.js';
import { generateDistrict } from '../intake/reports.test-support.js';
import { buildTestDeps, type TestDeps } from '../testing/deps.js';
import { listSites, rebuildSites } from '../matching/matching.service.js';
import { submitDualReport } from './dual-report.service.js';
import { dutyScore } from './duty-notices.js';
import {
  companyDutyScore,
  deliverDutyNotice,
  issueDutyNotice,
  replyDutyNotice,
  searchDutyNotices,
} from './duty-notices.service.js';
import {
  NEW_CONSTRUCTION,
  dualInput,
  loadDualReportWorld,
  type DualReportWorld,
} from './dual-report.test-support.js';
import { refusalOf } from '../testing/refusal.js';

let district: DemoDistrict;
beforeAll(async () => {
  district = await generateDistrict();
}, 180_000);

const errorOf = (p: Promise<unknown>) => refusalOf(p, 'field');

describe('the duty score', () => {
  it('is 100 for a clean record and falls with misses, repeated notices, silence and late reports', () => {
    expect(dutyScore({ missed: 0, notices: 0, unanswered: 0, lateReports: 0 })).toMatchObject({
      score: 100,
      grade: 'good',
    });
    expect(dutyScore({ missed: 1, notices: 1, unanswered: 0, lateReports: 0 }).score).toBe(95);
    expect(dutyScore({ missed: 3, notices: 2, unanswered: 1, lateReports: 1 })).toMatchObject({
      score: 100 - 15 - 10 - 15 - 2,
      grade: 'poor',
    });
    expect(dutyScore({ missed: 40, notices: 9, unanswered: 9, lateReports: 9 }).score).toBe(0);
  });
});

describe.each(DIALECTS)('duty notices [%s]', (dialect) => {
  let deps: TestDeps;
  let w: DualReportWorld;
  let now = new Date('2026-11-30T02:00:00.000Z');
  let missedReportId: string;
  /** Two sites (matching) in compounds of w.company. */
  let sites: string[];
  const ctx = (actor: DualReportWorld['officer']) => ({ actor, requestId: 'req-test' });
  const auditCount = async () =>
    Number(
      (
        await deps.database.db
          .selectFrom('audit_entry')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    deps = await buildTestDeps(dialect, { seed: false, now: () => now });
    w = await loadDualReportWorld(deps, district);
    const engine = createRoutingEngine(deps);
    // A resident found illegal construction in the company's compound; the company never reported it.
    missedReportId = (
      await submitReport(deps, engine, ctx(w.officer), {
        channel: 'patrol',
        categoryKey: NEW_CONSTRUCTION,
        description: '巡查发现新增违建',
        compoundId: w.managed[0],
      })
    ).id;
    // And one late dual report (30 h after discovery).
    await submitDualReport(
      deps,
      { engine, calendar: createWorkCalendar() },
      ctx(w.companyUser),
      dualInput(w.managed[1], now, 30),
    );
    await rebuildSites(deps, ctx(w.squadLeader));
    sites = (await listSites(deps, w.squadLeader, {}))
      .filter((x) => x.propertyCompanyId === w.company.id)
      .map((x) => x.id)
      .sort();
    expect(sites.length).toBeGreaterThanOrEqual(2);
  }, 300_000);
  afterAll(async () => deps.cleanup());

  it('lets a squad issue and deliver a notice, the company reply once, and scores the company for 房管 and the bureau', async () => {
    const issued = await issueDutyNotice(deps, ctx(w.squadLeader), {
      companyId: w.company.id,
      missed: [
        { kind: 'report', id: missedReportId },
        { kind: 'report', id: missedReportId },
        { kind: 'site', id: sites[0]! },
      ],
      note: '请加强巡查，及时劝阻并报告',
    });
    expect(issued.missed).toEqual([
      { kind: 'report', id: missedReportId },
      { kind: 'site', id: sites[0]! },
    ]);
    expect(
      await errorOf(replyDutyNotice(deps, ctx(w.companyUser), issued.id, { reply: '已整改' })),
    ).toMatchObject({ code: 'Conflict', key: 'dutyNoticeNotDelivered' });
    const delivered = await deliverDutyNotice(deps, ctx(w.squadLeader), issued.id);
    expect(delivered.deliveredAt).toBe(now.toISOString());
    expect(await errorOf(deliverDutyNotice(deps, ctx(w.squadLeader), issued.id))).toMatchObject({
      code: 'Conflict',
    });
    expect(
      await errorOf(replyDutyNotice(deps, ctx(w.otherCompanyUser), issued.id, { reply: 'x' })),
    ).toMatchObject({ code: 'NotFound' });
    const second = await issueDutyNotice(deps, ctx(w.squadLeader), {
      companyId: w.company.id,
      missed: [{ kind: 'site', id: sites[1]! }],
    });
    await deliverDutyNotice(deps, ctx(w.squadLeader), second.id);
    const replied = await replyDutyNotice(deps, ctx(w.companyUser), issued.id, {
      reply: '已安排物业巡查，并劝阻业主',
    });
    expect(replied).toMatchObject({ reply: '已安排物业巡查，并劝阻业主', repliedBy: w.companyUser.id });
    const before = await auditCount();
    expect(
      await errorOf(replyDutyNotice(deps, ctx(w.companyUser), issued.id, { reply: '再次回复' })),
    ).toMatchObject({ code: 'Conflict', key: 'dutyNoticeAlreadyReplied' });
    expect(await auditCount()).toBe(before);

    // Eight days later the second notice is still unanswered.
    now = new Date(now.getTime() + 8 * 86_400_000);
    const s = await companyDutyScore(deps, w.housingLiaison, w.company.id);
    expect(s).toMatchObject({
      missed: 3,
      notices: 2,
      unanswered: 1,
      lateReports: 1,
      score: 100 - 15 - 10 - 15 - 2,
    });
    expect((await companyDutyScore(deps, w.bureau, w.company.id)).score).toBe(s.score);
    for (const who of [w.companyUser, w.officer, w.liaison])
      expect(await errorOf(companyDutyScore(deps, who, w.company.id))).toMatchObject({ code: 'Forbidden' });

    expect((await searchDutyNotices(deps, w.companyUser, {})).map((n) => n.id).sort()).toEqual(
      [issued.id, second.id].sort(),
    );
    expect(await searchDutyNotices(deps, w.otherCompanyUser, {})).toEqual([]);
    expect((await searchDutyNotices(deps, w.housingLiaison, {})).length).toBe(2);
    expect(await searchDutyNotices(deps, w.meilongOfficer, {}).catch((e: unknown) => e)).toBeInstanceOf(
      DomainError,
    );
  });

  it('refuses a notice without missed items, with an unknown company or a report outside the company’s compounds', async () => {
    const before = await auditCount();
    expect(
      await errorOf(issueDutyNotice(deps, ctx(w.squadLeader), { companyId: w.company.id, missed: [] })),
    ).toMatchObject({ code: 'Invalid', field: 'missed' });
    expect(
      await errorOf(
        issueDutyNotice(deps, ctx(w.squadLeader), { companyId: 'nope', missed: [{ kind: 'site', id: 's' }] }),
      ),
    ).toMatchObject({ code: 'Invalid', field: 'companyId' });
    expect(
      await errorOf(
        issueDutyNotice(deps, ctx(w.squadLeader), {
          companyId: w.otherCompany.id,
          missed: [{ kind: 'report', id: missedReportId }],
        }),
      ),
    ).toMatchObject({ code: 'Invalid', key: 'dutyNoticeReportNotCompany', field: 'missed[0].id' });
    // A site must exist (and be seen by the issuer) and lie in one of the company's compounds.
    expect(
      await errorOf(
        issueDutyNotice(deps, ctx(w.squadLeader), { companyId: w.company.id, missed: [{ kind: 'site', id: 'site-nope' }] }),
      ),
    ).toMatchObject({ code: 'Invalid', field: 'missed[0].id' });
    expect(
      await errorOf(
        issueDutyNotice(deps, ctx(w.squadLeader), { companyId: w.otherCompany.id, missed: [{ kind: 'site', id: sites[0]! }] }),
      ),
    ).toMatchObject({ code: 'Invalid', key: 'dutyNoticeReportNotCompany', field: 'missed[0].id' });
    expect(
      await errorOf(
        issueDutyNotice(deps, ctx(w.companyUser), {
          companyId: w.company.id,
          missed: [{ kind: 'site', id: 's' }],
        }),
      ),
    ).toMatchObject({ code: 'Forbidden' });
    expect(await auditCount()).toBe(before);
  });
});
