import { describe, expect, it } from 'vitest';
import { FusionIndex } from './fusion-index.js';
import { cellsOf, loadLaLayer, loadLaRequests, parseCsv } from '../../bench/routing.js';
import type { Position } from '../registry/geo/types.js';

// The outside check with known answers: the City of Los Angeles assigned each 311 request of 1–3 Jan 2020
// to a neighbourhood council (`nc`); routing the request's own coordinates through the certified council
// polygons must give the same council for nearly all of them. The misses are classified, not hidden.

/** A miss this close to a council border is a border case (geocoding and the city's own rule differ). */
const BORDER_M = 100;

const M_PER_DEG_LAT = 111_320;

/** Distance in metres from a point to the nearest edge of a (Multi)Polygon, equirectangular at the point. */
function distanceToBoundaryM(x: number, y: number, polygons: Position[][][]): number {
  const kx = M_PER_DEG_LAT * Math.cos((y * Math.PI) / 180);
  let best = Infinity;
  for (const polygon of polygons) {
    for (const ring of polygon) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const [ax, ay] = ring[i] as Position;
        const [bx, by] = ring[i + 1] as Position;
        const ux = (bx - ax) * kx;
        const uy = (by - ay) * M_PER_DEG_LAT;
        const px = (x - ax) * kx;
        const py = (y - ay) * M_PER_DEG_LAT;
        const len2 = ux * ux + uy * uy;
        const t = len2 > 0 ? Math.max(0, Math.min(1, (px * ux + py * uy) / len2)) : 0;
        best = Math.min(best, Math.hypot(px - t * ux, py - t * uy));
      }
    }
  }
  return best;
}

describe('LA 311 requests routed through the neighbourhood-council layer', () => {
  const layer = loadLaLayer();
  const requests = loadLaRequests();
  const index = FusionIndex.build([{ layerId: 'nc', version: 1, cells: cellsOf(layer) }]);
  const geometryOf = new Map(
    layer.collection.features.map((f) => [
      String(f.properties.nc_id),
      (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates) as Position[][][],
    ]),
  );

  it('parses quoted CSV fields (addresses hold commas)', () => {
    expect(parseCsv('a,"b, c","say ""hi"""\r\n1,2,3')).toEqual([
      ['a', 'b, c', 'say "hi"'],
      ['1', '2', '3'],
    ]);
    expect(requests.length).toBeGreaterThan(9900);
    expect(requests.every((r) => Number.isFinite(r.lat) && r.lat > 33 && r.lat < 35)).toBe(true);
  });

  it('agrees with the city\'s council for at least 97.5% of requests, and every miss has a reason', () => {
    const kinds = { border: 0, outside: 0, overlap: 0, noCouncil: 0, other: 0 };
    const others: string[] = [];
    let agree = 0;
    for (const r of requests) {
      const a = index.resolveLayer('nc', r.lng, r.lat);
      const got = 'none' in a ? '' : a.code;
      if (got === r.nc) {
        agree++;
        continue;
      }
      const matches = index.matchesInLayer('nc', r.lng, r.lat);
      const expected = geometryOf.get(r.nc);
      if (!expected) kinds.noCouncil++; // the city left nc empty or used a council not in the certified layer
      else if (matches.length === 0) kinds.outside++;
      else if (matches.length > 1) kinds.overlap++;
      else if (distanceToBoundaryM(r.lng, r.lat, expected) <= BORDER_M) kinds.border++;
      else {
        kinds.other++;
        if (others.length < 5) others.push(`${r.srnumber} at ${r.lat},${r.lng}: city ${r.nc}, index ${got}`);
      }
    }
    const share = agree / requests.length;
    console.log(
      `LA routing: ${agree}/${requests.length} agree (${(share * 100).toFixed(2)}%); misses — ` +
        `border (≤${BORDER_M} m): ${kinds.border}, outside every polygon: ${kinds.outside}, ` +
        `in overlapping polygons: ${kinds.overlap}, council unknown to the layer: ${kinds.noCouncil}, other: ${kinds.other}` +
        (others.length ? `\n  e.g. ${others.join('\n  e.g. ')}` : ''),
    );
    expect(share).toBeGreaterThanOrEqual(0.975);
    // Unexplained misses would mean the index, not the data, is wrong.
    expect(kinds.other).toBeLessThanOrEqual(Math.ceil(requests.length * 0.005));
  });
});
