import { Alert, Card, DatePicker, Empty, Segmented, Space, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { BarChart } from 'echarts/charts';
import { GridComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useLocale, useT } from '../../i18n/i18n';
import { describeError } from '../../shell/describe-error';
import { PageHeading } from '../../shell/page-heading';
import { useRemote } from '../registry/use-remote';
import { CaseRulesFrame } from './case-rules-frame';
import { useCasesT, type CasesT } from './cases-i18n';
import {
  fetchSatisfaction,
  RATING_GROUPINGS,
  type RatingGrouping,
  type SatisfactionGroup,
} from './rules-api';

echarts.use([BarChart, GridComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

const BAR = '#1456b8';
const TOTAL_LINE = '#d46b08';
/** The longest run of months the chart fills in (empty months included); beyond it, only rated months. */
const MAX_FILLED_MONTHS = 120;

const pad = (n: number) => String(n).padStart(2, '0');
const monthIndex = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
const monthOf = (index: number) => `${Math.floor(index / 12)}-${pad((index % 12) + 1)}`;
/** The Shanghai month (YYYY-MM) `back` months before the one holding the instant `ms`. */
const shanghaiMonth = (ms: number, back = 0) => {
  const d = new Date(ms + 8 * 3_600_000);
  return monthOf(d.getUTCFullYear() * 12 + d.getUTCMonth() - back);
};
const monthValue = (month: string | undefined): Dayjs | null => (month ? dayjs(`${month}-01`) : null);

/** A rate as a percentage with one decimal; '—' when nothing was rated. */
const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);

const BY_LABEL = { month: 'byMonth', unit: 'byUnit', category: 'byCategory' } as const;
const COLUMN_LABEL = { month: 'month', unit: 'unit', category: 'category' } as const;
const CHART_TITLE = { month: 'chartMonth', unit: 'chartUnit', category: 'chartCategory' } as const;

/** The label of a group: the month, or the unit's or category's name in the console's language. */
function groupName(t: CasesT, en: boolean, by: RatingGrouping, g: SatisfactionGroup): string {
  if (by === 'month') return g.key ?? '—';
  if (g.key === null) return t(by === 'unit' ? 'satisfaction.noUnit' : 'satisfaction.noCategory');
  return (en && g.nameEn) || g.name || g.key;
}

interface Bar {
  key: string;
  label: string;
  group: SatisfactionGroup | null;
}

/**
 * /cases/satisfaction: the satisfaction rate ((satisfied + basically satisfied) / rated) of the cases in the
 * caller's scope, by month, unit or category, over a range of months (default: the last twelve).
 */
export default function SatisfactionPage() {
  const t = useCasesT();
  const tApp = useT();
  const { locale } = useLocale();
  const en = locale === 'en';
  const [by, setBy] = useState<RatingGrouping>('month');
  const [from, setFrom] = useState<string | undefined>(() => shanghaiMonth(Date.now(), 11));
  const [to, setTo] = useState<string | undefined>(() => shanghaiMonth(Date.now()));
  const remote = useRemote((api, signal) => fetchSatisfaction(api, { by, from, to }, signal), [by, from, to]);
  const data = remote.data;
  // The grouping of the figures shown (the previous ones stay while the next load).
  const shownBy = data?.by ?? by;
  const groups = useMemo(() => data?.groups ?? [], [data]);
  const total = data?.total;
  const nameOf = (g: SatisfactionGroup) => groupName(t, en, shownBy, g);

  // The chart's bars: by month every month of the range, the unrated ones empty; else the groups.
  const bars = useMemo((): Bar[] => {
    const label = (g: SatisfactionGroup) => groupName(t, en, shownBy, g);
    const ofGroups = groups.map((g) => ({ key: g.key ?? '', label: label(g), group: g }));
    if (shownBy !== 'month' || groups.length === 0) return ofGroups;
    const keys = groups.map((g) => g.key ?? '').filter(Boolean);
    const first = Math.min(...keys.map(monthIndex), from ? monthIndex(from) : Infinity);
    const last = Math.max(...keys.map(monthIndex), to ? monthIndex(to) : -Infinity);
    if (last - first >= MAX_FILLED_MONTHS) return ofGroups;
    const byKey = new Map(groups.map((g) => [g.key, g]));
    return Array.from({ length: last - first + 1 }, (_, i) => {
      const month = monthOf(first + i);
      return { key: month, label: month, group: byKey.get(month) ?? null };
    });
  }, [groups, shownBy, from, to, t, en]);

  const rated = total?.rated ?? 0;
  const count = (k: 'rated' | 'satisfied' | 'basicallySatisfied' | 'dissatisfied') => ({
    title: t(`satisfaction.${k}`),
    key: k,
    width: en ? 150 : 110,
    align: 'right' as const,
    sorter: (a: SatisfactionGroup, b: SatisfactionGroup) => a[k] - b[k],
    render: (_: unknown, g: SatisfactionGroup) => g[k],
  });

  return (
    <CaseRulesFrame>
      <div data-testid="satisfaction-page">
        <PageHeading title={t('satisfaction.title')} description={t('satisfaction.description')} />
        <Card size="small" style={{ marginTop: 12 }}>
          <Space wrap size={16} className="og-sat-controls">
            <Segmented<RatingGrouping>
              value={by}
              onChange={setBy}
              options={RATING_GROUPINGS.map((k) => ({
                value: k,
                label: <span data-testid={`sat-by-${k}`}>{t(`satisfaction.${BY_LABEL[k]}`)}</span>,
              }))}
              data-testid="sat-by"
            />
            <Space size={6}>
              <span>{t('satisfaction.from')}</span>
              <DatePicker
                picker="month"
                format="YYYY-MM"
                value={monthValue(from)}
                onChange={(d: Dayjs | null) => setFrom(d ? d.format('YYYY-MM') : undefined)}
                disabledDate={(d: Dayjs) => to !== undefined && d.format('YYYY-MM') > to}
                placeholder={t('satisfaction.from')}
                data-testid="sat-from"
              />
              <span>{t('satisfaction.to')}</span>
              <DatePicker
                picker="month"
                format="YYYY-MM"
                value={monthValue(to)}
                onChange={(d: Dayjs | null) => setTo(d ? d.format('YYYY-MM') : undefined)}
                disabledDate={(d: Dayjs) => from !== undefined && d.format('YYYY-MM') < from}
                placeholder={t('satisfaction.to')}
                data-testid="sat-to"
              />
            </Space>
          </Space>
          {total ? (
            <div
              className="og-sat-total"
              data-testid="sat-total"
              data-rate={total.rate === null ? '' : String(Math.round(total.rate * 10_000) / 10_000)}
              data-rated={total.rated}
            >
              <Typography.Text type="secondary">{t('satisfaction.total')}</Typography.Text>
              {total.rate === null ? (
                <span className="og-sat-rate og-sat-rate-none">{t('satisfaction.noRate')}</span>
              ) : (
                <span className="og-sat-rate">{percent(total.rate)}</span>
              )}
              <Typography.Text type="secondary">
                {t('satisfaction.counts', {
                  rated: total.rated,
                  satisfied: total.satisfied,
                  basic: total.basicallySatisfied,
                  dissatisfied: total.dissatisfied,
                })}
              </Typography.Text>
            </div>
          ) : null}
        </Card>
        {remote.error ? (
          <Alert
            type="error"
            showIcon
            style={{ marginTop: 12 }}
            title={describeError(tApp, remote.error)}
            data-testid="sat-error"
          />
        ) : null}
        {data && rated === 0 ? (
          <Card size="small" style={{ marginTop: 12 }}>
            <Empty
              data-testid="sat-empty"
              description={
                <div>
                  <div>{t('satisfaction.empty')}</div>
                  <Typography.Text type="secondary" className="og-small">
                    {t('satisfaction.emptyHint')}
                  </Typography.Text>
                </div>
              }
            />
          </Card>
        ) : null}
        {data && rated > 0 ? (
          <Card size="small" title={t(`satisfaction.${CHART_TITLE[shownBy]}`)} style={{ marginTop: 12 }}>
            <RateChart
              bars={bars}
              total={total?.rate ?? null}
              rateLabel={t('satisfaction.rate')}
              ratedLabel={t('satisfaction.rated')}
              totalLabel={
                total?.rate == null ? '' : t('satisfaction.totalLine', { rate: percent(total.rate) })
              }
            />
          </Card>
        ) : null}
        <Card size="small" style={{ marginTop: 12 }}>
          <Table<SatisfactionGroup>
            size="small"
            rowKey={(g) => g.key ?? '\u0000none'}
            loading={remote.loading}
            dataSource={groups}
            pagination={groups.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
            data-testid="sat-table"
            data-by={shownBy}
            locale={{ emptyText: t('satisfaction.empty') }}
            onRow={(g) =>
              ({
                'data-testid': 'sat-row',
                'data-key': g.key ?? '',
                'data-rate': g.rate === null ? '' : String(g.rate),
              }) as React.HTMLAttributes<HTMLElement>
            }
            columns={[
              {
                title: t(`satisfaction.${COLUMN_LABEL[shownBy]}`),
                key: 'name',
                render: (_, g) => nameOf(g),
              },
              count('rated'),
              count('satisfied'),
              count('basicallySatisfied'),
              count('dissatisfied'),
              {
                title: t('satisfaction.rate'),
                key: 'rate',
                width: 120,
                align: 'right',
                sorter: (a, b) => (a.rate ?? -1) - (b.rate ?? -1),
                render: (_, g) => <span data-testid="sat-rate">{percent(g.rate)}</span>,
              },
            ]}
            summary={() =>
              total && total.rated > 0 && groups.length > 1 ? (
                <Table.Summary.Row className="og-sat-summary">
                  <Table.Summary.Cell index={0}>{t('satisfaction.total')}</Table.Summary.Cell>
                  <Table.Summary.Cell index={1} align="right">
                    {total.rated}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={2} align="right">
                    {total.satisfied}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={3} align="right">
                    {total.basicallySatisfied}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={4} align="right">
                    {total.dissatisfied}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={5} align="right">
                    {percent(total.rate)}
                  </Table.Summary.Cell>
                </Table.Summary.Row>
              ) : null
            }
          />
        </Card>
      </div>
    </CaseRulesFrame>
  );
}

/** Bars of the rate per group (0–100 %), labelled, with the overall rate as a dashed line. */
function RateChart(props: {
  bars: Bar[];
  total: number | null;
  rateLabel: string;
  ratedLabel: string;
  /** The label of the overall rate's line. */
  totalLabel: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  // Which bars the canvas shows once its transition is over (data-drawn: tests wait for it).
  const signature = props.bars.map((b) => b.key).join('|');
  const drawing = useRef(signature);
  const [drawn, setDrawn] = useState<string | null>(null);
  useEffect(() => {
    if (!ref.current) return;
    chart.current = echarts.init(ref.current);
    chart.current.on('finished', () => setDrawn(drawing.current));
    const resize = () => chart.current?.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);
  const { bars, total, rateLabel, ratedLabel, totalLabel } = props;
  useEffect(() => {
    if (!chart.current) return;
    drawing.current = bars.map((b) => b.key).join('|');
    // Upright axis labels when they fit side by side (about 12 px a Chinese character, 7 px others).
    const textWidth = (s: string) => [...s].reduce((w, c) => w + (c.charCodeAt(0) > 0x2e80 ? 12 : 7), 0);
    const widest = Math.max(0, ...bars.map((b) => textWidth(b.label)));
    const room = ((ref.current?.clientWidth ?? 800) - 130) / Math.max(1, bars.length);
    const crowded = widest + 8 > room;
    const html = echarts.format.encodeHTML;
    chart.current.setOption(
      {
        tooltip: {
          trigger: 'axis',
          axisPointer: { type: 'shadow' },
          formatter: (params: unknown) => {
            const index = (Array.isArray(params) ? (params[0] as { dataIndex?: number }) : undefined)
              ?.dataIndex;
            const bar = index === undefined ? undefined : bars[index];
            if (!bar) return '';
            const g = bar.group;
            return [
              `<b>${html(bar.label)}</b>`,
              `${html(rateLabel)}: ${percent(g?.rate ?? null)}`,
              `${html(ratedLabel)}: ${g?.rated ?? 0}`,
            ].join('<br/>');
          },
        },
        grid: { left: 48, right: total === null ? 24 : 82, top: 28, bottom: crowded ? 84 : 32 },
        xAxis: {
          type: 'category',
          data: bars.map((b) => b.label),
          axisLabel: {
            interval: 0,
            rotate: crowded ? 30 : 0,
            width: crowded ? 132 : undefined,
            overflow: 'truncate',
          },
        },
        yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
        series: [
          {
            name: rateLabel,
            type: 'bar',
            barMaxWidth: 44,
            itemStyle: { color: BAR, borderRadius: [3, 3, 0, 0] },
            label: {
              show: true,
              position: 'top',
              formatter: (p: { value?: unknown }) =>
                typeof p.value === 'number' ? `${p.value.toFixed(1)}%` : '',
            },
            data: bars.map((b) => {
              const rate = b.group?.rate ?? null;
              return rate === null ? null : Math.round(rate * 1000) / 10;
            }),
            markLine:
              total === null
                ? undefined
                : {
                    silent: true,
                    symbol: 'none',
                    lineStyle: { type: 'dashed', color: TOTAL_LINE },
                    label: { position: 'end', color: TOTAL_LINE, formatter: totalLabel },
                    data: [{ yAxis: Math.round(total * 1000) / 10 }],
                  },
          },
        ],
      },
      { notMerge: true },
    );
  }, [bars, total, rateLabel, ratedLabel, totalLabel]);
  return (
    <div
      ref={ref}
      className="og-sat-chart"
      data-testid="sat-chart"
      data-bars={bars.length}
      data-drawn={drawn === signature ? 'yes' : 'no'}
    />
  );
}
