import { Spin } from 'antd';
import type { ExpressionSpecification, GeoJSONSource, MapMouseEvent } from 'maplibre-gl';
import { useEffect, useRef, type ReactNode } from 'react';
import { useSession } from '../../auth/session-context';
import { EMPTY_FEATURES } from '../registry/map/map-style';
import { addOutlineLayers, loadOutlines, useBaseMap } from '../registry/map/use-base-map';

type SourceData = Parameters<GeoJSONSource['setData']>[0];
export interface PointFeature {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: Record<string, string | number | boolean | null>;
}
const OUTLINES = 'm-outlines';
const POINTS = 'm-points';
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
  const pickRef = useRef(props.onPick);
  pickRef.current = props.onPick;
  const errorRef = useRef(props.onError);
  errorRef.current = props.onError;
  const colour = props.colour;

  // The colour expression is fixed per map (the options are read once); a new one would need a new layer.
  const { map, error } = useBaseMap(containerRef, {
    maxZoom: 19,
    onLoad: (ready) => {
      addOutlineLayers(ready, OUTLINES);
      ready.addSource(POINTS, { type: 'geojson', data: EMPTY_FEATURES });
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
    },
  });

  useEffect(() => {
    if (error) errorRef.current(error);
  }, [error]);

  useEffect(() => {
    if (!map) return;
    const controller = new AbortController();
    loadOutlines(map, api, OUTLINES, OUTLINE_LAYERS, controller.signal).catch(() => {});
    return () => controller.abort();
  }, [map, api]);

  useEffect(() => {
    if (map && props.features)
      void map
        .getSource<GeoJSONSource>(POINTS)
        ?.setData({ type: 'FeatureCollection', features: props.features } as SourceData);
  }, [map, props.features]);

  return (
    <div
      className="og-match-map"
      data-testid={props.testId}
      data-map-state={map ? 'ready' : 'loading'}
      data-count={props.features?.length}
    >
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
