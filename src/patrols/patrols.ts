/**
 * Overlay patrols (叠加式巡查), the rules: patrol plans (officers, compounds and/or an area, weekdays and a
 * time window, a validity period), the ground a patrol record covered, and coverage per compound for a
 * period. 上海市拆除违法建筑若干规定 第4条: the bureau patrols to find illegal construction itself, over the same
 * ground the property companies cover. Pure.
 */
import { invalid } from '../platform/errors.js';

export interface PolygonGeometry {
  type: 'Polygon';
  coordinates: number[][][];
}
export interface LineStringGeometry {
  type: 'LineString';
  coordinates: number[][];
}

export interface PatrolPlanFields {
  name: string;
  officerIds: string[];
  compoundIds: string[];
  area: PolygonGeometry | null;
  /** 1 = Monday … 7 = Sunday. */
  weekdays: number[];
  /** HH:MM Shanghai time; an end before the start is a night patrol that runs past midnight. */
  startTime: string;
  endTime: string;
  /** Civil dates, YYYY-MM-DD; validTo null: open-ended. */
  validFrom: string;
  validTo: string | null;
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (s: string) =>
  DATE.test(s) &&
  !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) &&
  new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

const point = (field: string, p: unknown): void => {
  if (
    !Array.isArray(p) ||
    p.length < 2 ||
    typeof p[0] !== 'number' ||
    typeof p[1] !== 'number' ||
    Math.abs(p[0]) > 180 ||
    Math.abs(p[1]) > 90
  )
    throw invalid('coordinateRange', { field, reason: 'range', value: JSON.stringify(p) });
};

/** Checks a plan's fields; throws Invalid naming the first wrong field. */
export function checkPlan(f: PatrolPlanFields): void {
  if (!f.name.trim()) throw invalid('fieldRequired', { field: 'name', reason: 'required' });
  if ([...f.name].length > 100) throw invalid('fieldTooLong', { field: 'name', reason: 'tooLong', max: 100 });
  if (f.officerIds.length === 0) throw invalid('fieldRequired', { field: 'officerIds', reason: 'required' });
  if (f.compoundIds.length === 0 && !f.area)
    throw invalid('patrolPlanGround', { field: 'compoundIds', reason: 'required' });
  if (f.area) {
    const ring = f.area.coordinates[0];
    if (f.area.type !== 'Polygon' || !ring || ring.length < 4)
      throw invalid('patrolAreaInvalid', { field: 'area', reason: 'format' });
    ring.forEach((p, i) => point(`area.coordinates[0][${i}]`, p));
  }
  if (
    f.weekdays.length === 0 ||
    f.weekdays.some((d) => !Number.isInteger(d) || d < 1 || d > 7) ||
    new Set(f.weekdays).size !== f.weekdays.length
  )
    throw invalid('patrolWeekdays', {
      field: 'weekdays',
      reason: 'format',
      value: JSON.stringify(f.weekdays),
    });
  for (const field of ['startTime', 'endTime'] as const)
    if (!TIME.test(f[field])) throw invalid('patrolTimeFormat', { field, reason: 'format', value: f[field] });
  if (f.startTime === f.endTime)
    throw invalid('patrolTimeWindow', { field: 'endTime', reason: 'empty', value: f.endTime });
  for (const field of ['validFrom', 'validTo'] as const) {
    const v = f[field];
    if (v !== null && !isDate(v)) throw invalid('patrolDateFormat', { field, reason: 'format', value: v });
  }
  if (f.validTo !== null && f.validTo < f.validFrom)
    throw invalid('patrolValidity', { field: 'validTo', reason: 'beforeFrom', value: f.validTo });
}

/** A track must be a LineString of at least two WGS-84 points. */
export function checkTrack(t: LineStringGeometry): void {
  if (t.type !== 'LineString' || t.coordinates.length < 2)
    throw invalid('patrolTrackInvalid', { field: 'track', reason: 'format' });
  t.coordinates.forEach((p, i) => point(`track.coordinates[${i}]`, p));
}

export interface CompoundCoverage {
  compound: { id: string; code: string; name: string };
  location: { lng: number; lat: number } | null;
  patrolled: boolean;
  /** Finished patrols that covered it in the period. */
  patrols: number;
  lastAt: string | null;
}

/** Coverage per compound: every compound, patrolled or not, with how often and when last. */
export function coverageOf(
  compounds: ReadonlyArray<{
    id: string;
    code: string;
    name: string;
    location: { lng: number; lat: number } | null;
  }>,
  counts: ReadonlyMap<string, { patrols: number; lastAt: string }>,
): CompoundCoverage[] {
  return compounds.map((c) => {
    const n = counts.get(c.id);
    return {
      compound: { id: c.id, code: c.code, name: c.name },
      location: c.location,
      patrolled: n !== undefined && n.patrols > 0,
      patrols: n?.patrols ?? 0,
      lastAt: n?.lastAt ?? null,
    };
  });
}

/** The coverage map: one point per located compound, coloured green when patrolled and red when not. */
export function coverageGeoJson(items: readonly CompoundCoverage[]) {
  return {
    type: 'FeatureCollection' as const,
    features: items.flatMap((i) =>
      i.location
        ? [
            {
              type: 'Feature' as const,
              geometry: { type: 'Point' as const, coordinates: [i.location.lng, i.location.lat] },
              properties: {
                id: i.compound.id,
                code: i.compound.code,
                name: i.compound.name,
                patrolled: i.patrolled,
                patrols: i.patrols,
                lastAt: i.lastAt,
                colour: i.patrolled ? '#52c41a' : '#f5222d',
              },
            },
          ]
        : [],
    ),
  };
}
