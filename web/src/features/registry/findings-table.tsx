import { Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useLocale, useT } from '../../i18n/i18n';
import { byAreaDesc } from './layer-import';
import type { Finding } from './registry-api';
import { formatArea, formatLngLat, labelOf } from './registry-format';

type Row = Finding & { key: number };

/**
 * The validation findings of a layer: kind, severity, cells, area, location, the server's message.
 * Sorted by area (largest first) until the user sorts otherwise; a row with a location can be focused.
 */
export function FindingsTable({
  findings,
  onFocus,
  testId = 'findings-table',
  pageSize = 10,
}: {
  findings: readonly Finding[];
  onFocus?: (location: number[]) => void;
  testId?: string;
  pageSize?: number;
}) {
  const t = useT();
  const { locale } = useLocale();
  const rows: Row[] = [...findings].sort(byAreaDesc).map((f, key) => ({ ...f, key }));
  const kinds = [...new Set(findings.map((f) => f.kind))];
  const columns: TableColumnsType<Row> = [
    {
      title: t('registry.findings.kind'),
      dataIndex: 'kind',
      filters: kinds.map((k) => ({ text: labelOf(t, 'registry.findingKinds', k), value: k })),
      onFilter: (value, r) => r.kind === value,
      render: (v: string) => <span data-testid="finding-kind">{labelOf(t, 'registry.findingKinds', v)}</span>,
    },
    {
      title: t('registry.findings.severity'),
      dataIndex: 'severity',
      render: (v: string) => (
        <Tag color={v === 'error' ? 'error' : 'warning'}>{labelOf(t, 'registry.severities', v)}</Tag>
      ),
    },
    {
      title: t('registry.findings.cells'),
      dataIndex: 'cellCodes',
      render: (v: string[]) =>
        v.length === 0
          ? '—'
          : v.map((c) => (
              <Typography.Text code key={c}>
                {c}
              </Typography.Text>
            )),
    },
    {
      title: t('registry.findings.area'),
      dataIndex: 'areaM2',
      align: 'right',
      sorter: (a, b) => (a.areaM2 ?? -1) - (b.areaM2 ?? -1),
      render: (v: number | undefined) => <span data-testid="finding-area">{formatArea(v, locale)}</span>,
    },
    {
      title: t('registry.findings.location'),
      dataIndex: 'location',
      render: (v: number[] | undefined) =>
        v && onFocus ? (
          <Typography.Link onClick={() => onFocus(v)}>{formatLngLat(v)}</Typography.Link>
        ) : (
          formatLngLat(v)
        ),
    },
    { title: t('registry.findings.message'), dataIndex: 'message' },
  ];
  return (
    <Table<Row>
      size="small"
      columns={columns}
      dataSource={rows}
      pagination={{ pageSize, hideOnSinglePage: true }}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('registry.findings.none') }}
      data-testid={testId}
    />
  );
}
