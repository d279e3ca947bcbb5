import { Alert, Spin } from 'antd';
import type { GeoJSONSource } from 'maplibre-gl';
import { useEffect, useRef } from 'react';
import { useT } from '../../../i18n/i18n';
import type { Finding } from '../registry-api';
import { collectionBounds, EMPTY_FEATURES, softColour } from './map-style';
import { useBaseMap } from './use-base-map';

type SourceData = Parameters<GeoJSONSource['setData']>[0];

export interface PreviewFeatureCollection {
  type: 'FeatureCollection';
  features: Array<{ type: 'Feature'; properties: Record<string, unknown> | null; geometry: unknown }>;
}

const CELLS = 'preview-cells';
const FINDINGS = 'preview-findings';

function cellsData(fc: PreviewFeatureCollection, codeField: string): SourceData {
  return {
    type: 'FeatureCollection',
    features: fc.features.map((f, i) => ({
      type: 'Feature',
      geometry: f.geometry,
      properties: { _fill: softColour(String(f.properties?.[codeField] ?? i)) },
    })),
  } as SourceData;
}

function findingsData(findings: readonly Finding[]): SourceData {
  return {
    type: 'FeatureCollection',
    features: findings
      .filter((f) => f.location && f.location.length >= 2)
      .map((f) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: f.location },
        properties: { severity: f.severity },
      })),
  } as SourceData;
}

/**
 * A small map of a layer before it is imported: its cells (already in WGS-84) and the findings'
 * locations in red (warnings orange). `focus` flies to one location.
 */
export function PreviewMap({
  data,
  codeField,
  findings,
  focus,
}: {
  data: PreviewFeatureCollection;
  codeField: string;
  findings: readonly Finding[];
  focus: readonly number[] | null;
}) {
  const t = useT();
  const containerRef = useRef<HTMLDivElement>(null);

  const { map, error } = useBaseMap(containerRef, {
    pitchWithRotate: false,
    scale: false,
    onLoad: (ready) => {
      ready.addSource(CELLS, { type: 'geojson', data: EMPTY_FEATURES });
      ready.addSource(FINDINGS, { type: 'geojson', data: EMPTY_FEATURES });
      ready.addLayer({
        id: CELLS,
        type: 'fill',
        source: CELLS,
        paint: { 'fill-color': ['get', '_fill'], 'fill-opacity': 0.55 },
      });
      ready.addLayer({
        id: `${CELLS}-line`,
        type: 'line',
        source: CELLS,
        paint: { 'line-color': '#1456b8', 'line-width': 1 },
      });
      ready.addLayer({
        id: FINDINGS,
        type: 'circle',
        source: FINDINGS,
        paint: {
          'circle-radius': 6,
          'circle-color': ['match', ['get', 'severity'], 'error', '#cf1322', '#fa8c16'],
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 2,
        },
      });
    },
  });

  useEffect(() => {
    if (!map) return;
    void map.getSource<GeoJSONSource>(CELLS)?.setData(cellsData(data, codeField));
    const box = collectionBounds(data);
    if (box) {
      map.fitBounds(
        [
          [box[0], box[1]],
          [box[2], box[3]],
        ],
        { padding: 24, duration: 0, maxZoom: 17 },
      );
    }
  }, [map, data, codeField]);

  useEffect(() => {
    if (!map) return;
    void map.getSource<GeoJSONSource>(FINDINGS)?.setData(findingsData(findings));
  }, [map, findings]);

  useEffect(() => {
    const [lng, lat] = focus ?? [];
    if (!map || lng === undefined || lat === undefined) return;
    map.flyTo({ center: [lng, lat], zoom: Math.max(map.getZoom(), 16), duration: 500 });
  }, [map, focus]);

  if (error)
    return (
      <Alert type="error" showIcon title={t('registry.map.mapUnavailable')} description={String(error)} />
    );
  return (
    <div
      className="og-map-frame og-preview-frame"
      data-testid="import-preview-map"
      data-map-state={map ? 'ready' : 'loading'}
    >
      <div ref={containerRef} className="og-map-canvas" />
      {map ? null : (
        <div className="og-map-overlay">
          <Spin />
        </div>
      )}
    </div>
  );
}
