import { AimOutlined, CheckCircleFilled, EnvironmentOutlined, LoadingOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Form,
  Input,
  List,
  Segmented,
  Select,
  Space,
  Switch,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { isApiError } from '../api/client';
import { useSession } from '../auth/session-context';
import {
  DESCRIPTION_MAX,
  fetchNearby,
  newIdempotencyKey,
  REPORTER_NAME_MAX,
  ADDRESS_MAX,
  submitReport,
  type NearbyCase,
  type Point,
  type ReportBody,
  type ReportCrs,
  type SubmitResult,
} from '../features/intake/intake-api';
import {
  charCount,
  fieldOfError,
  formatPoint,
  formatTime,
  nameOf,
  reasonLabel,
} from '../features/intake/intake-format';
import { FollowCaseButton } from '../features/intake/follow-case';
import { geolocationCrs, toMapPoint } from '../features/intake/intake-geo';
import { useCategoryOptions, useWriteContext } from '../features/intake/intake-hooks';
import { IntakeMap, type MapPoint } from '../features/intake/intake-map';
import { donePhotoIds, PhotoRow, type PhotoSlot } from './photo-row';
import { fetchParties, type Compound } from '../features/registry/registry-api';
import { useDebounced } from '../features/registry/use-remote';
import { useLocale, useT } from '../i18n/i18n';
import { describeError } from '../shell/describe-error';

/** Where the point came from: a tap on the map, the phone's position, or a compound of the registry. */
interface PickedLocation {
  /** As measured, in `crs`. */
  point: Point;
  crs: ReportCrs;
  accuracy: number | null;
  source: 'map' | 'device' | 'compound';
}

/** The form's fields, as the server names them in `details.field` (see fieldName). */
type FieldName =
  'category' | 'description' | 'location' | 'address' | 'compound' | 'photos' | 'name' | 'phone';

/** The form field a server refusal points at. */
function fieldName(serverField: string | null): FieldName | null {
  if (!serverField) return null;
  if (serverField === 'categoryKey') return 'category';
  if (serverField === 'description') return 'description';
  if (serverField.startsWith('location')) return 'location';
  if (serverField === 'address') return 'address';
  if (serverField === 'compoundId') return 'compound';
  if (serverField.startsWith('photoIds')) return 'photos';
  if (serverField === 'reporter.name') return 'name';
  if (serverField === 'reporter.phone') return 'phone';
  return null;
}

/** The server's phone rule (src/intake/reports.ts), so the resident hears about a typo before submitting. */
const PHONE = /^\+?[0-9][0-9-]{4,19}$/;

/**
 * The phone report form: residents (channel resident, no sign-in, category optional, reporter optional or
 * anonymous) and officers (channel patrol, category required, the signed-in officer is the reporter).
 * One Idempotency-Key per filled-in form: every retry of this form's submission carries it.
 */
export function ReportForm({ channel }: { channel: 'resident' | 'patrol' }) {
  const t = useT();
  const { locale } = useLocale();
  const { api, session } = useSession();
  const writeContext = useWriteContext();
  const categories = useCategoryOptions();
  const staff = session.status === 'signedIn' && session.user.permissions.includes('registry:read');
  const patrol = channel === 'patrol';

  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const [categoryKey, setCategoryKey] = useState<string | null>(null);
  const [description, setDescription] = useState('');
  const [location, setLocation] = useState<PickedLocation | null>(null);
  const [focus, setFocus] = useState<{ point: Point; zoom: number } | null>(null);
  const [locating, setLocating] = useState(false);
  const [compound, setCompound] = useState<Compound | null>(null);
  const [address, setAddress] = useState('');
  const [photos, setPhotos] = useState<PhotoSlot[]>([]);
  const [anonymous, setAnonymous] = useState(false);
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [outcomeUnknown, setOutcomeUnknown] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [retry, setRetry] = useState(0);
  const [result, setResult] = useState<SubmitResult | null>(null);

  const clearError = (f: FieldName) => setErrors((e) => (e[f] ? { ...e, [f]: undefined } : e));

  // Nearby open cases, whenever the point moves (public; no personal data).
  const [nearby, setNearby] = useState<NearbyCase[] | null>(null);
  useEffect(() => {
    if (!location) {
      setNearby(null);
      return;
    }
    const controller = new AbortController();
    fetchNearby(api, { ...location.point, crs: location.crs }, controller.signal).then(
      (items) => setNearby(items),
      () => {
        if (!controller.signal.aborted) setNearby(null); // a hint only: the report can go without it
      },
    );
    return () => controller.abort();
  }, [api, location]);

  const mapPicked = location ? toMapPoint(location.point, location.crs) : null;
  const nearbyPoints = useMemo<MapPoint[]>(
    () =>
      (nearby ?? []).map((n) => ({ id: n.caseId, lng: n.location.lng, lat: n.location.lat, kind: 'nearby' })),
    [nearby],
  );

  const categoryOptions = useMemo(
    () =>
      (categories.data ?? []).map((c) => ({
        value: c.key,
        label: nameOf(c, locale) ?? c.key,
        search: `${c.name} ${c.nameEn ?? ''} ${c.majorName ?? ''} ${c.key}`.toLowerCase(),
      })),
    [categories.data, locale],
  );

  // Compound search, for staff only: the registry is not public.
  const [compoundQuery, setCompoundQuery] = useState('');
  const settledQuery = useDebounced(compoundQuery, 300);
  const [compoundOptions, setCompoundOptions] = useState<Compound[]>([]);
  useEffect(() => {
    if (!staff || settledQuery.trim() === '') return;
    const controller = new AbortController();
    fetchParties(
      api,
      'compounds',
      { q: settledQuery.trim(), active: 'true', limit: 20 },
      controller.signal,
    ).then(
      (items) => setCompoundOptions(items),
      () => undefined,
    );
    return () => controller.abort();
  }, [api, staff, settledQuery]);

  const pickOnMap = (p: Point) => {
    setLocation({ point: p, crs: 'wgs84', accuracy: null, source: 'map' });
    setCompound(null);
    clearError('location');
  };

  const useMyLocation = () => {
    if (!('geolocation' in navigator)) {
      setErrors((e) => ({ ...e, location: t('intake.form.geolocationUnsupported') }));
      return;
    }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLocating(false);
        const crs = geolocationCrs(navigator.userAgent);
        const point = { lng: pos.coords.longitude, lat: pos.coords.latitude };
        setLocation({ point, crs, accuracy: Math.round(pos.coords.accuracy), source: 'device' });
        setCompound(null);
        setFocus({ point: toMapPoint(point, crs), zoom: 16 });
        clearError('location');
      },
      (err) => {
        setLocating(false);
        setErrors((e) => ({
          ...e,
          location: t('intake.form.geolocationDenied', { reason: err.message || String(err.code) }),
        }));
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 30_000 },
    );
  };

  const chooseCompound = (id: string | null) => {
    const c = compoundOptions.find((x) => x.id === id) ?? null;
    setCompound(c);
    clearError('compound');
    if (c?.location) {
      setLocation({ point: c.location, crs: 'wgs84', accuracy: null, source: 'compound' });
      setFocus({ point: c.location, zoom: 16 });
      clearError('location');
    }
  };

  const validate = (): Partial<Record<FieldName, string>> => {
    const out: Partial<Record<FieldName, string>> = {};
    if (patrol && !categoryKey) out.category = t('intake.form.categoryRequired');
    if (description.trim() === '') out.description = t('intake.form.descriptionRequired');
    else if (charCount(description) > DESCRIPTION_MAX)
      out.description = t('intake.form.descriptionTooLong', { max: DESCRIPTION_MAX });
    if (!location && !compound) out.location = t('intake.form.locationRequired');
    if (!patrol && !anonymous && phone.trim() !== '' && !PHONE.test(phone.replace(/\s/g, '')))
      out.phone = t('intake.form.phoneInvalid');
    return out;
  };

  const body = (): ReportBody => {
    const done = donePhotoIds(photos);
    return {
      channel,
      ...(categoryKey ? { categoryKey } : {}),
      description: description.trim(),
      ...(location
        ? {
            location: {
              lng: location.point.lng,
              lat: location.point.lat,
              crs: location.crs,
              ...(location.accuracy !== null ? { accuracy: location.accuracy } : {}),
            },
          }
        : {}),
      ...(compound ? { compoundId: compound.id } : {}),
      ...(address.trim() ? { address: address.trim() } : {}),
      ...(done.length > 0 ? { photoIds: done } : {}),
      ...(patrol
        ? {}
        : {
            reporter: anonymous
              ? { anonymous: true }
              : {
                  ...(name.trim() ? { name: name.trim() } : {}),
                  ...(phone.trim() ? { phone: phone.replace(/\s/g, '') } : {}),
                  anonymous: false,
                },
          }),
    };
  };

  const onSubmit = async () => {
    const problems = validate();
    setErrors(problems);
    setFormError(null);
    if (Object.keys(problems).length > 0) return;
    setSubmitting(true);
    setRetry(0);
    try {
      const answer = await submitReport(await writeContext(), body(), idempotencyKey, { onRetry: setRetry });
      setResult(answer);
      setOutcomeUnknown(false);
    } catch (e) {
      const message = describeError(t, e);
      if (isApiError(e) && e.code === 'NetworkError') {
        // The report may have arrived: keep the key, so pressing submit again is a safe retry.
        setOutcomeUnknown(true);
      } else {
        setOutcomeUnknown(false);
        // A refusal (4xx) stored nothing: a corrected form may use a fresh key.
        if (isApiError(e) && e.status >= 400 && e.status < 500 && e.code !== 'Conflict')
          setIdempotencyKey(newIdempotencyKey());
      }
      const field = isApiError(e) ? fieldName(fieldOfError(e.details)) : null;
      if (field) {
        const next: Partial<Record<FieldName, string>> = { [field]: message };
        const others = isApiError(e) ? e.details.problems : undefined;
        if (Array.isArray(others))
          for (const p of others.slice(1) as Array<{ field?: unknown; reason?: unknown }>) {
            const f = fieldName(typeof p.field === 'string' ? p.field : null);
            if (f && !next[f]) next[f] = t('intake.form.fieldProblem', { reason: String(p.reason ?? '') });
          }
        setErrors(next);
      }
      setFormError(message);
    } finally {
      setSubmitting(false);
      setRetry(0);
    }
  };

  const reset = () => {
    setIdempotencyKey(newIdempotencyKey());
    setCategoryKey(null);
    setDescription('');
    setLocation(null);
    setCompound(null);
    setAddress('');
    setPhotos([]);
    setName('');
    setPhone('');
    setErrors({});
    setFormError(null);
    setResult(null);
    window.scrollTo(0, 0);
  };

  if (result) return <SubmitDone result={result} onAnother={reset} />;

  const itemProps = (f: FieldName) =>
    errors[f]
      ? { validateStatus: 'error' as const, help: <span data-testid={`error-${f}`}>{errors[f]}</span> }
      : {};
  const uploading = photos.some((p) => p.status === 'uploading');

  return (
    <Form
      layout="vertical"
      className="og-m-form"
      data-testid="report-form"
      data-channel={channel}
      requiredMark={patrol}
    >
      <Form.Item
        label={patrol ? t('intake.form.category') : t('intake.form.categoryOptional')}
        required={patrol}
        {...itemProps('category')}
      >
        <Select
          showSearch={{
            filterOption: (input, option) => (option?.search ?? '').includes(input.trim().toLowerCase()),
          }}
          allowClear
          value={categoryKey}
          onChange={(v: string | undefined) => {
            setCategoryKey(v ?? null);
            clearError('category');
          }}
          placeholder={t('intake.form.categoryPlaceholder')}
          options={categoryOptions}
          loading={categories.loading}
          data-testid="category-select"
          size="large"
        />
      </Form.Item>

      <Form.Item label={t('intake.form.description')} required {...itemProps('description')}>
        <Input.TextArea
          value={description}
          onChange={(e) => {
            setDescription(e.target.value);
            clearError('description');
          }}
          placeholder={t('intake.form.descriptionPlaceholder')}
          autoSize={{ minRows: 3, maxRows: 8 }}
          showCount={{ formatter: ({ value }) => `${charCount(value)} / ${DESCRIPTION_MAX}` }}
          data-testid="description-input"
        />
      </Form.Item>

      <Form.Item label={t('intake.form.location')} required {...itemProps('location')}>
        <Space orientation="vertical" style={{ width: '100%' }} size={8}>
          <Button
            icon={locating ? <LoadingOutlined /> : <AimOutlined />}
            onClick={useMyLocation}
            disabled={locating}
            block
            size="large"
            data-testid="use-my-location"
          >
            {locating ? t('intake.form.locating') : t('intake.form.useMyLocation')}
          </Button>
          {staff ? (
            <Select
              showSearch={{ filterOption: false, onSearch: setCompoundQuery }}
              allowClear
              value={compound?.id ?? null}
              onChange={(v: string | undefined) => chooseCompound(v ?? null)}
              placeholder={t('intake.form.compoundPlaceholder')}
              options={compoundOptions.map((c) => ({
                value: c.id,
                label: `${c.name}${c.address ? ` · ${c.address}` : ''}`,
              }))}
              notFoundContent={null}
              data-testid="compound-select"
            />
          ) : null}
          <IntakeMap
            picked={mapPicked}
            onPick={pickOnMap}
            points={nearbyPoints}
            focus={focus}
            outlineLayers={staff ? ['district', 'subdistricts'] : []}
            className="og-m-map"
            testId="pick-map"
          />
          <Typography.Text type="secondary" className="og-m-hint">
            {staff ? t('intake.map.hintStaff') : t('intake.map.hintAnonymous')}
          </Typography.Text>
          {location ? (
            <div className="og-m-picked" data-testid="picked-location" data-crs={location.crs}>
              <EnvironmentOutlined />{' '}
              <span>
                {location.source === 'map'
                  ? t('intake.form.pickedOnMap')
                  : location.source === 'compound'
                    ? t('intake.form.fromCompound')
                    : t('intake.form.fromDevice', { accuracy: location.accuracy ?? '?' })}
              </span>{' '}
              <Typography.Text code>{formatPoint(location.point)}</Typography.Text>{' '}
              <Tag>{t(`intake.crs.${location.crs}`)}</Tag>
            </div>
          ) : null}
          {location?.source === 'device' ? (
            <div>
              <Typography.Text type="secondary" className="og-m-hint">
                {t('intake.form.crsHint')}
              </Typography.Text>
              <Segmented
                block
                value={location.crs}
                onChange={(v) => {
                  const crs = v as ReportCrs;
                  setLocation({ ...location, crs });
                  setFocus({ point: toMapPoint(location.point, crs), zoom: 16 });
                }}
                options={[
                  { value: 'wgs84', label: t('intake.crs.wgs84') },
                  { value: 'gcj02', label: t('intake.crs.gcj02') },
                ]}
                data-testid="crs-switch"
              />
            </div>
          ) : null}
        </Space>
      </Form.Item>

      <Form.Item label={t('intake.form.address')} {...itemProps('address')}>
        <Input
          value={address}
          maxLength={ADDRESS_MAX}
          onChange={(e) => {
            setAddress(e.target.value);
            clearError('address');
          }}
          placeholder={t('intake.form.addressPlaceholder')}
          data-testid="address-input"
        />
      </Form.Item>

      {location ? <NearbyCases items={nearby} onUseCategory={(key) => setCategoryKey(key)} /> : null}

      <Form.Item label={t('intake.form.photos')} {...itemProps('photos')}>
        <PhotoRow slots={photos} setSlots={setPhotos} testId="photo" onChange={() => clearError('photos')} />
      </Form.Item>

      {patrol ? null : (
        <Card size="small" title={t('intake.form.reporter')} className="og-m-card">
          <Space align="center" style={{ marginBottom: anonymous ? 0 : 12 }}>
            <Switch checked={anonymous} onChange={setAnonymous} data-testid="anonymous-switch" />
            <span>{t('intake.form.anonymous')}</span>
          </Space>
          {anonymous ? (
            <Typography.Paragraph type="secondary" className="og-m-hint" style={{ margin: '8px 0 0' }}>
              {t('intake.form.anonymousHint')}
            </Typography.Paragraph>
          ) : (
            <>
              <Form.Item label={t('intake.form.name')} {...itemProps('name')} style={{ marginBottom: 12 }}>
                <Input
                  value={name}
                  maxLength={REPORTER_NAME_MAX}
                  autoComplete="name"
                  onChange={(e) => {
                    setName(e.target.value);
                    clearError('name');
                  }}
                  data-testid="name-input"
                />
              </Form.Item>
              <Form.Item label={t('intake.form.phone')} {...itemProps('phone')} style={{ marginBottom: 0 }}>
                <Input
                  value={phone}
                  inputMode="tel"
                  autoComplete="tel"
                  onChange={(e) => {
                    setPhone(e.target.value);
                    clearError('phone');
                  }}
                  data-testid="phone-input"
                />
              </Form.Item>
            </>
          )}
        </Card>
      )}

      {formError ? (
        <Alert
          type="error"
          showIcon
          title={t('intake.form.failed')}
          description={
            <>
              <div data-testid="form-error">{formError}</div>
              {outcomeUnknown ? <div>{t('intake.form.unsavedRetry')}</div> : null}
            </>
          }
          className="og-m-alert"
        />
      ) : null}
      {retry > 0 ? (
        <Alert
          type="warning"
          showIcon
          title={t('intake.form.retrying', { attempt: retry })}
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
        data-testid="submit-report"
        className="og-m-submit"
      >
        {submitting ? t('intake.form.submitting') : t('intake.form.submit')}
      </Button>
    </Form>
  );
}

function NearbyCases({
  items,
  onUseCategory,
}: {
  items: NearbyCase[] | null;
  onUseCategory: (key: string) => void;
}) {
  const t = useT();
  const { locale } = useLocale();
  if (items === null) return null;
  return (
    <Card
      size="small"
      title={t('intake.form.nearbyTitle')}
      className="og-m-card"
      data-testid="nearby-cases"
      data-count={items.length}
    >
      {items.length === 0 ? (
        <Typography.Text type="secondary">{t('intake.form.nearbyNone')}</Typography.Text>
      ) : (
        <>
          <Typography.Paragraph className="og-m-hint">{t('intake.form.nearbyIntro')}</Typography.Paragraph>
          <List
            size="small"
            dataSource={items}
            renderItem={(n) => (
              <List.Item data-testid="nearby-case" className="og-m-nearby">
                <div style={{ width: '100%' }}>
                  <Space wrap size={4}>
                    <Typography.Text strong>
                      {nameOf(n.category, locale) ?? t('intake.common.unclassified')}
                    </Typography.Text>
                    <Tag>{t('intake.common.meters', { value: Math.round(n.distanceM) })}</Tag>
                  </Space>
                  <div className="og-m-hint">
                    {n.caseCode} · {formatTime(n.openedAt, locale)} · {t('intake.fields.reports')} {n.reports}
                  </div>
                  <Space wrap size={8} style={{ marginTop: 4 }}>
                    <FollowCaseButton item={n} />
                    {n.category ? (
                      <Button
                        size="small"
                        type="link"
                        style={{ padding: 0 }}
                        onClick={() => onUseCategory(n.category?.key ?? '')}
                      >
                        {t('intake.form.useThisCategory')}
                      </Button>
                    ) : null}
                  </Space>
                </div>
              </List.Item>
            )}
          />
        </>
      )}
    </Card>
  );
}

function SubmitDone({ result, onAnother }: { result: SubmitResult; onAnother: () => void }) {
  const t = useT();
  const { locale } = useLocale();
  return (
    <div className="og-m-done" data-testid="report-done">
      <CheckCircleFilled className="og-m-done-icon" />
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('intake.done.title')}
      </Typography.Title>
      <div className="og-m-code-label">{t('intake.done.codeLabel')}</div>
      <div className="og-m-code" data-testid="tracking-code">
        {result.trackingCode}
      </div>
      <Typography.Text type="secondary">{t('intake.done.codeHint')}</Typography.Text>
      <Alert
        className="og-m-alert"
        type={result.triage ? 'warning' : 'success'}
        showIcon
        data-testid="routing-outcome"
        title={
          result.duplicateOf
            ? t('intake.done.duplicate', {
                code: result.duplicateOf.caseCode,
                distance: Math.round(result.duplicateOf.distanceM),
              })
            : result.triage
              ? t('intake.done.triaged', { unit: nameOf(result.triage.unit, locale) ?? '' })
              : t('intake.done.routed', { unit: nameOf(result.responsibleUnit, locale) ?? '' })
        }
        description={result.triage ? reasonLabel(t, result.triage.reason) : undefined}
      />
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Link to={`/m/track/${result.trackingCode}`} data-testid="track-link">
          <Button type="primary" size="large" block>
            {t('intake.done.track')}
          </Button>
        </Link>
        <Button size="large" block onClick={onAnother} data-testid="report-another">
          {t('intake.done.another')}
        </Button>
      </Space>
    </div>
  );
}
