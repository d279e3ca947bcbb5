import { Alert, Card, Space, Spin, Typography } from 'antd';
import type { GeoJSONSource, MapMouseEvent } from 'maplibre-gl';
import { useEffect, useMemo, useRef } from 'react';
import { useNavigate } from 'react-router-dom';
import { useSession } from '../../auth/session-context';
import { useT } from '../../i18n/i18n';
import { describeError } from '../../shell/describe-error';
import { DEFAULT_BOUNDS, EMPTY_FEATURES } from '../registry/map/map-style';
import { addOutlineLayers, loadOutlines, useBaseMap } from '../registry/map/use-base-map';
import { useRemote } from '../registry/use-remote';
import { fetchCaseMap, URGENCIES, type Urgency } from './cases-api';
import { URGENCY_COLOURS } from './cases-format';
import { useCasesT } from './cases-i18n';

type SourceData = Parameters<GeoJSONSource['setData']>[0];
const OUTLINES = 'case-outlines';
const CASES = 'case-points';
const OUTLINE_LAYERS = ['district', 'subdistricts'];
/** The district with a margin: the server returns the live cases inside this box. */
const BBOX = [
  DEFAULT_BOUNDS[0] - 0.1,
  DEFAULT_BOUNDS[1] - 0.1,
  DEFAULT_BOUNDS[2] + 0.1,
  DEFAULT_BOUNDS[3] + 0.1,
];

/**
 * 案件地图: the live cases as a MapLibre circle layer over the district's outlines (no tile server),
 * coloured by urgency — red overdue, orange due within 4 h, blue later, grey none — with a legend that
 * counts each. A click on a dot opens the case.
 */
export default function CaseMap() {
  const t = useCasesT();
  const tApp = useT();
  const navigate = useNavigate();
  const { api } = useSession();
  const containerRef = useRef<HTMLDivElement>(null);
  const cases = useRemote((a, signal) => fetchCaseMap(a, BBOX, signal), []);
  const navigateRef = useRef(navigate);
  navigateRef.current = navigate;

  const { map, error: mapError } = useBaseMap(containerRef, {
    maxZoom: 19,
    onLoad: (ready) => {
      addOutlineLayers(ready, OUTLINES);
      ready.addSource(CASES, { type: 'geojson', data: EMPTY_FEATURES });
      ready.addLayer({
        id: CASES,
        type: 'circle',
        source: CASES,
        paint: {
          'circle-radius': ['match', ['get', 'urgency'], 'overdue', 8, 'dueSoon', 7, 6],
          'circle-color': [
            'match',
            ['get', 'urgency'],
            'overdue',
            URGENCY_COLOURS.overdue,
            'dueSoon',
            URGENCY_COLOURS.dueSoon,
            'later',
            URGENCY_COLOURS.later,
            URGENCY_COLOURS.none,
          ],
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 2,
        },
      });
      ready.on('click', (e: MapMouseEvent) => {
        const hit = ready.queryRenderedFeatures(
          [
            [e.point.x - 6, e.point.y - 6],
            [e.point.x + 6, e.point.y + 6],
          ],
          { layers: [CASES] },
        )[0];
        const id = hit?.properties.id as unknown;
        if (typeof id === 'string') void navigateRef.current(`/cases/${encodeURIComponent(id)}`);
      });
      ready.on('mousemove', (e) => {
        const over = ready.queryRenderedFeatures(e.point, { layers: [CASES] }).length > 0;
        ready.getCanvas().style.cursor = over ? 'pointer' : '';
      });
    },
  });

  // Outlines for orientation (district, subdistricts); the map still works without them.
  useEffect(() => {
    if (!map) return;
    const controller = new AbortController();
    loadOutlines(map, api, OUTLINES, OUTLINE_LAYERS, controller.signal).catch(() => {});
    return () => controller.abort();
  }, [map, api]);

  useEffect(() => {
    if (map && cases.data)
      void map.getSource<GeoJSONSource>(CASES)?.setData(cases.data as unknown as SourceData);
  }, [map, cases.data]);

  const counts = useMemo(() => {
    const c: Record<Urgency, number> = { overdue: 0, dueSoon: 0, later: 0, none: 0 };
    for (const f of cases.data?.features ?? []) c[f.properties.urgency] += 1;
    return c;
  }, [cases.data]);

  const total = cases.data?.features.length ?? 0;
  return (
    <Card size="small" data-testid="case-map-card">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text strong>
          {t('map.title')} · <span data-testid="case-map-count">{t('map.count', { n: total })}</span>
        </Typography.Text>
        {cases.error ? <Alert type="error" showIcon title={describeError(tApp, cases.error)} /> : null}
        {cases.data?.truncated ? (
          <Alert type="warning" showIcon title={t('map.truncated', { n: total })} />
        ) : null}
        {mapError ? (
          <Alert type="error" showIcon title={t('map.unavailable')} description={String(mapError)} />
        ) : (
          <div
            className="og-case-map"
            data-testid="case-map"
            data-map-state={map ? 'ready' : 'loading'}
            data-count={cases.data ? total : undefined}
          >
            <div ref={containerRef} className="og-case-map-canvas" />
            {map ? null : (
              <div className="og-case-map-overlay">
                <Spin />
              </div>
            )}
            <div className="og-case-legend" data-testid="case-map-legend">
              <div className="og-case-legend-title">{t('map.legend')}</div>
              {URGENCIES.map((u) => (
                <div
                  key={u}
                  className="og-case-legend-row"
                  data-testid={`legend-${u}`}
                  data-count={counts[u]}
                >
                  <span className="og-case-legend-dot" style={{ background: URGENCY_COLOURS[u] }} />
                  <span>{t.label('urgency', u)}</span>
                  <span className="og-case-legend-count">{counts[u]}</span>
                </div>
              ))}
            </div>
          </div>
        )}
      </Space>
    </Card>
  );
}
