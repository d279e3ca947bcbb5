import { Alert, Spin } from 'antd';
import type { GeoJSONSource, Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import { useSession } from '../../auth/session-context';
import { useT } from '../../i18n/i18n';
import { EMPTY_FEATURES } from '../registry/map/map-style';
import { addOutlineLayers, loadOutlines, useBaseMap } from '../registry/map/use-base-map';
import type { Point } from './intake-api';
import './intake.css';

type SourceData = Parameters<GeoJSONSource['setData']>[0];

/** A dot on the map: a report (console), a nearby open case (phone), or the selected one. */
export interface MapPoint {
  id: string;
  lng: number;
  lat: number;
  kind: 'report' | 'nearby' | 'selected';
}

const OUTLINES = 'intake-outlines';
const POINTS = 'intake-points';
const PICKED = 'intake-picked';

const COLOURS: Record<MapPoint['kind'], string> = {
  report: '#fa8c16',
  nearby: '#722ed1',
  selected: '#cf1322',
};

const pointsData = (points: readonly MapPoint[]): SourceData =>
  ({
    type: 'FeatureCollection',
    features: points.map((p) => ({
      type: 'Feature',
      properties: { id: p.id, kind: p.kind, colour: COLOURS[p.kind] },
      geometry: { type: 'Point', coordinates: [p.lng, p.lat] },
    })),
  }) as SourceData;

const pickedData = (p: Point | null): SourceData =>
  (p
    ? {
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [p.lng, p.lat] } },
        ],
      }
    : EMPTY_FEATURES) as SourceData;

/**
 * The intake map: the registry map's approach (MapLibre over a plain background, our own GeoJSON, no tile
 * server) with what intake needs: outline layers for orientation (only for signed-in staff: the layers'
 * GeoJSON is not public), dots for reports or nearby cases, and a picked point that a tap or click sets.
 * `data-center` and `data-zoom` on the frame let a browser test find a coordinate's pixel.
 */
export function IntakeMap({
  points = [],
  picked = null,
  onPick,
  onPointClick,
  focus = null,
  outlineLayers = [],
  className,
  testId = 'intake-map',
}: {
  points?: readonly MapPoint[];
  picked?: Point | null;
  onPick?: (p: Point) => void;
  onPointClick?: (id: string) => void;
  focus?: { point: Point; zoom: number } | null;
  /** Grid layers drawn as outlines (e.g. district, subdistricts); skipped when nobody is signed in. */
  outlineLayers?: readonly string[];
  className?: string;
  testId?: string;
}) {
  const t = useT();
  const { api, session } = useSession();
  const containerRef = useRef<HTMLDivElement>(null);
  const [view, setView] = useState<{ center: [number, number]; zoom: number } | null>(null);
  const [outlines, setOutlines] = useState<'none' | 'loading' | 'loaded'>('none');
  const handlers = useRef({ onPick, onPointClick });
  handlers.current = { onPick, onPointClick };

  const reportView = (m: MapLibreMap) => {
    const c = m.getCenter();
    setView({ center: [c.lng, c.lat], zoom: m.getZoom() });
  };
  const { map, error } = useBaseMap(containerRef, {
    maxZoom: 19,
    pitchWithRotate: false,
    touchPitch: false,
    touchRotate: false,
    onCreate: (created) => {
      created.on('moveend', () => reportView(created));
    },
    onLoad: (ready) => {
      addOutlineLayers(ready, OUTLINES);
      ready.addSource(POINTS, { type: 'geojson', data: EMPTY_FEATURES });
      ready.addSource(PICKED, { type: 'geojson', data: EMPTY_FEATURES });
      ready.addLayer({
        id: POINTS,
        type: 'circle',
        source: POINTS,
        paint: {
          'circle-radius': ['case', ['==', ['get', 'kind'], 'selected'], 9, 6],
          'circle-color': ['get', 'colour'],
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 2,
        },
      });
      ready.addLayer({
        id: `${PICKED}-halo`,
        type: 'circle',
        source: PICKED,
        paint: { 'circle-radius': 18, 'circle-color': '#1456b8', 'circle-opacity': 0.18 },
      });
      ready.addLayer({
        id: PICKED,
        type: 'circle',
        source: PICKED,
        paint: {
          'circle-radius': 8,
          'circle-color': '#1456b8',
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 3,
        },
      });
      ready.on('click', (e: MapMouseEvent) => {
        const hit = ready.queryRenderedFeatures(
          [
            [e.point.x - 8, e.point.y - 8],
            [e.point.x + 8, e.point.y + 8],
          ],
          { layers: [POINTS] },
        )[0];
        const id = hit?.properties.id as unknown;
        if (typeof id === 'string' && handlers.current.onPointClick) {
          handlers.current.onPointClick(id);
          return;
        }
        handlers.current.onPick?.({ lng: e.lngLat.lng, lat: e.lngLat.lat });
      });
      ready.on('mousemove', (e) => {
        const over = ready.queryRenderedFeatures(e.point, { layers: [POINTS] }).length > 0;
        ready.getCanvas().style.cursor = over || handlers.current.onPick ? 'pointer' : '';
      });
      reportView(ready);
    },
  });

  // Outlines for orientation: the layers' GeoJSON needs a signed-in user (registry:read).
  const signedIn = session.status === 'signedIn';
  const layerKey = outlineLayers.join(',');
  useEffect(() => {
    if (!map || !signedIn || layerKey === '') return;
    const controller = new AbortController();
    loadOutlines(map, api, OUTLINES, layerKey.split(','), controller.signal, !focus).then(
      (drawn) => {
        if (drawn) setOutlines('loaded');
      },
      () => {
        // Orientation only: without the outlines the map still picks points.
        if (!controller.signal.aborted) setOutlines('none');
      },
    );
    return () => controller.abort();
    // `focus` is read once, when the outlines arrive; it has its own effect.
  }, [map, api, signedIn, layerKey]);

  useEffect(() => {
    if (map) void map.getSource<GeoJSONSource>(POINTS)?.setData(pointsData(points));
  }, [map, points]);

  useEffect(() => {
    if (map) void map.getSource<GeoJSONSource>(PICKED)?.setData(pickedData(picked));
  }, [map, picked]);

  const focusKey = focus ? `${focus.point.lng},${focus.point.lat},${focus.zoom}` : '';
  useEffect(() => {
    if (!map || !focus) return;
    map.jumpTo({ center: [focus.point.lng, focus.point.lat], zoom: focus.zoom });
    // focusKey stands for focus: a new object with the same place does not move the map.
  }, [map, focusKey]);

  if (error)
    return <Alert type="error" showIcon title={t('intake.map.unavailable')} description={String(error)} />;
  return (
    <div
      className={`og-intake-map ${className ?? ''}`}
      data-testid={testId}
      data-map-state={map ? 'ready' : 'loading'}
      data-center={view ? `${view.center[0].toFixed(6)},${view.center[1].toFixed(6)}` : undefined}
      data-zoom={view ? view.zoom.toFixed(3) : undefined}
      data-outlines={outlines}
    >
      <div ref={containerRef} className="og-intake-map-canvas" />
      {map ? null : (
        <div className="og-intake-map-overlay">
          <Spin />
        </div>
      )}
    </div>
  );
}
