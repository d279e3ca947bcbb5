/** Plain GeoJSON coordinate shapes; the geometry core works on these, always [lng, lat] in degrees. */
export type Position = [number, number];
export type Ring = Position[];
export type PolygonCoords = Ring[];
export type MultiPolygonCoords = PolygonCoords[];

export interface PolygonGeometry {
  type: 'Polygon';
  coordinates: PolygonCoords;
}
export interface MultiPolygonGeometry {
  type: 'MultiPolygon';
  coordinates: MultiPolygonCoords;
}
export type AreaGeometry = PolygonGeometry | MultiPolygonGeometry;

/** [minLng, minLat, maxLng, maxLat]. */
export type BBox = [number, number, number, number];

/** Where a point lies relative to an area. */
export type PointLocation = 'inside' | 'boundary' | 'outside';

/** The coordinate systems a layer or a point may be declared in; storage is always WGS-84. */
export type Crs = 'wgs84' | 'gcj02' | 'bd09';
export const CRS_VALUES: readonly Crs[] = ['wgs84', 'gcj02', 'bd09'];

/** Every area geometry as MultiPolygon coordinates, so callers handle one shape. */
export function toMultiPolygonCoords(geometry: AreaGeometry): MultiPolygonCoords {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}
