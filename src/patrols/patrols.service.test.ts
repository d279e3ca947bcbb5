import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../platform/testing/db.js';
import type { DemoDistrict } from '../registry/demo/index.js';
import { createRoutingEngine } from '../routing/routing.service.js';
import { submitReport } from '../intake/reports.service.js';
import { generateDistrict } from '../intake/reports.test-support.js';
import { buildTestDeps, type TestDeps } from '../testing/deps.js';
import { createUser } from '../access/users.service.js';
import { systemActor } from '../access/roles.js';
import {
  NEW_CONSTRUCTION,
  loadDualReportWorld,
  type DualReportWorld,
} from '../dualreport/dual-report.test-support.js';
import { coverageGeoJson } from './patrols.js';
import {
  createPlan,
  finishPatrol,
  patrolCoverage,
  searchPlans,
  startPatrol,
  updatePatrolPlan,
  type PatrolPlanInput,
} from './patrols.service.js';
import { refusalOf } from '../testing/refusal.js';

let district: DemoDistrict;
beforeAll(async () => {
  district = await generateDistrict();
}, 180_000);

const errorOf = (p: Promise<unknown>) => refusalOf(p, 'field');

describe.each(DIALECTS)('patrols [%s]', (dialect) => {
  let deps: TestDeps;
  let w: DualReportWorld;
  let officerId: string;
  let now = new Date('2026-11-30T02:00:00.000Z');
  const ctx = (actor: DualReportWorld['officer']) => ({ actor, requestId: 'req-test' });
  const plan = () => ({
    name: '莘庄物业小区叠加巡查',
    officerIds: [officerId],
    compoundIds: [w.managed[0], w.managed[1]],
    weekdays: [1, 3, 5],
    startTime: '09:00',
    endTime: '11:30',
    validFrom: '2026-11-01',
  });

  beforeAll(async () => {
    deps = await buildTestDeps(dialect, { seed: false, now: () => now });
    w = await loadDualReportWorld(deps, district);
    officerId = (
      await createUser(
        deps,
        { actor: systemActor('test') },
        {
          username: 'patroller',
          displayName: '巡查员',
          password: 'Patrol-2026-pass',
          role: 'officer',
          unitId: w.officer.unitId,
        },
      )
    ).id;
  }, 300_000);
  afterAll(async () => deps.cleanup());

  it('plans patrols, refuses bad plans, and changes a plan under optimistic locking', async () => {
    const p = await createPlan(deps, ctx(w.squadLeader), plan());
    expect(p).toMatchObject({
      active: true,
      version: 1,
      weekdays: [1, 3, 5],
      compoundIds: [w.managed[0], w.managed[1]],
    });
    for (const [bad, field] of [
      [{ weekdays: [0, 8] }, 'weekdays'],
      [{ startTime: '25:00' }, 'startTime'],
      [{ endTime: '09:00' }, 'endTime'],
      [{ validTo: '2026-10-01' }, 'validTo'],
      [{ compoundIds: [] }, 'compoundIds'],
      [{ compoundIds: ['nope'] }, 'compoundIds[0]'],
      [{ officerIds: ['nobody'] }, 'officerIds[0]'],
    ] as Array<[Partial<PatrolPlanInput>, string]>)
      expect(await errorOf(createPlan(deps, ctx(w.squadLeader), { ...plan(), ...bad }))).toMatchObject({
        code: 'Invalid',
        field,
      });
    expect(await errorOf(createPlan(deps, ctx(w.officer), plan()))).toMatchObject({ code: 'Forbidden' });
    const changed = await updatePatrolPlan(deps, ctx(w.squadLeader), p.id, { endTime: '12:00', version: 1 });
    expect(changed).toMatchObject({ endTime: '12:00', version: 2 });
    expect(
      await errorOf(updatePatrolPlan(deps, ctx(w.squadLeader), p.id, { endTime: '12:30', version: 1 })),
    ).toMatchObject({ code: 'Conflict' });
    expect((await searchPlans(deps, w.meilongOfficer)).map((x) => x.id)).not.toContain(p.id);
    await updatePatrolPlan(deps, ctx(w.squadLeader), p.id, { active: false, version: 2 });
    expect(await errorOf(startPatrol(deps, ctx(w.officer), { planId: p.id }))).toMatchObject({
      code: 'Invalid',
      key: 'patrolPlanInactive',
    });
  });

  it('records a patrol with covered compounds and patrol findings, once, and shows coverage per compound', async () => {
    const engine = createRoutingEngine(deps);
    const finding = await submitReport(deps, engine, ctx(w.officer), {
      channel: 'patrol',
      categoryKey: NEW_CONSTRUCTION,
      description: '巡查发现露台搭建',
      compoundId: w.managed[0],
    });
    const resident = await submitReport(deps, engine, ctx(w.officer), {
      channel: 'gridWorker',
      categoryKey: NEW_CONSTRUCTION,
      description: '网格员发现',
      compoundId: w.managed[0],
    });
    const r = await startPatrol(deps, ctx(w.officer));
    expect(
      await errorOf(finishPatrol(deps, ctx(w.squadLeader), r.id, { coveredCompoundIds: [] })),
    ).toMatchObject({ code: 'NotFound' });
    expect(
      await errorOf(
        finishPatrol(deps, ctx(w.officer), r.id, {
          coveredCompoundIds: [w.managed[0]],
          findingReportIds: [resident.id],
        }),
      ),
    ).toMatchObject({
      code: 'Invalid',
      key: 'patrolFindingChannel',
    });
    expect(
      await errorOf(
        finishPatrol(deps, ctx(w.officer), r.id, {
          coveredCompoundIds: [w.managed[0]],
          track: { type: 'LineString', coordinates: [[121.3, 31.1]] },
        }),
      ),
    ).toMatchObject({ code: 'Invalid', field: 'track' });
    now = new Date(now.getTime() + 3600_000);
    const done = await finishPatrol(deps, ctx(w.officer), r.id, {
      coveredCompoundIds: [w.managed[0], w.managed[0]],
      track: {
        type: 'LineString',
        coordinates: [
          [121.38, 31.11],
          [121.381, 31.112],
        ],
      },
      findingReportIds: [finding.id],
    });
    expect(done).toMatchObject({
      endedAt: now.toISOString(),
      coveredCompoundIds: [w.managed[0]],
      findings: [finding.id],
    });
    expect(await errorOf(finishPatrol(deps, ctx(w.officer), r.id, { coveredCompoundIds: [] }))).toMatchObject(
      { code: 'Conflict' },
    );
    const second = await startPatrol(deps, ctx(w.officer));
    await finishPatrol(deps, ctx(w.officer), second.id, { coveredCompoundIds: [w.managed[0]] });

    const cov = await patrolCoverage(deps, w.officer, {});
    const of = (id: string) => cov.items.find((i) => i.compound.id === id)!;
    expect(of(w.managed[0])).toMatchObject({ patrolled: true, patrols: 2, lastAt: second.startedAt });
    expect(of(w.managed[1])).toMatchObject({ patrolled: false, patrols: 0, lastAt: null });
    expect(cov.patrolled).toBe(1);
    expect(cov.total).toBeGreaterThan(2);
    // Outside the period nothing was patrolled.
    expect(
      (await patrolCoverage(deps, w.officer, { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' }))
        .patrolled,
    ).toBe(0);
    const map = coverageGeoJson(cov.items);
    expect(map.features.find((f) => f.properties.id === w.managed[0])?.properties).toMatchObject({
      patrolled: true,
      colour: '#52c41a',
    });
    expect(map.features.find((f) => f.properties.id === w.managed[1])?.properties.colour).toBe('#f5222d');
  });
});
