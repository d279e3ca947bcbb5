import { Alert, Card, Segmented, Space, Typography } from 'antd';
import type { ExpressionSpecification } from 'maplibre-gl';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useT } from '../../i18n/i18n';
import { describeError } from '../../shell/describe-error';
import { useRemote } from '../registry/use-remote';
import { CHANNEL_COLOURS, fetchSites, MAP_CHANNELS } from './matching-api';
import { useMatchingT } from './matching-i18n';
import { PointMap, type PointFeature } from './point-map';

const COLOUR: ExpressionSpecification = [
  'match',
  ['get', 'firstChannel'],
  ...MAP_CHANNELS.flatMap((c) => [c, CHANNEL_COLOURS[c] as string]),
  '#8c8c8c',
] as unknown as ExpressionSpecification;

/** 违建点位地图: every site as a circle coloured by the channel that found it first; verified or not. */
export default function SitesMap() {
  const t = useMatchingT();
  const tApp = useT();
  const navigate = useNavigate();
  const [status, setStatus] = useState<'all' | 'verified' | 'unverified'>('all');
  const [mapError, setMapError] = useState<unknown>(null);
  const sites = useRemote((api, signal) => fetchSites(api, status === 'all' ? {} : { status }, signal), [status]);
  const features = useMemo<PointFeature[] | undefined>(
    () =>
      sites.data?.items.map((s) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [s.lng, s.lat] },
        properties: { id: s.id, firstChannel: s.firstChannel, verified: s.verified, reports: s.reportCount },
      })),
    [sites.data],
  );
  const counts = useMemo(() => {
    const c: Record<string, number> = {};
    for (const s of sites.data?.items ?? []) c[s.firstChannel] = (c[s.firstChannel] ?? 0) + 1;
    return c;
  }, [sites.data]);
  const shown = MAP_CHANNELS.filter((c) => (counts[c] ?? 0) > 0 || ['dualReport', 'patrol', 'resident', 'hotline12345'].includes(c));
  return (
    <Card size="small">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <Typography.Text strong>
            {t('sites.title')} · <span data-testid="sites-count">{t('sites.count', { n: sites.data?.items.length ?? 0 })}</span>
          </Typography.Text>
          <Typography.Text type="secondary">{t('sites.status')}</Typography.Text>
          <Segmented
            data-testid="sites-status"
            value={status}
            onChange={(v) => setStatus(v === 'verified' || v === 'unverified' ? v : 'all')}
            options={[
              { value: 'all', label: t('sites.all') },
              { value: 'verified', label: t('sites.verified') },
              { value: 'unverified', label: t('sites.unverified') },
            ]}
          />
        </Space>
        {sites.error ? <Alert type="error" showIcon title={describeError(tApp, sites.error)} /> : null}
        {mapError ? (
          <Alert type="error" showIcon title={t('sites.unavailable')} description={String(mapError)} />
        ) : (
          <PointMap
            testId="sites-map"
            features={features}
            colour={COLOUR}
            onError={setMapError}
            onPick={(id) => void navigate(`/matching/sites/${encodeURIComponent(id)}`)}
            legend={
              <div data-testid="sites-legend">
                <div className="og-match-legend-title">{t('sites.legend')}</div>
                {shown.map((c) => (
                  <div key={c} className="og-match-legend-row" data-testid={`sites-legend-${c}`} data-count={counts[c] ?? 0}>
                    <span className="og-match-legend-dot" style={{ background: CHANNEL_COLOURS[c] }} />
                    <span>{t.channel(c)}</span>
                    <span className="og-match-legend-count">{counts[c] ?? 0}</span>
                  </div>
                ))}
              </div>
            }
          />
        )}
      </Space>
    </Card>
  );
}
