import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Badge, Button, Card, Drawer, Empty, Grid, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState, type HTMLAttributes } from 'react';
import { useLocale, useT } from '../../i18n/i18n';
import { describeError } from '../../shell/describe-error';
import { PageHeading } from '../../shell/page-heading';
import { useRemote } from '../registry/use-remote';
import { fetchTriage, type ReportView } from './intake-api';
import { channelLabel, formatTime, nameOf, reasonLabel } from './intake-format';
import { IntakeMap, type MapPoint } from './intake-map';
import { ReportDetailView } from './report-detail';

/** 分拣队列: undecided reports in the dispatcher's scope, oldest first, on a list and a map; a drawer to decide. */
export default function TriagePage() {
  const t = useT();
  const { locale } = useLocale();
  const screens = Grid.useBreakpoint();
  const queue = useRemote((api, signal) => fetchTriage(api, signal), []);
  const [selected, setSelected] = useState<string | null>(null);
  const items = queue.data ?? [];

  const points = useMemo<MapPoint[]>(
    () =>
      items.flatMap((r) =>
        r.location
          ? [
              {
                id: r.id,
                lng: r.location.lng,
                lat: r.location.lat,
                kind: r.id === selected ? 'selected' : 'report',
              },
            ]
          : [],
      ),
    [items, selected],
  );
  const focusPoint = items.find((r) => r.id === selected)?.location ?? null;

  return (
    <div className="og-triage" data-testid="triage-page">
      <PageHeading title={t('intake.triage.title')} description={t('intake.triage.description')} />
      {queue.error ? (
        <Alert type="error" showIcon title={describeError(t, queue.error)} style={{ marginBottom: 12 }} />
      ) : null}
      <div className="og-triage-grid">
        <Card
          size="small"
          title={
            <Space>
              <Badge count={items.length} showZero color={items.length > 0 ? '#fa8c16' : '#52c41a'} />
              <span data-testid="triage-count" data-count={items.length}>
                {t('intake.triage.count', { count: items.length })}
              </span>
            </Space>
          }
          extra={
            <Button size="small" icon={<ReloadOutlined />} onClick={queue.reload} loading={queue.loading}>
              {t('intake.common.refresh')}
            </Button>
          }
        >
          <Table<ReportView>
            size="small"
            rowKey="id"
            loading={queue.loading}
            dataSource={items}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            locale={{
              emptyText: (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('intake.triage.empty')} />
              ),
            }}
            onRow={(r) =>
              ({
                onClick: () => setSelected(r.id),
                'data-testid': 'triage-row',
                'data-id': r.id,
              }) as HTMLAttributes<HTMLElement>
            }
            rowClassName={(r) => (r.id === selected ? 'og-row-selected' : 'og-row-clickable')}
            data-testid="triage-table"
            columns={[
              {
                title: t('intake.fields.receivedAt'),
                dataIndex: 'receivedAt',
                width: 130,
                render: (v: string) => <span className="og-small">{formatTime(v, locale)}</span>,
              },
              {
                title: t('intake.fields.triageReason'),
                key: 'reason',
                width: 130,
                render: (_: unknown, r) =>
                  r.triage ? (
                    <Tag color="orange" data-testid="triage-reason" data-reason={r.triage.reason}>
                      {reasonLabel(t, r.triage.reason)}
                    </Tag>
                  ) : null,
              },
              {
                title: t('intake.fields.description'),
                dataIndex: 'description',
                ellipsis: true,
                render: (v: string, r) => (
                  <span>
                    <Typography.Text type="secondary" className="og-small">
                      {channelLabel(t, r.channel)} ·{' '}
                      {nameOf(r.category, locale) ?? t('intake.common.unclassified')}
                    </Typography.Text>
                    <br />
                    {v}
                  </span>
                ),
              },
              {
                title: t('intake.fields.triageUnit'),
                key: 'unit',
                width: 150,
                responsive: ['xl'],
                render: (_: unknown, r) => <span className="og-small">{nameOf(r.triage?.unit, locale)}</span>,
              },
            ]}
          />
        </Card>
        <Card size="small" title={t('intake.triage.mapTitle')}>
          <IntakeMap
            points={points}
            onPointClick={setSelected}
            focus={focusPoint ? { point: focusPoint, zoom: 14 } : null}
            outlineLayers={['district', 'subdistricts']}
            className="og-triage-map"
            testId="triage-map"
          />
        </Card>
      </div>
      <Drawer
        open={selected !== null}
        onClose={() => setSelected(null)}
        size={screens.md ? 640 : '100%'}
        title={t('intake.detail.title')}
        destroyOnHidden
        data-testid="triage-drawer"
      >
        {selected ? <ReportDetailView id={selected} onChanged={queue.reload} showLink /> : null}
      </Drawer>
    </div>
  );
}
