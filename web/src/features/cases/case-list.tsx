import { Alert, Button, Card, Checkbox, DatePicker, Form, Select, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { useSession } from '../../auth/session-context';
import { useLocale, useT } from '../../i18n/i18n';
import { describeError } from '../../shell/describe-error';
import { CHANNELS } from '../intake/intake-api';
import { channelLabel, formatTime, nameOf } from '../intake/intake-format';
import { CASE_STATUSES, CASE_STEPS, fetchCases, type CaseQuery, type CaseSummary } from './cases-api';
import { STATUS_TAG, URGENCY_TAG } from './cases-format';
import { useCasesT } from './cases-i18n';
import { useCategories, useUnits } from './case-hooks';

interface FilterValues {
  status?: CaseQuery['status'];
  step?: CaseQuery['step'];
  responsibleUnitId?: string;
  categoryKey?: string;
  channel?: string;
  overdue?: boolean;
  period?: [Dayjs | null, Dayjs | null] | null;
}

/** A day of the picker as an instant in Shanghai (the server wants a zone). */
const dayStart = (d: Dayjs) => `${d.format('YYYY-MM-DD')}T00:00:00+08:00`;
const dayEnd = (d: Dayjs) => `${d.format('YYYY-MM-DD')}T23:59:59+08:00`;

function toQuery(v: FilterValues): CaseQuery {
  const q: CaseQuery = {};
  if (v.status) q.status = v.status;
  if (v.step) q.step = v.step;
  if (v.responsibleUnitId) q.responsibleUnitId = v.responsibleUnitId;
  if (v.categoryKey) q.categoryKey = v.categoryKey;
  if (v.channel) q.channel = v.channel;
  if (v.overdue) q.overdue = true;
  if (v.period?.[0]) q.from = dayStart(v.period[0]);
  if (v.period?.[1]) q.to = dayEnd(v.period[1]);
  return q;
}

/** 案件列表: filters (status, step, unit, category, overdue, channel, period) and keyset paging. */
export default function CaseList() {
  const t = useCasesT();
  const tApp = useT();
  const { locale } = useLocale();
  const { api } = useSession();
  const { units, unitName } = useUnits();
  const { categories, categoryName } = useCategories();
  const [form] = Form.useForm<FilterValues>();
  const [query, setQuery] = useState<CaseQuery>({});
  const [rows, setRows] = useState<CaseSummary[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);

  const load = async (q: CaseQuery, cursor: string | null, signal?: AbortSignal) => {
    setLoading(true);
    setError(null);
    try {
      const page = await fetchCases(api, { ...q, ...(cursor ? { cursor } : {}) }, signal);
      if (signal?.aborted) return;
      setRows((prev) => (cursor ? [...prev, ...page.items] : page.items));
      setNext(page.nextCursor);
    } catch (e) {
      if (!signal?.aborted) setError(e);
    } finally {
      if (!signal?.aborted) setLoading(false);
    }
  };

  useEffect(() => {
    const controller = new AbortController();
    void load(query, null, controller.signal);
    return () => controller.abort();
    // `load` is a fresh closure; the query decides when to load.
  }, [api, query]);

  const unitOptions = units
    .filter((u) => u.active && u.kind !== 'community')
    .map((u) => ({ value: u.id, label: nameOf(u, locale) ?? u.name }));

  return (
    <Card size="small" data-testid="case-list">
      <Form<FilterValues>
        form={form}
        layout="inline"
        className="og-case-filters"
        onFinish={(v) => setQuery(toQuery(v))}
        data-testid="case-filters"
      >
        <Form.Item name="status" label={t('fields.status')}>
          <Select
            allowClear
            style={{ width: 120 }}
            placeholder={t('filters.all')}
            options={CASE_STATUSES.map((s) => ({ value: s, label: t.label('status', s) }))}
            data-testid="filter-status"
          />
        </Form.Item>
        <Form.Item name="step" label={t('fields.step')}>
          <Select
            allowClear
            style={{ width: 120 }}
            placeholder={t('filters.all')}
            options={CASE_STEPS.map((s) => ({ value: s, label: t.label('steps', s) }))}
            data-testid="filter-step"
          />
        </Form.Item>
        <Form.Item name="responsibleUnitId" label={t('fields.responsibleUnit')}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            style={{ width: 220 }}
            placeholder={t('filters.all')}
            options={unitOptions}
            data-testid="filter-unit"
          />
        </Form.Item>
        <Form.Item name="categoryKey" label={t('fields.category')}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            style={{ width: 200 }}
            placeholder={t('filters.all')}
            options={categories.map((c) => ({ value: c.key, label: nameOf(c, locale) ?? c.name }))}
            data-testid="filter-category"
          />
        </Form.Item>
        <Form.Item name="channel" label={t('fields.channel')}>
          <Select
            allowClear
            style={{ width: 130 }}
            placeholder={t('filters.all')}
            options={CHANNELS.map((c) => ({ value: c, label: channelLabel(tApp, c) }))}
            data-testid="filter-channel"
          />
        </Form.Item>
        <Form.Item name="period" label={t('fields.period')}>
          <DatePicker.RangePicker allowEmpty={[true, true]} data-testid="filter-period" />
        </Form.Item>
        <Form.Item name="overdue" valuePropName="checked">
          <Checkbox data-testid="filter-overdue">{t('fields.overdue')}</Checkbox>
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" data-testid="filter-search">
              {t('filters.search')}
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                setQuery({});
              }}
            >
              {t('filters.reset')}
            </Button>
          </Space>
        </Form.Item>
      </Form>
      {error ? (
        <Alert type="error" showIcon title={describeError(tApp, error)} style={{ margin: '12px 0' }} />
      ) : null}
      <Table<CaseSummary>
        size="small"
        rowKey="id"
        loading={loading}
        dataSource={rows}
        pagination={false}
        style={{ marginTop: 12 }}
        locale={{ emptyText: t('list.empty') }}
        onRow={(r) => ({ 'data-testid': 'case-row', 'data-case-id': r.id, 'data-step': r.step }) as never}
        columns={[
          {
            title: t('fields.code'),
            dataIndex: 'code',
            render: (code: string, r) => (
              <Link to={`/cases/${encodeURIComponent(r.id)}`} data-testid="case-link">
                {code}
              </Link>
            ),
          },
          {
            title: t('fields.status'),
            dataIndex: 'status',
            render: (s: CaseSummary['status']) => <Tag color={STATUS_TAG[s]}>{t.label('status', s)}</Tag>,
          },
          { title: t('fields.step'), dataIndex: 'step', render: (s: string) => t.label('steps', s) },
          {
            title: t('fields.category'),
            dataIndex: 'categoryKey',
            render: (k: string | null) => categoryName(k),
          },
          {
            title: t('fields.responsibleUnit'),
            dataIndex: 'responsibleUnitId',
            render: (id: string | null, r) => (
              <span>
                {unitName(id)}
                {r.handlingUnitId && r.handlingUnitId !== id ? (
                  <Typography.Text type="secondary"> → {unitName(r.handlingUnitId)}</Typography.Text>
                ) : null}
              </span>
            ),
          },
          { title: t('fields.channel'), dataIndex: 'channel', render: (c: string) => channelLabel(tApp, c) },
          {
            title: t('fields.openedAt'),
            dataIndex: 'openedAt',
            render: (v: string) => formatTime(v, locale),
          },
          {
            title: t('fields.dueAt'),
            dataIndex: 'dueAt',
            render: (v: string | null, r) => (
              <Space size={4}>
                <span>{formatTime(v, locale)}</span>
                {r.urgency !== 'none' ? (
                  <Tag color={URGENCY_TAG[r.urgency]} data-testid="case-urgency">
                    {t.label('urgency', r.urgency)}
                  </Tag>
                ) : null}
              </Space>
            ),
          },
        ]}
      />
      <div className="og-case-more">
        <Typography.Text type="secondary">{t('filters.shown', { n: rows.length })}</Typography.Text>
        {next ? (
          <Button onClick={() => void load(query, next)} loading={loading} data-testid="case-more">
            {t('filters.more')}
          </Button>
        ) : null}
      </div>
    </Card>
  );
}
