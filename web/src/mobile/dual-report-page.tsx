import {
  CheckCircleFilled,
  LogoutOutlined,
  ReloadOutlined,
  UserOutlined,
  WarningFilled,
} from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Empty,
  Form,
  Input,
  Result,
  Segmented,
  Select,
  Space,
  Spin,
  Switch,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { isApiError, type ApiClient } from '../api/client';
import { useCurrentUser, useSession } from '../auth/session-context';
import { useCasesT } from '../features/cases/cases-i18n';
import { type Point } from '../features/intake/intake-api';
import { formatPoint, formatTime, nameOf } from '../features/intake/intake-format';
import { IntakeMap } from '../features/intake/intake-map';
import { dualReportEn, type DualReportMessages } from '../i18n/dual-report.en';
import { dualReportZhCN } from '../i18n/dual-report.zh-CN';
import { useLocale, useT } from '../i18n/i18n';
import { interpolate, type Locale } from '../i18n/messages';
import { describeError } from '../shell/describe-error';
import { MobileFrame } from './mobile-frame';
import { donePhotoIds, PhotoRow, type PhotoSlot } from './photo-row';
import './dual-report-page.css';

// ---------------------------------------------------------------------------------------------------------
// The page's dictionary (web/src/i18n/dual-report.*.ts), read in the current language
// ---------------------------------------------------------------------------------------------------------

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];
type DualReportKey = Leaves<DualReportMessages>;
type DrT = (key: DualReportKey, params?: Readonly<Record<string, string | number>>) => string;

const DICTIONARIES: Readonly<Record<Locale, DualReportMessages>> = {
  'zh-CN': dualReportZhCN,
  en: dualReportEn,
};

function lookup(messages: DualReportMessages, path: string): string | undefined {
  let node: unknown = messages;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

function useDualReportT(): DrT {
  const { locale } = useLocale();
  return useMemo(() => {
    const messages = DICTIONARIES[locale];
    return (key, params) => interpolate(lookup(messages, key) ?? key, params);
  }, [locale]);
}

// ---------------------------------------------------------------------------------------------------------
// The API (src/dualreport/dual-report.routes.ts: the zod schemas are the contract)
// ---------------------------------------------------------------------------------------------------------

const RECIPIENTS = ['squad', 'illegalConstructionOffice'] as const;
type Recipient = (typeof RECIPIENTS)[number];
const OUTCOMES = ['ineffective', 'stopped'] as const;
type Outcome = (typeof OUTCOMES)[number];

interface Delivery {
  id: string;
  recipient: Recipient;
  unit: { id: string; name: string };
  receiptCode: string;
  deliveredAt: string;
  ackDeadline: { due: string; basis: string };
  onSiteDeadline: { due: string; basis: string };
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  onSiteAt: string | null;
  onSiteBy: string | null;
  ackOverdue: boolean;
  onSiteOverdue: boolean;
}

interface DualReport {
  id: string;
  trackingCode: string;
  company: { id: string; name: string };
  compound: { id: string; name: string };
  place: { building: string | null; unit: string | null; room: string | null };
  categoryKey: string | null;
  description: string;
  location: { lng: number; lat: number } | null;
  discoveredAt: string;
  reportedAt: string;
  underWay: boolean;
  lagMinutes: number;
  late: boolean;
  case: { id: string; code: string; status: string; step: string } | null;
  deliveries: Delivery[];
}

interface SubmitBody {
  compoundId: string;
  place?: { building?: string; unit?: string; room?: string };
  location?: { lng: number; lat: number; crs: 'wgs84' };
  categoryKey: string;
  description: string;
  discoveredAt: string;
  underWay: boolean;
  dissuasion?: { at: string; by: string; outcome: Outcome; note?: string; photoIds?: string[] };
  noDissuasionReason?: string;
  photoIds?: string[];
}

const fetchDualReports = (api: ApiClient, limit: number, signal?: AbortSignal) =>
  api.get<{ items: DualReport[] }>('/api/dual-reports', { query: { limit }, signal }).then((r) => r.items);

interface Option {
  id: string;
  name: string;
}

/** GET /api/dual-reports/form: the compounds the user's company manages and the categories it may report. */
interface DualReportFormChoices {
  company: { id: string; name: string };
  compounds: Array<{ id: string; name: string }>;
  categories: Array<{ key: string; name: string; nameEn: string | null }>;
}

const fetchForm = (api: ApiClient, signal: AbortSignal) =>
  api.get<DualReportFormChoices>('/api/dual-reports/form', { signal });

async function loadCompounds(api: ApiClient, signal: AbortSignal): Promise<{ items: Option[] }> {
  const f = await fetchForm(api, signal);
  const items = f.compounds.map((c) => ({ id: c.id, name: c.name }));
  items.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  return { items };
}

async function loadCategories(api: ApiClient, locale: Locale, signal: AbortSignal): Promise<Option[]> {
  const f = await fetchForm(api, signal);
  return f.categories.map((c) => ({ id: c.key, name: nameOf(c, locale) ?? c.key }));
}

// ---------------------------------------------------------------------------------------------------------
// Times: the form speaks Shanghai wall-clock time (the district's), whatever the phone's zone
// ---------------------------------------------------------------------------------------------------------

const SHANGHAI_MS = 8 * 3600_000;
/** 'YYYY-MM-DDTHH:mm' in Shanghai, for <input type="datetime-local">. */
const toLocalInput = (d: Date) => new Date(d.getTime() + SHANGHAI_MS).toISOString().slice(0, 16);
/** The instant of a Shanghai wall-clock 'YYYY-MM-DDTHH:mm', or null. */
function fromLocalInput(s: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(s)) return null;
  const d = new Date(`${s}:00+08:00`);
  return Number.isNaN(d.getTime()) ? null : d;
}

function formatLag(t: DrT, minutes: number): string {
  if (minutes < 60) return t('units.minutes', { n: minutes });
  if (minutes < 48 * 60) return t('units.hours', { h: Math.floor(minutes / 60), m: minutes % 60 });
  return t('units.days', { d: Math.floor(minutes / 1440), h: Math.floor((minutes % 1440) / 60) });
}

// ---------------------------------------------------------------------------------------------------------
// Photos
// ---------------------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------------------
// Receipts and the list
// ---------------------------------------------------------------------------------------------------------

function DeliveryCard({ d, underWay }: { d: Delivery; underWay: boolean }) {
  const t = useDualReportT();
  const { locale } = useLocale();
  const at = (iso: string | null) => formatTime(iso, locale);
  return (
    <div className="og-dr-delivery" data-testid="receipt" data-recipient={d.recipient}>
      <div className="og-dr-delivery-head">
        <Typography.Text strong>{t(`receipt.${d.recipient}`)}</Typography.Text>
        <Typography.Text type="secondary" className="og-dr-unit">
          {d.unit.name}
        </Typography.Text>
      </div>
      <dl className="og-dr-dl">
        <dt>{t('receipt.code')}</dt>
        <dd>
          <Typography.Text code data-testid="receipt-code">
            {d.receiptCode}
          </Typography.Text>
        </dd>
        <dt>{t('receipt.deliveredAt')}</dt>
        <dd>{at(d.deliveredAt)}</dd>
        <dt>{t('receipt.ackDeadline')}</dt>
        <dd data-testid="ack-deadline" title={d.ackDeadline.basis}>
          {at(d.ackDeadline.due)} <span className="og-m-hint">({t('receipt.rule1h')})</span>
        </dd>
        <dt>{t('receipt.onSiteDeadline')}</dt>
        <dd data-testid="onsite-deadline" title={d.onSiteDeadline.basis}>
          {at(d.onSiteDeadline.due)}{' '}
          <span className="og-m-hint">({underWay ? t('receipt.rule2h') : t('receipt.rule24h')})</span>
        </dd>
      </dl>
      <Space wrap size={4} data-testid="delivery-state">
        {d.acknowledgedAt ? (
          <Tag color="green">{t('receipt.acknowledged', { at: at(d.acknowledgedAt) })}</Tag>
        ) : (
          <Tag color={d.ackOverdue ? 'red' : 'default'}>
            {t('receipt.notAcknowledged')}
            {d.ackOverdue ? ` · ${t('receipt.overdue')}` : ''}
          </Tag>
        )}
        {d.onSiteAt ? (
          <Tag color="green">{t('receipt.onSite', { at: at(d.onSiteAt) })}</Tag>
        ) : (
          <Tag color={d.onSiteOverdue ? 'red' : 'default'}>
            {t('receipt.notOnSite')}
            {d.onSiteOverdue ? ` · ${t('receipt.overdue')}` : ''}
          </Tag>
        )}
      </Space>
    </div>
  );
}

function LateTag({ report }: { report: DualReport }) {
  const t = useDualReportT();
  return report.late ? (
    <Tag color="red" icon={<WarningFilled />} data-testid="late-flag">
      {t('done.late')}
    </Tag>
  ) : (
    <Tag color="green" data-testid="on-time-flag">
      {t('done.onTime')}
    </Tag>
  );
}

const placeText = (r: DualReport) =>
  [r.compound.name, r.place.building, r.place.unit, r.place.room].filter(Boolean).join(' ');

const orderedDeliveries = (r: DualReport) =>
  RECIPIENTS.flatMap((k) => r.deliveries.filter((d) => d.recipient === k));

function Receipts({ report, onAnother }: { report: DualReport; onAnother: () => void }) {
  const t = useDualReportT();
  return (
    <div className="og-dr-done" data-testid="dual-report-done" data-late={String(report.late)}>
      <div className="og-dr-done-head">
        <CheckCircleFilled className="og-dr-done-icon" />
        <div>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('done.title')}
          </Typography.Title>
          <div data-testid="tracking-code">{t('done.trackingCode', { code: report.trackingCode })}</div>
        </div>
      </div>
      <div className="og-dr-done-meta">
        <div>{placeText(report)}</div>
        <Space wrap size={4} style={{ marginTop: 4 }}>
          <LateTag report={report} />
          <span className="og-m-hint" data-testid="lag">
            {t('done.lag', { lag: formatLag(t, report.lagMinutes) })}
          </span>
        </Space>
      </div>
      {orderedDeliveries(report).map((d) => (
        <DeliveryCard key={d.id} d={d} underWay={report.underWay} />
      ))}
      <Button size="large" block onClick={onAnother} data-testid="report-another">
        {t('done.another')}
      </Button>
    </div>
  );
}

function MyReports({
  items,
  total,
  loading,
  onRefresh,
}: {
  items: DualReport[] | null;
  total: number;
  loading: boolean;
  onRefresh: () => void;
}) {
  const t = useDualReportT();
  const tCases = useCasesT();
  const { locale } = useLocale();
  return (
    <Card
      size="small"
      className="og-m-card og-dr-list"
      title={t('list.title')}
      extra={
        <Button size="small" type="text" icon={<ReloadOutlined />} onClick={onRefresh} loading={loading}>
          {t('list.refresh')}
        </Button>
      }
      data-testid="my-dual-reports"
      data-total={total}
    >
      {items === null ? <Spin /> : null}
      {items && items.length === 0 ? <Empty description={t('list.empty')} /> : null}
      {(items ?? []).map((r) => (
        <div
          key={r.id}
          className="og-dr-item"
          data-testid="my-dual-report"
          data-code={r.trackingCode}
          data-late={String(r.late)}
        >
          <div className="og-dr-item-head">
            <Typography.Text strong>{r.trackingCode}</Typography.Text>
            <LateTag report={r} />
          </div>
          <div>{placeText(r)}</div>
          <div className="og-m-hint">
            {formatTime(r.reportedAt, locale)} · {t('done.lag', { lag: formatLag(t, r.lagMinutes) })}
            {r.case
              ? ` · ${t('list.case', { code: r.case.code })} ${tCases.label('steps', r.case.step)}`
              : ''}
          </div>
          <div className="og-dr-item-deliveries">
            {orderedDeliveries(r).map((d) => (
              <div
                key={d.id}
                className="og-dr-item-delivery"
                data-testid="item-delivery"
                data-recipient={d.recipient}
              >
                <span className="og-dr-item-recipient">{t(`receipt.${d.recipient}`)}</span>
                <span className="og-dr-item-tags">
                  {d.acknowledgedAt ? (
                    <Tag color="green">
                      {t('receipt.acknowledged', { at: formatTime(d.acknowledgedAt, locale) })}
                    </Tag>
                  ) : (
                    <Tag color={d.ackOverdue ? 'red' : 'default'}>
                      {t('receipt.notAcknowledged')}
                      {d.ackOverdue ? ` · ${t('receipt.overdue')}` : ''}
                    </Tag>
                  )}
                  {d.onSiteAt ? (
                    <Tag color="green">{t('receipt.onSite', { at: formatTime(d.onSiteAt, locale) })}</Tag>
                  ) : (
                    <Tag color={d.onSiteOverdue ? 'red' : 'default'}>
                      {t('receipt.notOnSite')}
                      {d.onSiteOverdue ? ` · ${t('receipt.overdue')}` : ''}
                    </Tag>
                  )}
                </span>
              </div>
            ))}
          </div>
        </div>
      ))}
    </Card>
  );
}

// ---------------------------------------------------------------------------------------------------------
// The form
// ---------------------------------------------------------------------------------------------------------

type FieldName =
  | 'compound'
  | 'place'
  | 'location'
  | 'category'
  | 'description'
  | 'discoveredAt'
  | 'underWay'
  | 'dissuasion'
  | 'dissuasionAt'
  | 'dissuasionBy'
  | 'dissuasionNote'
  | 'dissuasionPhotos'
  | 'noDissuasionReason'
  | 'photos';

/** The form field a server refusal names (details.field, or a zod issue's `body.…`). */
function fieldName(serverField: string | null): FieldName | null {
  if (!serverField) return null;
  const f = serverField.replace(/^body\./, '');
  if (f === 'compoundId') return 'compound';
  if (f.startsWith('place')) return 'place';
  if (f.startsWith('location')) return 'location';
  if (f === 'categoryKey') return 'category';
  if (f === 'description') return 'description';
  if (f === 'discoveredAt') return 'discoveredAt';
  if (f === 'underWay') return 'underWay';
  if (f === 'dissuasion.at') return 'dissuasionAt';
  if (f === 'dissuasion.by') return 'dissuasionBy';
  if (f === 'dissuasion.note') return 'dissuasionNote';
  if (f.startsWith('dissuasion.photoIds')) return 'dissuasionPhotos';
  if (f.startsWith('dissuasion')) return 'dissuasion';
  if (f === 'noDissuasionReason') return 'noDissuasionReason';
  if (f.startsWith('photoIds')) return 'photos';
  return null;
}

function DualReportForm({ onSubmitted }: { onSubmitted: (r: DualReport) => void }) {
  const t = useDualReportT();
  const tApp = useT();
  const { locale } = useLocale();
  const { api } = useSession();
  const [compounds, setCompounds] = useState<{ items: Option[] } | null>(null);
  const [categories, setCategories] = useState<Option[] | null>(null);
  const [compoundId, setCompoundId] = useState<string | null>(null);
  const [building, setBuilding] = useState('');
  const [unit, setUnit] = useState('');
  const [room, setRoom] = useState('');
  const [usePoint, setUsePoint] = useState(false);
  const [point, setPoint] = useState<Point | null>(null);
  const [categoryKey, setCategoryKey] = useState<string | null>(null);
  const [description, setDescription] = useState('');
  const [discovered, setDiscovered] = useState(() => toLocalInput(new Date()));
  const [underWay, setUnderWay] = useState(false);
  const [mode, setMode] = useState<'record' | 'none'>('record');
  const [dAt, setDAt] = useState(() => toLocalInput(new Date()));
  const [dBy, setDBy] = useState('');
  const [dOutcome, setDOutcome] = useState<Outcome>('ineffective');
  const [dNote, setDNote] = useState('');
  const [dPhotos, setDPhotos] = useState<PhotoSlot[]>([]);
  const [noReason, setNoReason] = useState('');
  const [photos, setPhotos] = useState<PhotoSlot[]>([]);
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [loadError, setLoadError] = useState<unknown>(null);

  const clearError = (f: FieldName) => setErrors((e) => (e[f] ? { ...e, [f]: undefined } : e));

  useEffect(() => {
    const controller = new AbortController();
    loadCompounds(api, controller.signal).then(
      (c) => {
        setCompounds(c);
        if (c.items.length === 1) setCompoundId((id) => id ?? c.items[0]?.id ?? null);
      },
      (e: unknown) => {
        if (!controller.signal.aborted) setLoadError(e);
      },
    );
    return () => controller.abort();
  }, [api]);

  useEffect(() => {
    const controller = new AbortController();
    loadCategories(api, locale, controller.signal).then(
      (c) => {
        setCategories(c);
        // 新增违建 is what a property company finds most: the default.
        setCategoryKey((k) => k ?? (c.find((x) => x.id === 'event:06901') ?? c[0])?.id ?? null);
      },
      (e: unknown) => {
        if (!controller.signal.aborted) setLoadError(e);
      },
    );
    return () => controller.abort();
  }, [api, locale]);

  const validate = (): Partial<Record<FieldName, string>> => {
    const out: Partial<Record<FieldName, string>> = {};
    const now = Date.now();
    if (!compoundId) out.compound = t('form.compoundRequired');
    if (!categoryKey) out.category = t('form.categoryRequired');
    if (description.trim() === '') out.description = t('form.required');
    if (usePoint && !point) out.location = t('form.pointRequired');
    const disc = fromLocalInput(discovered);
    if (!disc) out.discoveredAt = t('form.badTime');
    else if (disc.getTime() > now) out.discoveredAt = t('form.futureTime');
    if (mode === 'record') {
      const at = fromLocalInput(dAt);
      if (!at) out.dissuasionAt = t('form.badTime');
      else if (at.getTime() > now) out.dissuasionAt = t('form.futureTime');
      if (dBy.trim() === '') out.dissuasionBy = t('form.required');
    } else if (noReason.trim() === '') out.noDissuasionReason = t('form.required');
    return out;
  };

  const body = (): SubmitBody => {
    const place = {
      ...(building.trim() ? { building: building.trim() } : {}),
      ...(unit.trim() ? { unit: unit.trim() } : {}),
      ...(room.trim() ? { room: room.trim() } : {}),
    };
    const ids = donePhotoIds(photos);
    const dIds = donePhotoIds(dPhotos);
    return {
      compoundId: compoundId ?? '',
      ...(Object.keys(place).length > 0 ? { place } : {}),
      ...(usePoint && point ? { location: { lng: point.lng, lat: point.lat, crs: 'wgs84' as const } } : {}),
      categoryKey: categoryKey ?? '',
      description: description.trim(),
      discoveredAt: fromLocalInput(discovered)?.toISOString() ?? discovered,
      underWay,
      ...(mode === 'record'
        ? {
            dissuasion: {
              at: fromLocalInput(dAt)?.toISOString() ?? dAt,
              by: dBy.trim(),
              outcome: dOutcome,
              ...(dNote.trim() ? { note: dNote.trim() } : {}),
              ...(dIds.length > 0 ? { photoIds: dIds } : {}),
            },
          }
        : { noDissuasionReason: noReason.trim() }),
      ...(ids.length > 0 ? { photoIds: ids } : {}),
    };
  };

  const onSubmit = async () => {
    const problems = validate();
    setErrors(problems);
    setFormError(null);
    if (Object.keys(problems).length > 0) return;
    setSubmitting(true);
    try {
      const created = await api.post<DualReport>('/api/dual-reports', body());
      onSubmitted(created);
    } catch (e) {
      const message = describeError(tApp, e);
      const next: Partial<Record<FieldName, string>> = {};
      if (isApiError(e)) {
        const field = fieldName(typeof e.details.field === 'string' ? e.details.field : null);
        if (field) next[field] = message;
        const issues = e.details.issues;
        if (Array.isArray(issues))
          for (const p of issues as Array<{ field?: unknown; message?: unknown }>) {
            const f = fieldName(typeof p.field === 'string' ? p.field : null);
            if (f && !next[f]) next[f] = typeof p.message === 'string' ? p.message : message;
          }
      }
      setErrors(next);
      // A refusal shown at its field needs no second banner; anything else is said above the button.
      setFormError(Object.keys(next).length > 0 ? null : message);
    } finally {
      setSubmitting(false);
    }
  };

  const itemProps = (f: FieldName) =>
    errors[f]
      ? { validateStatus: 'error' as const, help: <span data-testid={`error-${f}`}>{errors[f]}</span> }
      : {};
  const uploading = [...photos, ...dPhotos].some((p) => p.status === 'uploading');

  if (loadError) return <Alert type="error" showIcon title={describeError(tApp, loadError)} />;

  return (
    <Form layout="vertical" className="og-m-form og-dr-form" data-testid="dual-report-form" requiredMark>
      <Form.Item label={t('form.compound')} required {...itemProps('compound')}>
        <Select
          value={compoundId}
          onChange={(v: string) => {
            setCompoundId(v);
            clearError('compound');
          }}
          placeholder={t('form.compoundPlaceholder')}
          options={(compounds?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
          loading={compounds === null}
          showSearch={{ optionFilterProp: 'label' }}
          size="large"
          data-testid="compound-select"
        />
      </Form.Item>

      <Form.Item label={t('form.place')} {...itemProps('place')}>
        <div className="og-dr-place">
          <Input
            value={building}
            maxLength={50}
            onChange={(e) => {
              setBuilding(e.target.value);
              clearError('place');
            }}
            placeholder={t('form.building')}
            aria-label={t('form.building')}
            data-testid="building-input"
          />
          <Input
            value={unit}
            maxLength={50}
            onChange={(e) => {
              setUnit(e.target.value);
              clearError('place');
            }}
            placeholder={t('form.unit')}
            aria-label={t('form.unit')}
            data-testid="unit-input"
          />
          <Input
            value={room}
            maxLength={50}
            onChange={(e) => {
              setRoom(e.target.value);
              clearError('place');
            }}
            placeholder={t('form.room')}
            aria-label={t('form.room')}
            data-testid="room-input"
          />
        </div>
      </Form.Item>

      <Form.Item {...itemProps('location')}>
        <Space align="center">
          <Switch
            checked={usePoint}
            onChange={(v) => {
              setUsePoint(v);
              clearError('location');
            }}
            data-testid="use-point-switch"
          />
          <span>{t('form.usePoint')}</span>
        </Space>
        {usePoint ? (
          <div style={{ marginTop: 8 }}>
            <IntakeMap
              picked={point}
              onPick={(p) => {
                setPoint(p);
                clearError('location');
              }}
              outlineLayers={['district', 'subdistricts']}
              className="og-m-map"
              testId="pick-map"
            />
            <div className="og-m-hint">
              {point ? t('form.pointPicked', { point: formatPoint(point) }) : t('form.mapHint')}
            </div>
          </div>
        ) : null}
      </Form.Item>

      <Form.Item label={t('form.category')} required {...itemProps('category')}>
        <Select
          value={categoryKey}
          onChange={(v: string) => {
            setCategoryKey(v);
            clearError('category');
          }}
          placeholder={t('form.categoryPlaceholder')}
          options={(categories ?? []).map((c) => ({ value: c.id, label: c.name }))}
          loading={categories === null}
          size="large"
          data-testid="category-select"
        />
      </Form.Item>

      <Form.Item label={t('form.description')} required {...itemProps('description')}>
        <Input.TextArea
          value={description}
          onChange={(e) => {
            setDescription(e.target.value);
            clearError('description');
          }}
          placeholder={t('form.descriptionPlaceholder')}
          autoSize={{ minRows: 2, maxRows: 6 }}
          maxLength={2000}
          data-testid="description-input"
        />
      </Form.Item>

      <Form.Item
        label={t('form.discoveredAt')}
        required
        extra={t('form.discoveredHint')}
        {...itemProps('discoveredAt')}
      >
        <Input
          type="datetime-local"
          value={discovered}
          max={toLocalInput(new Date())}
          onChange={(e) => {
            setDiscovered(e.target.value);
            clearError('discoveredAt');
          }}
          size="large"
          data-testid="discovered-input"
        />
      </Form.Item>

      <Form.Item {...itemProps('underWay')}>
        <div className={`og-dr-underway${underWay ? ' og-dr-underway-on' : ''}`}>
          <Space align="center">
            <Switch checked={underWay} onChange={setUnderWay} data-testid="under-way-switch" />
            <Typography.Text strong>{t('form.underWay')}</Typography.Text>
          </Space>
          <div className="og-dr-underway-rule" data-testid="under-way-rule">
            {underWay ? t('form.underWayOn') : t('form.underWayOff')}
          </div>
        </div>
      </Form.Item>

      <Card size="small" title={t('form.dissuasion')} className="og-m-card" data-testid="dissuasion-card">
        <Form.Item {...itemProps('dissuasion')} style={{ marginBottom: 12 }}>
          <Segmented
            block
            value={mode}
            onChange={(v) => {
              setMode(v as 'record' | 'none');
              clearError('dissuasion');
            }}
            options={[
              { value: 'record', label: t('form.dissuasionRecord') },
              { value: 'none', label: t('form.dissuasionNone') },
            ]}
            data-testid="dissuasion-mode"
          />
        </Form.Item>
        {mode === 'record' ? (
          <>
            <Form.Item label={t('form.dissuasionAt')} required {...itemProps('dissuasionAt')}>
              <Input
                type="datetime-local"
                value={dAt}
                max={toLocalInput(new Date())}
                onChange={(e) => {
                  setDAt(e.target.value);
                  clearError('dissuasionAt');
                }}
                data-testid="dissuasion-at-input"
              />
            </Form.Item>
            <Form.Item label={t('form.dissuasionBy')} required {...itemProps('dissuasionBy')}>
              <Input
                value={dBy}
                maxLength={50}
                onChange={(e) => {
                  setDBy(e.target.value);
                  clearError('dissuasionBy');
                }}
                placeholder={t('form.dissuasionByPlaceholder')}
                data-testid="dissuasion-by-input"
              />
            </Form.Item>
            <Form.Item label={t('form.dissuasionOutcome')} required>
              <Segmented
                block
                value={dOutcome}
                onChange={(v) => setDOutcome(v as Outcome)}
                options={OUTCOMES.map((o) => ({ value: o, label: t(`form.outcomes.${o}`) }))}
                data-testid="dissuasion-outcome"
              />
            </Form.Item>
            <Form.Item label={t('form.dissuasionNote')} {...itemProps('dissuasionNote')}>
              <Input.TextArea
                value={dNote}
                maxLength={500}
                autoSize={{ minRows: 2, maxRows: 5 }}
                onChange={(e) => {
                  setDNote(e.target.value);
                  clearError('dissuasionNote');
                }}
                data-testid="dissuasion-note-input"
              />
            </Form.Item>
            <Form.Item
              label={t('form.dissuasionPhotos')}
              style={{ marginBottom: 0 }}
              {...itemProps('dissuasionPhotos')}
            >
              <PhotoRow
                slots={dPhotos}
                setSlots={setDPhotos}
                testId="dissuasion-photo"
                onChange={() => clearError('dissuasionPhotos')}
              />
            </Form.Item>
          </>
        ) : (
          <Form.Item
            label={t('form.noDissuasionReason')}
            required
            style={{ marginBottom: 0 }}
            {...itemProps('noDissuasionReason')}
          >
            <Input.TextArea
              value={noReason}
              maxLength={500}
              autoSize={{ minRows: 2, maxRows: 5 }}
              onChange={(e) => {
                setNoReason(e.target.value);
                clearError('noDissuasionReason');
              }}
              placeholder={t('form.noDissuasionPlaceholder')}
              data-testid="no-dissuasion-input"
            />
          </Form.Item>
        )}
      </Card>

      <Form.Item label={t('form.photos')} {...itemProps('photos')}>
        <PhotoRow slots={photos} setSlots={setPhotos} testId="photo" onChange={() => clearError('photos')} />
      </Form.Item>

      {formError ? (
        <Alert
          type="error"
          showIcon
          title={t('form.failed')}
          description={<div data-testid="form-error">{formError}</div>}
          className="og-m-alert"
        />
      ) : null}

      <Button
        type="primary"
        size="large"
        block
        loading={submitting}
        disabled={uploading}
        onClick={() => void onSubmit()}
        data-testid="submit-dual-report"
        className="og-m-submit"
      >
        {submitting ? t('form.submitting') : t('form.submit')}
      </Button>
    </Form>
  );
}

// ---------------------------------------------------------------------------------------------------------
// The page
// ---------------------------------------------------------------------------------------------------------

function Who() {
  const t = useDualReportT();
  const tApp = useT();
  const user = useCurrentUser();
  const { signOut } = useSession();
  return (
    <div className="og-m-who" data-testid="m-user">
      <Space size={6}>
        <UserOutlined />
        <Typography.Text>
          {t('signedInAs', { name: user.displayName, company: user.unit.name })}
        </Typography.Text>
      </Space>
      <Button size="small" type="text" icon={<LogoutOutlined />} onClick={() => void signOut()}>
        {tApp('auth.logout')}
      </Button>
    </div>
  );
}

/** /m/dual-report: a property company's dual report (双报告) from a phone, its receipts and its earlier reports. */
export default function DualReportPage() {
  const t = useDualReportT();
  const tApp = useT();
  const { api } = useSession();
  const user = useCurrentUser();
  const allowed = user.role === 'propertyCompany' || user.permissions.includes('dualReport:create');

  const [mine, setMine] = useState<DualReport[] | null>(null);
  const [listLoading, setListLoading] = useState(false);
  const [listError, setListError] = useState<unknown>(null);
  const [done, setDone] = useState<DualReport | null>(null);
  const [formKey, setFormKey] = useState(0);

  const reload = useCallback(
    (signal?: AbortSignal) => {
      setListLoading(true);
      fetchDualReports(api, 1000, signal).then(
        (items) => {
          setMine(items);
          setListError(null);
          setListLoading(false);
        },
        (e: unknown) => {
          if (signal?.aborted) return;
          setListError(e);
          setMine((m) => m ?? []);
          setListLoading(false);
        },
      );
    },
    [api],
  );

  useEffect(() => {
    if (!allowed) return;
    const controller = new AbortController();
    reload(controller.signal);
    return () => controller.abort();
  }, [allowed, reload]);

  let content: ReactNode;
  if (!allowed)
    content = <Result status="403" subTitle={t('forbidden')} data-testid="dual-report-forbidden" />;
  else if (done)
    content = (
      <Receipts
        report={done}
        onAnother={() => {
          setDone(null);
          setFormKey((k) => k + 1);
          window.scrollTo(0, 0);
        }}
      />
    );
  else
    content = (
      <DualReportForm
        key={formKey}
        onSubmitted={(r) => {
          setDone(r);
          setMine((m) => [r, ...(m ?? []).filter((x) => x.id !== r.id)]);
          window.scrollTo(0, 0);
        }}
      />
    );

  return (
    <MobileFrame title={t('title')} subtitle={t('subtitle')} extra={<Who />} testId="dual-report-page">
      {content}
      {allowed ? (
        <>
          {listError ? (
            <Alert type="error" showIcon className="og-m-alert" title={describeError(tApp, listError)} />
          ) : null}
          <MyReports
            items={mine === null ? null : mine.slice(0, 20)}
            total={mine?.length ?? 0}
            loading={listLoading}
            onRefresh={() => reload()}
          />
        </>
      ) : null}
    </MobileFrame>
  );
}
