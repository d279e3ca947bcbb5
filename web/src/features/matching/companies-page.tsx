import { Alert, Card, Select, Space, Table, Tag, Typography } from 'antd';
import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { useT } from '../../i18n/i18n';
import { describeError } from '../../shell/describe-error';
import { useRemote } from '../registry/use-remote';
import { CHANNEL_COLOURS, fetchDiscovery, lastTwelveMonths, percent, shanghaiDate, type Discovery, type Figures } from './matching-api';
import { useMatchingT } from './matching-i18n';

echarts.use([LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** 物业公司发现率: per company the discovery rate, timeliness and misses over the last year, and the trend by month. */
export default function CompaniesPage() {
  const t = useMatchingT();
  const tApp = useT();
  const months = useMemo(() => lastTwelveMonths(Date.now()), []);
  const from = shanghaiDate(Date.now() - 365 * 86_400_000);
  const to = shanghaiDate(Date.now());
  const year = useRemote((api, signal) => fetchDiscovery(api, from, to, 'propertyCompany', signal), [from, to]);
  // The trend: the same figures month by month (one request a month).
  const monthly = useRemote(
    (api, signal) => Promise.all(months.map((m) => fetchDiscovery(api, m.from, m.to, 'propertyCompany', signal))),
    [months],
  );
  const rows = useMemo(
    () =>
      (year.data?.groups ?? [])
        .filter((g) => g.companySites > 0)
        .sort((a, b) => (a.discoveryRate ?? -1) - (b.discoveryRate ?? -1) || b.companySites - a.companySites),
    [year.data],
  );
  const nameOf = (id: string) => year.data?.names[id] ?? id;
  const [picked, setPicked] = useState<string[]>([]);
  useEffect(() => {
    // By default: the best and the worst two of the companies with enough sites to say something.
    if (picked.length === 0 && rows.length > 0) {
      const enough = rows.filter((r) => r.companySites >= 10);
      const pool = enough.length >= 4 ? enough : rows;
      setPicked([...new Set([pool[0], pool[1], pool[pool.length - 2], pool[pool.length - 1]].filter(Boolean).map((r) => (r as Figures).key))]);
    }
  }, [rows, picked.length]);

  const columns = [
    {
      title: t('companies.company'),
      dataIndex: 'key',
      key: 'company',
      render: (key: string) => <span data-testid="company-name">{nameOf(key)}</span>,
    },
    { title: t('companies.companySites'), dataIndex: 'companySites', key: 'sites', sorter: (a: Figures, b: Figures) => a.companySites - b.companySites },
    { title: t('companies.reported'), dataIndex: 'reportedByCompany', key: 'reported' },
    {
      title: t('companies.rate'),
      key: 'rate',
      sorter: (a: Figures, b: Figures) => (a.discoveryRate ?? -1) - (b.discoveryRate ?? -1),
      render: (_: unknown, g: Figures) => (
        <Tag data-testid="company-rate" color={g.discoveryRate === null ? 'default' : g.discoveryRate >= 0.8 ? 'green' : g.discoveryRate >= 0.5 ? 'gold' : 'red'}>
          {percent(g.discoveryRate)}
        </Tag>
      ),
    },
    {
      title: t('companies.timeliness'),
      key: 'timeliness',
      sorter: (a: Figures, b: Figures) => (a.timeliness ?? -1) - (b.timeliness ?? -1),
      render: (_: unknown, g: Figures) => percent(g.timeliness),
    },
    { title: t('companies.companyFirst'), dataIndex: 'companyFirst', key: 'first' },
    { title: t('companies.missedNever'), dataIndex: 'missedNever', key: 'never', sorter: (a: Figures, b: Figures) => a.missedNever - b.missedNever },
    { title: t('companies.missedLater'), dataIndex: 'missedLater', key: 'later' },
  ];

  const totals = year.data?.totals;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {year.error ? <Alert type="error" showIcon title={describeError(tApp, year.error)} /> : null}
      <Card size="small" title={`${t('companies.title')} · ${from} — ${to}`}>
        {totals ? (
          <Typography.Paragraph data-testid="companies-totals">
            {t('companies.totals', { sites: totals.companySites, reported: totals.reportedByCompany, rate: percent(totals.discoveryRate) })}
            {'　'}
            {year.data?.channels.map((c) => (
              <Tag key={c.channel} color={CHANNEL_COLOURS[c.channel]}>
                {t.channel(c.channel)} {percent(c.firstShare)}
              </Tag>
            ))}
          </Typography.Paragraph>
        ) : null}
        <Table<Figures>
          data-testid="companies-table"
          size="small"
          rowKey="key"
          loading={year.loading}
          dataSource={rows}
          columns={columns}
          pagination={{ pageSize: 12 }}
        />
      </Card>
      <Card size="small" title={t('companies.trend')}>
        <Select
          mode="multiple"
          style={{ width: '100%', marginBottom: 8 }}
          placeholder={t('companies.pick')}
          value={picked}
          onChange={setPicked}
          options={rows.map((r) => ({ value: r.key, label: nameOf(r.key) }))}
          data-testid="trend-picker"
        />
        {monthly.error ? <Alert type="error" showIcon title={describeError(tApp, monthly.error)} /> : null}
        <TrendChart months={months.map((m) => m.month)} data={monthly.data} picked={picked} nameOf={nameOf} />
      </Card>
      <MissedTable data={year.data} nameOf={nameOf} />
    </Space>
  );
}

function TrendChart(props: { months: string[]; data: Discovery[] | undefined; picked: string[]; nameOf: (id: string) => string }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (!ref.current) return;
    chart.current = echarts.init(ref.current);
    const resize = () => chart.current?.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    if (!chart.current || !props.data) return;
    const series = props.picked.map((id) => ({
      name: props.nameOf(id),
      type: 'line' as const,
      connectNulls: true,
      data: (props.data ?? []).map((d) => {
        const g = d.groups.find((x) => x.key === id);
        return g && g.discoveryRate !== null ? Math.round(g.discoveryRate * 100) : null;
      }),
    }));
    chart.current.setOption(
      {
        tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (v === null || v === undefined ? '—' : `${String(v)}%`) },
        legend: { top: 0 },
        grid: { left: 40, right: 16, top: 48, bottom: 28 },
        xAxis: { type: 'category', data: props.months },
        yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
        series,
      },
      { notMerge: true },
    );
  }, [props.data, props.picked, props.months, props.nameOf]);
  return <div ref={ref} className="og-match-chart" data-testid="trend-chart" data-series={props.picked.length} data-ready={props.data ? 'yes' : 'no'} />;
}

function MissedTable(props: { data: Discovery | undefined; nameOf: (id: string) => string }) {
  const t = useMatchingT();
  const when = (v: string | null) => (v ? new Date(v).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '—');
  return (
    <Card size="small" title={`${t('companies.missedList')} (${props.data?.missed.length ?? 0})`}>
      <Table
        size="small"
        rowKey="siteId"
        dataSource={props.data?.missed ?? []}
        pagination={{ pageSize: 10 }}
        data-testid="missed-table"
        columns={[
          { title: t('companies.company'), dataIndex: 'propertyCompanyId', key: 'c', render: (id: string) => props.nameOf(id) },
          { title: t('site.compound'), dataIndex: 'compoundId', key: 'p', render: (id: string | null) => (id ? props.nameOf(id) : '—') },
          { title: t('companies.firstChannel'), dataIndex: 'firstChannel', key: 'f', render: (c: string) => <Tag color={CHANNEL_COLOURS[c]}>{t.channel(c)}</Tag> },
          { title: t('companies.firstAt'), dataIndex: 'firstReceivedAt', key: 'a', render: when },
          { title: t('companies.companyAt'), dataIndex: 'companyReportedAt', key: 'b', render: when },
          { title: t('companies.reason'), dataIndex: 'reason', key: 'r', render: (r: string) => (r === 'never' ? <Tag color="red">{t('companies.never')}</Tag> : <Tag color="gold">{t('companies.later')}</Tag>) },
          { title: '', dataIndex: 'siteId', key: 'o', render: (id: string) => <Link to={`/matching/sites/${encodeURIComponent(id)}`}>{t('companies.open')}</Link> },
        ]}
      />
    </Card>
  );
}
