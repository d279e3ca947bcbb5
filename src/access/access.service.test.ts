import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DIALECTS } from '../platform/testing/db.js';
import { buildTestDeps, type TestDeps } from '../testing/deps.js';
import { DEMO_PASSWORD } from '../registry/demo-seed.service.js';
import { authenticateApiKey, authenticateSession, login, logout } from './access.service.js';
import { verifyAuditChain } from './audit.service.js';
import { createApiKey, createUser, listUsers, resetPassword, revokeApiKeyById, setUserActive } from './users.service.js';
import { getOrgUnit, searchOrgUnits, createOrgUnit } from '../registry/org-units.service.js';
import type { Actor } from './roles.js';
import { DomainError } from '../platform/errors.js';

const code = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
};

for (const dialect of DIALECTS) {
  describe(`access [${dialect}]`, () => {
    let deps: TestDeps;
    const actors: Record<string, Actor> = {};
    beforeAll(async () => {
      deps = await buildTestDeps(dialect);
      for (const u of ['leader', 'bureaustaff', 'squadleader', 'dispatcher', 'officer', 'workstation', 'resident']) {
        actors[u] = (await login(deps, { username: u, password: DEMO_PASSWORD })).actor;
      }
    });
    afterAll(async () => deps.cleanup());

    it('logs in with the right password only, and a session resolves to its user, role and unit', async () => {
      const { session } = await login(deps, { username: 'dispatcher', password: DEMO_PASSWORD });
      const s = await authenticateSession(deps, session.token);
      expect(s.user).toMatchObject({ username: 'dispatcher', role: 'dispatcher', unit: { kind: 'squad', name: '莘庄镇城管执法中队' } });
      expect(s.csrfToken).toBe(session.csrfToken);
      expect(await code(login(deps, { username: 'dispatcher', password: 'wrong-password-1' }))).toBe('Unauthenticated');
      expect(await code(login(deps, { username: 'nobody', password: DEMO_PASSWORD }))).toBe('Unauthenticated');
      await logout(deps, s.actor, s.sessionId);
      expect(await code(authenticateSession(deps, session.token))).toBe('Unauthenticated');
    });

    it('stores argon2id hashes, never passwords', async () => {
      const row = await deps.database.db.selectFrom('app_user').select('password_hash').where('username', '=', 'officer').executeTakeFirstOrThrow();
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
      expect(row.password_hash).not.toContain(DEMO_PASSWORD);
    });

    it('expired sessions are refused', async () => {
      const { session } = await login(deps, { username: 'officer', password: DEMO_PASSWORD });
      const later = { ...deps, clock: () => new Date(Date.now() + (deps.config.sessionHours + 1) * 3600_000) };
      expect(await code(authenticateSession(later, session.token))).toBe('Unauthenticated');
    });

    it('scopes units: a squad user sees its subdistrict; a workstation user its own subtree; outside answers exactly like missing', async () => {
      const squadUnits = await searchOrgUnits(deps, actors.dispatcher!, {});
      expect(new Set(squadUnits.map((u) => u.kind))).toEqual(new Set(['subdistrict', 'squad', 'workstation', 'community', 'propertyCompany']));
      const wsUnits = await searchOrgUnits(deps, actors.workstation!, {});
      expect(wsUnits.map((u) => u.kind).sort()).toEqual(['community', 'workstation']);
      const all = await searchOrgUnits(deps, actors.leader!, {});
      const bureau = all.find((u) => u.kind === 'bureau')!;
      const outside = await code(getOrgUnit(deps, actors.dispatcher!, bureau.id));
      const missing = await code(getOrgUnit(deps, actors.dispatcher!, 'no-such-id'));
      expect(outside).toBe('NotFound');
      expect(missing).toBe('NotFound');
      const e1 = await getOrgUnit(deps, actors.dispatcher!, bureau.id).catch((e: DomainError) => e);
      const e2 = await getOrgUnit(deps, actors.dispatcher!, 'no-such-id').catch((e: DomainError) => e);
      expect((e1 as DomainError).messageKey).toBe((e2 as DomainError).messageKey);
      expect(all.length).toBeGreaterThan(5);
    });

    it('refuses what a role may not do', async () => {
      const all = await searchOrgUnits(deps, actors.leader!, {});
      const squad = all.find((u) => u.kind === 'squad')!;
      expect(await code(createUser(deps, { actor: actors.officer! }, { username: 'x1x', displayName: 'x', password: 'Password123', role: 'officer', unitId: squad.id }))).toBe('Forbidden');
      expect(await code(createOrgUnit(deps, { actor: actors.dispatcher! }, { parentId: squad.id, kind: 'community', code: '1', name: 'x' }))).toBe('Forbidden');
      expect(await code(searchOrgUnits(deps, actors.resident!, {}))).toBe('Forbidden');
    });

    it('creates, lists (phones masked), resets and deactivates users, all audited', async () => {
      const all = await searchOrgUnits(deps, actors.bureaustaff!, {});
      const squad = all.find((u) => u.kind === 'squad')!;
      const u = await createUser(deps, { actor: actors.bureaustaff! }, { username: 'officer2', displayName: '钱队员', password: 'Password123', role: 'officer', unitId: squad.id, phone: '13812345678' });
      expect(u.phone).toBe('138****5678');
      expect(await code(createUser(deps, { actor: actors.bureaustaff! }, { username: 'officer2', displayName: 'dup', password: 'Password123', role: 'officer', unitId: squad.id }))).toBe('Conflict');
      expect(await code(createUser(deps, { actor: actors.bureaustaff! }, { username: 'officer3', displayName: 'weak', password: 'short', role: 'officer', unitId: squad.id }))).toBe('Invalid');
      const listed = await listUsers(deps, actors.bureaustaff!, { q: 'officer2' });
      expect(listed).toHaveLength(1);
      expect(listed[0]!.phone).toBe('138****5678');
      const { session } = await login(deps, { username: 'officer2', password: 'Password123' });
      await resetPassword(deps, { actor: actors.bureaustaff! }, 'officer2', 'NewPassword456');
      expect(await code(authenticateSession(deps, session.token))).toBe('Unauthenticated');
      expect(await code(login(deps, { username: 'officer2', password: 'Password123' }))).toBe('Unauthenticated');
      await login(deps, { username: 'officer2', password: 'NewPassword456' });
      await setUserActive(deps, { actor: actors.bureaustaff! }, 'officer2', false);
      expect(await code(login(deps, { username: 'officer2', password: 'NewPassword456' }))).toBe('Unauthenticated');
      const entries = await deps.database.db.selectFrom('audit_entry').select(['action']).where('entity_id', '=', u.id).execute();
      expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['user.create', 'user.resetPassword', 'user.deactivate', 'session.login']));
    });

    it('API keys: bound to a unit and permissions, hashed at rest, revocable, never beyond the creator', async () => {
      const all = await searchOrgUnits(deps, actors.bureaustaff!, {});
      const bureau = all.find((u) => u.kind === 'bureau')!;
      const k = await createApiKey(deps, { actor: actors.bureaustaff! }, { name: '12345 import', unitId: bureau.id, permissions: ['reports:import'] });
      const stored = await deps.database.db.selectFrom('api_key').selectAll().where('id', '=', k.id).executeTakeFirstOrThrow();
      expect(stored.key_hash).not.toContain(k.key);
      const actor = await authenticateApiKey(deps, k.key);
      expect(actor).toMatchObject({ kind: 'apiKey', unitId: bureau.id });
      expect([...actor.permissions]).toEqual(['reports:import']);
      expect(await code(authenticateApiKey(deps, `${k.key.slice(0, -1)}x`))).toBe('Unauthenticated');
      expect(await code(createApiKey(deps, { actor: actors.bureaustaff! }, { name: 'x', unitId: bureau.id, permissions: ['enforcement:act'] }))).toBe('Forbidden');
      expect(await code(createApiKey(deps, { actor: actors.bureaustaff! }, { name: 'x', unitId: bureau.id, permissions: ['nope'] }))).toBe('Invalid');
      await revokeApiKeyById(deps, { actor: actors.bureaustaff! }, k.prefix);
      expect(await code(authenticateApiKey(deps, k.key))).toBe('Unauthenticated');
    });

    it('every write left an intact hash chain', async () => {
      const r = await verifyAuditChain(deps);
      expect(r.ok).toBe(true);
      expect(r.count).toBeGreaterThan(10);
    });

    it('detects an entry changed in the database', async () => {
      const t = await buildTestDeps(dialect);
      try {
        await login(t, { username: 'leader', password: DEMO_PASSWORD });
        await login(t, { username: 'officer', password: DEMO_PASSWORD });
        expect((await verifyAuditChain(t)).ok).toBe(true);
        await t.database.db.updateTable('audit_entry').set({ summary: '{"before":null,"after":{"ip":"6.6.6.6"}}' }).where('seq', '=', 2).execute();
        expect(await verifyAuditChain(t)).toMatchObject({ ok: false, problem: { kind: 'hashMismatch', seq: 2 } });
      } finally {
        await t.cleanup();
      }
    });

    it('detects an entry deleted from the middle, reordered entries, and a cut-off tail', async () => {
      const t = await buildTestDeps(dialect);
      try {
        for (const u of ['leader', 'officer', 'dispatcher', 'resident']) await login(t, { username: u, password: DEMO_PASSWORD });
        expect((await verifyAuditChain(t)).ok).toBe(true);
        // reorder: swap the contents of entries 2 and 3 (seq numbers kept)
        const rows = await t.database.db.selectFrom('audit_entry').selectAll().where('seq', 'in', [2, 3]).orderBy('seq').execute();
        const [a, b] = [rows[0]!, rows[1]!];
        await t.database.db.updateTable('audit_entry').set({ ...b, seq: -2 }).where('seq', '=', 2).execute();
        await t.database.db.updateTable('audit_entry').set({ ...a, seq: 3 }).where('seq', '=', 3).execute();
        await t.database.db.updateTable('audit_entry').set({ seq: 2 }).where('seq', '=', -2).execute();
        const reordered = await verifyAuditChain(t);
        expect(reordered).toMatchObject({ ok: false, problem: { seq: 2 } });
        // restore, then delete the middle entry
        await t.database.db.updateTable('audit_entry').set({ ...a }).where('seq', '=', 2).execute();
        await t.database.db.updateTable('audit_entry').set({ ...b }).where('seq', '=', 3).execute();
        expect((await verifyAuditChain(t)).ok).toBe(true);
        await t.database.db.deleteFrom('audit_entry').where('seq', '=', 3).execute();
        expect(await verifyAuditChain(t)).toMatchObject({ ok: false, problem: { kind: 'gap', expectedSeq: 3 } });
        // cut the tail: the last entry removed (and entry 3 put back)
        await t.database.db.insertInto('audit_entry').values(b).execute();
        const last = await t.database.db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow();
        await t.database.db.deleteFrom('audit_entry').where('seq', '=', Number(last.seq)).execute();
        expect(await verifyAuditChain(t)).toMatchObject({ ok: false, problem: { kind: 'headMismatch' } });
        void sql;
      } finally {
        await t.cleanup();
      }
    });
  });
}
