// The set-up every small MapLibre map in the console shares (cases, matching, intake, import preview): the
// tile-less base style over the district, no attribution, no drag-rotate, zoom buttons without a compass,
// a metric scale, and the map handed out only once its style has loaded. Plus the district/subdistrict
// outlines several of them draw for orientation.
import type { GeoJSONSource, Map as MapLibreMap, MapOptions } from 'maplibre-gl';
import { useEffect, useRef, useState, type RefObject } from 'react';
import type { ApiClient } from '../../../api/client';
import { fetchLayerCells, type BBox } from '../registry-api';
import { baseStyle, collectionBounds, DEFAULT_BOUNDS, DISTRICT_COLOUR, EMPTY_FEATURES } from './map-style';
import { loadMaplibre } from './maplibre-loader';

export type MapLibre = Awaited<ReturnType<typeof loadMaplibre>>;
type SourceData = Parameters<GeoJSONSource['setData']>[0];

export interface BaseMapOptions {
  /** Where the map looks first (WGS-84); the district by default. */
  bounds?: BBox;
  /** MapLibre's own default (22) when not given. */
  maxZoom?: number;
  /** False turns pitching by right-drag off. */
  pitchWithRotate?: boolean;
  /** False turns two-finger pitching off. */
  touchPitch?: boolean;
  /** False turns two-finger rotation off (pinch-zoom stays). */
  touchRotate?: boolean;
  /** The metric scale bottom left; on by default. */
  scale?: boolean;
  /** Right after the map is made, before its style has loaded (e.g. to listen to 'moveend'). */
  onCreate?: (map: MapLibreMap, maplibre: MapLibre) => void;
  /** Once the style has loaded, before `map` is returned: add sources, layers and handlers here. */
  onLoad?: (map: MapLibreMap, maplibre: MapLibre) => void;
}

/**
 * A MapLibre map in `containerRef`'s element, made once on mount and removed on unmount. `map` is null until
 * the style has loaded (and `onLoad` has run); `error` is set when MapLibre cannot be loaded or the map
 * cannot be made (e.g. no WebGL). The options are read once, on mount.
 */
export function useBaseMap(
  containerRef: RefObject<HTMLElement | null>,
  options: BaseMapOptions = {},
): { map: MapLibreMap | null; error: unknown } {
  const [map, setMap] = useState<MapLibreMap | null>(null);
  const [error, setError] = useState<unknown>(null);
  const optionsRef = useRef(options);

  useEffect(() => {
    const {
      bounds = DEFAULT_BOUNDS,
      maxZoom,
      pitchWithRotate,
      touchPitch,
      touchRotate,
      scale = true,
    } = optionsRef.current;
    const { onCreate, onLoad } = optionsRef.current;
    let cancelled = false;
    let created: MapLibreMap | null = null;
    loadMaplibre().then(
      (maplibre) => {
        if (cancelled || !containerRef.current) return;
        try {
          // Only the options given: an explicit undefined would replace MapLibre's default.
          const mapOptions: MapOptions = {
            container: containerRef.current,
            style: baseStyle(),
            bounds: [
              [bounds[0], bounds[1]],
              [bounds[2], bounds[3]],
            ],
            attributionControl: false,
            dragRotate: false,
          };
          if (pitchWithRotate !== undefined) mapOptions.pitchWithRotate = pitchWithRotate;
          if (touchPitch !== undefined) mapOptions.touchPitch = touchPitch;
          if (maxZoom !== undefined) mapOptions.maxZoom = maxZoom;
          created = new maplibre.Map(mapOptions);
          if (touchRotate === false) created.touchZoomRotate.disableRotation();
          created.addControl(new maplibre.NavigationControl({ showCompass: false }), 'top-right');
          if (scale) created.addControl(new maplibre.ScaleControl({ unit: 'metric' }), 'bottom-left');
          const ready = created;
          onCreate?.(ready, maplibre);
          ready.on('load', () => {
            if (cancelled) return;
            onLoad?.(ready, maplibre);
            setMap(ready);
          });
        } catch (e) {
          setError(e);
        }
      },
      (e: unknown) => {
        if (!cancelled) setError(e);
      },
    );
    return () => {
      cancelled = true;
      created?.remove();
      setMap(null);
    };
  }, [containerRef]);

  return { map, error };
}

/**
 * The outlines source `id` (empty until `loadOutlines`) with a faint white fill (`${id}-fill`) and a line
 * layer (`id`): the district bold in its blue, other layers (subdistricts) thin and grey.
 */
export function addOutlineLayers(map: MapLibreMap, id: string): void {
  map.addSource(id, { type: 'geojson', data: EMPTY_FEATURES });
  map.addLayer({
    id: `${id}-fill`,
    type: 'fill',
    source: id,
    paint: { 'fill-color': '#ffffff', 'fill-opacity': 0.35 },
  });
  map.addLayer({
    id,
    type: 'line',
    source: id,
    paint: {
      'line-color': ['case', ['==', ['get', '_layer'], 'district'], DISTRICT_COLOUR, '#7c8b99'],
      'line-width': ['case', ['==', ['get', '_layer'], 'district'], 3, 1],
    },
  });
}

/**
 * Fetches the grid layers `names` (the district first) into the outlines source `id` and, when `fit`, fits
 * the map to the first of them. Resolves true once drawn, false when `signal` was aborted meanwhile; rejects
 * when a fetch fails.
 */
export async function loadOutlines(
  map: MapLibreMap,
  api: ApiClient,
  id: string,
  names: readonly string[],
  signal: AbortSignal,
  fit = true,
): Promise<boolean> {
  const collections = await Promise.all(names.map((name) => fetchLayerCells(api, name, undefined, signal)));
  if (signal.aborted) return false;
  const features = collections.flatMap((fc, i) =>
    fc.features.map((f) => ({ ...f, properties: { code: f.properties.code, _layer: names[i] } })),
  );
  void map.getSource<GeoJSONSource>(id)?.setData({ type: 'FeatureCollection', features } as SourceData);
  const first = collections[0];
  const box = first ? collectionBounds(first) : null;
  if (box && fit)
    map.fitBounds(
      [
        [box[0], box[1]],
        [box[2], box[3]],
      ],
      { padding: 16, duration: 0 },
    );
  return true;
}
