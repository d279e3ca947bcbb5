import { Alert, Collapse, Segmented, Select, Tag, Typography } from 'antd';
import { isApiError } from '../../api/client';
import { useLocale, useT } from '../../i18n/i18n';
import { describeError } from '../../shell/describe-error';
import type { ActiveFilter } from './registry-api';
import { localName } from './registry-format';
import { useRemote } from './use-remote';

/** 启用 / 停用: an inactive record is always marked, never hidden silently. */
export function ActiveTag({ active }: { active: boolean }) {
  const t = useT();
  return active ? (
    <Tag color="success" variant="outlined" data-testid="active-tag">
      {t('registry.common.active')}
    </Tag>
  ) : (
    <Tag color="default" data-testid="inactive-tag" className="og-inactive-tag">
      {t('registry.common.inactive')}
    </Tag>
  );
}

/** Which records to list: active (the server's default), inactive, or all. */
export function ActiveFilterSwitch({
  value,
  onChange,
}: {
  value: ActiveFilter;
  onChange: (v: ActiveFilter) => void;
}) {
  const t = useT();
  return (
    <Segmented<ActiveFilter>
      value={value}
      onChange={onChange}
      data-testid="active-filter"
      options={[
        { value: 'true', label: t('registry.common.activeOnly') },
        { value: 'false', label: t('registry.common.inactiveOnly') },
        { value: 'all', label: t('registry.common.all') },
      ]}
    />
  );
}

/** A choice of subdistrict (街道 / 镇) from the org units in the caller's scope. */
export function SubdistrictSelect({
  value,
  onChange,
}: {
  value: string | undefined;
  onChange: (v: string | undefined) => void;
}) {
  const t = useT();
  const { locale } = useLocale();
  const units = useRemote(
    (api, signal) =>
      api
        .get<{ items: Array<{ id: string; name: string; nameEn: string | null; code: string }> }>(
          '/api/org-units',
          {
            query: { kind: 'subdistrict', limit: 5000 },
            signal,
          },
        )
        .then((r) => r.items),
    [],
  );
  return (
    <Select
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      style={{ minWidth: 180 }}
      placeholder={t('registry.common.subdistrict')}
      loading={units.loading}
      value={value}
      onChange={(v: string | undefined) => onChange(v)}
      options={(units.data ?? []).map((u) => ({ value: u.id, label: localName(u, locale) }))}
      data-testid="subdistrict-filter"
    />
  );
}

/** A failed request as the server gave it: its message, its code, and its details when it sent any. */
export function ApiErrorAlert({ error, testId }: { error: unknown; testId?: string }) {
  const t = useT();
  const details = isApiError(error) ? error.details : {};
  const hasDetails = Object.keys(details).length > 0;
  return (
    <Alert
      type="error"
      showIcon
      data-testid={testId ?? 'api-error'}
      title={<span data-testid="api-error-message">{describeError(t, error)}</span>}
      description={
        isApiError(error) ? (
          <div>
            <Typography.Text type="secondary" className="og-small">
              {t('registry.common.errorCode')}: <code data-testid="api-error-code">{error.code}</code> · HTTP{' '}
              {error.status}
            </Typography.Text>
            {hasDetails ? (
              <Collapse
                size="small"
                ghost
                items={[
                  {
                    key: 'details',
                    label: t('registry.common.errorDetails'),
                    children: <pre className="og-pre">{JSON.stringify(details, null, 2)}</pre>,
                  },
                ]}
              />
            ) : null}
          </div>
        ) : undefined
      }
    />
  );
}
