// The imperative half of the registry map: one MapLibre map, a GeoJSON source per grid layer, and the
// rules for loading cells (whole small layers once; big layers for the visible area when zoomed in,
// refetched after the map stops moving). The React page owns the state and draws the controls around it.
import type { GeoJSONSource, Map as MapLibreMap, MapMouseEvent, StyleSpecification } from 'maplibre-gl';
import type { ApiClient } from '../../../api/client';
import {
  DISTRICT_LAYER,
  fetchLayerCells,
  type BBox,
  type CellCollection,
  type Compound,
  type GridLayerSummaryRow,
} from '../registry-api';
import {
  BIG_LAYER_MIN_ZOOM,
  collectionBounds,
  containsBounds,
  DISTRICT_COLOUR,
  EMPTY_FEATURES,
  isBigLayer,
  outlineColour,
  padBounds,
  softColour,
} from './map-style';
import type { loadMaplibre } from './maplibre-loader';

type MapLibre = Awaited<ReturnType<typeof loadMaplibre>>;
type SourceData = Parameters<GeoJSONSource['setData']>[0];

export type LayerLoadState =
  | { state: 'hidden' }
  | { state: 'loading' }
  | { state: 'loaded'; cells: number; partial: boolean }
  /** A big layer below the zoom at which it is loaded. */
  | { state: 'zoomIn' }
  | { state: 'error'; error: unknown };

export interface HoverInfo {
  x: number;
  y: number;
  kind: 'cell' | 'compound';
  layer: string;
  code: string;
  name: string | null;
  active?: boolean;
}

export interface MapView {
  center: [number, number];
  zoom: number;
  bounds: BBox;
}

export interface GridMapCallbacks {
  onLayerState: (layer: string, state: LayerLoadState) => void;
  onHover: (hover: HoverInfo | null) => void;
  onView: (view: MapView) => void;
}

const COMPOUNDS = 'compounds';
const sourceId = (layer: string) => `grid:${layer}`;
const fillId = (layer: string) => `grid:${layer}:fill`;
const lineId = (layer: string) => `grid:${layer}:line`;
/** How long the map must rest before a big layer is fetched for the new view. */
const MOVE_DEBOUNCE_MS = 350;

interface LayerEntry {
  row: GridLayerSummaryRow;
  visible: boolean;
  /** Small layers: loaded once. Big layers: the box the current data covers. */
  loadedOnce: boolean;
  coveredBox: BBox | null;
  request: AbortController | null;
  bounds: BBox | null;
}

/** Adds a stable soft colour to each cell (by code), used by the fill layer. */
function colourCells(fc: CellCollection): SourceData {
  return {
    type: 'FeatureCollection',
    features: fc.features.map((f) => ({
      ...f,
      properties: { ...f.properties, _fill: softColour(String(f.properties.code)) },
    })),
  } as SourceData;
}

export class GridMap {
  readonly map: MapLibreMap;
  private readonly layers = new Map<string, LayerEntry>();
  private hovered: { source: string; id: string | number } | null = null;
  private moveTimer: ReturnType<typeof setTimeout> | null = null;
  private destroyed = false;

  constructor(
    private readonly maplibre: MapLibre,
    container: HTMLElement,
    style: StyleSpecification,
    bounds: BBox,
    private readonly api: ApiClient,
    private readonly callbacks: GridMapCallbacks,
  ) {
    this.map = new maplibre.Map({
      container,
      style,
      bounds: [
        [bounds[0], bounds[1]],
        [bounds[2], bounds[3]],
      ],
      fitBoundsOptions: { padding: 24 },
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      maxZoom: 19,
    });
    this.map.touchZoomRotate.disableRotation();
    this.map.addControl(new maplibre.NavigationControl({ showCompass: false }), 'top-right');
    this.map.addControl(new maplibre.ScaleControl({ unit: 'metric' }), 'bottom-left');
    this.map.on('mousemove', (e) => this.hover(e));
    this.map.on('mouseout', () => this.clearHover());
    this.map.on('moveend', () => {
      this.reportView();
      if (this.moveTimer) clearTimeout(this.moveTimer);
      this.moveTimer = setTimeout(() => this.refreshBigLayers(), MOVE_DEBOUNCE_MS);
    });
    this.map.on('load', () => this.reportView());
  }

  /** Resolves when the style has loaded and sources may be added. */
  ready(): Promise<void> {
    if (this.map.isStyleLoaded()) return Promise.resolve();
    return new Promise((resolve) => this.map.once('load', () => resolve()));
  }

  /**
   * Creates a source and its fill and outline layers for every grid layer, in the order given (later ones
   * drawn above), with the district outline on top and the compound points above everything.
   */
  setLayers(rows: readonly GridLayerSummaryRow[]): void {
    const ordered = [
      ...rows.filter((r) => r.name !== DISTRICT_LAYER),
      ...rows.filter((r) => r.name === DISTRICT_LAYER),
    ];
    ordered.forEach((row, index) => {
      if (this.layers.has(row.name)) return;
      const isDistrict = row.name === DISTRICT_LAYER;
      this.map.addSource(sourceId(row.name), { type: 'geojson', data: EMPTY_FEATURES, promoteId: 'code' });
      const beforeId = this.map.getLayer(COMPOUNDS) ? COMPOUNDS : undefined;
      this.map.addLayer(
        {
          id: fillId(row.name),
          type: 'fill',
          source: sourceId(row.name),
          layout: { visibility: 'none' },
          paint: isDistrict
            ? { 'fill-color': '#ffffff', 'fill-opacity': 0.45 }
            : {
                'fill-color': ['coalesce', ['get', '_fill'], '#cfd8e3'],
                'fill-opacity': ['case', ['boolean', ['feature-state', 'hover'], false], 0.85, 0.5],
              },
        },
        isDistrict ? this.firstGridLayerId() : beforeId,
      );
      this.map.addLayer(
        {
          id: lineId(row.name),
          type: 'line',
          source: sourceId(row.name),
          layout: { visibility: 'none', 'line-join': 'round' },
          paint: isDistrict
            ? { 'line-color': DISTRICT_COLOUR, 'line-width': 3.5 }
            : {
                'line-color': outlineColour(index),
                'line-width': ['case', ['boolean', ['feature-state', 'hover'], false], 2.5, 1],
              },
        },
        beforeId,
      );
      this.layers.set(row.name, {
        row,
        visible: false,
        loadedOnce: false,
        coveredBox: null,
        request: null,
        bounds: null,
      });
    });
  }

  /** Shows and hides layers; a newly shown layer loads its cells. */
  setVisible(names: ReadonlySet<string>): void {
    for (const [name, entry] of this.layers) {
      const visible = names.has(name);
      if (visible === entry.visible) continue;
      entry.visible = visible;
      const visibility = visible ? 'visible' : 'none';
      this.map.setLayoutProperty(fillId(name), 'visibility', visibility);
      this.map.setLayoutProperty(lineId(name), 'visibility', visibility);
      if (!visible) {
        entry.request?.abort();
        entry.request = null;
        this.callbacks.onLayerState(name, { state: 'hidden' });
        continue;
      }
      void this.load(entry);
    }
  }

  /** Compound points (only those with a location); inactive ones drawn grey. */
  setCompounds(compounds: readonly Compound[], visible: boolean): void {
    const data = {
      type: 'FeatureCollection',
      features: compounds
        .filter((c) => c.location)
        .map((c) => ({
          type: 'Feature',
          properties: { id: c.id, code: c.code, name: c.name, active: c.active },
          geometry: { type: 'Point', coordinates: [c.location?.lng ?? 0, c.location?.lat ?? 0] },
        })),
    } as SourceData;
    const source = this.map.getSource<GeoJSONSource>(COMPOUNDS);
    if (source) void source.setData(data);
    else {
      this.map.addSource(COMPOUNDS, { type: 'geojson', data });
      this.map.addLayer({
        id: COMPOUNDS,
        type: 'circle',
        source: COMPOUNDS,
        paint: {
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 3, 16, 7],
          'circle-color': ['case', ['boolean', ['get', 'active'], true], '#d4380d', '#9aa4b1'],
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 1.5,
        },
      });
    }
    this.map.setLayoutProperty(COMPOUNDS, 'visibility', visible ? 'visible' : 'none');
  }

  /** Fits the map to the district if it is loaded, else to the first shown layer with cells. */
  fitToContent(animate = false): boolean {
    const district = this.layers.get(DISTRICT_LAYER);
    const candidates = [
      ...(district?.visible && district.bounds ? [district] : []),
      ...[...this.layers.values()].filter((e) => e.visible && e.bounds && !isBigLayer(e.row.cellCount)),
    ];
    const box = candidates[0]?.bounds;
    if (!box) return false;
    this.map.fitBounds(
      [
        [box[0], box[1]],
        [box[2], box[3]],
      ],
      { padding: 32, duration: animate ? 400 : 0, maxZoom: 17 },
    );
    return true;
  }

  /** The box of a loaded layer, if it has one. */
  boundsOf(layer: string): BBox | null {
    return this.layers.get(layer)?.bounds ?? null;
  }

  destroy(): void {
    this.destroyed = true;
    if (this.moveTimer) clearTimeout(this.moveTimer);
    for (const entry of this.layers.values()) entry.request?.abort();
    this.map.remove();
  }

  private firstGridLayerId(): string | undefined {
    for (const name of this.layers.keys()) if (name !== DISTRICT_LAYER) return fillId(name);
    return this.map.getLayer(COMPOUNDS) ? COMPOUNDS : undefined;
  }

  private currentBounds(): BBox {
    const b = this.map.getBounds();
    return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
  }

  private reportView(): void {
    if (this.destroyed) return;
    const c = this.map.getCenter();
    this.callbacks.onView({ center: [c.lng, c.lat], zoom: this.map.getZoom(), bounds: this.currentBounds() });
  }

  private refreshBigLayers(): void {
    for (const entry of this.layers.values()) {
      if (entry.visible && isBigLayer(entry.row.cellCount)) void this.load(entry);
    }
  }

  private async load(entry: LayerEntry): Promise<void> {
    const name = entry.row.name;
    const source = this.map.getSource<GeoJSONSource>(sourceId(name));
    if (!source) return;
    const big = isBigLayer(entry.row.cellCount);
    let bbox: BBox | undefined;
    if (big) {
      if (this.map.getZoom() < BIG_LAYER_MIN_ZOOM) {
        entry.request?.abort();
        entry.request = null;
        entry.coveredBox = null;
        void source.setData(EMPTY_FEATURES);
        this.callbacks.onLayerState(name, { state: 'zoomIn' });
        return;
      }
      const view = this.currentBounds();
      if (entry.coveredBox && containsBounds(entry.coveredBox, view)) return;
      bbox = padBounds(view, 0.25);
    } else if (entry.loadedOnce) {
      return;
    }

    entry.request?.abort();
    const controller = new AbortController();
    entry.request = controller;
    this.callbacks.onLayerState(name, { state: 'loading' });
    try {
      const fc = await fetchLayerCells(this.api, name, bbox, controller.signal);
      if (controller.signal.aborted || this.destroyed) return;
      await source.setData(colourCells(fc));
      entry.request = null;
      entry.loadedOnce = !big;
      entry.coveredBox = bbox ?? null;
      if (!big) entry.bounds = collectionBounds(fc);
      this.callbacks.onLayerState(name, { state: 'loaded', cells: fc.features.length, partial: big });
    } catch (error) {
      if (controller.signal.aborted || this.destroyed) return;
      entry.request = null;
      this.callbacks.onLayerState(name, { state: 'error', error });
    }
  }

  private interactiveLayers(): string[] {
    const ids = [...this.layers.entries()]
      .filter(([name, e]) => e.visible && name !== DISTRICT_LAYER)
      .map(([name]) => fillId(name));
    if (this.map.getLayer(COMPOUNDS) && this.map.getLayoutProperty(COMPOUNDS, 'visibility') !== 'none') {
      ids.push(COMPOUNDS);
    }
    return ids;
  }

  private hover(e: MapMouseEvent): void {
    const layers = this.interactiveLayers();
    const features = layers.length > 0 ? this.map.queryRenderedFeatures(e.point, { layers }) : [];
    // Points are small and drawn on top: they win over the cell under them.
    const feature = features.find((f) => f.layer.id === COMPOUNDS) ?? features[0];
    if (!feature) {
      this.clearHover();
      return;
    }
    const props = feature.properties as Record<string, unknown>;
    const name = typeof props.name === 'string' && props.name !== '' ? props.name : null;
    if (feature.layer.id === COMPOUNDS) {
      this.setHovered(null);
      this.map.getCanvas().style.cursor = 'pointer';
      this.callbacks.onHover({
        x: e.point.x,
        y: e.point.y,
        kind: 'compound',
        layer: COMPOUNDS,
        code: String(props.code ?? ''),
        name,
        active: props.active !== false,
      });
      return;
    }
    const layer = feature.source.replace(/^grid:/, '');
    if (feature.id !== undefined) this.setHovered({ source: feature.source, id: feature.id });
    this.map.getCanvas().style.cursor = 'default';
    this.callbacks.onHover({
      x: e.point.x,
      y: e.point.y,
      kind: 'cell',
      layer,
      code: String(props.code ?? ''),
      name,
    });
  }

  private setHovered(next: { source: string; id: string | number } | null): void {
    if (this.hovered && (this.hovered.source !== next?.source || this.hovered.id !== next.id)) {
      this.map.setFeatureState(this.hovered, { hover: false });
    }
    if (next) this.map.setFeatureState(next, { hover: true });
    this.hovered = next;
  }

  private clearHover(): void {
    this.setHovered(null);
    this.map.getCanvas().style.cursor = '';
    this.callbacks.onHover(null);
  }
}
