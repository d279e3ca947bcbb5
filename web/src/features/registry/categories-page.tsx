import { Alert, Card, Empty, Input, Space, Spin, Switch, Table, Tag, Tree, Typography } from 'antd';
import type { TableColumnsType, TreeDataNode } from 'antd';
import { useMemo, useState } from 'react';
import { useLocale, useT } from '../../i18n/i18n';
import { describeError } from '../../shell/describe-error';
import {
  CATEGORY_KINDS,
  fetchCategories,
  fetchMajorClasses,
  type Category,
  type CategoryKind,
  type MajorClass,
} from './registry-api';
import { formatTimeLimit, formatUnitKindRef, labelOf } from './registry-format';
import { ActiveTag, ApiErrorAlert } from './registry-widgets';
import { useDebounced, useRemote } from './use-remote';

type Selection = { kind: CategoryKind; major?: string } | null;
type CategoryRow = Category & { children?: CategoryRow[] };

const selectionKey = (s: Selection) => (s ? `${s.kind}${s.major ? `:${s.major}` : ''}` : 'all');

/** Nests local sub-categories under their parent (parentKey) when the parent is in the list. */
function nest(items: readonly Category[]): CategoryRow[] {
  const byKey = new Map<string, CategoryRow>(items.map((c) => [c.key, { ...c }]));
  const roots: CategoryRow[] = [];
  for (const row of byKey.values()) {
    const parent = row.parentKey ? byKey.get(row.parentKey) : undefined;
    if (parent) (parent.children ??= []).push(row);
    else roots.push(row);
  }
  return roots;
}

/** 问题类别: GB/T 47678.5 categories and local extensions, by kind and major class. */
export default function CategoriesPage() {
  const t = useT();
  const { locale } = useLocale();
  const [selection, setSelection] = useState<Selection>(null);
  const [q, setQ] = useState('');
  const [localOnly, setLocalOnly] = useState(false);
  const [includeInactive, setIncludeInactive] = useState(false);
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const query = useDebounced(q);
  const majors = useRemote((api, signal) => fetchMajorClasses(api, signal), []);
  const categories = useRemote(
    (api, signal) =>
      fetchCategories(
        api,
        {
          kind: selection?.kind,
          major: selection?.major,
          q: query.trim(),
          local: localOnly,
          includeInactive,
        },
        signal,
      ),
    [selectionKey(selection), query, localOnly, includeInactive],
  );

  const majorName = (m: Pick<MajorClass, 'name' | 'nameEn'>) =>
    locale === 'en' && m.nameEn ? m.nameEn : m.name;
  const treeData: TreeDataNode[] = useMemo(
    () =>
      CATEGORY_KINDS.map((kind) => {
        const ofKind = (majors.data ?? []).filter((m) => m.kind === kind);
        return {
          key: kind,
          title: (
            <span data-testid={`category-kind-${kind}`}>
              {t(`registry.categories.kinds.${kind}`)}{' '}
              <Typography.Text type="secondary">({ofKind.reduce((n, m) => n + m.count, 0)})</Typography.Text>
            </span>
          ),
          children: ofKind.map((m) => ({
            key: `${kind}:${m.code}`,
            isLeaf: true,
            title: (
              <span data-testid="category-major" data-code={m.code}>
                <Typography.Text code>{m.code}</Typography.Text> {majorName(m)}{' '}
                <Typography.Text type="secondary">({m.count})</Typography.Text>
                {m.localCount > 0 ? (
                  <Tag color="purple" className="og-kind-tag">
                    +{m.localCount} {t('registry.categories.localShort')}
                  </Tag>
                ) : null}
              </span>
            ),
          })),
        };
      }),
    // eslint has no react-hooks plugin here; majorName and t change with the language, which `locale` tracks.
    [majors.data, locale, t],
  );

  const rows = useMemo(() => nest(categories.data ?? []), [categories.data]);
  const columns: TableColumnsType<CategoryRow> = [
    {
      title: t('registry.common.code'),
      dataIndex: 'code',
      width: 130,
      render: (v: string) => (
        <Typography.Text code data-testid="category-code">
          {v}
        </Typography.Text>
      ),
    },
    {
      title: t('registry.categories.name'),
      dataIndex: 'name',
      render: (v: string, c) => (
        <Space size={4}>
          <Typography.Text strong>{v}</Typography.Text>
          {c.local ? (
            <Tag color="purple" data-testid="local-tag">
              {t('registry.categories.local')}
            </Tag>
          ) : null}
          {c.family ? <Tag>{labelOf(t, 'registry.categories.families', c.family)}</Tag> : null}
        </Space>
      ),
    },
    { title: t('registry.categories.nameEn'), dataIndex: 'nameEn' },
    // The major class is the card's title when one is selected; the column is for search results across classes.
    ...(selection?.major
      ? []
      : [
          {
            title: t('registry.categories.major'),
            key: 'major',
            render: (_: unknown, c: CategoryRow) =>
              `${c.majorCode} ${majorName({ name: c.majorName, nameEn: c.majorNameEn })}`,
          },
        ]),
    {
      title: t('registry.categories.defaultUnit'),
      dataIndex: 'defaultUnitKind',
      render: (v: string | null) => formatUnitKindRef(t, v),
    },
    {
      title: t('registry.categories.defaultTimeLimit'),
      dataIndex: 'defaultTimeLimit',
      className: 'og-nowrap',
      render: (v: string | null) => formatTimeLimit(t, v),
    },
    {
      title: t('registry.common.status'),
      dataIndex: 'active',
      className: 'og-nowrap',
      render: (v: boolean) => <ActiveTag active={v} />,
    },
  ];

  const selectedKeys = selection
    ? [selection.major ? `${selection.kind}:${selection.major}` : selection.kind]
    : [];

  return (
    <div className="og-two-pane og-two-pane-narrow" data-testid="categories-page">
      <Card size="small" title={t('registry.categories.majors')} className="og-two-pane-left">
        {majors.error ? (
          <Alert type="error" showIcon title={describeError(t, majors.error)} />
        ) : majors.loading && !majors.data ? (
          <Spin />
        ) : (majors.data ?? []).length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('registry.categories.noneLoaded')} />
        ) : (
          <Tree
            treeData={treeData}
            defaultExpandAll
            selectedKeys={selectedKeys}
            onSelect={(keys) => {
              const k = keys[0] === undefined ? null : String(keys[0]);
              if (k === null) return setSelection(null);
              const [kind, major] = k.split(':') as [CategoryKind, string | undefined];
              setSelection(major ? { kind, major } : { kind });
            }}
            data-testid="category-tree"
            blockNode
          />
        )}
      </Card>
      <Card
        size="small"
        className="og-two-pane-right"
        title={
          selection
            ? selection.major
              ? `${selection.major} ${majorName(majors.data?.find((m) => m.kind === selection.kind && m.code === selection.major) ?? { name: '', nameEn: null })}`
              : t(`registry.categories.kinds.${selection.kind}`)
            : t('registry.categories.all')
        }
        data-testid="categories-list"
      >
        <Space wrap size={[12, 8]} className="og-list-filters">
          <Input.Search
            allowClear
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder={t('registry.categories.searchPlaceholder')}
            style={{ width: 260 }}
            data-testid="category-search"
          />
          <Space size={6}>
            <Switch
              size="small"
              checked={localOnly}
              onChange={setLocalOnly}
              data-testid="category-local-only"
            />
            {t('registry.categories.localOnly')}
          </Space>
          <Space size={6}>
            <Switch size="small" checked={includeInactive} onChange={setIncludeInactive} />
            {t('registry.categories.includeInactive')}
          </Space>
          {categories.data ? (
            <Typography.Text type="secondary" data-testid="list-count">
              {t('registry.common.count', { count: categories.data.length })}
            </Typography.Text>
          ) : null}
        </Space>
        {categories.error ? <ApiErrorAlert error={categories.error} /> : null}
        <Table<CategoryRow>
          size="small"
          rowKey="key"
          loading={categories.loading}
          dataSource={categories.error ? [] : rows}
          columns={columns}
          rowClassName={(r) => (r.active ? '' : 'og-inactive-row')}
          expandable={{
            // Local sub-categories are shown under their standard parent, open unless closed by hand.
            expandedRowKeys: rows.filter((r) => r.children && !collapsed.has(r.key)).map((r) => r.key),
            onExpand: (open, r) =>
              setCollapsed((c) => {
                const next = new Set(c);
                if (open) next.delete(r.key);
                else next.add(r.key);
                return next;
              }),
          }}
          pagination={{ pageSize: 25, showSizeChanger: true, hideOnSinglePage: true }}
          tableLayout="auto"
          data-testid="category-table"
        />
      </Card>
    </div>
  );
}
