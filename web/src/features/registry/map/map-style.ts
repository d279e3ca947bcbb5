// The registry map's pure parts: the tile-less base style, the colours of cells and layers, bounds, and
// when a layer is too big to load whole. No MapLibre import here, so these load (and test) without WebGL.
import type { GeoJSONSource, StyleSpecification } from 'maplibre-gl';
import type { BBox } from '../registry-api';

/** The map's ground: no tile server, only a quiet background under our own GeoJSON. */
export const BACKGROUND_COLOUR = '#efece4';
/** The district outline: the console's header blue, bold. */
export const DISTRICT_COLOUR = '#0f3d7a';

/** A style with a background and nothing else; sources and layers are added from GeoJSON. No glyphs, so no text layers. */
export function baseStyle(): StyleSpecification {
  return {
    version: 8,
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': BACKGROUND_COLOUR } }],
  };
}

/** An empty FeatureCollection: a GeoJSON source's data before anything has loaded. */
export const EMPTY_FEATURES: Parameters<GeoJSONSource['setData']>[0] = {
  type: 'FeatureCollection',
  features: [],
};

/** Where the map looks before any layer has loaded: 闵行区, roughly (WGS-84). */
export const DEFAULT_BOUNDS: BBox = [121.26, 30.98, 121.56, 31.23];

/** Layers with more cells than this are loaded for the visible area only, and only when zoomed in. */
export const BIG_LAYER_CELLS = 3000;
/** The zoom from which a big layer (e.g. the unit grid, ~100 m cells) is loaded. */
export const BIG_LAYER_MIN_ZOOM = 14;

/** FNV-1a: a small, stable string hash. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A soft fill colour for a cell, stable for its code, so neighbouring cells are told apart and a cell keeps
 * its colour between visits. Golden-angle steps over the hash spread the hues.
 */
export function softColour(code: string): string {
  const h = hashString(code);
  const hue = Math.round(((h % 360) * 137.508) % 360);
  const saturation = 45 + ((h >>> 9) % 25);
  const lightness = 70 + ((h >>> 17) % 12);
  return `hsl(${hue}, ${saturation}%, ${lightness}%)`;
}

/** Outline colours, one per layer in the switcher's order. */
const OUTLINE_PALETTE = [
  '#1456b8',
  '#c41d7f',
  '#08979c',
  '#d46b08',
  '#389e0d',
  '#531dab',
  '#cf1322',
  '#7c8b99',
];
export const outlineColour = (index: number): string =>
  OUTLINE_PALETTE[((index % OUTLINE_PALETTE.length) + OUTLINE_PALETTE.length) % OUTLINE_PALETTE.length] ??
  '#1456b8';

/** Extends a box with every position found in nested GeoJSON coordinates. */
function extend(box: BBox | null, coordinates: unknown): BBox | null {
  if (!Array.isArray(coordinates)) return box;
  if (coordinates.length >= 2 && typeof coordinates[0] === 'number' && typeof coordinates[1] === 'number') {
    const [lng, lat] = coordinates as [number, number];
    if (!Number.isFinite(lng) || !Number.isFinite(lat)) return box;
    if (!box) return [lng, lat, lng, lat];
    return [Math.min(box[0], lng), Math.min(box[1], lat), Math.max(box[2], lng), Math.max(box[3], lat)];
  }
  let out = box;
  for (const part of coordinates) out = extend(out, part);
  return out;
}

/** The bounding box of a FeatureCollection's geometries, or null when it has none. */
export function collectionBounds(fc: { features: ReadonlyArray<{ geometry: unknown }> }): BBox | null {
  let box: BBox | null = null;
  for (const f of fc.features) {
    const g = f.geometry as { coordinates?: unknown } | null;
    if (g && 'coordinates' in g) box = extend(box, g.coordinates);
  }
  return box;
}

/** Grows a box by a share of its size on every side (so small pans need no new request). */
export function padBounds([minLng, minLat, maxLng, maxLat]: BBox, share: number): BBox {
  const dx = (maxLng - minLng) * share;
  const dy = (maxLat - minLat) * share;
  return [minLng - dx, minLat - dy, maxLng + dx, maxLat + dy];
}

/** True when `inner` lies wholly inside `outer`. */
export const containsBounds = (outer: BBox, inner: BBox): boolean =>
  inner[0] >= outer[0] && inner[1] >= outer[1] && inner[2] <= outer[2] && inner[3] <= outer[3];

/** How a layer is loaded: whole, or by the visible area once the map is zoomed in far enough. */
export const isBigLayer = (cellCount: number): boolean => cellCount > BIG_LAYER_CELLS;
