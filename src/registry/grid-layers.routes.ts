import { z } from 'zod';
import type { Deps } from '../deps.js';
import type { HttpServer } from '../platform/http/server.js';
import { authenticate } from '../access/auth.http.js';
import { CRS_VALUES } from './geo/types.js';
import { exportGridLayer, getGridLayer, importGridLayer, listGridLayers } from './grid-layers.service.js';

const finding = z.object({
  kind: z.string(),
  severity: z.string(),
  cellCodes: z.array(z.string()),
  areaM2: z.number().optional(),
  location: z.array(z.number()).optional(),
  message: z.string(),
});

/** Layer files are large: this route alone accepts up to 150 MB of GeoJSON. */
const LAYER_BODY_LIMIT = 150 * 1024 * 1024;

export async function gridLayerRoutes(app: HttpServer, deps: Deps): Promise<void> {
  app.get(
    '/api/grid-layers',
    {
      schema: {
        tags: ['registry'],
        summary: 'Grid layers with their current version and validation finding counts',
        response: {
          200: z.object({
            items: z.array(
              z.object({
                name: z.string(),
                title: z.string(),
                titleEn: z.string().nullable(),
                generated: z.boolean(),
                currentVersion: z.number().nullable(),
                cellCount: z.number(),
                sourceCrs: z.string().nullable(),
                sourceName: z.string().nullable(),
                importedAt: z.string().nullable(),
                findingCounts: z.record(z.string(), z.number()),
              }),
            ),
          }),
        },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      return { items: await listGridLayers(deps, actor) };
    },
  );

  app.get(
    '/api/grid-layers/:name',
    { schema: { tags: ['registry'], summary: 'A layer, its versions and the findings of each', params: z.strictObject({ name: z.string().max(60) }) } },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      return getGridLayer(deps, actor, req.params.name);
    },
  );

  app.get(
    '/api/grid-layers/:name/geojson',
    {
      schema: {
        tags: ['registry'],
        summary: 'Export a layer version as GeoJSON (WGS-84); bbox=minLng,minLat,maxLng,maxLat limits the cells',
        params: z.strictObject({ name: z.string().max(60) }),
        querystring: z.strictObject({
          version: z.coerce.number().int().min(1).optional(),
          bbox: z
            .string()
            .regex(/^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$/, 'minLng,minLat,maxLng,maxLat')
            .optional(),
          lang: z.string().optional(),
        }),
      },
    },
    async (req, reply) => {
      const { actor } = await authenticate(deps, req);
      const bbox = req.query.bbox?.split(',').map(Number) as [number, number, number, number] | undefined;
      const fc = await exportGridLayer(deps, actor, req.params.name, { ...(req.query.version ? { version: req.query.version } : {}), ...(bbox ? { bbox } : {}) });
      return reply.type('application/geo+json; charset=utf-8').send(JSON.stringify(fc));
    },
  );

  app.post(
    '/api/grid-layers/:name/import',
    {
      bodyLimit: LAYER_BODY_LIMIT,
      schema: {
        tags: ['registry'],
        summary: 'Validate (dryRun=true) or import a GeoJSON FeatureCollection as the layer’s next version',
        params: z.strictObject({ name: z.string().max(60) }),
        querystring: z.strictObject({
          crs: z.enum(CRS_VALUES as [string, ...string[]]),
          codeField: z.string().max(60).optional(),
          unitField: z.string().max(60).optional(),
          title: z.string().max(100).optional(),
          strict: z.enum(['true', 'false']).optional(),
          dryRun: z.enum(['true', 'false']).optional(),
          lang: z.string().optional(),
        }),
        body: z.unknown(),
        response: {
          200: z.object({
            layer: z.string(),
            version: z.number().nullable(),
            committed: z.boolean(),
            cellCount: z.number(),
            unitsMatched: z.number(),
            findings: z.array(finding),
            summary: z.unknown(),
            crsSanity: z.unknown(),
          }),
        },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      const q = req.query;
      return importGridLayer(
        deps,
        { actor, requestId: req.id },
        {
          layer: req.params.name,
          crs: q.crs as (typeof CRS_VALUES)[number],
          strict: q.strict === 'true',
          dryRun: q.dryRun === 'true',
          geojson: req.body,
          ...(q.codeField ? { codeField: q.codeField } : {}),
          ...(q.unitField ? { unitField: q.unitField } : {}),
          ...(q.title ? { title: q.title } : {}),
        },
      );
    },
  );
}
