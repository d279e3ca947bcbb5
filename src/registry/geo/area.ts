import turfArea from '@turf/area';
import type { AreaGeometry, MultiPolygonCoords, PolygonCoords, Ring } from './types.js';

// Geodesic area on the sphere (turf's method, after Chamberlain & Duquette 2007): good to well under 1%
// at district scale, and independent of any projection a layer may have been drawn in.

/** Area in m² enclosed by one ring, whatever its winding. */
export function ringAreaM2(ring: Ring): number {
  if (ring.length < 4) return 0;
  return turfArea({ type: 'Polygon', coordinates: [ring] });
}

/** Area in m² of a polygon: its shell less its holes. */
export function polygonAreaM2(polygon: PolygonCoords): number {
  const [shell, ...holes] = polygon;
  if (!shell) return 0;
  let total = ringAreaM2(shell);
  for (const hole of holes) total -= ringAreaM2(hole);
  return Math.max(0, total);
}

/** Area in m² of MultiPolygon coordinates (parts are assumed not to overlap one another). */
export function multiPolygonAreaM2(coords: MultiPolygonCoords): number {
  let total = 0;
  for (const polygon of coords) total += polygonAreaM2(polygon);
  return total;
}

/** Area in m² of a Polygon or MultiPolygon geometry. */
export function geometryAreaM2(geometry: AreaGeometry): number {
  return geometry.type === 'Polygon' ? polygonAreaM2(geometry.coordinates) : multiPolygonAreaM2(geometry.coordinates);
}
