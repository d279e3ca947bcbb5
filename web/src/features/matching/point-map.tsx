import { Spin } from 'antd';
import type { ExpressionSpecification, GeoJSONSource, Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useSession } from '../../auth/session-context';
import { baseStyle, collectionBounds, DEFAULT_BOUNDS, DISTRICT_COLOUR } from '../registry/map/map-style';
import { loadMaplibre } from '../registry/map/maplibre-loader';
import { fetchLayerCells } from '../registry/registry-api';

type SourceData = Parameters<GeoJSONSource['setData']>[0];
export interface PointFeature {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: Record<string, string | number | boolean | null>;
}
const OUTLINES = 'm-outlines';
const POINTS = 'm-points';
const EMPTY: SourceData = { type: 'FeatureCollection', features: [] };
const OUTLINE_LAYERS = ['district', 'subdistricts'];

/**
 * A MapLibre map of points over the district's and subdistricts' outlines (no tiles): one circle layer
 * coloured by `colour` (an expression over the features' properties), a legend drawn over it, and a click on
 * a point handing its `id` property to `onPick`.
 */
export function PointMap(props: {
  features: PointFeature[] | undefined;
  colour: ExpressionSpecification | string;
  legend: ReactNode;
  onPick?: (id: string) => void;
  testId: string;
  onError: (e: unknown) => void;
}) {
  const { api } = useSession();
  const containerRef = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<MapLibreMap | null>(null);
  const pickRef = useRef(props.onPick);
  pickRef.current = props.onPick;
  const errorRef = useRef(props.onError);
  errorRef.current = props.onError;
  const colour = props.colour;

  useEffect(() => {
    let cancelled = false;
    let created: MapLibreMap | null = null;
    loadMaplibre().then(
      (maplibre) => {
        if (cancelled || !containerRef.current) return;
        try {
          created = new maplibre.Map({
            container: containerRef.current,
            style: baseStyle(),
            bounds: [
              [DEFAULT_BOUNDS[0], DEFAULT_BOUNDS[1]],
              [DEFAULT_BOUNDS[2], DEFAULT_BOUNDS[3]],
            ],
            attributionControl: false,
            dragRotate: false,
            maxZoom: 19,
          });
          created.addControl(new maplibre.NavigationControl({ showCompass: false }), 'top-right');
          created.addControl(new maplibre.ScaleControl({ unit: 'metric' }), 'bottom-left');
          const ready = created;
          ready.on('load', () => {
            if (cancelled) return;
            ready.addSource(OUTLINES, { type: 'geojson', data: EMPTY });
            ready.addSource(POINTS, { type: 'geojson', data: EMPTY });
            ready.addLayer({ id: `${OUTLINES}-fill`, type: 'fill', source: OUTLINES, paint: { 'fill-color': '#ffffff', 'fill-opacity': 0.35 } });
            ready.addLayer({
              id: OUTLINES,
              type: 'line',
              source: OUTLINES,
              paint: {
                'line-color': ['case', ['==', ['get', '_layer'], 'district'], DISTRICT_COLOUR, '#7c8b99'],
                'line-width': ['case', ['==', ['get', '_layer'], 'district'], 3, 1],
              },
            });
            ready.addLayer({
              id: POINTS,
              type: 'circle',
              source: POINTS,
              paint: {
                'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 3.5, 14, 7],
                'circle-color': colour,
                'circle-stroke-color': '#ffffff',
                'circle-stroke-width': 1,
              },
            });
            ready.on('click', (e: MapMouseEvent) => {
              const hit = ready.queryRenderedFeatures(
                [
                  [e.point.x - 6, e.point.y - 6],
                  [e.point.x + 6, e.point.y + 6],
                ],
                { layers: [POINTS] },
              )[0];
              const id = hit?.properties.id as unknown;
              if (typeof id === 'string') pickRef.current?.(id);
            });
            ready.on('mousemove', (e) => {
              const over = ready.queryRenderedFeatures(e.point, { layers: [POINTS] }).length > 0;
              ready.getCanvas().style.cursor = over ? 'pointer' : '';
            });
            setMap(ready);
          });
        } catch (e) {
          errorRef.current(e);
        }
      },
      (e: unknown) => {
        if (!cancelled) errorRef.current(e);
      },
    );
    return () => {
      cancelled = true;
      created?.remove();
      setMap(null);
    };
    // The colour expression is fixed per map; a new one would need a new layer.
  }, []);

  useEffect(() => {
    if (!map) return;
    const controller = new AbortController();
    Promise.all(OUTLINE_LAYERS.map((name) => fetchLayerCells(api, name, undefined, controller.signal))).then(
      (collections) => {
        if (controller.signal.aborted) return;
        const features = collections.flatMap((fc, i) =>
          fc.features.map((f) => ({ ...f, properties: { code: f.properties.code, _layer: OUTLINE_LAYERS[i] } })),
        );
        void map.getSource<GeoJSONSource>(OUTLINES)?.setData({ type: 'FeatureCollection', features } as SourceData);
        const box = collections[0] ? collectionBounds(collections[0]) : null;
        if (box)
          map.fitBounds(
            [
              [box[0], box[1]],
              [box[2], box[3]],
            ],
            { padding: 16, duration: 0 },
          );
      },
      () => {},
    );
    return () => controller.abort();
  }, [map, api]);

  useEffect(() => {
    if (map && props.features)
      void map.getSource<GeoJSONSource>(POINTS)?.setData({ type: 'FeatureCollection', features: props.features } as SourceData);
  }, [map, props.features]);

  return (
    <div className="og-match-map" data-testid={props.testId} data-map-state={map ? 'ready' : 'loading'} data-count={props.features?.length}>
      <div ref={containerRef} className="og-match-map-canvas" />
      {map ? null : (
        <div className="og-match-map-overlay">
          <Spin />
        </div>
      )}
      <div className="og-match-legend">{props.legend}</div>
    </div>
  );
}
