import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DIALECTS } from '../platform/testing/db.js';
import { buildTestDeps, type TestDeps } from '../testing/deps.js';
import { systemActor, type Actor } from '../access/roles.js';
import { verifyAuditChain } from '../access/audit.service.js';
import { BUREAU_CODE, squadCode } from '../registry/demo.service.js';
import { updateCategory } from '../registry/categories.service.js';
import { fromWgs84 } from '../registry/geo/crs.js';
import type { DemoDistrict } from '../registry/demo/index.js';
import { createRoutingEngine, type RoutingEngine } from '../routing/routing.service.js';
import { register as registerImport } from '../cli/commands/import.js';
import { register as registerImportReports } from '../cli/commands/import-reports.js';
import { anonymousActor, storePhoto } from './photos.service.js';
import { jpeg, tempDataDir } from './photos.test-support.js';
import { importReports } from './import.service.js';
import { DEFAULT_INTAKE_SETTINGS, normalizeTrackingCode } from './reports.js';
import {
  assignReport,
  getReport,
  nearbyCases,
  searchReports,
  splitReport,
  submitReport,
  submitReportIdempotent,
  trackReport,
  triageQueue,
  type ReportInput,
} from './reports.service.js';
import {
  COMMUNITY,
  ENFORCEMENT,
  MEILONG,
  XINZHUANG,
  generateDistrict,
  loadDistrict,
  offset,
  type LoadedDistrict,
  type Place,
} from './reports.test-support.js';
import { refusalOf } from '../testing/refusal.js';

let district: DemoDistrict;
beforeAll(async () => {
  district = await generateDistrict();
}, 180_000);

/** The domain error a promise rejects with, as { code, key, field }; null when it resolves. */
const errorOf = (p: Promise<unknown>) => refusalOf(p, 'field', 'details');

for (const dialect of DIALECTS) {
  describe(`intake: reports on the demo district [${dialect}]`, () => {
    let deps: TestDeps;
    let engine: RoutingEngine;
    let d: LoadedDistrict;
    let now = new Date('2026-11-30T02:00:00.000Z');
    let pts: Place[];
    let meilong: Place;
    let officer: Actor;
    let dispatcher: Actor;
    let meilongDispatcher: Actor;
    let workstationStaff: Actor;
    let propertyCompany: Actor;
    let hotline: Actor;
    let open311: Actor;
    const anon = anonymousActor();
    const ctx = (actor: Actor) => ({ actor, requestId: 'req-test' });
    const count = async (table: 'report' | 'case_file' | 'audit_entry') =>
      Number(
        (
          await deps.database.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const at = (p: Place): ReportInput['location'] => ({ lng: p.lng, lat: p.lat, crs: 'wgs84' });

    beforeAll(async () => {
      deps = await buildTestDeps(dialect, { seed: false, now: () => now });
      d = await loadDistrict(deps, district);
      engine = createRoutingEngine(deps);
      pts = d.deepPoints(XINZHUANG, 12);
      meilong = d.deepPoints(MEILONG, 1)[0]!;
      officer = d.actor('officer', squadCode(XINZHUANG));
      dispatcher = d.actor('dispatcher', squadCode(XINZHUANG));
      meilongDispatcher = d.actor('dispatcher', squadCode(MEILONG));
      const ws = (await engine.resolve(pts[3]!.lng, pts[3]!.lat, 'wgs84', COMMUNITY)).responsible!.unitId; // where the grid worker reports
      const wsCode = (
        await deps.database.db
          .selectFrom('org_unit')
          .select('code')
          .where('id', '=', ws)
          .executeTakeFirstOrThrow()
      ).code;
      workstationStaff = d.actor('workstationStaff', wsCode);
      const pc = (
        await deps.database.db
          .selectFrom('org_unit')
          .select('code')
          .where('kind', '=', 'propertyCompany')
          .orderBy('code')
          .executeTakeFirstOrThrow()
      ).code;
      propertyCompany = d.actor('propertyCompany', pc);
      hotline = { ...d.actor('bureauStaff', BUREAU_CODE), kind: 'apiKey', id: 'key-12345', role: null };
      open311 = {
        ...d.actor('bureauStaff', BUREAU_CODE, ['open311:submit']),
        kind: 'apiKey',
        id: 'key-open311',
        role: null,
      };
    }, 300_000);
    afterAll(async () => deps.cleanup());

    it('receives a report from each channel, stores it immutably with its routing, case and audit entries', async () => {
      const submissions: Array<[Actor, ReportInput]> = [
        [
          anon,
          {
            channel: 'resident',
            categoryKey: ENFORCEMENT,
            description: '小区门口有人私搭乱建',
            location: at(pts[0]!),
            reporter: { name: '张三', phone: '13812345678' },
          },
        ],
        [
          propertyCompany,
          {
            channel: 'dualReport',
            categoryKey: ENFORCEMENT,
            description: '12号楼顶新增违建',
            location: at(pts[1]!),
          },
        ],
        [
          officer,
          {
            channel: 'patrol',
            categoryKey: ENFORCEMENT,
            description: '巡查发现违建',
            location: { ...at(pts[2]!)!, accuracy: 8 },
          },
        ],
        [
          workstationStaff,
          { channel: 'gridWorker', categoryKey: COMMUNITY, description: '网格员发现', location: at(pts[3]!) },
        ],
        [
          hotline,
          {
            channel: 'hotline12345',
            categoryKey: ENFORCEMENT,
            description: '市民来电反映违建',
            location: at(pts[4]!),
            sourceTicketId: 'T-0001',
          },
        ],
        [
          open311,
          {
            channel: 'open311',
            categoryKey: ENFORCEMENT,
            description: 'Open311 request',
            location: at(pts[5]!),
            sourceTicketId: 'tok-1',
          },
        ],
      ];
      for (const [actor, input] of submissions) {
        const before = await count('report');
        const r = await submitReport(deps, engine, ctx(actor), input);
        expect(await count('report')).toBe(before + 1);
        expect(normalizeTrackingCode(r.trackingCode)).toBe(r.trackingCode);
        expect(r).toMatchObject({ status: 'open', triage: null });
        expect(r.duplicateOf).toBeUndefined();
        const expectedUnit =
          input.categoryKey === COMMUNITY ? workstationStaff.unitId : d.id(squadCode(XINZHUANG));
        expect(r.responsibleUnit?.id).toBe(expectedUnit);
        const row = await deps.database.db
          .selectFrom('report')
          .selectAll()
          .where('id', '=', r.id)
          .executeTakeFirstOrThrow();
        const unitPath = (
          await deps.database.db
            .selectFrom('org_unit')
            .select('path')
            .where('id', '=', expectedUnit)
            .executeTakeFirstOrThrow()
        ).path;
        expect(row).toMatchObject({
          channel: input.channel,
          case_id: r.caseId,
          responsible_unit_id: expectedUnit,
          unit_path: unitPath,
        });
        const routing = JSON.parse(row.routing) as {
          cells: Array<{ layer: string; version: number; versionId: string }>;
          responsible: { ruleId: string };
        };
        expect(routing.cells.map((c) => c.layer).sort()).toEqual([
          'communities',
          'district',
          'policeGrid',
          'subdistricts',
          'unitGrid',
          'workstationAreas',
        ]);
        expect(routing.cells.every((c) => c.version === 1 && c.versionId)).toBe(true);
        expect(row.rule_id).toBe(routing.responsible.ruleId);
        const kase = await deps.database.db
          .selectFrom('case_file')
          .selectAll()
          .where('id', '=', r.caseId)
          .executeTakeFirstOrThrow();
        expect(kase).toMatchObject({
          status: 'active', // the case loop's status (src/cases/case-loop.ts); the report shows 'open'
          step: 'collect',
          category_key: input.categoryKey,
          responsible_unit_id: expectedUnit,
        });
        const audit = await deps.database.db
          .selectFrom('audit_entry')
          .selectAll()
          .where('entity_id', 'in', [r.id, r.caseId])
          .orderBy('seq')
          .execute();
        expect(audit.map((a) => a.action)).toEqual(['report.receive']); // one entry: the receipt and the case it opened
        expect(JSON.parse(audit[0]!.summary).after.openedCase).toMatchObject({
          code: r.caseCode,
          step: 'collect',
        });
        expect(audit[0]).toMatchObject({ actor_id: actor.id, request_id: 'req-test' });
        expect(audit[0]!.summary).not.toContain('13812345678'); // the chain never holds a full phone number
        if (actor === anon)
          expect(row).toMatchObject({ submitted_by: null, reporter_phone: '13812345678', anonymous: 0 });
        else expect(row.submitted_by).toBe(actor.id);
      }
      expect((await verifyAuditChain(deps)).ok).toBe(true);
    });

    it('refuses a channel the caller may not use: anonymous 12345 is Unauthenticated, a resident patrol Forbidden', async () => {
      const input = (channel: ReportInput['channel']): ReportInput => ({
        channel,
        categoryKey: ENFORCEMENT,
        description: 'x',
        location: at(pts[6]!),
      });
      expect(await errorOf(submitReport(deps, engine, ctx(anon), input('hotline12345')))).toMatchObject({
        code: 'Unauthenticated',
      });
      expect(
        await errorOf(submitReport(deps, engine, ctx(d.actor('resident', XINZHUANG)), input('patrol'))),
      ).toMatchObject({ code: 'Forbidden', field: 'channel' });
      expect(await errorOf(submitReport(deps, engine, ctx(hotline), input('patrol')))).toMatchObject({
        code: 'Forbidden',
        field: 'channel',
      }); // machines make no patrol findings
    });

    it('converts a GCJ-02 point (the WeChat default when crs is absent) and a BD-09 point to WGS-84, keeping what was sent', async () => {
      const [gx, gy] = fromWgs84(pts[7]!.lng, pts[7]!.lat, 'gcj02');
      const r = await submitReport(deps, engine, ctx(anon), {
        channel: 'resident',
        description: '路边乱堆物',
        location: { lng: gx, lat: gy },
      });
      const row = await deps.database.db
        .selectFrom('report')
        .selectAll()
        .where('id', '=', r.id)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ source_crs: 'gcj02', source_lng: gx, source_lat: gy });
      expect(Math.abs(row.lng! - pts[7]!.lng) * 95_000).toBeLessThan(1); // metres
      expect(Math.abs(row.lat! - pts[7]!.lat) * 111_000).toBeLessThan(1);
      const [bx, by] = fromWgs84(pts[8]!.lng, pts[8]!.lat, 'bd09');
      const b = await submitReport(deps, engine, ctx(anon), {
        channel: 'resident',
        description: 'bd09',
        location: { lng: bx, lat: by, crs: 'bd09' },
      });
      const brow = await deps.database.db
        .selectFrom('report')
        .select(['lng', 'lat'])
        .where('id', '=', b.id)
        .executeTakeFirstOrThrow();
      expect(Math.abs(brow.lng! - pts[8]!.lng) * 95_000).toBeLessThan(2);
    });

    it('takes the location of a compound picked from the registry', async () => {
      const r = await submitReport(deps, engine, ctx(anon), {
        channel: 'resident',
        description: '小区内违建',
        compoundId: d.compound.id,
      });
      const row = await deps.database.db
        .selectFrom('report')
        .selectAll()
        .where('id', '=', r.id)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({
        compound_id: d.compound.id,
        lng: d.compound.location.lng,
        lat: d.compound.location.lat,
        source_crs: 'wgs84',
      });
      expect(row.address).not.toBeNull(); // the compound's address
    });

    it('links photos uploaded before to the report, once, and lists them in its detail', async () => {
      deps.config = { ...deps.config, dataDir: tempDataDir() };
      const photo = await storePhoto(deps, ctx(anon), { bytes: await jpeg() });
      const r = await submitReport(deps, engine, ctx(anon), {
        channel: 'resident',
        description: '附照片',
        location: at(offset(pts[9]!, 0, 150)),
        photoIds: [photo.id],
      });
      const row = await deps.database.db
        .selectFrom('attachment')
        .select(['report_id', 'original_sha256'])
        .where('id', '=', photo.id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ report_id: r.id, original_sha256: photo.sha256 });
      // the detail lists it, with where its served copy and thumbnail are and the original's hash (evidence)
      now = new Date(now.getTime() + 1000); // a later upload: photos are listed oldest first
      const second = await storePhoto(deps, ctx(dispatcher), {
        bytes: await jpeg(200, 300, 5),
        reportId: r.id,
      });
      const detail = await getReport(deps, dispatcher, r.id);
      expect(detail.photos).toEqual([
        {
          id: photo.id,
          sha256: photo.sha256,
          servedUrl: `/api/photos/${photo.id}`,
          thumbUrl: `/api/photos/${photo.id}/thumb`,
          mime: 'image/jpeg',
          bytes: photo.bytes,
          width: 320,
          height: 200,
        },
        second,
      ]);
      const other = await submitReport(deps, engine, ctx(anon), {
        channel: 'resident',
        description: '没有照片',
        location: at(offset(pts[9]!, 0, 300)),
      });
      expect((await getReport(deps, dispatcher, other.id)).photos).toEqual([]);
      const before = await count('report');
      expect(
        await errorOf(
          submitReport(deps, engine, ctx(anon), {
            channel: 'resident',
            description: '盗用照片',
            location: at(pts[9]!),
            photoIds: [photo.id],
          }),
        ),
      ).toMatchObject({ code: 'Invalid', field: 'photoIds' });
      expect(await count('report')).toBe(before);
    });

    it('refuses bad input naming the field, and stores nothing', async () => {
      const ok: ReportInput = {
        channel: 'resident',
        categoryKey: ENFORCEMENT,
        description: '违建',
        location: at(pts[9]!),
      };
      const cases: Array<[Partial<ReportInput>, Record<string, unknown>]> = [
        [{ categoryKey: 'event:06999' }, { code: 'Invalid', key: 'unknownCategory', field: 'categoryKey' }],
        [{ location: null }, { code: 'Invalid', key: 'locationRequired', field: 'location' }],
        [
          { location: null, address: '莘庄镇某路 1 号' },
          { code: 'Invalid', key: 'locationRequired', field: 'location' },
        ],
        [
          { location: at(d.farOutside) },
          { code: 'Invalid', key: 'locationOutsideDistrict', field: 'location' },
        ],
        // a WGS-84 point of Shanghai sent as BD-09 of another place: the declared crs is wrong by far
        [
          { location: { lng: 116.4, lat: 39.9, crs: 'wgs84' } },
          { code: 'Invalid', key: 'locationOutsideDistrict' },
        ],
        [{ location: { lng: 200, lat: 31 } }, { code: 'Invalid', field: 'location.lng' }],
        [{ description: 'x'.repeat(4001) }, { code: 'Invalid', key: 'fieldTooLong', field: 'description' }],
        [{ description: '   ' }, { code: 'Invalid', key: 'fieldRequired', field: 'description' }],
        [
          { observedAt: '2026-11-30T12:00:00+08:00' },
          { code: 'Invalid', key: 'instantInFuture', field: 'observedAt' },
        ],
        [
          { observedAt: '2026-11-30 09:00:00' },
          { code: 'Invalid', key: 'instantFormat', field: 'observedAt' },
        ],
        [
          { reporter: { phone: 'call me' } },
          { code: 'Invalid', key: 'phoneInvalid', field: 'reporter.phone' },
        ],
        [
          { compoundId: 'no-such-compound' },
          { code: 'Invalid', key: 'unknownReference', field: 'compoundId' },
        ],
        [{ photoIds: ['no-such-photo'] }, { code: 'Invalid', key: 'attachmentUnknown', field: 'photoIds' }],
        [{ location: { ...at(pts[9]!)!, accuracy: -1 } }, { code: 'Invalid', field: 'location.accuracy' }],
      ];
      const before = {
        reports: await count('report'),
        cases: await count('case_file'),
        audit: await count('audit_entry'),
      };
      for (const [patch, expected] of cases) {
        expect(
          await errorOf(submitReport(deps, engine, ctx(anon), { ...ok, ...patch })),
          JSON.stringify(patch),
        ).toMatchObject(expected);
      }
      expect({
        reports: await count('report'),
        cases: await count('case_file'),
        audit: await count('audit_entry'),
      }).toEqual(before);
      // an observation a few minutes ahead (a phone clock running fast) is accepted
      await submitReport(deps, engine, ctx(anon), {
        ...ok,
        observedAt: new Date(now.getTime() + 60_000).toISOString(),
      });
    });

    it('refuses a deactivated category, whether the routing snapshot or the database tells it', async () => {
      const other = await deps.database.db
        .selectFrom('category')
        .select(['key', 'version'])
        .where('active', '=', 1)
        .where('key', 'not in', [ENFORCEMENT, COMMUNITY])
        .where('local', '=', 1) // the national standard's categories cannot be switched off
        .orderBy('key')
        .executeTakeFirstOrThrow();
      const input: ReportInput = {
        channel: 'resident',
        categoryKey: other.key,
        description: '测试',
        location: at(pts[10]!),
      };
      await engine.refresh();
      expect(engine.categoryView(other.key)).toMatchObject({ key: other.key, active: true });
      const root = { actor: systemActor('test'), requestId: 'req-test' };
      const off = await updateCategory(deps, root, other.key, {
        active: false,
        version: Number(other.version),
      });
      const before = await count('report');
      // A fresh engine has no snapshot yet: the database says inactive.
      const fresh = createRoutingEngine(deps);
      expect(fresh.categoryView(other.key)).toBeUndefined();
      expect(await errorOf(submitReport(deps, fresh, ctx(anon), input))).toMatchObject({
        code: 'Invalid',
        key: 'categoryInactive',
        field: 'categoryKey',
      });
      // The running engine's snapshot, once rebuilt, says so too.
      await engine.refresh();
      expect(engine.categoryView(other.key)?.active).toBe(false);
      expect(await errorOf(submitReport(deps, engine, ctx(anon), input))).toMatchObject({
        code: 'Invalid',
        key: 'categoryInactive',
      });
      expect(await count('report')).toBe(before);
      await updateCategory(deps, root, other.key, { active: true, version: off.version });
      await engine.refresh();
      expect((await submitReport(deps, engine, ctx(anon), input)).caseCode).toBeTruthy();
    });

    it('keeps a point just outside the district for the bureau’s triage queue (outsideDistrict)', async () => {
      const r = await submitReport(deps, engine, ctx(anon), {
        channel: 'resident',
        categoryKey: ENFORCEMENT,
        description: '区界外侧',
        location: at(d.nearOutside),
      });
      expect(r).toMatchObject({
        status: 'triage',
        responsibleUnit: null,
        triage: { reason: 'outsideDistrict', unit: { id: d.id(BUREAU_CODE) } },
      });
      const staff = d.actor('bureauStaff', BUREAU_CODE, ['reports:triage']);
      expect((await triageQueue(deps, staff)).some((x) => x.id === r.id)).toBe(true);
      expect((await triageQueue(deps, dispatcher)).some((x) => x.id === r.id)).toBe(false);
    });

    it('attaches a report of the same category within 50 m and 72 h to the open case, and not beyond', async () => {
      const base = pts[10]!;
      const first = await submitReport(deps, engine, ctx(anon), {
        channel: 'resident',
        categoryKey: ENFORCEMENT,
        description: '违建 A',
        location: at(base),
      });
      now = new Date(now.getTime() + 3600_000);
      const near = await submitReport(deps, engine, ctx(officer), {
        channel: 'patrol',
        categoryKey: ENFORCEMENT,
        description: '同一处违建',
        location: at(offset(base, 30, 0)),
      });
      expect(near.caseId).toBe(first.caseId);
      expect(near.duplicateOf).toMatchObject({ caseId: first.caseId, caseCode: first.caseCode });
      expect(near.duplicateOf!.distanceM).toBeGreaterThan(25);
      expect(near.duplicateOf!.distanceM).toBeLessThan(35);
      const audit = await deps.database.db
        .selectFrom('audit_entry')
        .select('action')
        .select('summary')
        .where('entity_id', '=', near.id)
        .execute();
      expect(audit.map((a) => a.action)).toEqual(['report.receive']);
      expect(JSON.parse(audit[0]!.summary).after).toMatchObject({
        openedCase: null,
        duplicateOf: { caseId: first.caseId },
      }); // no new case
      const far = await submitReport(deps, engine, ctx(anon), {
        channel: 'resident',
        categoryKey: ENFORCEMENT,
        description: '80 米外',
        location: at(offset(base, 80, 0)),
      });
      expect(far.caseId).not.toBe(first.caseId);
      const other = await submitReport(deps, engine, ctx(anon), {
        channel: 'resident',
        categoryKey: COMMUNITY,
        description: '另一类问题',
        location: at(offset(base, 10, 0)),
      });
      expect(other.caseId).not.toBe(first.caseId);
      const noCategory = await submitReport(deps, engine, ctx(anon), {
        channel: 'resident',
        description: '未分类',
        location: at(base),
      });
      expect(noCategory.caseId).not.toBe(first.caseId); // without a category nothing is "the same problem" yet
      // 72 h after the case was opened (+ 1 h already passed): a new case
      now = new Date(now.getTime() + 71 * 3600_000 + 60_000);
      const late = await submitReport(deps, engine, ctx(anon), {
        channel: 'resident',
        categoryKey: ENFORCEMENT,
        description: '三天后',
        location: at(offset(base, 5, 0)),
      });
      expect(late.caseId).not.toBe(first.caseId);
      // the configured window and distance are honoured
      const wide = await submitReport(
        deps,
        engine,
        ctx(anon),
        {
          channel: 'resident',
          categoryKey: ENFORCEMENT,
          description: '宽',
          location: at(offset(base, 120, 0)),
        },
        { ...DEFAULT_INTAKE_SETTINGS, duplicateDistanceM: 150, duplicateWindowHours: 200 },
      );
      expect(wide.duplicateOf).toBeDefined();

      // the resident page sees the open cases nearby (no personal data), nearest first
      const nearby = await nearbyCases(deps, { lng: base.lng, lat: base.lat, crs: 'wgs84', radiusM: 100 });
      expect(nearby.map((n) => n.caseId)).toContain(first.caseId);
      expect(nearby.find((n) => n.caseId === first.caseId)).toMatchObject({
        reports: 2,
        category: { key: ENFORCEMENT },
      });
      expect(nearby.map((n) => n.distanceM)).toEqual(
        [...nearby.map((n) => n.distanceM)].sort((a, b) => a - b),
      );
      expect(JSON.stringify(nearby)).not.toMatch(/13812345678|违建 A/);
      const onlyCommunity = await nearbyCases(deps, {
        lng: base.lng,
        lat: base.lat,
        crs: 'wgs84',
        categoryKey: COMMUNITY,
        radiusM: 100,
      });
      expect(onlyCommunity.map((n) => n.caseId)).toEqual([other.caseId]);

      // a dispatcher splits the wrongly merged report off: a new case, the report's case link moves, audited
      const before = await deps.database.db
        .selectFrom('report')
        .selectAll()
        .where('id', '=', near.id)
        .executeTakeFirstOrThrow();
      const split = await splitReport(deps, ctx(dispatcher), near.id);
      expect(split.case!.id).not.toBe(first.caseId);
      expect(split.case).toMatchObject({ status: 'active', step: 'collect', category: { key: ENFORCEMENT } });
      // The split-off case starts the loop with its state and acceptance deadline, like any new case.
      const row = await deps.database.db
        .selectFrom('case_file')
        .select(['state', 'due_at'])
        .where('id', '=', split.case!.id)
        .executeTakeFirstOrThrow();
      expect(JSON.parse(row.state ?? 'null')).toMatchObject({
        status: 'active',
        step: 'collect',
        version: 1,
      });
      expect(row.due_at).not.toBeNull();
      const after = await deps.database.db
        .selectFrom('report')
        .selectAll()
        .where('id', '=', near.id)
        .executeTakeFirstOrThrow();
      expect({ ...after, case_id: null }).toEqual({ ...before, case_id: null }); // only the case link changed
      expect((await getReport(deps, dispatcher, first.id)).caseReportIds).toEqual([first.id]);
      const entry = await deps.database.db
        .selectFrom('audit_entry')
        .selectAll()
        .where('action', '=', 'report.split')
        .where('entity_id', '=', near.id)
        .executeTakeFirstOrThrow();
      expect(JSON.parse(entry.summary)).toEqual({
        before: { caseId: first.caseId },
        after: { caseId: split.case!.id },
      });
      expect(await errorOf(splitReport(deps, ctx(dispatcher), first.id))).toMatchObject({
        code: 'Conflict',
        key: 'reportNotMerged',
      });
      expect(await errorOf(splitReport(deps, ctx(officer), near.id))).toMatchObject({ code: 'Forbidden' });
    });

    it('puts a resident report without category in its squad’s triage queue; the dispatcher assigns it on the case, the report stays as received', async () => {
      const r = await submitReport(deps, engine, ctx(anon), {
        channel: 'resident',
        description: '不知道算什么问题',
        location: at(pts[11]!),
        reporter: { phone: '13900001111' },
      });
      expect(r).toMatchObject({
        status: 'triage',
        responsibleUnit: null,
        triage: { reason: 'noCategory', unit: { id: d.id(squadCode(XINZHUANG)) } },
      });
      const queue = await triageQueue(deps, dispatcher);
      const item = queue.find((x) => x.id === r.id);
      expect(item).toMatchObject({
        status: 'triage',
        triage: { reason: 'noCategory' },
        reporter: { phone: '139****1111' },
      });
      expect((await triageQueue(deps, meilongDispatcher)).some((x) => x.id === r.id)).toBe(false);
      expect(await errorOf(triageQueue(deps, officer))).toMatchObject({ code: 'Forbidden' });

      const before = await deps.database.db
        .selectFrom('report')
        .selectAll()
        .where('id', '=', r.id)
        .executeTakeFirstOrThrow();
      expect(
        await errorOf(assignReport(deps, ctx(dispatcher), r.id, { unitId: d.id(squadCode(XINZHUANG)) })),
      ).toMatchObject({ key: 'assignNeedsCategory', field: 'categoryKey' });
      expect(
        await errorOf(
          assignReport(deps, ctx(dispatcher), r.id, { categoryKey: ENFORCEMENT, unitId: 'nope' }),
        ),
      ).toMatchObject({ field: 'unitId' });
      expect(
        await errorOf(
          assignReport(deps, ctx(dispatcher), r.id, {
            categoryKey: ENFORCEMENT,
            unitId: d.id(squadCode(XINZHUANG)),
            version: 7,
          }),
        ),
      ).toMatchObject({ code: 'Conflict' });
      const assigned = await assignReport(deps, ctx(dispatcher), r.id, {
        categoryKey: ENFORCEMENT,
        unitId: d.id(squadCode(XINZHUANG)),
        version: 1,
      });
      expect(assigned).toMatchObject({
        status: 'open',
        category: null,
        case: {
          category: { key: ENFORCEMENT },
          responsibleUnit: { id: d.id(squadCode(XINZHUANG)) },
          version: 2,
        },
      });
      expect(assigned.reporter.phone).toBe('13900001111'); // the dispatcher may call back
      expect(
        await deps.database.db
          .selectFrom('report')
          .selectAll()
          .where('id', '=', r.id)
          .executeTakeFirstOrThrow(),
      ).toEqual(before);
      expect((await triageQueue(deps, dispatcher)).some((x) => x.id === r.id)).toBe(false);
      const entry = await deps.database.db
        .selectFrom('audit_entry')
        .selectAll()
        .where('action', '=', 'case.assign')
        .where('entity_id', '=', r.caseId)
        .executeTakeFirstOrThrow();
      expect(JSON.parse(entry.summary)).toMatchObject({
        before: { categoryKey: null, responsibleUnitId: null },
        after: { categoryKey: ENFORCEMENT, reportId: r.id },
      });
      // the public tracking page follows the case, and shows nothing personal
      const t = await trackReport(deps, r.trackingCode.toLowerCase().replace(/^(.{5})/, '$1-'));
      expect(t).toEqual({
        trackingCode: r.trackingCode,
        status: 'open',
        receivedAt: r.receivedAt,
        category: expect.objectContaining({ key: ENFORCEMENT }),
        caseCode: r.caseCode,
        replies: [],
      });
      expect(JSON.stringify(t)).not.toMatch(/13900001111|1111|不知道/);
      const wrong = r.trackingCode.slice(0, 9) + (r.trackingCode.endsWith('0') ? '1' : '0');
      expect(await errorOf(trackReport(deps, wrong))).toMatchObject({ code: 'NotFound' });
    });

    it('lists reports in scope, newest first with masked phones and a cursor; another subdistrict’s squad sees none of them', async () => {
      const page1 = await searchReports(deps, dispatcher, { limit: 3 });
      expect(page1.items).toHaveLength(3);
      expect(page1.nextCursor).not.toBeNull();
      const page2 = await searchReports(deps, dispatcher, { limit: 3, cursor: page1.nextCursor! });
      const all = await searchReports(deps, dispatcher, { limit: 500 });
      expect([...page1.items, ...page2.items].map((r) => r.id)).toEqual(
        all.items.slice(0, 6).map((r) => r.id),
      );
      const times = all.items.map((r) => r.receivedAt);
      expect(times).toEqual([...times].sort().reverse());
      const withPhone = all.items.find((r) => r.reporter.phone !== null)!;
      expect(withPhone.reporter.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
      expect(all.items.every((r) => r.reporter.phone === null || r.reporter.phone.includes('****'))).toBe(
        true,
      );
      expect(
        (await searchReports(deps, dispatcher, { channel: 'patrol' })).items.every(
          (r) => r.channel === 'patrol',
        ),
      ).toBe(true);
      expect(
        (await searchReports(deps, dispatcher, { status: 'triage' })).items.every(
          (r) => r.status === 'triage',
        ),
      ).toBe(true);
      expect(
        (await searchReports(deps, dispatcher, { triage: true })).items.every((r) => r.triage !== null),
      ).toBe(true);
      expect(await errorOf(searchReports(deps, dispatcher, { cursor: 'bogus' }))).toMatchObject({
        field: 'cursor',
      });

      const theirs = await searchReports(deps, meilongDispatcher, { limit: 500 });
      expect(theirs.items.filter((r) => all.items.some((a) => a.id === r.id))).toEqual([]);
      expect(await errorOf(getReport(deps, meilongDispatcher, all.items[0]!.id))).toMatchObject({
        code: 'NotFound',
      });
      expect(await errorOf(getReport(deps, meilongDispatcher, 'no-such-id'))).toMatchObject({
        code: 'NotFound',
      });
      // a Meilong report is theirs, not ours
      const m = await submitReport(deps, engine, ctx(anon), {
        channel: 'resident',
        categoryKey: ENFORCEMENT,
        description: '梅陇',
        location: at(meilong),
      });
      expect((await getReport(deps, meilongDispatcher, m.id)).responsibleUnit?.id).toBe(
        d.id(squadCode(MEILONG)),
      );
      expect(await errorOf(getReport(deps, dispatcher, m.id))).toMatchObject({ code: 'NotFound' });
      expect(await errorOf(searchReports(deps, d.actor('resident', XINZHUANG), {}))).toMatchObject({
        code: 'Forbidden',
      });
    });

    it('replays an idempotent submission, refuses the key with another body, and creates one report for 20 concurrent retries', async () => {
      const input: ReportInput = {
        channel: 'resident',
        categoryKey: ENFORCEMENT,
        description: '重试',
        location: at(offset(pts[6]!, 0, 200)),
      };
      const idem = { key: 'k-1', principal: 'anonymous:10.0.0.1', requestHash: 'h1' };
      const first = await submitReportIdempotent(deps, engine, ctx(anon), input, idem);
      expect(first).toMatchObject({ replayed: false, statusCode: 201 });
      const again = await submitReportIdempotent(deps, engine, ctx(anon), input, idem);
      expect(again).toEqual({ replayed: true, statusCode: 201, body: first.body });
      expect(
        await errorOf(
          submitReportIdempotent(
            deps,
            engine,
            ctx(anon),
            { ...input, description: '别的' },
            { ...idem, requestHash: 'h2' },
          ),
        ),
      ).toMatchObject({ code: 'Conflict', key: 'idempotencyKeyReused' });
      // another principal may use the same key
      const other = await submitReportIdempotent(deps, engine, ctx(anon), input, {
        ...idem,
        principal: 'anonymous:10.0.0.2',
      });
      expect(other.body.id).not.toBe(first.body.id);

      const before = await count('report');
      const burst = await Promise.all(
        Array.from({ length: 20 }, () =>
          submitReportIdempotent(deps, engine, ctx(anon), input, {
            key: 'k-burst',
            principal: 'anonymous:10.0.0.3',
            requestHash: 'hb',
          }),
        ),
      );
      expect(await count('report')).toBe(before + 1);
      expect(new Set(burst.map((b) => b.body.id)).size).toBe(1);
      expect(burst.filter((b) => !b.replayed)).toHaveLength(1);
      expect((await verifyAuditChain(deps)).ok).toBe(true);
    });

    it('imports a 12345 CSV: bad rows by line, the good ones stored, a re-import skips every ticket', async () => {
      const [p1, p2] = [offset(pts[4]!, 0, 300), offset(pts[5]!, 0, 300)];
      const csv = [
        'ticketId,receivedAt,category,description,lng,lat,crs,address,reporterName,reporterPhone',
        `H-1,2026-11-29 08:30,${ENFORCEMENT},来电反映违建,${p1.lng},${p1.lat},wgs84,莘庄某路,李四,13700001234`,
        `H-2,2026-11-29T09:00:00+08:00,私搭乱建,按名称分类,${p2.lng},${p2.lat},wgs84,,,`,
        'H-3,2026-11-29 10:00,event:06999,未知类别,121.38,31.11,wgs84,,,',
        'H-4,2026-11-29 10:00,,没有位置,,,,某路,,',
        `H-5,2026-11-29 10:00,,远在北京,116.4,39.9,wgs84,,,`,
        `H-1,2026-11-29 10:00,,同一工单,${p1.lng},${p1.lat},wgs84,,,`,
        `H-6,not a time,,时间错,${p1.lng},${p1.lat},wgs84,,,`,
        '',
      ].join('\r\n');
      const progress = vi.fn();
      const r = await importReports(
        deps,
        engine,
        ctx(hotline),
        { channel: 'hotline12345', format: 'csv', text: csv },
        progress,
      );
      expect(r).toMatchObject({
        channel: 'hotline12345',
        rows: 7,
        imported: 2,
        skipped: [],
        rejected: false,
      });
      expect(r.problems.map((p) => [p.line, p.field, p.key])).toEqual([
        [4, 'category', 'unknownCategory'],
        [5, 'lng', 'locationRequired'],
        [6, 'lng', 'locationOutsideDistrict'],
        [7, 'ticketId', 'duplicateInFile'],
        [8, 'receivedAt', 'instantFormat'],
      ]);
      expect(progress).toHaveBeenLastCalledWith(5, 5);
      const stored = await deps.database.db
        .selectFrom('report')
        .selectAll()
        .where('channel', '=', 'hotline12345')
        .where('source_ticket_id', 'in', ['H-1', 'H-2'])
        .orderBy('source_ticket_id')
        .execute();
      expect(stored.map((s) => [s.source_ticket_id, s.category_key, s.observed_at])).toEqual([
        ['H-1', ENFORCEMENT, '2026-11-29T00:30:00.000Z'],
        ['H-2', ENFORCEMENT, '2026-11-29T01:00:00.000Z'],
      ]);
      expect(stored[0]).toMatchObject({
        reporter_name: '李四',
        reporter_phone: '13700001234',
        address: '莘庄某路',
      });

      const again = await importReports(deps, engine, ctx(hotline), {
        channel: 'hotline12345',
        format: 'csv',
        text: csv,
      });
      expect(again.imported).toBe(0);
      expect(again.skipped).toEqual([
        { line: 2, ticketId: 'H-1' },
        { line: 3, ticketId: 'H-2' },
        { line: 7, ticketId: 'H-1' },
      ]);
      // JSON Lines, the same columns; a line that is not JSON is named
      const jsonl = [
        JSON.stringify({
          ticketId: 'J-1',
          category: ENFORCEMENT,
          description: 'jsonl',
          lng: p2.lng,
          lat: p2.lat + 0.004,
          crs: 'wgs84',
        }),
        '{oops',
        JSON.stringify({ ticketId: 'J-2', description: 'x', lng: 1, lat: 2, owner: 'me' }),
      ].join('\n');
      const j = await importReports(deps, engine, ctx(hotline), {
        channel: 'hotline12345',
        format: 'jsonl',
        text: jsonl,
      });
      expect(j.imported).toBe(1);
      expect(j.problems.map((p) => [p.line, p.field, p.key])).toEqual([
        [2, '*', 'jsonlMalformed'],
        [3, 'owner', 'csvUnknownColumn'],
      ]);
      // a header the importer cannot read imports nothing
      const bad = await importReports(deps, engine, ctx(hotline), {
        channel: 'hotline12345',
        format: 'csv',
        text: 'ticket,description\nA,b\n',
      });
      expect(bad).toMatchObject({ rejected: true, imported: 0 });
      expect(
        await errorOf(
          importReports(deps, engine, ctx(officer), { channel: 'hotline12345', format: 'csv', text: csv }),
        ),
      ).toMatchObject({ code: 'Forbidden' });
      expect(
        await errorOf(
          importReports(deps, engine, ctx(hotline), { channel: 'patrol', format: 'csv', text: csv }),
        ),
      ).toMatchObject({ field: 'channel' });
    });

    it('imports from the command line with per-line errors on stderr, and again idempotently', async () => {
      const p = offset(pts[3]!, 0, -300);
      const dir = mkdtempSync(join(tmpdir(), 'onegrid-import-'));
      const file = join(dir, 'tickets.csv');
      writeFileSync(
        file,
        `ticketId,description,lng,lat,crs,category\nC-1,命令行导入,${p.lng},${p.lat},wgs84,${ENFORCEMENT}\nC-2,坏行,abc,31,wgs84,\n`,
      );
      const run = async () => {
        const out: string[] = [];
        const err: string[] = [];
        const so = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
        const se = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
        const program = new Command().exitOverride();
        registerImport(program);
        registerImportReports(program, async (work) => work(deps));
        let exit: unknown;
        try {
          await program.parseAsync([
            'node',
            'onegrid',
            'import',
            'reports',
            file,
            '--channel',
            'hotline12345',
          ]);
        } catch (e) {
          exit = e;
        } finally {
          so.mockRestore();
          se.mockRestore();
        }
        return {
          out: out.join(''),
          err: err.join(''),
          exit: (exit as { exitCode?: number } | undefined)?.exitCode,
        };
      };
      const first = await run();
      expect(first.out).toContain('imported 1 of 2 rows on hotline12345');
      expect(first.err).toContain(`${file}:3: lng:`);
      expect(first.exit).toBe(1);
      const second = await run();
      expect(second.out).toContain('imported 0 of 2 rows');
      expect(second.err).toContain('skipped 1 tickets already imported on hotline12345 (lines 2)');
      const system = systemActor('t');
      expect(
        (await searchReports(deps, system, { channel: 'hotline12345', limit: 500 })).items.filter(
          (x) => x.sourceTicketId === 'C-1',
        ),
      ).toHaveLength(1);
    });
  });
}
