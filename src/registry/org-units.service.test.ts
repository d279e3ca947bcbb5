import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../platform/testing/db.js';
import { buildTestApp, type TestApp } from '../testing/http.js';

for (const dialect of DIALECTS) {
  describe(`org units: edit and deactivate [${dialect}]`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await buildTestApp(dialect);
    });
    afterAll(async () => t.close());

    it('renames with the current version, refuses a stale one with the current unit, and audits', async () => {
      const s = await t.signIn('bureaustaff');
      const h = { cookie: s.cookie, 'x-csrf-token': s.csrf };
      const ws = (await t.app.inject({ method: 'GET', url: '/api/org-units?kind=workstation', headers: h })).json().items[0];
      const ok = await t.app.inject({ method: 'PATCH', url: `/api/org-units/${ws.id}`, headers: h, payload: { name: '莘庄镇东街城管社区工作室', version: ws.version } });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ name: '莘庄镇东街城管社区工作室', version: ws.version + 1 });
      const stale = await t.app.inject({ method: 'PATCH', url: `/api/org-units/${ws.id}`, headers: h, payload: { name: 'x', version: ws.version } });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().error.details.current).toMatchObject({ name: '莘庄镇东街城管社区工作室' });
      const audit = await t.deps.database.db.selectFrom('audit_entry').select('action').where('entity_id', '=', ws.id).execute();
      expect(audit.map((a) => a.action)).toContain('orgUnit.update');
    });

    it('refuses to deactivate a unit with active units or users below it; deactivates a leaf; a dispatcher cannot', async () => {
      const s = await t.signIn('bureaustaff');
      const h = { cookie: s.cookie, 'x-csrf-token': s.csrf };
      const sub = (await t.app.inject({ method: 'GET', url: '/api/org-units?kind=subdistrict', headers: h })).json().items[0];
      const busy = await t.app.inject({ method: 'POST', url: `/api/org-units/${sub.id}/active`, headers: h, payload: { active: false, version: sub.version } });
      expect(busy.statusCode).toBe(409);
      expect(busy.json().error.code).toBe('Conflict');
      const leaf = (await t.app.inject({ method: 'POST', url: '/api/org-units', headers: h, payload: { parentId: sub.id, kind: 'workstation', code: 'WS-TEST-1', name: '测试工作站' } })).json();
      const off = await t.app.inject({ method: 'POST', url: `/api/org-units/${leaf.id}/active`, headers: h, payload: { active: false, version: leaf.version } });
      expect(off.statusCode).toBe(200);
      expect(off.json().active).toBe(false);
      const listed = (await t.app.inject({ method: 'GET', url: '/api/org-units?kind=workstation', headers: h })).json().items.map((u: { code: string }) => u.code);
      expect(listed).not.toContain('WS-TEST-1');
      const d = await t.signIn('dispatcher');
      const refused = await t.app.inject({ method: 'POST', url: `/api/org-units/${leaf.id}/active`, headers: { cookie: d.cookie, 'x-csrf-token': d.csrf }, payload: { active: true, version: leaf.version + 1 } });
      expect(refused.statusCode).toBe(403);
      const company = (await t.app.inject({ method: 'GET', url: '/api/org-units?kind=propertyCompany', headers: h })).json().items[0];
      const viaParty = await t.app.inject({ method: 'PATCH', url: `/api/org-units/${company.id}`, headers: h, payload: { name: 'x', version: company.version } });
      expect(viaParty.statusCode).toBe(400);
    });
  });
}
