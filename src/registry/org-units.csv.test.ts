import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../platform/testing/db.js';
import { buildTestApp, type TestApp } from '../testing/http.js';
import { DEMO_PASSWORD } from './demo-seed.service.js';

for (const dialect of DIALECTS) {
  describe(`org units and users as CSV [${dialect}]`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await buildTestApp(dialect);
    });
    afterAll(async () => t.close());

    it('exports units parents first, refuses a file with bad rows naming each line, imports with skipBadRows, round-trips', async () => {
      const s = await t.signIn('bureaustaff');
      const h = { cookie: s.cookie, 'x-csrf-token': s.csrf };
      const exp = await t.app.inject({ method: 'GET', url: '/api/org-units/export.csv', headers: h });
      expect(exp.statusCode).toBe(200);
      expect(exp.headers['content-type']).toContain('text/csv');
      const lines = exp.body.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
      expect(lines[0]).toBe('kind,code,name,nameEn,parentKind,parentCode,active');
      expect(lines[1]).toMatch(/^bureau,310112,/);
      const csv = [
        'kind,code,name,parentKind,parentCode',
        'workstation,WS-CSV-1,莘庄镇测试工作站,subdistrict,310112101',
        'community,310112101901,测试居委会,workstation,WS-CSV-1',
        'community,,没有编码,workstation,WS-CSV-1',
        'squad,SQ-X,错位中队,community,310112101001',
        'sector,SEC-1,测试片区,subdistrict,999999999',
      ].join('\n');
      const refused = await t.app.inject({ method: 'POST', url: '/api/org-units/import', headers: { ...h, 'content-type': 'text/csv' }, payload: csv });
      expect(refused.statusCode).toBe(400);
      const problems = refused.json().error.details.problems as Array<{ line: number; field: string; reason: string }>;
      expect(problems.map((p) => [p.line, p.field, p.reason])).toEqual([
        [4, 'code', 'required'],
        [5, 'parentKind', 'parentKindNotAllowed'],
        [6, 'parentCode', 'unknownParent'],
      ]);
      expect((await t.app.inject({ method: 'GET', url: '/api/org-units?q=WS-CSV', headers: h })).json().items).toEqual([]);
      const ok = await t.app.inject({ method: 'POST', url: '/api/org-units/import?skipBadRows=true', headers: { ...h, 'content-type': 'text/csv' }, payload: csv });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ imported: 2, skippedLines: [4, 5, 6] });
      const community = (await t.app.inject({ method: 'GET', url: '/api/org-units?kind=community&q=310112101901', headers: h })).json().items[0];
      const ws = (await t.app.inject({ method: 'GET', url: '/api/org-units?kind=workstation&q=WS-CSV-1', headers: h })).json().items[0];
      expect(community.parentId).toBe(ws.id);
      // the export imports into nothing new: every code is taken
      const again = await t.app.inject({ method: 'POST', url: '/api/org-units/import', headers: { ...h, 'content-type': 'text/csv' }, payload: exp.body });
      expect(again.statusCode).toBe(400);
      expect(again.json().error.details.problems.every((p: { reason: string }) => p.reason === 'duplicateCode')).toBe(true);
    });

    it('users: export with masked phones; import gives one-time passwords that work; bad rows named', async () => {
      const s = await t.signIn('bureaustaff');
      const h = { cookie: s.cookie, 'x-csrf-token': s.csrf };
      const csv = ['username,displayName,role,unitKind,unitCode,phone', 'zhao2,赵二,officer,squad,310112101-ZD,13912345678', 'BAD NAME,坏名,officer,squad,310112101-ZD,', 'qian3,钱三,nobody,squad,310112101-ZD,'].join('\n');
      const refused = await t.app.inject({ method: 'POST', url: '/api/users/import', headers: { ...h, 'content-type': 'text/csv' }, payload: csv });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error.details.problems.map((p: { line: number; field: string }) => `${p.line}:${p.field}`)).toEqual(['3:username', '4:role']);
      const ok = await t.app.inject({ method: 'POST', url: '/api/users/import?skipBadRows=true', headers: { ...h, 'content-type': 'text/csv' }, payload: csv });
      expect(ok.json()).toMatchObject({ imported: 1, skippedLines: [3, 4] });
      const pw = ok.json().passwords[0];
      expect(pw.username).toBe('zhao2');
      const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'zhao2', password: pw.password } });
      expect(login.statusCode).toBe(200);
      expect(login.json().user.unit.code).toBe('310112101-ZD');
      const exp = await t.app.inject({ method: 'GET', url: '/api/users/export.csv', headers: h });
      expect(exp.body).toContain('zhao2,赵二,officer,squad,310112101-ZD,139****5678,true');
      expect(exp.body).not.toContain(DEMO_PASSWORD);
      const officer = await t.signIn('officer');
      const forbidden = await t.app.inject({ method: 'POST', url: '/api/users/import', headers: { cookie: officer.cookie, 'x-csrf-token': officer.csrf, 'content-type': 'text/csv' }, payload: csv });
      expect(forbidden.statusCode).toBe(403);
    });
  });
}
