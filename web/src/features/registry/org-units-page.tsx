import { Alert, Card, Descriptions, Empty, Input, List, Space, Spin, Tag, Tree, Typography } from 'antd';
import type { TreeDataNode } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useLocale, useT } from '../../i18n/i18n';
import { describeError } from '../../shell/describe-error';
import { ancestry, buildOrgTree, filterOrgTree, type OrgNode } from './org-tree';
import { fetchOrgUnits, fetchUsers, type OrgUnit } from './registry-api';
import { labelOf, localName } from './registry-format';
import { ActiveTag } from './registry-widgets';
import { useDebounced, useRemote } from './use-remote';

const KIND_COLOURS: Record<string, string> = {
  bureau: 'blue',
  subdistrict: 'geekblue',
  squad: 'volcano',
  workstation: 'green',
  sector: 'cyan',
  community: 'gold',
  department: 'purple',
  propertyCompany: 'magenta',
};

/** 组织架构: the org units as a searchable tree, and the selected unit's details and users. */
export default function OrgUnitsPage() {
  const t = useT();
  const { locale } = useLocale();
  const units = useRemote((api, signal) => fetchOrgUnits(api, signal), []);
  const [search, setSearch] = useState('');
  const query = useDebounced(search, 200);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [expanded, setExpanded] = useState<string[] | null>(null);

  const byId = useMemo(() => new Map((units.data ?? []).map((u) => [u.id, u])), [units.data]);
  const tree = useMemo(() => buildOrgTree(units.data ?? []), [units.data]);
  const filtered = useMemo(() => filterOrgTree(tree, query), [tree, query]);

  // At first the top two levels are open (bureau › subdistricts); a search opens the way to every match.
  useEffect(() => {
    if (query.trim() !== '') setExpanded(filtered.expand);
    else if (tree.length > 0) setExpanded(tree.map((n) => n.unit.id));
  }, [filtered, query, tree]);

  const toData = (node: OrgNode): TreeDataNode => ({
    key: node.unit.id,
    title: (
      <span
        className={node.unit.active ? undefined : 'og-inactive'}
        data-testid="org-node"
        data-code={node.unit.code}
        data-kind={node.unit.kind}
      >
        <Highlight text={localName(node.unit, locale)} query={query} />
        <Tag color={KIND_COLOURS[node.unit.kind]} variant="outlined" className="og-kind-tag">
          {labelOf(t, 'unitKinds', node.unit.kind)}
        </Tag>
        {node.unit.active ? null : <ActiveTag active={false} />}
      </span>
    ),
    children: node.children.map(toData),
  });
  const treeData = filtered.roots.map(toData);
  const selected = selectedId ? byId.get(selectedId) : undefined;

  return (
    <div className="og-two-pane" data-testid="org-units-page">
      <Card
        size="small"
        title={t('registry.org.tree')}
        extra={
          units.data ? (
            <Typography.Text type="secondary">
              {t('registry.common.count', { count: units.data.length })}
            </Typography.Text>
          ) : null
        }
        className="og-two-pane-left"
      >
        <Input.Search
          allowClear
          placeholder={t('registry.org.searchPlaceholder')}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          data-testid="org-search"
          style={{ marginBottom: 8 }}
        />
        {query.trim() !== '' ? (
          <Typography.Text type="secondary" className="og-small" data-testid="org-search-count">
            {t('registry.org.matches', { count: filtered.matches })}
          </Typography.Text>
        ) : null}
        {units.error ? (
          <Alert type="error" showIcon title={describeError(t, units.error)} />
        ) : units.loading && !units.data ? (
          <Spin />
        ) : treeData.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('registry.common.noMatch')} />
        ) : (
          <Tree
            className="og-org-tree"
            data-testid="org-tree"
            treeData={treeData}
            expandedKeys={expanded ?? []}
            onExpand={(keys) => setExpanded(keys.map(String))}
            selectedKeys={selectedId ? [selectedId] : []}
            onSelect={(keys) => setSelectedId(keys[0] !== undefined ? String(keys[0]) : null)}
            blockNode
            virtual={false}
          />
        )}
      </Card>
      <Card
        size="small"
        title={t('registry.org.details')}
        className="og-two-pane-right"
        data-testid="org-details"
      >
        {selected ? (
          <UnitDetails unit={selected} byId={byId} onSelect={setSelectedId} />
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('registry.org.selectHint')} />
        )}
      </Card>
    </div>
  );
}

function Highlight({ text, query }: { text: string; query: string }) {
  const q = query.trim();
  const at = q === '' ? -1 : text.toLowerCase().indexOf(q.toLowerCase());
  if (at < 0) return <span>{text}</span>;
  return (
    <span>
      {text.slice(0, at)}
      <mark className="og-mark">{text.slice(at, at + q.length)}</mark>
      {text.slice(at + q.length)}
    </span>
  );
}

function UnitDetails({
  unit,
  byId,
  onSelect,
}: {
  unit: OrgUnit;
  byId: ReadonlyMap<string, OrgUnit>;
  onSelect: (id: string) => void;
}) {
  const t = useT();
  const { locale } = useLocale();
  const chain = ancestry(byId, unit.id);
  const children = [...byId.values()].filter((u) => u.parentId === unit.id);
  const users = useRemote(
    (api, signal) => fetchUsers(api, { unitId: unit.id, includeInactive: true }, signal),
    [unit.id],
  );

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Descriptions
        size="small"
        column={1}
        bordered
        data-testid="org-details-table"
        items={[
          {
            key: 'name',
            label: t('registry.org.name'),
            children: <span data-testid="org-details-name">{unit.name}</span>,
          },
          { key: 'nameEn', label: t('registry.org.nameEn'), children: unit.nameEn ?? '—' },
          {
            key: 'kind',
            label: t('registry.org.kind'),
            children: <span data-testid="org-details-kind">{labelOf(t, 'unitKinds', unit.kind)}</span>,
          },
          {
            key: 'code',
            label: t('registry.org.code'),
            children: <Typography.Text code>{unit.code}</Typography.Text>,
          },
          {
            key: 'path',
            label: t('registry.org.path'),
            children: (
              <span>
                {chain.map((u, i) => (
                  <span key={u.id}>
                    {i > 0 ? ' › ' : null}
                    {u.id === unit.id ? (
                      localName(u, locale)
                    ) : (
                      <Typography.Link onClick={() => onSelect(u.id)}>{localName(u, locale)}</Typography.Link>
                    )}
                  </span>
                ))}
              </span>
            ),
          },
          { key: 'status', label: t('registry.common.status'), children: <ActiveTag active={unit.active} /> },
          { key: 'children', label: t('registry.org.children'), children: children.length },
          { key: 'version', label: t('registry.common.version'), children: unit.version },
        ]}
      />
      <div>
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          {t('registry.org.users')}
        </Typography.Title>
        {users.error ? (
          <Alert type="error" showIcon title={describeError(t, users.error)} />
        ) : (
          <List
            size="small"
            bordered
            loading={users.loading}
            dataSource={users.data ?? []}
            locale={{ emptyText: t('registry.org.noUsers') }}
            renderItem={(u) => (
              <List.Item className={u.active ? undefined : 'og-inactive'}>
                <Space size={8} wrap>
                  <Typography.Text strong>{u.displayName}</Typography.Text>
                  <Typography.Text type="secondary">{u.username}</Typography.Text>
                  <Tag>{labelOf(t, 'roles', u.role)}</Tag>
                  {u.phone ? <Typography.Text type="secondary">{u.phone}</Typography.Text> : null}
                  {u.active ? null : <ActiveTag active={false} />}
                </Space>
              </List.Item>
            )}
          />
        )}
      </div>
    </Space>
  );
}
