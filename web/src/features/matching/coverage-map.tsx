import { Alert, Card, Segmented, Space, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useT } from '../../i18n/i18n';
import { describeError } from '../../shell/describe-error';
import { useRemote } from '../registry/use-remote';
import { fetchCoverage } from './matching-api';
import { useMatchingT } from './matching-i18n';
import { PointMap, type PointFeature } from './point-map';

const GREEN = '#52c41a';
const RED = '#f5222d';

/** 巡查覆盖: every compound, green when a finished patrol covered it in the period, red when none did. */
export default function CoverageMap() {
  const t = useMatchingT();
  const tApp = useT();
  const [days, setDays] = useState<30 | 90>(30);
  const [mapError, setMapError] = useState<unknown>(null);
  const coverage = useRemote(
    (api, signal) => {
      const to = new Date();
      const from = new Date(to.getTime() - days * 86_400_000);
      return fetchCoverage(api, from.toISOString(), to.toISOString(), signal);
    },
    [days],
  );
  const features = useMemo<PointFeature[] | undefined>(
    () =>
      coverage.data?.items.flatMap((i) =>
        i.location
          ? [
              {
                type: 'Feature' as const,
                geometry: { type: 'Point' as const, coordinates: [i.location.lng, i.location.lat] as [number, number] },
                properties: { id: i.compound.id, name: i.compound.name, patrolled: i.patrolled, patrols: i.patrols },
              },
            ]
          : [],
      ),
    [coverage.data],
  );
  const d = coverage.data;
  return (
    <Card size="small">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <Typography.Text strong>{t('coverage.title')}</Typography.Text>
          <Segmented
            data-testid="coverage-period"
            value={days}
            onChange={(v) => setDays(v === 90 ? 90 : 30)}
            options={[
              { value: 30, label: t('coverage.last30') },
              { value: 90, label: t('coverage.last90') },
            ]}
          />
          {d ? (
            <Typography.Text data-testid="coverage-summary" data-patrolled={d.patrolled} data-total={d.total}>
              {t('coverage.summary', { patrolled: d.patrolled, total: d.total })}
            </Typography.Text>
          ) : null}
        </Space>
        {coverage.error ? <Alert type="error" showIcon title={describeError(tApp, coverage.error)} /> : null}
        {mapError ? (
          <Alert type="error" showIcon title={t('sites.unavailable')} description={String(mapError)} />
        ) : (
          <PointMap
            testId="coverage-map"
            features={features}
            colour={['case', ['get', 'patrolled'], GREEN, RED]}
            onError={setMapError}
            legend={
              <div data-testid="coverage-legend">
                <div className="og-match-legend-row">
                  <span className="og-match-legend-dot" style={{ background: GREEN }} />
                  <span>{t('coverage.patrolled')}</span>
                  <span className="og-match-legend-count">{d?.patrolled ?? 0}</span>
                </div>
                <div className="og-match-legend-row">
                  <span className="og-match-legend-dot" style={{ background: RED }} />
                  <span>{t('coverage.notPatrolled')}</span>
                  <span className="og-match-legend-count">{d ? d.total - d.patrolled : 0}</span>
                </div>
              </div>
            }
          />
        )}
      </Space>
    </Card>
  );
}
