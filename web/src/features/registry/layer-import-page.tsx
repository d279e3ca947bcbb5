import {
  CheckCircleOutlined,
  CloudUploadOutlined,
  InboxOutlined,
  SafetyCertificateOutlined,
} from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Form,
  Input,
  Result,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { isApiError } from '../../api/client';
import { useSession } from '../../auth/session-context';
import { useLocale, useT } from '../../i18n/i18n';
import { FindingsTable } from './findings-table';
import {
  inspectGeoJson,
  PREVIEW_MAX_CELLS,
  previewCollection,
  suggestCodeField,
  suggestLayerName,
  type InspectedFile,
} from './layer-import';
import { PreviewMap } from './map/preview-map';
import {
  CRS_VALUES,
  DISTRICT_LAYER,
  fetchGridLayer,
  fetchGridLayers,
  importLayer,
  LAYER_NAME,
  type Crs,
  type Finding,
  type GridLayerSummaryRow,
  type ImportOptions,
  type ImportResult,
} from './registry-api';
import { formatArea, labelOf, layerTitle } from './registry-format';
import { ApiErrorAlert } from './registry-widgets';
import { useRemote } from './use-remote';

interface ChosenFile {
  name: string;
  size: number;
  /** Distinguishes two files of the same name, so a report is never taken for another file's. */
  id: number;
  inspected: InspectedFile;
}

type Outcome =
  | { kind: 'none' }
  | { kind: 'report'; key: string; result: ImportResult }
  | { kind: 'committed'; result: ImportResult }
  | { kind: 'error'; error: unknown };

/** 图层导入: choose a GeoJSON file, validate it on the server (dry run), see the report and a preview, import. */
export default function LayerImportPage() {
  const t = useT();
  const { api } = useSession();
  const [file, setFile] = useState<ChosenFile | null>(null);
  const [layer, setLayer] = useState('');
  const [title, setTitle] = useState('');
  const [crs, setCrs] = useState<Crs>('wgs84');
  const [codeField, setCodeField] = useState<string | undefined>();
  const [unitField, setUnitField] = useState<string | undefined>();
  const [strict, setStrict] = useState(false);
  const [busy, setBusy] = useState<'dryRun' | 'import' | null>(null);
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'none' });
  const [focus, setFocus] = useState<number[] | null>(null);
  const layers = useRemote((a, signal) => fetchGridLayers(a, signal), []);

  const options: ImportOptions = { layer, crs, codeField, unitField, title, strict, dryRun: true };
  const key = JSON.stringify({ ...options, file: file?.id });
  const layerNameValid = LAYER_NAME.test(layer);
  const canSend = file?.inspected.ok === true && layerNameValid && busy === null;
  const reportIsCurrent = outcome.kind === 'report' && outcome.key === key;
  const existing = layers.data?.find((l) => l.name === layer);

  const preview = useMemo(
    () => (file?.inspected.ok ? previewCollection(file.inspected.collection, crs) : null),
    [file, crs],
  );

  const choose = async (chosen: File) => {
    const inspected = inspectGeoJson(await chosen.text());
    setFile({ name: chosen.name, size: chosen.size, id: Date.now(), inspected });
    setOutcome({ kind: 'none' });
    setFocus(null);
    if (inspected.ok) {
      if (layer === '') setLayer(suggestLayerName(chosen.name));
      setCodeField(suggestCodeField(inspected.propertyKeys));
      setUnitField(undefined);
    }
  };

  const send = async (dryRun: boolean) => {
    if (!file?.inspected.ok) return;
    setBusy(dryRun ? 'dryRun' : 'import');
    try {
      const result = await importLayer(api, { ...options, dryRun }, file.inspected.json);
      setOutcome(dryRun ? { kind: 'report', key, result } : { kind: 'committed', result });
      if (!dryRun) layers.reload();
    } catch (error) {
      setOutcome({ kind: 'error', error });
    } finally {
      setBusy(null);
    }
  };

  const keyOptions = file?.inspected.ok
    ? file.inspected.propertyKeys.map((k) => ({ value: k, label: k }))
    : [];
  const report = outcome.kind === 'report' || outcome.kind === 'committed' ? outcome.result : null;
  const refusedFindings = outcome.kind === 'error' ? findingsOfError(outcome.error) : null;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="layer-import-page">
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={10}>
          <Card size="small" title={t('registry.import.fileAndOptions')}>
            <div data-testid="import-file">
              <Upload.Dragger
                accept=".geojson,.json,application/geo+json,application/json"
                multiple={false}
                showUploadList={false}
                beforeUpload={(f) => {
                  void choose(f);
                  return false; // read here; the server receives the parsed JSON, not an upload
                }}
              >
                <p className="ant-upload-drag-icon">
                  <InboxOutlined />
                </p>
                <p className="ant-upload-text">{t('registry.import.chooseFile')}</p>
                <p className="ant-upload-hint">{t('registry.import.fileHint')}</p>
              </Upload.Dragger>
            </div>
            {file ? (
              <div className="og-file-line" data-testid="import-file-info">
                <Typography.Text strong>{file.name}</Typography.Text>{' '}
                <Typography.Text type="secondary">
                  {(file.size / 1024).toFixed(1)} KB
                  {file.inspected.ok
                    ? ` · ${t('registry.import.features', { count: file.inspected.featureCount })}`
                    : ''}
                </Typography.Text>
                {file.inspected.ok ? null : (
                  <Alert
                    type="error"
                    showIcon
                    style={{ marginTop: 8 }}
                    title={t(`registry.import.${file.inspected.reason}`)}
                    description={file.inspected.detail}
                    data-testid="import-file-error"
                  />
                )}
              </div>
            ) : null}

            <Form layout="vertical" style={{ marginTop: 12 }} requiredMark>
              <Row gutter={12}>
                <Col span={12}>
                  <Form.Item
                    label={t('registry.import.layerName')}
                    required
                    validateStatus={layer !== '' && !layerNameValid ? 'error' : undefined}
                    help={
                      layer !== '' && !layerNameValid
                        ? t('registry.import.layerNameRule')
                        : existing
                          ? t('registry.import.nextVersion', { version: (existing.currentVersion ?? 0) + 1 })
                          : undefined
                    }
                  >
                    <Input
                      value={layer}
                      onChange={(e) => setLayer(e.target.value.trim())}
                      placeholder="unitGrid"
                      data-testid="import-layer-name"
                    />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item
                    label={t('registry.import.title')}
                    help={existing ? t('registry.import.titleKept') : undefined}
                  >
                    <Input
                      value={title}
                      onChange={(e) => setTitle(e.target.value)}
                      placeholder={t('registry.import.titlePlaceholder')}
                      data-testid="import-title"
                    />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item label={t('registry.import.crs')} required help={t('registry.import.crsHelp')}>
                <Select<Crs>
                  value={crs}
                  onChange={setCrs}
                  options={CRS_VALUES.map((c) => ({ value: c, label: t(`registry.crs.${c}`) }))}
                  data-testid="import-crs"
                />
              </Form.Item>
              <Row gutter={12}>
                <Col span={12}>
                  <Form.Item label={t('registry.import.codeField')} help={t('registry.import.codeFieldHelp')}>
                    <Select
                      allowClear
                      value={codeField}
                      onChange={(v: string | undefined) => setCodeField(v)}
                      options={keyOptions}
                      placeholder="code"
                      data-testid="import-code-field"
                    />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item label={t('registry.import.unitField')} help={t('registry.import.unitFieldHelp')}>
                    <Select
                      allowClear
                      value={unitField}
                      onChange={(v: string | undefined) => setUnitField(v)}
                      options={keyOptions}
                      placeholder={t('registry.import.none')}
                      data-testid="import-unit-field"
                    />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item help={t('registry.import.strictHelp')}>
                <Checkbox
                  checked={strict}
                  onChange={(e) => setStrict(e.target.checked)}
                  data-testid="import-strict"
                >
                  {t('registry.import.strict')}
                </Checkbox>
              </Form.Item>
              <Space wrap>
                <Button
                  icon={<SafetyCertificateOutlined />}
                  onClick={() => void send(true)}
                  loading={busy === 'dryRun'}
                  disabled={!canSend}
                  data-testid="import-validate"
                >
                  {t('registry.import.validate')}
                </Button>
                <Button
                  type="primary"
                  icon={<CloudUploadOutlined />}
                  onClick={() => void send(false)}
                  loading={busy === 'import'}
                  disabled={!canSend || !reportIsCurrent}
                  data-testid="import-commit"
                >
                  {t('registry.import.import')}
                </Button>
                {canSend && !reportIsCurrent && outcome.kind !== 'committed' ? (
                  <Typography.Text type="secondary" className="og-small">
                    {t('registry.import.validateFirst')}
                  </Typography.Text>
                ) : null}
              </Space>
            </Form>
          </Card>
        </Col>
        <Col xs={24} xl={14}>
          <Card
            size="small"
            title={t('registry.import.preview')}
            extra={
              file?.inspected.ok && file.inspected.featureCount > PREVIEW_MAX_CELLS ? (
                <Typography.Text type="secondary">
                  {t('registry.import.previewLimited', { count: PREVIEW_MAX_CELLS })}
                </Typography.Text>
              ) : crs !== 'wgs84' ? (
                <Typography.Text type="secondary">{t('registry.import.previewConverted')}</Typography.Text>
              ) : null
            }
          >
            {preview ? (
              <PreviewMap
                data={preview}
                codeField={codeField ?? 'code'}
                findings={report?.findings ?? refusedFindings ?? []}
                focus={focus}
              />
            ) : (
              <div className="og-preview-empty">{t('registry.import.previewEmpty')}</div>
            )}
          </Card>
        </Col>
      </Row>

      {outcome.kind === 'error' ? (
        <Card size="small" title={t('registry.import.refused')}>
          <Space orientation="vertical" style={{ width: '100%' }}>
            <ApiErrorAlert error={outcome.error} testId="import-error" />
            {refusedFindings && refusedFindings.length > 0 ? (
              <FindingsTable findings={refusedFindings} onFocus={setFocus} />
            ) : null}
          </Space>
        </Card>
      ) : null}

      {outcome.kind === 'committed' ? (
        <Card size="small">
          <Result
            status="success"
            icon={<CheckCircleOutlined />}
            title={
              <span data-testid="import-committed" data-version={outcome.result.version ?? ''}>
                {t('registry.import.committed', {
                  layer: outcome.result.layer,
                  version: outcome.result.version ?? '?',
                })}
              </span>
            }
            subTitle={t('registry.import.committedDetail', {
              cells: outcome.result.cellCount,
              findings: outcome.result.findings.length,
            })}
            extra={
              <Link to="/registry/map">
                <Button type="primary">{t('registry.import.showOnMap')}</Button>
              </Link>
            }
          />
        </Card>
      ) : null}

      {report ? (
        <Card
          size="small"
          title={
            outcome.kind === 'committed'
              ? t('registry.import.reportCommitted')
              : t('registry.import.reportDryRun')
          }
          data-testid="import-report"
        >
          <ImportReport result={report} strict={strict} onFocus={setFocus} />
        </Card>
      ) : null}

      <StoredLayers layers={layers.data ?? []} loading={layers.loading} error={layers.error} />
    </Space>
  );
}

/** The findings a strict-mode refusal carries in its details (the first ones, as the server sends them). */
function findingsOfError(error: unknown): Finding[] | null {
  if (!isApiError(error)) return null;
  const first = error.details.first;
  return Array.isArray(first) ? (first as Finding[]) : null;
}

function ImportReport({
  result,
  strict,
  onFocus,
}: {
  result: ImportResult;
  strict: boolean;
  onFocus: (p: number[]) => void;
}) {
  const t = useT();
  const { locale } = useLocale();
  const s = result.summary;
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {result.findings.length === 0 ? (
        <Alert type="success" showIcon title={t('registry.import.clean')} data-testid="import-clean" />
      ) : (
        <Alert
          type={errors > 0 ? 'error' : 'warning'}
          showIcon
          title={t('registry.import.hasFindings', { count: result.findings.length, errors })}
          description={
            strict && !result.committed
              ? t('registry.import.strictWillRefuse')
              : t('registry.import.storedAsWarnings')
          }
        />
      )}
      {result.crsSanity === null && result.layer !== DISTRICT_LAYER ? (
        <Alert
          type="info"
          showIcon
          title={t('registry.import.noDistrict')}
          data-testid="import-no-district"
        />
      ) : null}
      {result.crsSanity?.suspect ? (
        <Alert
          type="warning"
          showIcon
          data-testid="crs-suspect"
          title={t('registry.import.crsSuspect', {
            declared:
              t.optional(`registry.crs.${result.crsSanity.declaredCrs}`) ?? result.crsSanity.declaredCrs,
            best: t.optional(`registry.crs.${result.crsSanity.bestCrs}`) ?? result.crsSanity.bestCrs,
          })}
        />
      ) : null}
      <Row gutter={[16, 16]} data-testid="import-stats">
        <Col xs={12} md={6}>
          <Statistic
            title={t('registry.import.cellCount')}
            value={result.cellCount}
            data-testid="import-cell-count"
          />
        </Col>
        <Col xs={12} md={6}>
          <Statistic
            title={t('registry.import.unitsMatched')}
            value={result.unitsMatched}
            suffix={`/ ${result.cellCount}`}
          />
        </Col>
        <Col xs={12} md={6}>
          <Statistic
            title={t('registry.import.version')}
            value={result.version ?? t('registry.import.notStored')}
          />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('registry.import.findingCount')} value={result.findings.length} />
        </Col>
      </Row>
      {s ? (
        <Descriptions
          size="small"
          bordered
          column={{ xs: 1, md: 3 }}
          items={[
            {
              key: 'gaps',
              label: t('registry.findingKinds.gap'),
              children: t('registry.import.countArea', {
                count: s.gapCount,
                area: formatArea(s.gapAreaM2, locale),
              }),
            },
            {
              key: 'overlaps',
              label: t('registry.findingKinds.overlap'),
              children: t('registry.import.countArea', {
                count: s.overlapCount,
                area: formatArea(s.overlapAreaM2, locale),
              }),
            },
            {
              key: 'outside',
              label: t('registry.findingKinds.outsideDistrict'),
              children: t('registry.import.countArea', {
                count: s.outsideCount,
                area: formatArea(s.outsideAreaM2, locale),
              }),
            },
            ...(s.ignored
              ? [
                  {
                    key: 'ignored',
                    label: t('registry.import.ignored'),
                    span: 3,
                    children: t('registry.import.ignoredDetail', {
                      gaps: s.ignored.gaps,
                      overlaps: s.ignored.overlaps,
                      outside: s.ignored.outside,
                    }),
                  },
                ]
              : []),
            ...(s.clippingFailures
              ? [
                  {
                    key: 'clip',
                    label: t('registry.import.clippingFailures'),
                    span: 3,
                    children: s.clippingFailures,
                  },
                ]
              : []),
          ]}
          data-testid="import-summary"
        />
      ) : null}
      <FindingsTable findings={result.findings} onFocus={onFocus} />
    </Space>
  );
}

/** The layers already stored, with the findings of each current version (kept as warnings). */
function StoredLayers({
  layers,
  loading,
  error,
}: {
  layers: GridLayerSummaryRow[];
  loading: boolean;
  error: unknown;
}) {
  const t = useT();
  const { locale } = useLocale();
  const columns: TableColumnsType<GridLayerSummaryRow> = [
    {
      title: t('registry.import.title'),
      key: 'title',
      render: (_, r) => <Typography.Text strong>{layerTitle(r, locale)}</Typography.Text>,
    },
    {
      title: t('registry.import.layerName'),
      dataIndex: 'name',
      render: (v: string) => <Typography.Text code>{v}</Typography.Text>,
    },
    {
      title: t('registry.import.version'),
      dataIndex: 'currentVersion',
      render: (v: number | null) => (v === null ? '—' : `v${v}`),
    },
    { title: t('registry.import.cellCount'), dataIndex: 'cellCount', align: 'right' },
    {
      title: t('registry.import.crs'),
      dataIndex: 'sourceCrs',
      render: (v: string | null) => labelOf(t, 'registry.crs', v),
    },
    {
      title: t('registry.import.importedAt'),
      dataIndex: 'importedAt',
      render: (v: string | null) =>
        v ? new Date(v).toLocaleString(locale === 'en' ? 'en-GB' : 'zh-CN') : '—',
    },
    {
      title: t('registry.import.findingCount'),
      key: 'findings',
      render: (_, r) => {
        const entries = Object.entries(r.findingCounts);
        if (entries.length === 0) return <Tag color="success">{t('registry.findings.noneShort')}</Tag>;
        return entries.map(([kind, n]) => (
          <Tag color="warning" key={kind}>
            {labelOf(t, 'registry.findingKinds', kind)} {n}
          </Tag>
        ));
      },
    },
    {
      title: '',
      key: 'generated',
      render: (_, r) => (r.generated ? <Tag color="orange">{t('registry.map.generatedTag')}</Tag> : null),
    },
  ];
  return (
    <Card size="small" title={t('registry.import.storedLayers')} data-testid="stored-layers">
      {error ? <ApiErrorAlert error={error} /> : null}
      <Table<GridLayerSummaryRow>
        size="small"
        rowKey="name"
        loading={loading}
        columns={columns}
        dataSource={layers}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('registry.map.noLayers') }}
        expandable={{
          expandedRowRender: (r) => <StoredFindings name={r.name} />,
          rowExpandable: (r) => Object.keys(r.findingCounts).length > 0 || r.currentVersion !== null,
        }}
      />
    </Card>
  );
}

function StoredFindings({ name }: { name: string }) {
  const t = useT();
  const detail = useRemote((api, signal) => fetchGridLayer(api, name, signal), [name]);
  if (detail.error) return <ApiErrorAlert error={detail.error} />;
  if (!detail.data) return <Typography.Text type="secondary">{t('common.loading')}</Typography.Text>;
  const current = detail.data.versions.find((v) => v.version === detail.data?.currentVersion);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid={`stored-findings-${name}`}>
      <Typography.Text type="secondary">
        {t('registry.import.versions', {
          versions: detail.data.versions.map((v) => `v${v.version}`).join(', '),
        })}
      </Typography.Text>
      {current && current.findings.length > 0 ? (
        <>
          <Alert
            type="warning"
            showIcon
            title={t('registry.import.storedWarnings', {
              count: current.findings.length,
              version: current.version,
            })}
          />
          <FindingsTable findings={current.findings} pageSize={5} testId={`stored-findings-table-${name}`} />
        </>
      ) : (
        <Alert
          type="success"
          showIcon
          title={t('registry.import.storedClean', { version: current?.version ?? '—' })}
        />
      )}
    </Space>
  );
}
