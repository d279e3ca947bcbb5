import { ScissorOutlined, SendOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Popconfirm,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { isApiError } from '../../api/client';
import { useCurrentUser, useSession } from '../../auth/session-context';
import { useLocale, useT } from '../../i18n/i18n';
import { describeError } from '../../shell/describe-error';
import { fetchGridLayers, fetchOrgUnits, type OrgUnit } from '../registry/registry-api';
import { layerTitle } from '../registry/registry-format';
import { useRemote } from '../registry/use-remote';
import {
  assignReport,
  fetchReport,
  resolvePoint,
  routingOf,
  splitReport,
  type ReportDetail,
  type Resolution,
} from './intake-api';
import {
  channelLabel,
  fieldOfError,
  formatPoint,
  formatTime,
  nameOf,
  reasonLabel,
  STATUS_COLOURS,
  statusLabel,
} from './intake-format';
import { useCategoryOptions } from './intake-hooks';
import { IntakeMap } from './intake-map';
import { ReportPhotos } from './report-photos';

/** The kinds of unit a case may be assigned to (src/intake/reports.service.ts ASSIGNABLE_KINDS), most used first. */
const ASSIGNABLE_KINDS = [
  'squad',
  'workstation',
  'department',
  'subdistrict',
  'sector',
  'community',
  'bureau',
];

/** Channels on which a member of staff files the report (src/intake/reports.ts STAFF_CHANNELS). */
const STAFF_CHANNELS = ['patrol', 'gridWorker'];

/** The org units by id, loaded once per page: names for cells' units and the assign picker. */
export function useOrgUnits() {
  return useRemote((api, signal) => fetchOrgUnits(api, signal), []);
}

/**
 * One report as a dispatcher sees it: what was reported, where (map and every layer's cell as routed at
 * receipt), who answers for it, and the dispatcher's actions (set category and unit, split off its case).
 */
export function ReportDetailView({
  id,
  onChanged,
  showLink = false,
}: {
  id: string;
  /** After an assignment or split: the queue or list reloads. */
  onChanged?: () => void;
  showLink?: boolean;
}) {
  const t = useT();
  const { locale } = useLocale();
  const user = useCurrentUser();
  const report = useRemote((api, signal) => fetchReport(api, id, signal), [id]);
  const units = useOrgUnits();
  const layers = useRemote((api, signal) => fetchGridLayers(api, signal), []);
  // GET /api/org-units lists only the dispatcher's own subtree; the routing engine names the units of the
  // point's cells (the bureau, the police station, …), so the table and the picker can name them too.
  const location = report.data?.location ?? null;
  const pointUnits = useRemote(
    (api, signal) =>
      location
        ? resolvePoint(api, { ...location, crs: 'wgs84' }, signal).then((r) => r.units)
        : Promise.resolve({} as Resolution['units']),
    [location?.lng, location?.lat],
  );
  const [fresh, setFresh] = useState<ReportDetail | null>(null);
  useEffect(() => setFresh(null), [id]);

  const detail = fresh && fresh.id === id ? fresh : report.data;
  const unitById = useMemo(() => new Map((units.data ?? []).map((u) => [u.id, u])), [units.data]);
  const canTriage = user.permissions.includes('reports:triage');

  if (report.loading && !detail) return <Spin />;
  if (report.error && !detail)
    return (
      <Alert
        type={isApiError(report.error) && report.error.code === 'NotFound' ? 'warning' : 'error'}
        showIcon
        title={
          isApiError(report.error) && report.error.code === 'NotFound'
            ? t('intake.detail.notFound')
            : describeError(t, report.error)
        }
      />
    );
  if (!detail) return null;

  const routing = routingOf(detail);
  const unitName = (unitId: string | null | undefined) => {
    if (!unitId) return '—';
    const u = unitById.get(unitId) ?? pointUnits.data?.[unitId];
    return u ? (locale === 'en' && u.nameEn ? u.nameEn : u.name) : unitId;
  };
  const titleOf = (layer: string) => {
    const row = layers.data?.find((l) => l.name === layer);
    return row ? layerTitle(row, locale) : layer;
  };
  const changed = (next: ReportDetail) => {
    setFresh(next);
    onChanged?.();
  };

  return (
    <div
      className="og-report-detail"
      data-testid="report-detail"
      data-report-id={detail.id}
      data-status={detail.status}
    >
      <Descriptions
        column={1}
        size="small"
        bordered
        className="og-report-desc"
        styles={{ label: { width: 104, whiteSpace: 'nowrap' } }}
      >
        <Descriptions.Item label={t('intake.fields.trackingCode')}>
          <Space>
            <Typography.Text code data-testid="detail-tracking-code">
              {detail.trackingCode}
            </Typography.Text>
            {showLink ? (
              <Link to={`/intake/reports/${detail.id}`}>{t('intake.common.openDetail')}</Link>
            ) : null}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('intake.fields.status')}>
          <Tag color={STATUS_COLOURS[detail.status] ?? 'default'} data-testid="detail-status">
            {statusLabel(t, detail.status)}
          </Tag>
          <Tag>{channelLabel(t, detail.channel)}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t('intake.fields.receivedAt')}>
          {formatTime(detail.receivedAt, locale)}
          {detail.observedAt
            ? ` (${t('intake.fields.observedAt')} ${formatTime(detail.observedAt, locale)})`
            : ''}
        </Descriptions.Item>
        <Descriptions.Item label={t('intake.fields.category')}>
          <span data-testid="detail-category">
            {nameOf(detail.case?.category ?? detail.category, locale) ?? (
              <Typography.Text type="warning">{t('intake.common.unclassified')}</Typography.Text>
            )}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('intake.fields.description')}>
          <Typography.Paragraph
            style={{ whiteSpace: 'pre-wrap', margin: 0 }}
            data-testid="detail-description"
          >
            {detail.description}
          </Typography.Paragraph>
        </Descriptions.Item>
        <Descriptions.Item label={t('intake.fields.location')}>
          <div>{formatPoint(detail.location)} (WGS-84)</div>
          {detail.source.crs &&
          detail.source.crs !== 'wgs84' &&
          detail.source.lng !== null &&
          detail.source.lat !== null ? (
            <div className="og-small">
              {t('intake.fields.sourceLocation')}:{' '}
              {formatPoint({ lng: detail.source.lng, lat: detail.source.lat })} (
              {t.optional(`intake.crs.${detail.source.crs}`) ?? detail.source.crs})
            </div>
          ) : null}
          {detail.accuracyM !== null ? (
            <div className="og-small">
              {t('intake.fields.accuracy')}: {t('intake.common.meters', { value: detail.accuracyM })}
            </div>
          ) : null}
          {detail.address ? <div>{detail.address}</div> : null}
        </Descriptions.Item>
        <Descriptions.Item label={t('intake.fields.reporter')}>
          {STAFF_CHANNELS.includes(detail.channel) ? (
            // A patrol finding's reporter is the signed-in officer, whom the report API does not return.
            '—'
          ) : detail.reporter.anonymous ? (
            <Tag>{t('intake.common.anonymous')}</Tag>
          ) : (
            <span data-testid="detail-reporter">
              {[detail.reporter.name, detail.reporter.phone].filter(Boolean).join(' · ') || '—'}
            </span>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('intake.fields.responsibleUnit')}>
          <span data-testid="detail-unit">
            {nameOf(detail.case?.responsibleUnit ?? detail.responsibleUnit, locale) ?? '—'}
          </span>
        </Descriptions.Item>
        {detail.triage ? (
          <Descriptions.Item label={t('intake.fields.triage')}>
            <Tag color="orange" data-testid="detail-reason" data-reason={detail.triage.reason}>
              {reasonLabel(t, detail.triage.reason)}
            </Tag>
            {t('intake.fields.triageUnit')}: {nameOf(detail.triage.unit, locale)}
          </Descriptions.Item>
        ) : null}
        {routing.responsible?.rule ? (
          <Descriptions.Item label={t('intake.fields.rule')}>{routing.responsible.rule}</Descriptions.Item>
        ) : null}
        {detail.case ? (
          <Descriptions.Item label={t('intake.fields.case')}>
            <Typography.Text code>{detail.case.code}</Typography.Text> {statusLabel(t, detail.case.status)} ·{' '}
            {t('intake.fields.caseStep')} {detail.case.step}
            {detail.caseReportIds.length > 1 ? (
              <div className="og-small">
                {t('intake.detail.caseReports', { count: detail.caseReportIds.length })}
              </div>
            ) : null}
          </Descriptions.Item>
        ) : null}
        <Descriptions.Item label={t('intake.fields.photos')}>
          <ReportPhotos photos={detail.photos} />
        </Descriptions.Item>
      </Descriptions>

      {detail.location ? (
        <IntakeMap
          picked={detail.location}
          focus={{ point: detail.location, zoom: 15 }}
          outlineLayers={['district', 'subdistricts']}
          className="og-detail-map"
          testId="detail-map"
        />
      ) : null}

      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('intake.detail.routing')}
      </Typography.Title>
      <Table
        size="small"
        rowKey="layer"
        pagination={false}
        dataSource={routing.cells ?? []}
        data-testid="routing-cells"
        columns={[
          { title: t('intake.detail.layer'), dataIndex: 'layer', render: (layer: string) => titleOf(layer) },
          {
            title: t('intake.detail.cell'),
            dataIndex: 'code',
            render: (code: string, c) => (
              <Typography.Text code>
                {code} <span className="og-small">v{c.version}</span>
              </Typography.Text>
            ),
          },
          { title: t('intake.detail.unit'), dataIndex: 'unitId', render: (u: string | null) => unitName(u) },
        ]}
      />
      {routing.missingLayers && routing.missingLayers.length > 0 ? (
        <Typography.Text type="warning" className="og-small">
          {t('intake.detail.missingLayers', { layers: routing.missingLayers.map(titleOf).join('、') })}
        </Typography.Text>
      ) : null}

      {canTriage && detail.case ? (
        <AssignCard
          detail={detail}
          units={units.data ?? []}
          pointUnits={pointUnits.data ?? {}}
          onDone={changed}
        />
      ) : null}
    </div>
  );
}

type NamedUnits = Resolution['units'];

function AssignCard({
  detail,
  units,
  pointUnits,
  onDone,
}: {
  detail: ReportDetail;
  /** The dispatcher's own subtree (GET /api/org-units). */
  units: readonly OrgUnit[];
  /** Units the routing engine names at the report's point: its cells' units. */
  pointUnits: NamedUnits;
  onDone: (next: ReportDetail) => void;
}) {
  const t = useT();
  const { locale } = useLocale();
  const { api } = useSession();
  const { message } = App.useApp();
  const categories = useCategoryOptions();
  const current = detail.case?.category ?? detail.category;
  const [categoryKey, setCategoryKey] = useState<string | null>(current?.key ?? null);
  const [unitId, setUnitId] = useState<string | null>(detail.case?.responsibleUnit?.id ?? null);
  const [suggestion, setSuggestion] = useState<Resolution | null>(null);
  const [errors, setErrors] = useState<{ category?: string; unit?: string; form?: string }>({});
  const [busy, setBusy] = useState<'assign' | 'split' | null>(null);

  // What the responsibility rules say for the chosen category at this point: a suggestion the dispatcher may take.
  useEffect(() => {
    setSuggestion(null);
    if (!categoryKey || !detail.location) return;
    const controller = new AbortController();
    resolvePoint(api, { ...detail.location, crs: 'wgs84', category: categoryKey }, controller.signal).then(
      (r) => {
        setSuggestion(r);
        if (r.responsible) setUnitId((u) => u ?? r.responsible?.unitId ?? null);
      },
      () => undefined,
    );
    return () => controller.abort();
  }, [api, categoryKey, detail.location]);

  const unitOptions = useMemo(() => {
    // Own subtree, plus what routing names here (the suggested lead, partner departments, the bureau): the
    // server accepts any active unit of these kinds, but lists only the dispatcher's subtree.
    const all = new Map<
      string,
      { id: string; kind: string; code: string; name: string; nameEn: string | null }
    >();
    for (const u of units) if (u.active) all.set(u.id, u);
    for (const named of [pointUnits, suggestion?.units ?? {}])
      for (const [id, u] of Object.entries(named)) if (!all.has(id)) all.set(id, { id, ...u });
    return [...all.values()]
      .filter((u) => ASSIGNABLE_KINDS.includes(u.kind))
      .sort(
        (a, b) =>
          ASSIGNABLE_KINDS.indexOf(a.kind) - ASSIGNABLE_KINDS.indexOf(b.kind) || a.code.localeCompare(b.code),
      )
      .map((u) => ({
        value: u.id,
        label: `${locale === 'en' && u.nameEn ? u.nameEn : u.name} · ${t.optional(`unitKinds.${u.kind}`) ?? u.kind}`,
        search: `${u.name} ${u.nameEn ?? ''} ${u.code}`.toLowerCase(),
      }));
  }, [units, pointUnits, suggestion, locale, t]);
  const categoryOptions = useMemo(
    () =>
      (categories.data ?? []).map((c) => ({
        value: c.key,
        label: `${nameOf(c, locale) ?? c.key} (${c.key})`,
        search: `${c.name} ${c.nameEn ?? ''} ${c.majorName ?? ''} ${c.key}`.toLowerCase(),
      })),
    [categories.data, locale],
  );
  const suggestedUnit = suggestion?.responsible ? suggestion.units[suggestion.responsible.unitId] : undefined;

  const assign = async () => {
    const next: typeof errors = {};
    if (!categoryKey) next.category = t('intake.assign.categoryRequired');
    if (!unitId) next.unit = t('intake.assign.unitRequired');
    setErrors(next);
    if (!categoryKey || !unitId) return;
    setBusy('assign');
    try {
      const r = await assignReport(api, detail.id, {
        categoryKey,
        unitId,
        ...(detail.case ? { version: detail.case.version } : {}),
      });
      void message.success(t('intake.assign.done', { unit: nameOf(r.case?.responsibleUnit, locale) ?? '' }));
      onDone(r);
    } catch (e) {
      const text = describeError(t, e);
      const field = isApiError(e) ? fieldOfError(e.details) : null;
      setErrors(
        field === 'categoryKey' ? { category: text } : field === 'unitId' ? { unit: text } : { form: text },
      );
    } finally {
      setBusy(null);
    }
  };

  const split = async () => {
    setBusy('split');
    try {
      const r = await splitReport(api, detail.id);
      void message.success(t('intake.assign.splitDone', { code: r.case?.code ?? '' }));
      onDone(r);
    } catch (e) {
      setErrors({ form: describeError(t, e) });
    } finally {
      setBusy(null);
    }
  };

  const canSplit = detail.caseReportIds.length > 1;
  return (
    <Card size="small" title={t('intake.assign.title')} className="og-assign-card" data-testid="assign-card">
      <Space orientation="vertical" style={{ width: '100%' }} size={10}>
        <div>
          <div className="og-field-label">{t('intake.assign.category')}</div>
          <Select
            showSearch={{
              filterOption: (input, o) => (o?.search ?? '').includes(input.trim().toLowerCase()),
            }}
            style={{ width: '100%' }}
            value={categoryKey}
            onChange={(v: string) => {
              setCategoryKey(v);
              setErrors((e) => ({ ...e, category: undefined }));
            }}
            options={categoryOptions}
            loading={categories.loading}
            status={errors.category ? 'error' : undefined}
            data-testid="assign-category"
          />
          {errors.category ? <Typography.Text type="danger">{errors.category}</Typography.Text> : null}
        </div>
        {suggestion ? (
          <Alert
            type={suggestion.responsible ? 'info' : 'warning'}
            showIcon
            data-testid="assign-suggestion"
            title={
              suggestion.responsible
                ? t('intake.assign.suggested', {
                    unit: suggestedUnit
                      ? locale === 'en' && suggestedUnit.nameEn
                        ? suggestedUnit.nameEn
                        : suggestedUnit.name
                      : suggestion.responsible.unitId,
                    rule: suggestion.responsible.rule,
                  })
                : t('intake.assign.suggestedTriage', {
                    reason: reasonLabel(t, suggestion.triage?.reason ?? ''),
                  })
            }
          />
        ) : null}
        <div>
          <div className="og-field-label">{t('intake.assign.unit')}</div>
          <Select
            showSearch={{
              filterOption: (input, o) => (o?.search ?? '').includes(input.trim().toLowerCase()),
            }}
            style={{ width: '100%' }}
            value={unitId}
            onChange={(v: string) => {
              setUnitId(v);
              setErrors((e) => ({ ...e, unit: undefined }));
            }}
            options={unitOptions}
            status={errors.unit ? 'error' : undefined}
            data-testid="assign-unit"
          />
          {errors.unit ? <Typography.Text type="danger">{errors.unit}</Typography.Text> : null}
        </div>
        {errors.form ? <Alert type="error" showIcon title={errors.form} data-testid="assign-error" /> : null}
        <Space wrap>
          <Button
            type="primary"
            icon={<SendOutlined />}
            loading={busy === 'assign'}
            onClick={() => void assign()}
            data-testid="assign-submit"
          >
            {t('intake.assign.submit')}
          </Button>
          <Tooltip title={canSplit ? undefined : t('intake.assign.splitOnlyOne')}>
            <Popconfirm
              title={t('intake.assign.splitConfirm')}
              onConfirm={() => void split()}
              disabled={!canSplit}
            >
              <Button
                icon={<ScissorOutlined />}
                disabled={!canSplit}
                loading={busy === 'split'}
                data-testid="split-button"
              >
                {t('intake.assign.split')}
              </Button>
            </Popconfirm>
          </Tooltip>
        </Space>
      </Space>
    </Card>
  );
}
