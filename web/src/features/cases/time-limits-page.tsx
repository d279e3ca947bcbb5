import { EditOutlined, PlusOutlined, RollbackOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Drawer,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { isApiError } from '../../api/client';
import { useSession } from '../../auth/session-context';
import { useLocale, useT } from '../../i18n/i18n';
import { describeError } from '../../shell/describe-error';
import { PageHeading } from '../../shell/page-heading';
import { formatTime } from '../intake/intake-format';
import { nameOf } from '../intake/intake-format';
import { useRemote } from '../registry/use-remote';
import { CaseRulesFrame, labelOf, useCan } from './case-rules-frame';
import { useCategories } from './case-hooks';
import { DURATION_UNITS, type DurationUnit } from './cases-api';
import { useCasesT, type CasesT } from './cases-i18n';
import {
  AREA_GRADES,
  computeDeadline,
  deleteTimeLimit,
  fetchTimeLimits,
  LIMIT_STEPS,
  putTimeLimit,
  TIME_LIMIT_ORIGINS,
  type ComputedDeadline,
  type TimeLimitEntry,
  type TimeLimitOrigin,
  type TimeLimitRule,
} from './rules-api';

export const ORIGIN_TAG: Readonly<Record<TimeLimitOrigin, string>> = {
  default: 'default',
  category: 'blue',
  bureau: 'orange',
};

const ruleWords = (t: CasesT, r: Pick<TimeLimitRule, 'n' | 'unit'>) => `${r.n} ${t.label('units', r.unit)}`;
const keyOf = (e: Pick<TimeLimitEntry, 'scope' | 'grade' | 'step'>) => `${e.scope}|${e.grade}|${e.step}`;

/** The current wall-clock time in Shanghai as a picker value (the picker's fields are read as Beijing time). */
function shanghaiNow(): Dayjs {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).formatToParts(new Date());
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return dayjs(
    `${get('year')}-${get('month')}-${get('day')}T${get('hour') === '24' ? '00' : get('hour')}:${get('minute')}:00`,
  );
}

/** Scope names: '*' general, a category key its name, a major class key its class name. */
function useScopeNames() {
  const t = useCasesT();
  const { locale } = useLocale();
  const { categories, categoryName } = useCategories();
  const majors = useMemo(() => {
    const m = new Map<string, string>();
    for (const c of categories) {
      const major = /^(component|event):\d{2}/.exec(c.key)?.[0];
      if (major && !m.has(major))
        m.set(major, (locale === 'en' ? null : c.majorName) ?? c.majorName ?? major);
    }
    return m;
  }, [categories, locale]);
  const scopeName = (scope: string): string => {
    if (scope === '*') return t('timeLimits.scopeAll');
    const major = majors.get(scope);
    if (major !== undefined) return t('timeLimits.majorClass', { name: major });
    return categoryName(scope);
  };
  const scopeOptions = useMemo(
    () => [
      { value: '*', label: t('timeLimits.scopeAll') },
      ...[...majors.entries()].map(([k, name]) => ({
        value: k,
        label: `${t('timeLimits.majorClass', { name })} (${k})`,
      })),
      ...categories.map((c) => ({ value: c.key, label: `${nameOf(c, locale) ?? c.name} (${c.key})` })),
    ],
    [categories, majors, locale, t],
  );
  return { scopeName, scopeOptions };
}

interface DrawerState {
  mode: 'edit' | 'add';
  entry: TimeLimitEntry | null;
}

interface EditValues {
  scope: string;
  grade: string;
  step: string;
  n: number;
  unit: DurationUnit;
  basis: string;
}

function TimeLimitDrawer({
  state,
  onClose,
  onSaved,
  onConflict,
  scopeOptions,
}: {
  state: DrawerState | null;
  onClose: () => void;
  onSaved: (e: TimeLimitEntry) => void;
  onConflict: () => void;
  scopeOptions: { value: string; label: string }[];
}) {
  const t = useCasesT();
  const tApp = useT();
  const { api } = useSession();
  const [form] = Form.useForm<EditValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const entry = state?.entry ?? null;

  const submit = async (v: EditValues) => {
    setBusy(true);
    setError(null);
    try {
      const saved = await putTimeLimit(api, {
        scope: entry?.scope ?? v.scope,
        grade: entry?.grade ?? v.grade,
        step: entry?.step ?? v.step,
        n: v.n,
        unit: v.unit,
        basis: v.basis.trim(),
        // The version of the bureau's entry the editor read: a concurrent edit answers 409.
        ...(entry?.bureau ? { version: entry.bureau.version } : {}),
      });
      onSaved(saved);
    } catch (e) {
      if (isApiError(e) && e.status === 409) onConflict();
      else setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      open={state !== null}
      title={state?.mode === 'add' ? t('timeLimits.drawerAdd') : t('timeLimits.drawerEdit')}
      onClose={onClose}
      size={520}
      destroyOnHidden
      afterOpenChange={(open) => {
        if (open) {
          setError(null);
          form.setFieldsValue({
            scope: entry?.scope ?? '*',
            grade: entry?.grade ?? '*',
            step: entry?.step ?? 'handle',
            n: entry?.rule.n ?? 1,
            unit: entry?.rule.unit ?? 'workday',
            basis: entry?.rule.basis ?? '',
          });
        }
      }}
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => void submit(v)}
        data-testid="time-limit-form"
        initialValues={{
          scope: entry?.scope ?? '*',
          grade: entry?.grade ?? '*',
          step: entry?.step ?? 'handle',
          n: entry?.rule.n ?? 1,
          unit: entry?.rule.unit ?? 'workday',
          basis: entry?.rule.basis ?? '',
        }}
      >
        {entry ? (
          <Card size="small" style={{ marginBottom: 16 }}>
            <div>
              <Typography.Text type="secondary">{t('timeLimits.step')}：</Typography.Text>
              {labelOf(t, 'limitSteps', entry.step)}
            </div>
            <div>
              <Typography.Text type="secondary">{t('timeLimits.scope')}：</Typography.Text>
              {scopeOptions.find((o) => o.value === entry.scope)?.label ?? entry.scope}
            </div>
            <div>
              <Typography.Text type="secondary">{t('timeLimits.grade')}：</Typography.Text>
              {entry.grade === '*' ? t('timeLimits.gradeAll') : entry.grade}
            </div>
            <div>
              <Typography.Text type="secondary">{t('timeLimits.origin')}：</Typography.Text>
              <Tag color={ORIGIN_TAG[entry.origin]}>{labelOf(t, 'origins', entry.origin)}</Tag>
            </div>
          </Card>
        ) : (
          <>
            <Form.Item
              name="scope"
              label={t('timeLimits.scope')}
              rules={[{ required: true, message: t('timeLimits.scopeRequired') }]}
            >
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                options={scopeOptions}
                data-testid="tl-scope"
              />
            </Form.Item>
            <Space size={12} style={{ display: 'flex' }}>
              <Form.Item name="grade" label={t('timeLimits.grade')} style={{ minWidth: 140 }}>
                <Select
                  options={AREA_GRADES.map((g) => ({
                    value: g,
                    label: g === '*' ? t('timeLimits.gradeAll') : g,
                  }))}
                  data-testid="tl-grade"
                />
              </Form.Item>
              <Form.Item name="step" label={t('timeLimits.step')} style={{ minWidth: 220 }}>
                <Select
                  options={LIMIT_STEPS.map((s) => ({ value: s, label: labelOf(t, 'limitSteps', s) }))}
                  data-testid="tl-step"
                />
              </Form.Item>
            </Space>
          </>
        )}
        <Space size={12} align="start">
          <Form.Item
            name="n"
            label={t('timeLimits.n')}
            rules={[{ required: true, message: t('timeLimits.nRequired') }]}
          >
            <InputNumber min={1} max={10_000} precision={0} style={{ width: 120 }} data-testid="tl-n" />
          </Form.Item>
          <Form.Item name="unit" label={t('timeLimits.unit')}>
            <Select
              style={{ width: 160 }}
              options={DURATION_UNITS.map((u) => ({ value: u, label: t.label('units', u) }))}
              data-testid="tl-unit"
            />
          </Form.Item>
        </Space>
        <Form.Item
          name="basis"
          label={t('timeLimits.basis')}
          rules={[{ required: true, whitespace: true, message: t('timeLimits.basisRequired') }]}
        >
          <Input.TextArea rows={4} maxLength={500} showCount data-testid="tl-basis" />
        </Form.Item>
        {error ? (
          <Alert
            type="error"
            showIcon
            title={describeError(tApp, error)}
            style={{ marginBottom: 12 }}
            data-testid="tl-error"
          />
        ) : null}
        <Space>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="tl-save">
            {t('timeLimits.save')}
          </Button>
          <Button onClick={onClose}>{t('timeLimits.cancel')}</Button>
        </Space>
      </Form>
    </Drawer>
  );
}

/** The "try it" box: a due instant on the database's calendar, refusals (an unknown year) shown as the server says. */
function TryDeadline({ preset }: { preset: { n: number; unit: DurationUnit; nonce: number } | null }) {
  const t = useCasesT();
  const tApp = useT();
  const { locale } = useLocale();
  const { api } = useSession();
  const [from, setFrom] = useState<Dayjs | null>(() => shanghaiNow());
  const [n, setN] = useState<number | null>(null);
  const [unit, setUnit] = useState<DurationUnit | null>(null);
  const [seen, setSeen] = useState<number | null>(null);
  const [result, setResult] = useState<ComputedDeadline | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // A row's "try" button fills the box.
  if (preset && preset.nonce !== seen) {
    setSeen(preset.nonce);
    setN(preset.n);
    setUnit(preset.unit);
    setResult(null);
    setError(null);
  }
  const compute = async () => {
    if (!from) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(
        await computeDeadline(api, {
          from: `${from.format('YYYY-MM-DDTHH:mm:ss')}+08:00`,
          add: n ?? 1,
          unit: unit ?? 'workday',
        }),
      );
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small" title={t('timeLimits.tryTitle')} data-testid="tl-try" style={{ marginTop: 12 }}>
      <Space wrap align="center">
        <span>{t('timeLimits.tryFrom')}</span>
        <DatePicker
          showTime={{ format: 'HH:mm' }}
          format="YYYY-MM-DD HH:mm"
          value={from}
          onChange={setFrom}
          data-testid="tl-try-from"
        />
        <span>+</span>
        <InputNumber
          min={1}
          max={100_000}
          precision={0}
          value={n ?? 1}
          onChange={(v) => setN(v)}
          style={{ width: 90 }}
          data-testid="tl-try-n"
        />
        <Select
          value={unit ?? 'workday'}
          onChange={setUnit}
          style={{ width: 130 }}
          options={DURATION_UNITS.map((u) => ({ value: u, label: t.label('units', u) }))}
          data-testid="tl-try-unit"
        />
        <Button
          type="primary"
          onClick={() => void compute()}
          loading={busy}
          disabled={!from}
          data-testid="tl-try-compute"
        >
          {t('timeLimits.tryCompute')}
        </Button>
        {result ? (
          <Tooltip title={result.due}>
            <Tag
              color="blue"
              style={{ fontSize: 14, padding: '2px 8px' }}
              data-testid="tl-try-due"
              data-due={result.due}
            >
              {t('timeLimits.tryDue', { due: formatTime(result.due, locale) })}
            </Tag>
          </Tooltip>
        ) : null}
      </Space>
      {error ? (
        <Alert
          type={isApiError(error) && error.code === 'DeadlineUnknown' ? 'warning' : 'error'}
          showIcon
          title={describeError(tApp, error)}
          style={{ marginTop: 8 }}
          data-testid="tl-try-error"
        />
      ) : null}
      <Typography.Paragraph type="secondary" className="og-small" style={{ margin: '8px 0 0' }}>
        {t('timeLimits.tryHint')}
      </Typography.Paragraph>
    </Card>
  );
}

/** /cases/time-limits: the effective time-limit table with origins and full legal basis; bureau edits and reverts. */
export default function TimeLimitsPage() {
  const t = useCasesT();
  const tApp = useT();
  const { locale } = useLocale();
  const { api } = useSession();
  const { message } = App.useApp();
  const canEdit = useCan('rules:manage');
  const remote = useRemote((a, signal) => fetchTimeLimits(a, signal), []);
  const { scopeName, scopeOptions } = useScopeNames();
  const [step, setStep] = useState<string | undefined>();
  const [scope, setScope] = useState<string | undefined>();
  const [origin, setOrigin] = useState<TimeLimitOrigin | undefined>();
  const [drawer, setDrawer] = useState<DrawerState | null>(null);
  const [conflict, setConflict] = useState(false);
  const [preset, setPreset] = useState<{ n: number; unit: DurationUnit; nonce: number } | null>(null);
  const [page, setPage] = useState(1);

  const rows = useMemo(
    () =>
      (remote.data ?? []).filter(
        (e) =>
          (step === undefined || e.step === step) &&
          (scope === undefined || e.scope === scope) &&
          (origin === undefined || e.origin === origin),
      ),
    [remote.data, step, scope, origin],
  );
  const presentScopes = useMemo(() => new Set((remote.data ?? []).map((e) => e.scope)), [remote.data]);

  const revert = async (e: TimeLimitEntry) => {
    try {
      const r = await deleteTimeLimit(api, { scope: e.scope, grade: e.grade, step: e.step });
      void message.success(
        t('timeLimits.reverted', { origin: r.inEffect ? labelOf(t, 'origins', r.inEffect.origin) : '—' }),
      );
    } catch (err) {
      void message.error(describeError(tApp, err));
    }
    remote.reload();
  };

  return (
    <CaseRulesFrame>
      <div data-testid="time-limits-page">
        <PageHeading title={t('timeLimits.title')} description={t('timeLimits.description')} />
        <TryDeadline preset={preset} />
        {conflict ? (
          <Alert
            type="warning"
            showIcon
            closable={{ onClose: () => setConflict(false) }}
            title={t('timeLimits.conflict')}
            style={{ marginTop: 12 }}
            data-testid="tl-conflict"
          />
        ) : null}
        {!canEdit ? (
          <Alert type="info" showIcon title={t('timeLimits.readOnly')} style={{ marginTop: 12 }} />
        ) : null}
        <Card size="small" style={{ marginTop: 12 }}>
          <Space wrap style={{ marginBottom: 12 }} className="og-case-filters">
            <Select
              allowClear
              placeholder={t('timeLimits.filterStep')}
              style={{ width: 200 }}
              value={step}
              onChange={(v) => {
                setStep(v);
                setPage(1);
              }}
              options={LIMIT_STEPS.map((s) => ({ value: s, label: labelOf(t, 'limitSteps', s) }))}
              data-testid="tl-filter-step"
            />
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('timeLimits.filterScope')}
              style={{ width: 300 }}
              value={scope}
              onChange={(v) => {
                setScope(v);
                setPage(1);
              }}
              options={scopeOptions.filter((o) => presentScopes.has(o.value))}
              data-testid="tl-filter-scope"
            />
            <Select
              allowClear
              placeholder={t('timeLimits.filterOrigin')}
              style={{ width: 140 }}
              value={origin}
              onChange={(v) => {
                setOrigin(v);
                setPage(1);
              }}
              options={TIME_LIMIT_ORIGINS.map((o) => ({ value: o, label: labelOf(t, 'origins', o) }))}
              data-testid="tl-filter-origin"
            />
            <Typography.Text type="secondary" data-testid="tl-count">
              {t('timeLimits.count', { n: rows.length })}
            </Typography.Text>
            {canEdit ? (
              <Button
                icon={<PlusOutlined />}
                onClick={() => setDrawer({ mode: 'add', entry: null })}
                data-testid="tl-add"
              >
                {t('timeLimits.add')}
              </Button>
            ) : null}
          </Space>
          {remote.error ? (
            <Alert type="error" showIcon title={describeError(tApp, remote.error)} />
          ) : (
            <Table<TimeLimitEntry>
              size="small"
              rowKey={keyOf}
              loading={remote.loading}
              dataSource={rows}
              pagination={{ current: page, pageSize: 20, onChange: setPage, showSizeChanger: false }}
              onRow={(e) =>
                ({
                  'data-testid': 'tl-row',
                  'data-key': keyOf(e),
                  'data-origin': e.origin,
                }) as React.HTMLAttributes<HTMLElement>
              }
              columns={[
                {
                  title: t('timeLimits.step'),
                  key: 'step',
                  width: 150,
                  render: (_, e) => labelOf(t, 'limitSteps', e.step),
                },
                {
                  title: t('timeLimits.scope'),
                  key: 'scope',
                  width: 190,
                  render: (_, e) => (
                    <Tooltip title={e.scope}>
                      <span>{scopeName(e.scope)}</span>
                    </Tooltip>
                  ),
                },
                {
                  title: t('timeLimits.grade'),
                  key: 'grade',
                  width: 90,
                  render: (_, e) => (e.grade === '*' ? t('timeLimits.gradeAll') : e.grade),
                },
                {
                  title: t('timeLimits.limit'),
                  key: 'limit',
                  width: 110,
                  render: (_, e) => (
                    <Typography.Text strong data-testid="tl-limit">
                      {ruleWords(t, e.rule)}
                    </Typography.Text>
                  ),
                },
                {
                  title: t('timeLimits.basis'),
                  key: 'basis',
                  // The legal basis in full: it is what the deadline will be argued from.
                  render: (_, e) => (
                    <div className="og-tl-basis" data-testid="tl-basis-text">
                      {e.rule.basis}
                    </div>
                  ),
                },
                {
                  title: t('timeLimits.origin'),
                  key: 'origin',
                  width: 190,
                  render: (_, e) => (
                    <div>
                      <Tag color={ORIGIN_TAG[e.origin]} data-testid="tl-origin">
                        {labelOf(t, 'origins', e.origin)}
                      </Tag>
                      {e.replaces ? (
                        <div className="og-small og-case-muted">
                          {t('timeLimits.replaces', {
                            origin: labelOf(t, 'origins', e.replaces.origin),
                            rule: ruleWords(t, e.replaces.rule),
                          })}
                        </div>
                      ) : null}
                      {e.bureau ? (
                        <div className="og-small og-case-muted" data-testid="tl-version">
                          {t('timeLimits.updated', {
                            version: e.bureau.version,
                            at: formatTime(e.bureau.updatedAt, locale),
                          })}
                        </div>
                      ) : null}
                    </div>
                  ),
                },
                {
                  title: t('timeLimits.actions'),
                  key: 'actions',
                  width: 200,
                  render: (_, e) => (
                    <Space size={4} wrap>
                      <Button
                        size="small"
                        type="link"
                        onClick={() => setPreset({ n: e.rule.n, unit: e.rule.unit, nonce: Date.now() })}
                        data-testid="tl-try-row"
                      >
                        {t('timeLimits.tryUse')}
                      </Button>
                      {canEdit ? (
                        <Button
                          size="small"
                          icon={<EditOutlined />}
                          onClick={() => setDrawer({ mode: 'edit', entry: e })}
                          data-testid="tl-edit"
                        >
                          {t('timeLimits.edit')}
                        </Button>
                      ) : null}
                      {canEdit && e.origin === 'bureau' ? (
                        <Popconfirm
                          title={
                            e.replaces
                              ? t('timeLimits.revertConfirm', {
                                  origin: labelOf(t, 'origins', e.replaces.origin),
                                  rule: ruleWords(t, e.replaces.rule),
                                })
                              : t('timeLimits.revertNone')
                          }
                          onConfirm={() => revert(e)}
                          okButtonProps={{ 'data-testid': 'tl-revert-ok' } as Record<string, string>}
                        >
                          <Button size="small" danger icon={<RollbackOutlined />} data-testid="tl-revert">
                            {t('timeLimits.revert')}
                          </Button>
                        </Popconfirm>
                      ) : null}
                    </Space>
                  ),
                },
              ]}
            />
          )}
        </Card>
        <TimeLimitDrawer
          state={drawer}
          scopeOptions={scopeOptions}
          onClose={() => setDrawer(null)}
          onSaved={(saved) => {
            setDrawer(null);
            void message.success(t('timeLimits.saved', { rule: ruleWords(t, saved.rule) }));
            remote.reload();
          }}
          onConflict={() => {
            setDrawer(null);
            setConflict(true);
            remote.reload();
          }}
        />
      </div>
    </CaseRulesFrame>
  );
}
