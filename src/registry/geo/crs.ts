import gcoordModule from 'gcoord';
import type { AreaGeometry, Crs, MultiPolygonCoords, Position } from './types.js';

// gcoord ships CommonJS with ESM-style typings: at run time the default import is the API object itself,
// while the typings put it under `.default`. Accept either so both tsc and Node agree.
type Gcoord = typeof gcoordModule.default;
const gcoord: Gcoord =
  'transform' in gcoordModule ? (gcoordModule as unknown as Gcoord) : gcoordModule.default;

const FROM: Record<Crs, Gcoord['WGS84'] | Gcoord['GCJ02'] | Gcoord['BD09']> = {
  wgs84: gcoord.WGS84,
  gcj02: gcoord.GCJ02,
  bd09: gcoord.BD09,
};

/** Converts one [lng, lat] from `crs` to WGS-84 (a new position; WGS-84 input is copied unchanged). */
export function toWgs84(lng: number, lat: number, crs: Crs): Position {
  if (crs === 'wgs84') return [lng, lat];
  const out = gcoord.transform([lng, lat] as [number, number], FROM[crs], gcoord.WGS84);
  return [out[0], out[1]];
}

/** Converts every position of MultiPolygon coordinates to WGS-84 (a deep copy). */
export function multiPolygonToWgs84(coords: MultiPolygonCoords, crs: Crs): MultiPolygonCoords {
  return coords.map((polygon) => polygon.map((ring) => ring.map(([x, y]) => toWgs84(x, y, crs))));
}

/** Converts a Polygon or MultiPolygon to a WGS-84 geometry of the same type (a deep copy). */
export function geometryToWgs84<G extends AreaGeometry>(geometry: G, crs: Crs): G {
  if (geometry.type === 'Polygon') {
    const [polygon] = multiPolygonToWgs84([geometry.coordinates], crs);
    return { ...geometry, coordinates: polygon ?? [] };
  }
  return { ...geometry, coordinates: multiPolygonToWgs84(geometry.coordinates, crs) };
}

/** Converts one WGS-84 [lng, lat] into `crs` (for tests and for showing points on GCJ-02 base maps). */
export function fromWgs84(lng: number, lat: number, crs: Crs): Position {
  if (crs === 'wgs84') return [lng, lat];
  const [x, y] = gcoord.transform([lng, lat], gcoord.WGS84, FROM[crs]) as [number, number];
  return [x, y];
}
