import type { Command } from 'commander';
import { createApiKey, createUser, listUsers, resetPassword, revokeApiKeyById, setUserActive, listApiKeysFor } from '../../access/users.service.js';
import { isRole, systemActor, ROLES } from '../../access/roles.js';
import { CliExit, withDeps } from '../context.js';
import { findOrgUnitByCode, findOrgUnit } from '../../registry/org-units.store.js';
import type { Deps } from '../../deps.js';

const cli = systemActor('cli');
const ctx = { actor: cli };

async function unitIdOf(deps: Deps, ref: string): Promise<string> {
  const byId = await findOrgUnit(deps.database.db, ref);
  if (byId) return byId.id;
  for (const kind of ['bureau', 'subdistrict', 'squad', 'workstation', 'sector', 'community', 'department', 'propertyCompany']) {
    const u = await findOrgUnitByCode(deps.database.db, kind, ref);
    if (u) return u.id;
  }
  throw new CliExit(2, `no org unit with id or code ${ref}`);
}

async function readPassword(given: string | undefined): Promise<string> {
  if (given) return given;
  if (process.env.ONEGRID_NEW_PASSWORD) return process.env.ONEGRID_NEW_PASSWORD;
  throw new CliExit(2, 'give --password or set ONEGRID_NEW_PASSWORD');
}

export function register(program: Command): void {
  const user = program.command('user').description('Staff users');
  user
    .command('add')
    .description('Create a user')
    .requiredOption('--username <name>', 'login name (lower-case)')
    .requiredOption('--name <displayName>', 'display name')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .requiredOption('--unit <idOrCode>', 'org unit id or code')
    .option('--password <password>', 'initial password (or ONEGRID_NEW_PASSWORD)')
    .option('--phone <phone>', 'phone number (stored, shown masked)')
    .action(async (o: { username: string; name: string; role: string; unit: string; password?: string; phone?: string }) => {
      if (!isRole(o.role)) throw new CliExit(2, `unknown role ${o.role}; one of ${ROLES.join(', ')}`);
      const role = o.role;
      await withDeps(async (deps) => {
        const u = await createUser(deps, ctx, {
          username: o.username,
          displayName: o.name,
          role,
          unitId: await unitIdOf(deps, o.unit),
          password: await readPassword(o.password),
          phone: o.phone ?? null,
        });
        process.stdout.write(`created user ${u.username} (${u.role}) in ${u.unit.name}: ${u.id}\n`);
      });
    });
  user
    .command('list')
    .description('List users')
    .option('--role <role>', 'only this role')
    .option('--json', 'print JSON')
    .action(async (o: { role?: string; json?: boolean }) => {
      await withDeps(async (deps) => {
        const items = await listUsers(deps, cli, { ...(o.role ? { role: o.role } : {}), limit: 1000, includeInactive: true });
        if (o.json) process.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
        else for (const u of items) process.stdout.write(`${u.username.padEnd(16)} ${u.role.padEnd(18)} ${u.active ? 'active  ' : 'inactive'} ${u.displayName}（${u.unit.name}）\n`);
      });
    });
  user
    .command('reset-password')
    .description('Set a new password for a user and end its sessions')
    .argument('<username>')
    .option('--password <password>', 'new password (or ONEGRID_NEW_PASSWORD)')
    .action(async (username: string, o: { password?: string }) => {
      await withDeps(async (deps) => {
        await resetPassword(deps, ctx, username, await readPassword(o.password));
        process.stdout.write(`password of ${username} reset; its sessions ended\n`);
      });
    });
  user
    .command('deactivate')
    .description('Deactivate a user (never deleted)')
    .argument('<username>')
    .action(async (username: string) => {
      await withDeps(async (deps) => {
        await setUserActive(deps, ctx, username, false);
        process.stdout.write(`${username} deactivated\n`);
      });
    });

  const apikey = program.command('apikey').description('API keys for machine clients (Open311, 12345 imports)');
  apikey
    .command('create')
    .description('Create an API key bound to a unit and permissions; prints the key once')
    .requiredOption('--name <name>', 'what the key is for')
    .requiredOption('--unit <idOrCode>', 'org unit id or code')
    .requiredOption('--permissions <list>', 'comma-separated permissions, e.g. reports:create,open311:submit')
    .action(async (o: { name: string; unit: string; permissions: string }) => {
      await withDeps(async (deps) => {
        const k = await createApiKey(deps, ctx, {
          name: o.name,
          unitId: await unitIdOf(deps, o.unit),
          permissions: o.permissions.split(',').map((s) => s.trim()).filter(Boolean),
        });
        process.stdout.write(`${k.key}\n`);
        process.stderr.write(`api key ${k.prefix} (id ${k.id}) created with ${k.permissions.join(', ')}; store it now, it is not shown again\n`);
      });
    });
  apikey
    .command('revoke')
    .description('Revoke an API key by id or prefix')
    .argument('<idOrPrefix>')
    .action(async (ref: string) => {
      await withDeps(async (deps) => {
        await revokeApiKeyById(deps, ctx, ref);
        process.stdout.write(`api key ${ref} revoked\n`);
      });
    });
  apikey
    .command('list')
    .description('List API keys (never their secrets)')
    .action(async () => {
      await withDeps(async (deps) => {
        for (const k of await listApiKeysFor(deps, cli)) {
          process.stdout.write(`${k.prefix}  ${k.revoked_at ? 'revoked' : 'active '}  ${k.name}  [${k.permissions.join(',')}]\n`);
        }
      });
    });
}
