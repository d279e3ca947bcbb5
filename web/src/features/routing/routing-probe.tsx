import { Alert, Card, Descriptions, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useSession } from '../../auth/session-context';
import { useLocale, useT } from '../../i18n/i18n';
import { describeError } from '../../shell/describe-error';
import { PageHeading } from '../../shell/page-heading';
import { resolvePoint, type Point, type Resolution } from '../intake/intake-api';
import { formatPoint, nameOf, reasonLabel } from '../intake/intake-format';
import { useCategoryOptions } from '../intake/intake-hooks';
import { IntakeMap } from '../intake/intake-map';
import { fetchGridLayers } from '../registry/registry-api';
import { layerTitle } from '../registry/registry-format';
import { useRemote } from '../registry/use-remote';
import '../intake/intake.css';

/**
 * 网格归属查询 (grid fusion, by hand): click a point, see its cell in every layer and, for a category, the
 * unit the responsibility rules choose there, with the rule (edited on the rules tab).
 */
export default function RoutingProbe() {
  const t = useT();
  const { locale } = useLocale();
  const { api } = useSession();
  const categories = useCategoryOptions();
  const layers = useRemote((a, signal) => fetchGridLayers(a, signal), []);
  const [point, setPoint] = useState<Point | null>(null);
  const [category, setCategory] = useState<string | null>(null);
  const [result, setResult] = useState<Resolution | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!point) return;
    const controller = new AbortController();
    resolvePoint(api, { ...point, crs: 'wgs84', ...(category ? { category } : {}) }, controller.signal).then(
      (r) => {
        setResult(r);
        setError(null);
      },
      (e: unknown) => {
        if (!controller.signal.aborted) setError(e);
      },
    );
    return () => controller.abort();
  }, [api, point, category]);

  const unit = (id: string | null | undefined) => {
    const u = id ? result?.units[id] : undefined;
    return u ? (locale === 'en' && u.nameEn ? u.nameEn : u.name) : (id ?? '—');
  };
  const titleOf = (layer: string) => {
    const row = layers.data?.find((l) => l.name === layer);
    return row ? layerTitle(row, locale) : layer;
  };
  const options = useMemo(
    () =>
      (categories.data ?? []).map((c) => ({
        value: c.key,
        label: `${nameOf(c, locale) ?? c.key} (${c.key})`,
        search: `${c.name} ${c.nameEn ?? ''} ${c.key}`.toLowerCase(),
      })),
    [categories.data, locale],
  );

  return (
    <div data-testid="routing-probe">
      <PageHeading title={t('intake.routing.title')} description={t('intake.routing.description')} />
      <div className="og-triage-grid">
        <Card size="small">
          <IntakeMap
            picked={point}
            onPick={setPoint}
            outlineLayers={['district', 'subdistricts']}
            className="og-triage-map"
            testId="routing-map"
          />
        </Card>
        <Card size="small">
          <Space orientation="vertical" style={{ width: '100%' }}>
            <div>
              <div className="og-field-label">{t('intake.routing.category')}</div>
              <Select
                allowClear
                showSearch={{
                  filterOption: (input, o) => (o?.search ?? '').includes(input.trim().toLowerCase()),
                }}
                style={{ width: '100%' }}
                value={category}
                onChange={(v?: string) => setCategory(v ?? null)}
                options={options}
                data-testid="routing-category"
              />
            </div>
            {error ? <Alert type="error" showIcon title={describeError(t, error)} /> : null}
            {!point ? (
              <Typography.Text type="secondary">{t('intake.routing.clickHint')}</Typography.Text>
            ) : null}
            {point && result ? (
              <>
                <Descriptions
                  column={1}
                  size="small"
                  bordered
                  styles={{ label: { width: 104, whiteSpace: 'nowrap' } }}
                >
                  <Descriptions.Item label={t('intake.fields.location')}>
                    {formatPoint(result.point)}
                  </Descriptions.Item>
                  {result.responsible ? (
                    <>
                      <Descriptions.Item label={t('intake.routing.responsible')}>
                        <span data-testid="routing-responsible">{unit(result.responsible.unitId)}</span>
                      </Descriptions.Item>
                      {result.responsible.assisting.length > 0 ? (
                        <Descriptions.Item label={t('intake.routing.assisting')}>
                          {result.responsible.assisting.map(unit).join('、')}
                        </Descriptions.Item>
                      ) : null}
                      <Descriptions.Item label={t('intake.routing.byRule')}>
                        {result.responsible.rule}
                      </Descriptions.Item>
                    </>
                  ) : result.triage ? (
                    <Descriptions.Item label={t('intake.fields.triage')}>
                      <Tag color="orange">
                        {t('intake.routing.triage', {
                          reason: reasonLabel(t, result.triage.reason),
                          unit: unit(result.triage.unitId),
                        })}
                      </Tag>
                    </Descriptions.Item>
                  ) : null}
                </Descriptions>
                <Table
                  size="small"
                  rowKey="layer"
                  pagination={false}
                  dataSource={result.cells}
                  data-testid="routing-result-cells"
                  columns={[
                    {
                      title: t('intake.detail.layer'),
                      dataIndex: 'layer',
                      render: (l: string) => titleOf(l),
                    },
                    {
                      title: t('intake.detail.cell'),
                      dataIndex: 'code',
                      render: (c: string) => <Typography.Text code>{c}</Typography.Text>,
                    },
                    {
                      title: t('intake.detail.unit'),
                      dataIndex: 'unitId',
                      render: (u: string | null) => unit(u),
                    },
                  ]}
                />
                {result.missingLayers.length > 0 ? (
                  <Typography.Text type="warning">
                    {t('intake.detail.missingLayers', {
                      layers: result.missingLayers.map(titleOf).join('、'),
                    })}
                  </Typography.Text>
                ) : null}
              </>
            ) : null}
          </Space>
        </Card>
      </div>
    </div>
  );
}
