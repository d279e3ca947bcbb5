import { AimOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Checkbox, Empty, Space, Spin, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { useSession } from '../../../auth/session-context';
import { useLocale, useT } from '../../../i18n/i18n';
import { describeError } from '../../../shell/describe-error';
import { DISTRICT_LAYER, fetchGridLayers, fetchParties, type GridLayerSummaryRow } from '../registry-api';
import { layerTitle } from '../registry-format';
import { useRemote } from '../use-remote';
import { GridMap, type HoverInfo, type LayerLoadState, type MapView } from './grid-map';
import { baseStyle, BIG_LAYER_MIN_ZOOM, DEFAULT_BOUNDS, isBigLayer } from './map-style';
import { loadMaplibre } from './maplibre-loader';

type MapState = { state: 'loading' } | { state: 'ready' } | { state: 'error'; error: unknown };

/** The switcher's order: the district outline, then coarse to fine (subdistricts … unit grid). */
function switcherOrder(rows: readonly GridLayerSummaryRow[]): GridLayerSummaryRow[] {
  return [...rows].sort(
    (a, b) =>
      Number(b.name === DISTRICT_LAYER) - Number(a.name === DISTRICT_LAYER) ||
      a.cellCount - b.cellCount ||
      a.name.localeCompare(b.name),
  );
}

/** The layers shown at first: the district outline and the coarsest other layer (more are a click away). */
function initialVisible(rows: readonly GridLayerSummaryRow[]): Set<string> {
  const coarsest = rows.find((r) => r.name !== DISTRICT_LAYER && !isBigLayer(r.cellCount));
  return new Set([DISTRICT_LAYER, ...(coarsest ? [coarsest.name] : [])]);
}

const findingTotal = (row: GridLayerSummaryRow) =>
  Object.values(row.findingCounts).reduce((a, b) => a + b, 0);

/** 网格地图: every grid layer over a plain background, with a switcher, hover details and compounds. */
export default function RegistryMapPage() {
  const t = useT();
  const { locale } = useLocale();
  const { api } = useSession();
  const layers = useRemote((a, signal) => fetchGridLayers(a, signal), []);
  const compounds = useRemote(
    (a, signal) => fetchParties(a, 'compounds', { active: 'all', limit: 5000 }, signal),
    [],
  );

  const containerRef = useRef<HTMLDivElement>(null);
  const gridMapRef = useRef<GridMap | null>(null);
  const fittedRef = useRef(false);
  const [mapState, setMapState] = useState<MapState>({ state: 'loading' });
  const [visible, setVisible] = useState<Set<string> | null>(null);
  const [showCompounds, setShowCompounds] = useState(true);
  const [loadStates, setLoadStates] = useState<Record<string, LayerLoadState>>({});
  const [hover, setHover] = useState<HoverInfo | null>(null);
  const [view, setView] = useState<MapView | null>(null);

  const rows = useMemo(
    () => switcherOrder((layers.data ?? []).filter((r) => r.currentVersion !== null)),
    [layers.data],
  );

  // The map itself: created once, after MapLibre's chunk has arrived.
  useEffect(() => {
    let cancelled = false;
    let created: GridMap | null = null;
    loadMaplibre().then(
      async (maplibre) => {
        if (cancelled || !containerRef.current) return;
        try {
          created = new GridMap(maplibre, containerRef.current, baseStyle(), DEFAULT_BOUNDS, api, {
            onLayerState: (layer, state) => setLoadStates((s) => ({ ...s, [layer]: state })),
            onHover: setHover,
            onView: setView,
          });
          await created.ready();
          if (cancelled) return;
          gridMapRef.current = created;
          setMapState({ state: 'ready' });
        } catch (error) {
          if (!cancelled) setMapState({ state: 'error', error });
        }
      },
      (error: unknown) => {
        if (!cancelled) setMapState({ state: 'error', error });
      },
    );
    return () => {
      cancelled = true;
      gridMapRef.current = null;
      created?.destroy();
    };
  }, [api]);

  useEffect(() => {
    if (layers.data && visible === null) setVisible(initialVisible(rows));
  }, [layers.data, rows, visible]);

  useEffect(() => {
    const gridMap = gridMapRef.current;
    if (mapState.state !== 'ready' || !gridMap || !visible) return;
    gridMap.setLayers(rows);
    gridMap.setVisible(visible);
  }, [mapState, rows, visible]);

  useEffect(() => {
    const gridMap = gridMapRef.current;
    if (mapState.state !== 'ready' || !gridMap || !compounds.data) return;
    gridMap.setCompounds(compounds.data, showCompounds);
  }, [mapState, compounds.data, showCompounds]);

  // Fit to the district (or, without one, the first layer shown) once its cells have arrived.
  useEffect(() => {
    const gridMap = gridMapRef.current;
    if (!gridMap || fittedRef.current) return;
    const hasDistrict = rows.some((r) => r.name === DISTRICT_LAYER);
    const districtLoaded = loadStates[DISTRICT_LAYER]?.state === 'loaded';
    const anyLoaded = Object.entries(loadStates).some(
      ([name, s]) => s.state === 'loaded' && !isBigLayer(rows.find((r) => r.name === name)?.cellCount ?? 0),
    );
    if ((hasDistrict && districtLoaded) || (!hasDistrict && anyLoaded)) {
      fittedRef.current = gridMap.fitToContent();
    }
  }, [loadStates, rows]);

  const toggle = (name: string, on: boolean) =>
    setVisible((v) => {
      const next = new Set(v);
      if (on) next.add(name);
      else next.delete(name);
      return next;
    });

  const shownGenerated = rows.some((r) => r.generated && visible?.has(r.name));
  const hoveredLayer = hover ? rows.find((r) => r.name === hover.layer) : undefined;

  return (
    <div className="og-registry-map" data-testid="registry-map-page">
      <Card
        size="small"
        title={t('registry.map.layers')}
        className="og-registry-map-side"
        data-testid="layer-switcher"
      >
        {layers.error ? (
          <Alert type="error" showIcon title={describeError(t, layers.error)} />
        ) : layers.loading && !layers.data ? (
          <Spin />
        ) : rows.length === 0 ? (
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={
              <span data-testid="map-no-layers">
                {t('registry.map.noLayers')} <Link to="/registry/import">{t('registry.tabs.import')}</Link>
              </span>
            }
          />
        ) : (
          <Space orientation="vertical" size={10} style={{ width: '100%' }}>
            {rows.map((row) => (
              <LayerItem
                key={row.name}
                row={row}
                title={layerTitle(row, locale)}
                checked={row.name === DISTRICT_LAYER || (visible?.has(row.name) ?? false)}
                onChange={(on) => toggle(row.name, on)}
                load={loadStates[row.name]}
              />
            ))}
          </Space>
        )}
        <div className="og-registry-map-extra">
          <Checkbox
            checked={showCompounds}
            onChange={(e) => setShowCompounds(e.target.checked)}
            disabled={!compounds.data}
            data-testid="layer-toggle-compounds"
          >
            <Space size={6}>
              <span className="og-dot" />
              {t('registry.map.compounds')}
              {compounds.data ? (
                <Typography.Text type="secondary">
                  {t('registry.map.pointCount', { count: compounds.data.filter((c) => c.location).length })}
                </Typography.Text>
              ) : null}
            </Space>
          </Checkbox>
          {compounds.error ? (
            <Typography.Text type="secondary" className="og-small">
              {t('registry.map.compoundsUnavailable')}: {describeError(t, compounds.error)}
            </Typography.Text>
          ) : null}
          <Button
            size="small"
            icon={<AimOutlined />}
            onClick={() => gridMapRef.current?.fitToContent(true)}
            disabled={mapState.state !== 'ready'}
            data-testid="map-fit"
          >
            {t('registry.map.fit')}
          </Button>
        </div>
      </Card>

      <div className="og-registry-map-main">
        {shownGenerated ? (
          <Alert
            type="warning"
            showIcon
            icon={<WarningOutlined />}
            title={t('registry.map.generatedBanner')}
            data-testid="generated-banner"
            style={{ marginBottom: 8 }}
          />
        ) : null}
        {mapState.state === 'error' ? (
          <Alert
            type="error"
            showIcon
            title={t('registry.map.mapUnavailable')}
            description={mapState.error instanceof Error ? mapState.error.message : String(mapState.error)}
            data-testid="map-error"
          />
        ) : null}
        <div
          className={shownGenerated ? 'og-map-frame og-map-frame-short' : 'og-map-frame'}
          data-testid="registry-map"
          data-map-state={mapState.state}
          data-zoom={view ? view.zoom.toFixed(4) : undefined}
          data-center={view ? `${view.center[0].toFixed(7)},${view.center[1].toFixed(7)}` : undefined}
        >
          <div ref={containerRef} className="og-map-canvas" />
          {mapState.state === 'loading' ? (
            <div className="og-map-overlay">
              <Spin description={t('registry.map.loadingMap')} />
            </div>
          ) : null}
          {hover ? (
            <div
              className="og-map-tooltip"
              style={{ left: hover.x + 14, top: hover.y + 14 }}
              data-testid="map-hover"
              data-code={hover.code}
            >
              <div className="og-map-tooltip-layer">
                {hover.kind === 'compound'
                  ? t('registry.map.compound')
                  : hoveredLayer
                    ? layerTitle(hoveredLayer, locale)
                    : hover.layer}
              </div>
              <div>
                <span className="og-map-tooltip-code" data-testid="map-hover-code">
                  {hover.code}
                </span>
                {hover.name ? <span data-testid="map-hover-name"> {hover.name}</span> : null}
                {hover.active === false ? (
                  <Tag color="default" style={{ marginInlineStart: 6 }}>
                    {t('registry.common.inactive')}
                  </Tag>
                ) : null}
              </div>
            </div>
          ) : null}
          {view ? (
            <div className="og-map-zoom" data-testid="map-zoom">
              {t('registry.map.zoom', { zoom: view.zoom.toFixed(1) })}
            </div>
          ) : null}
        </div>
      </div>
    </div>
  );
}

function LayerItem({
  row,
  title,
  checked,
  onChange,
  load,
}: {
  row: GridLayerSummaryRow;
  title: string;
  checked: boolean;
  onChange: (on: boolean) => void;
  load: LayerLoadState | undefined;
}) {
  const t = useT();
  const findings = findingTotal(row);
  const isDistrict = row.name === DISTRICT_LAYER;
  return (
    <div
      className="og-layer-item"
      data-testid={`layer-item-${row.name}`}
      data-layer={row.name}
      data-load-state={load?.state ?? 'hidden'}
    >
      <Checkbox
        checked={checked}
        disabled={isDistrict}
        onChange={(e) => onChange(e.target.checked)}
        data-testid={`layer-toggle-${row.name}`}
      >
        <Typography.Text strong>{title}</Typography.Text>
      </Checkbox>
      <div className="og-layer-meta">
        <Typography.Text type="secondary" className="og-small">
          {row.name} · v{row.currentVersion} · {t('registry.map.cellCount', { count: row.cellCount })}
        </Typography.Text>
        <Space size={4} wrap>
          {isDistrict ? <Tag>{t('registry.map.alwaysShown')}</Tag> : null}
          {row.generated ? <Tag color="orange">{t('registry.map.generatedTag')}</Tag> : null}
          {findings > 0 ? (
            <Tooltip
              title={Object.entries(row.findingCounts)
                .map(([kind, n]) => `${t.optional(`registry.findingKinds.${kind}`) ?? kind}: ${n}`)
                .join('; ')}
            >
              <Tag color="warning" data-testid={`layer-findings-${row.name}`}>
                {t('registry.map.findings', { count: findings })}
              </Tag>
            </Tooltip>
          ) : null}
        </Space>
        {checked ? <LoadStatus load={load} /> : null}
      </div>
    </div>
  );
}

function LoadStatus({ load }: { load: LayerLoadState | undefined }) {
  const t = useT();
  if (!load) return null;
  switch (load.state) {
    case 'hidden':
      return null;
    case 'loading':
      return (
        <Typography.Text type="secondary" className="og-small">
          <Spin size="small" /> {t('common.loading')}
        </Typography.Text>
      );
    case 'loaded':
      return (
        <Typography.Text type="secondary" className="og-small" data-testid="layer-loaded">
          {load.partial
            ? t('registry.map.shownInView', { count: load.cells })
            : t('registry.map.shown', { count: load.cells })}
        </Typography.Text>
      );
    case 'zoomIn':
      return (
        <Typography.Text type="warning" className="og-small">
          {t('registry.map.zoomIn', { zoom: BIG_LAYER_MIN_ZOOM })}
        </Typography.Text>
      );
    case 'error':
      return (
        <Typography.Text type="danger" className="og-small">
          {describeError(t, load.error)}
        </Typography.Text>
      );
  }
}
