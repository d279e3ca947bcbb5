import { Alert, Button, Card, DatePicker, Select, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { useSession } from '../../auth/session-context';
import { useLocale, useT } from '../../i18n/i18n';
import { describeError } from '../../shell/describe-error';
import { PageHeading } from '../../shell/page-heading';
import {
  CHANNELS,
  fetchReports,
  REPORT_STATUS_FILTERS,
  type Channel,
  type ReportStatusFilter,
  type ReportView,
} from './intake-api';
import { channelLabel, formatTime, nameOf, reasonLabel, STATUS_COLOURS, statusLabel } from './intake-format';

interface Filters {
  channel?: Channel;
  status?: ReportStatusFilter;
  period?: [Dayjs | null, Dayjs | null] | null;
}

/** 上报列表: every report in scope, newest first, filtered by channel, status and period; more on request. */
export default function ReportsPage() {
  const t = useT();
  const { locale } = useLocale();
  const { api } = useSession();
  const [filters, setFilters] = useState<Filters>({});
  const [items, setItems] = useState<ReportView[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [round, setRound] = useState(0);

  const query = (after?: string) => ({
    channel: filters.channel,
    status: filters.status,
    // The period is whole days in the district's time (UTC+8).
    from: filters.period?.[0]?.startOf('day').format('YYYY-MM-DDTHH:mm:ssZ'),
    to: filters.period?.[1]?.endOf('day').format('YYYY-MM-DDTHH:mm:ssZ'),
    ...(after ? { cursor: after } : {}),
  });

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    fetchReports(api, query(), controller.signal).then(
      (r) => {
        setItems(r.items);
        setCursor(r.nextCursor);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (controller.signal.aborted) return;
        setError(e);
        setLoading(false);
      },
    );
    return () => controller.abort();
    // query() reads the filters, which are the dependency.
  }, [api, filters, round]);

  const more = async () => {
    if (!cursor) return;
    setLoading(true);
    try {
      const r = await fetchReports(api, query(cursor));
      setItems((list) => [...list, ...r.items]);
      setCursor(r.nextCursor);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  };

  return (
    <div data-testid="reports-page">
      <PageHeading title={t('intake.reports.title')} description={t('intake.reports.description')} />
      <Card size="small">
        <Space wrap className="og-list-filters" style={{ marginBottom: 12 }}>
          <Select
            allowClear
            placeholder={t('intake.fields.channel')}
            style={{ width: 160 }}
            value={filters.channel}
            onChange={(channel?: Channel) => setFilters((f) => ({ ...f, channel }))}
            options={CHANNELS.map((c) => ({ value: c, label: channelLabel(t, c) }))}
            data-testid="filter-channel"
          />
          <Select
            allowClear
            placeholder={t('intake.fields.status')}
            style={{ width: 140 }}
            value={filters.status}
            onChange={(status?: ReportStatusFilter) => setFilters((f) => ({ ...f, status }))}
            options={REPORT_STATUS_FILTERS.map((s) => ({ value: s, label: statusLabel(t, s) }))}
            data-testid="filter-status"
          />
          <DatePicker.RangePicker
            value={filters.period ?? null}
            onChange={(period) => setFilters((f) => ({ ...f, period }))}
            data-testid="filter-period"
          />
          <Button onClick={() => setRound((n) => n + 1)}>{t('intake.common.refresh')}</Button>
        </Space>
        {error ? (
          <Alert type="error" showIcon title={describeError(t, error)} style={{ marginBottom: 12 }} />
        ) : null}
        <Table<ReportView>
          size="small"
          rowKey="id"
          loading={loading}
          dataSource={items}
          pagination={false}
          locale={{ emptyText: t('intake.reports.empty') }}
          data-testid="reports-table"
          columns={[
            {
              title: t('intake.fields.receivedAt'),
              dataIndex: 'receivedAt',
              width: 140,
              render: (v: string) => formatTime(v, locale),
            },
            {
              title: t('intake.fields.trackingCode'),
              dataIndex: 'trackingCode',
              width: 130,
              render: (code: string, r) => (
                <Link to={`/intake/reports/${r.id}`} data-testid="report-link">
                  <Typography.Text code>{code}</Typography.Text>
                </Link>
              ),
            },
            {
              title: t('intake.fields.channel'),
              dataIndex: 'channel',
              width: 110,
              render: (c: string) => channelLabel(t, c),
            },
            {
              title: t('intake.fields.status'),
              dataIndex: 'status',
              width: 100,
              render: (s: string) => <Tag color={STATUS_COLOURS[s] ?? 'default'}>{statusLabel(t, s)}</Tag>,
            },
            {
              title: t('intake.fields.category'),
              key: 'category',
              width: 160,
              render: (_: unknown, r) => nameOf(r.case?.category ?? r.category, locale) ?? '—',
            },
            { title: t('intake.fields.description'), dataIndex: 'description', ellipsis: true },
            {
              title: t('intake.fields.responsibleUnit'),
              key: 'unit',
              width: 200,
              render: (_: unknown, r) =>
                (r.case?.responsibleUnit ?? r.responsibleUnit) ? (
                  nameOf(r.case?.responsibleUnit ?? r.responsibleUnit, locale)
                ) : r.triage ? (
                  <Tag color="orange">{reasonLabel(t, r.triage.reason)}</Tag>
                ) : (
                  '—'
                ),
            },
          ]}
        />
        {cursor ? (
          <div style={{ textAlign: 'center', marginTop: 12 }}>
            <Button onClick={() => void more()} loading={loading} data-testid="reports-more">
              {t('intake.common.loadMore')}
            </Button>
          </div>
        ) : null}
      </Card>
    </div>
  );
}
