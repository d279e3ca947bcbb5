import { z } from 'zod';
import type { Deps } from '../deps.js';
import type { HttpServer } from '../platform/http/server.js';
import { invalid } from '../platform/errors.js';
import { pickLang, platformMessages, renderMessage } from '../platform/http/messages.js';
import { authenticate } from '../access/auth.http.js';
import type { Actor } from '../access/roles.js';
import { decodeCsv } from './csv.js';
import { DEPARTMENT_KINDS, PARTY_KINDS, type PartyKind } from './parties.js';
import { partiesMessages } from './parties.messages.js';
import {
  createCompound,
  createDepartment,
  createLiaison,
  createMerchant,
  createPropertyCompany,
  exportParties,
  getCompound,
  getDepartment,
  getMerchant,
  getPropertyCompany,
  importParties,
  searchCompounds,
  searchDepartments,
  searchLiaisons,
  searchMerchants,
  searchPropertyCompanies,
  setCompoundActive,
  setDepartmentActive,
  setLiaisonActive,
  setMerchantActive,
  setPropertyCompanyActive,
  updateCompound,
  updateDepartment,
  updateLiaison,
  updateMerchant,
  updatePropertyCompany,
} from './parties.service.js';

// ---------------------------------------------------------------------------------------------------------
// Views (responses)
// ---------------------------------------------------------------------------------------------------------

const unitRef = z.object({ id: z.string(), code: z.string(), name: z.string() });
const location = z.object({ lng: z.number(), lat: z.number() });
const versioned = {
  id: z.string(),
  active: z.boolean(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
};

const companyView = z.object({
  ...versioned,
  unitId: z.string(),
  parentUnit: unitRef,
  name: z.string(),
  creditCode: z.string(),
  address: z.string().nullable(),
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
});
const departmentView = z.object({
  ...versioned,
  unitId: z.string(),
  code: z.string(),
  kind: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
});
const liaisonView = z.object({
  ...versioned,
  departmentId: z.string(),
  name: z.string(),
  title: z.string().nullable(),
  phone: z.string().nullable(),
  userId: z.string().nullable(),
});
const compoundView = z.object({
  ...versioned,
  code: z.string(),
  name: z.string(),
  address: z.string().nullable(),
  location: location.nullable(),
  community: unitRef,
  propertyCompany: z.object({ id: z.string(), name: z.string(), creditCode: z.string() }).nullable(),
  ownersCommittee: z.string().nullable(),
});
const merchantView = z.object({
  ...versioned,
  name: z.string(),
  address: z.string().nullable(),
  location: location.nullable(),
  subdistrict: unitRef,
  business: z.string().nullable(),
});
const importProblem = z.object({
  line: z.number(),
  field: z.string(),
  key: z.string(),
  reason: z.string(),
  value: z.string().optional(),
  message: z.string(),
});
const importReport = z.object({
  kind: z.enum(PARTY_KINDS),
  rows: z.number(),
  imported: z.number(),
  rejected: z.boolean(),
  problems: z.array(importProblem),
  skippedLines: z.array(z.number()),
});

// ---------------------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------------------

const id = z.string().min(1).max(100);
const idParam = z.strictObject({ id });
const text = (max: number) => z.string().max(max);
const optText = (max: number) => z.string().max(max).nullable().optional();
const phone = z.string().max(30).nullable().optional();
const locationInput = z
  .strictObject({ lng: z.number().min(-180).max(180), lat: z.number().min(-90).max(90) })
  .nullable()
  .optional();
const version = z.number().int().min(1);

const listQuery = {
  q: z.string().max(100).optional(),
  /** Active records by default; `false` the inactive ones, `all` both. */
  active: z.enum(['true', 'false', 'all']).optional(),
  limit: z.coerce.number().int().min(1).max(5000).optional(),
  lang: z.string().optional(),
};
const activeFilter = (v: 'true' | 'false' | 'all' | undefined) =>
  v === 'all' ? {} : { active: v !== 'false' };
const activeBody = z.strictObject({ active: z.boolean(), version: version.optional() });

const companyFields = {
  name: text(200).min(1),
  creditCode: z.string().min(1).max(30),
  address: optText(500),
  contactName: optText(100),
  contactPhone: phone,
  subdistrictId: id.nullable().optional(),
};
const departmentFields = {
  code: z.string().min(1).max(40),
  kind: z.enum(DEPARTMENT_KINDS),
  name: text(200).min(1),
  nameEn: optText(200),
};
const liaisonFields = {
  name: text(100).min(1),
  title: optText(100),
  phone,
  userId: id.nullable().optional(),
};
const compoundFields = {
  code: z.string().min(1).max(40),
  name: text(200).min(1),
  address: optText(500),
  location: locationInput,
  communityId: id,
  propertyCompanyId: id.nullable().optional(),
  ownersCommittee: optText(200),
};
const merchantFields = {
  name: text(200).min(1),
  address: optText(500),
  location: locationInput,
  subdistrictId: id,
  business: optText(200),
};

/** Drops keys whose value is undefined: to the services an absent key means "leave as it is". */
function defined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}

const catalogue = { ...platformMessages, ...partiesMessages };

export async function partiesRoutes(app: HttpServer, deps: Deps): Promise<void> {
  // CSV bodies for the import routes: accepted in this plugin only, decoded as UTF-8 (anything else is refused).
  app.addContentTypeParser(
    ['text/csv', 'application/csv'],
    { parseAs: 'buffer', bodyLimit: deps.config.uploadLimit },
    (_req, body, done) => {
      try {
        done(null, decodeCsv(body as Buffer));
      } catch (e) {
        done(e as Error, undefined);
      }
    },
  );

  const ctx = (actor: Actor, requestId: string) => ({ actor, requestId });
  const tags = ['registry'];

  // -------------------------------------------------------------------------------------------------------
  // Property companies
  // -------------------------------------------------------------------------------------------------------
  app.get(
    '/api/registry/property-companies',
    {
      schema: {
        tags,
        summary: 'Property companies in the caller’s scope (phones masked)',
        querystring: z.strictObject({ ...listQuery, subdistrictId: id.optional() }),
        response: { 200: z.object({ items: z.array(companyView) }) },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      const { active, lang: _lang, ...f } = req.query;
      return {
        items: await searchPropertyCompanies(deps, actor, { ...defined(f), ...activeFilter(active) }),
      };
    },
  );
  app.get(
    '/api/registry/property-companies/:id',
    { schema: { tags, summary: 'One property company', params: idParam, response: { 200: companyView } } },
    async (req) => getPropertyCompany(deps, (await authenticate(deps, req)).actor, req.params.id),
  );
  app.post(
    '/api/registry/property-companies',
    {
      schema: {
        tags,
        summary: 'Register a property company and its org unit (its users belong to it)',
        body: z.strictObject(companyFields),
        response: { 201: companyView },
      },
    },
    async (req, reply) => {
      const { actor } = await authenticate(deps, req);
      return reply.status(201).send(await createPropertyCompany(deps, ctx(actor, req.id), defined(req.body)));
    },
  );
  app.patch(
    '/api/registry/property-companies/:id',
    {
      schema: {
        tags,
        summary:
          'Edit a property company (optimistic: send the version you read; 409 with the current record if stale)',
        params: idParam,
        body: z.strictObject({ ...partial(companyFields), version }),
        response: { 200: companyView },
      },
    },
    async (req) =>
      updatePropertyCompany(
        deps,
        ctx((await authenticate(deps, req)).actor, req.id),
        req.params.id,
        defined(req.body),
      ),
  );
  app.post(
    '/api/registry/property-companies/:id/active',
    {
      schema: {
        tags,
        summary: 'Deactivate or reactivate a property company (never deleted)',
        params: idParam,
        body: activeBody,
        response: { 200: companyView },
      },
    },
    async (req) =>
      setPropertyCompanyActive(
        deps,
        ctx((await authenticate(deps, req)).actor, req.id),
        req.params.id,
        req.body.active,
        req.body.version,
      ),
  );

  // -------------------------------------------------------------------------------------------------------
  // Departments and liaisons
  // -------------------------------------------------------------------------------------------------------
  app.get(
    '/api/registry/departments',
    {
      schema: {
        tags,
        summary: 'Partner departments in the caller’s scope',
        querystring: z.strictObject({ ...listQuery, kind: z.enum(DEPARTMENT_KINDS).optional() }),
        response: { 200: z.object({ items: z.array(departmentView) }) },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      const { active, lang: _lang, ...f } = req.query;
      return { items: await searchDepartments(deps, actor, { ...defined(f), ...activeFilter(active) }) };
    },
  );
  app.get(
    '/api/registry/departments/:id',
    {
      schema: { tags, summary: 'One partner department', params: idParam, response: { 200: departmentView } },
    },
    async (req) => getDepartment(deps, (await authenticate(deps, req)).actor, req.params.id),
  );
  app.post(
    '/api/registry/departments',
    {
      schema: {
        tags,
        summary: 'Register a partner department and its org unit under the bureau',
        body: z.strictObject(departmentFields),
        response: { 201: departmentView },
      },
    },
    async (req, reply) => {
      const { actor } = await authenticate(deps, req);
      return reply.status(201).send(await createDepartment(deps, ctx(actor, req.id), defined(req.body)));
    },
  );
  app.patch(
    '/api/registry/departments/:id',
    {
      schema: {
        tags,
        summary: 'Edit a partner department (optimistic version)',
        params: idParam,
        body: z.strictObject({ ...partial(departmentFields), version }),
        response: { 200: departmentView },
      },
    },
    async (req) =>
      updateDepartment(
        deps,
        ctx((await authenticate(deps, req)).actor, req.id),
        req.params.id,
        defined(req.body),
      ),
  );
  app.post(
    '/api/registry/departments/:id/active',
    {
      schema: {
        tags,
        summary: 'Deactivate or reactivate a partner department',
        params: idParam,
        body: activeBody,
        response: { 200: departmentView },
      },
    },
    async (req) =>
      setDepartmentActive(
        deps,
        ctx((await authenticate(deps, req)).actor, req.id),
        req.params.id,
        req.body.active,
        req.body.version,
      ),
  );
  app.get(
    '/api/registry/departments/:id/liaisons',
    {
      schema: {
        tags,
        summary: 'The liaison persons of a department (phones masked)',
        params: idParam,
        querystring: z.strictObject({ active: listQuery.active, lang: listQuery.lang }),
        response: { 200: z.object({ items: z.array(liaisonView) }) },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      return { items: await searchLiaisons(deps, actor, req.params.id, activeFilter(req.query.active)) };
    },
  );
  app.post(
    '/api/registry/departments/:id/liaisons',
    {
      schema: {
        tags,
        summary: 'Add a liaison person to a department',
        params: idParam,
        body: z.strictObject(liaisonFields),
        response: { 201: liaisonView },
      },
    },
    async (req, reply) => {
      const { actor } = await authenticate(deps, req);
      return reply
        .status(201)
        .send(await createLiaison(deps, ctx(actor, req.id), req.params.id, defined(req.body)));
    },
  );
  app.patch(
    '/api/registry/liaisons/:id',
    {
      schema: {
        tags,
        summary: 'Edit a liaison person (optimistic version)',
        params: idParam,
        body: z.strictObject({ ...partial(liaisonFields), version }),
        response: { 200: liaisonView },
      },
    },
    async (req) =>
      updateLiaison(
        deps,
        ctx((await authenticate(deps, req)).actor, req.id),
        req.params.id,
        defined(req.body),
      ),
  );
  app.post(
    '/api/registry/liaisons/:id/active',
    {
      schema: {
        tags,
        summary: 'Deactivate or reactivate a liaison person',
        params: idParam,
        body: activeBody,
        response: { 200: liaisonView },
      },
    },
    async (req) =>
      setLiaisonActive(
        deps,
        ctx((await authenticate(deps, req)).actor, req.id),
        req.params.id,
        req.body.active,
        req.body.version,
      ),
  );

  // -------------------------------------------------------------------------------------------------------
  // Compounds
  // -------------------------------------------------------------------------------------------------------
  app.get(
    '/api/registry/compounds',
    {
      schema: {
        tags,
        summary: 'Compounds in the caller’s scope',
        querystring: z.strictObject({
          ...listQuery,
          communityId: id.optional(),
          subdistrictId: id.optional(),
          propertyCompanyId: id.optional(),
        }),
        response: { 200: z.object({ items: z.array(compoundView) }) },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      const { active, lang: _lang, ...f } = req.query;
      return { items: await searchCompounds(deps, actor, { ...defined(f), ...activeFilter(active) }) };
    },
  );
  app.get(
    '/api/registry/compounds/:id',
    { schema: { tags, summary: 'One compound', params: idParam, response: { 200: compoundView } } },
    async (req) => getCompound(deps, (await authenticate(deps, req)).actor, req.params.id),
  );
  app.post(
    '/api/registry/compounds',
    {
      schema: {
        tags,
        summary: 'Register a compound in a community',
        body: z.strictObject(compoundFields),
        response: { 201: compoundView },
      },
    },
    async (req, reply) => {
      const { actor } = await authenticate(deps, req);
      return reply.status(201).send(await createCompound(deps, ctx(actor, req.id), defined(req.body)));
    },
  );
  app.patch(
    '/api/registry/compounds/:id',
    {
      schema: {
        tags,
        summary: 'Edit a compound (optimistic version)',
        params: idParam,
        body: z.strictObject({ ...partial(compoundFields), version }),
        response: { 200: compoundView },
      },
    },
    async (req) =>
      updateCompound(
        deps,
        ctx((await authenticate(deps, req)).actor, req.id),
        req.params.id,
        defined(req.body),
      ),
  );
  app.post(
    '/api/registry/compounds/:id/active',
    {
      schema: {
        tags,
        summary: 'Deactivate or reactivate a compound',
        params: idParam,
        body: activeBody,
        response: { 200: compoundView },
      },
    },
    async (req) =>
      setCompoundActive(
        deps,
        ctx((await authenticate(deps, req)).actor, req.id),
        req.params.id,
        req.body.active,
        req.body.version,
      ),
  );

  // -------------------------------------------------------------------------------------------------------
  // Merchants
  // -------------------------------------------------------------------------------------------------------
  app.get(
    '/api/registry/merchants',
    {
      schema: {
        tags,
        summary: 'Merchants in the caller’s scope',
        querystring: z.strictObject({ ...listQuery, subdistrictId: id.optional() }),
        response: { 200: z.object({ items: z.array(merchantView) }) },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      const { active, lang: _lang, ...f } = req.query;
      return { items: await searchMerchants(deps, actor, { ...defined(f), ...activeFilter(active) }) };
    },
  );
  app.get(
    '/api/registry/merchants/:id',
    { schema: { tags, summary: 'One merchant', params: idParam, response: { 200: merchantView } } },
    async (req) => getMerchant(deps, (await authenticate(deps, req)).actor, req.params.id),
  );
  app.post(
    '/api/registry/merchants',
    {
      schema: {
        tags,
        summary: 'Register a merchant in a subdistrict',
        body: z.strictObject(merchantFields),
        response: { 201: merchantView },
      },
    },
    async (req, reply) => {
      const { actor } = await authenticate(deps, req);
      return reply.status(201).send(await createMerchant(deps, ctx(actor, req.id), defined(req.body)));
    },
  );
  app.patch(
    '/api/registry/merchants/:id',
    {
      schema: {
        tags,
        summary: 'Edit a merchant (optimistic version)',
        params: idParam,
        body: z.strictObject({ ...partial(merchantFields), version }),
        response: { 200: merchantView },
      },
    },
    async (req) =>
      updateMerchant(
        deps,
        ctx((await authenticate(deps, req)).actor, req.id),
        req.params.id,
        defined(req.body),
      ),
  );
  app.post(
    '/api/registry/merchants/:id/active',
    {
      schema: {
        tags,
        summary: 'Deactivate or reactivate a merchant',
        params: idParam,
        body: activeBody,
        response: { 200: merchantView },
      },
    },
    async (req) =>
      setMerchantActive(
        deps,
        ctx((await authenticate(deps, req)).actor, req.id),
        req.params.id,
        req.body.active,
        req.body.version,
      ),
  );

  // -------------------------------------------------------------------------------------------------------
  // CSV import and export, one pair of routes per kind
  // -------------------------------------------------------------------------------------------------------
  for (const kind of PARTY_KINDS) {
    app.post(
      `/api/registry/${kind}/import`,
      {
        bodyLimit: deps.config.uploadLimit,
        schema: {
          tags,
          summary: `Import ${kind} from CSV (UTF-8). Every bad row is reported by line and column; nothing is imported unless skipBadRows=true`,
          consumes: ['text/csv'],
          querystring: z.strictObject({
            skipBadRows: z.enum(['true', 'false']).optional(),
            lang: z.string().optional(),
          }),
          body: z.string(),
          response: { 200: importReport },
        },
      },
      async (req) => {
        const { actor } = await authenticate(deps, req);
        const report = await importParties(deps, ctx(actor, req.id), kind as PartyKind, req.body, {
          skipBadRows: req.query.skipBadRows === 'true',
        });
        const lang = pickLang(req.headers['accept-language'], req.query.lang);
        const problems = report.problems.map((p) => ({
          ...p,
          message: renderMessage(catalogue, p.key, lang, { ...p }),
        }));
        if (report.rejected)
          throw invalid('importRejected', { field: 'body', kind, count: problems.length, problems });
        return { ...report, problems };
      },
    );
    app.get(
      `/api/registry/${kind}/export.csv`,
      {
        schema: {
          tags,
          summary: `Export the ${kind} in the caller’s scope as CSV (UTF-8 with BOM), in the format the import reads`,
          produces: ['text/csv'],
          querystring: z.strictObject({ lang: z.string().optional() }),
        },
      },
      async (req, reply) => {
        const { actor } = await authenticate(deps, req);
        const csv = await exportParties(deps, actor, kind as PartyKind);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${kind}.csv"`)
          .send(csv);
      },
    );
  }
}

/** Every field optional (an edit sends only what changes). */
function partial<T extends Record<string, z.ZodType>>(fields: T): { [K in keyof T]: z.ZodOptional<T[K]> } {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.optional()])) as {
    [K in keyof T]: z.ZodOptional<T[K]>;
  };
}
