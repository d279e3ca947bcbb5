import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Form,
  Input,
  List,
  Popconfirm,
  Select,
  Space,
  Spin,
  Tag,
  Tree,
  Typography,
} from 'antd';
import type { TreeDataNode } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useCurrentUser, useSession } from '../../auth/session-context';
import { useLocale, useT } from '../../i18n/i18n';
import { describeError } from '../../shell/describe-error';
import { ancestry, buildOrgTree, filterOrgTree, type OrgNode } from './org-tree';
import { fetchOrgUnits, fetchUsers, type OrgUnit } from './registry-api';
import { labelOf, localName } from './registry-format';
import { RecordDrawer, TextField, type FormSpec, type Values } from './registry-forms';
import { ActiveTag, ApiErrorAlert } from './registry-widgets';
import {
  CHILD_KINDS,
  setOrgUnitActive,
  staleRecord,
  UNIT_KINDS_EDITED_VIA_PARTY,
  updateOrgUnit,
} from './registry-write';
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
  // A reload after a write keeps what the user had opened.
  const lastQuery = useRef<string | null>(null);
  useEffect(() => {
    const searching = query.trim() !== '';
    const queryChanged = lastQuery.current !== query;
    lastQuery.current = query;
    if (searching) setExpanded(filtered.expand);
    else if (tree.length > 0)
      setExpanded((open) => (open && !queryChanged ? open : tree.map((n) => n.unit.id)));
  }, [filtered, query, tree]);

  /** After a write: the tree again from the server, with the given unit's branch open. */
  const refresh = (openId?: string) => {
    units.reload();
    if (openId) setExpanded((open) => [...new Set([...(open ?? []), openId])]);
  };

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
          <UnitDetails unit={selected} byId={byId} onSelect={setSelectedId} onChanged={refresh} />
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

const str = (v: unknown): string | null => {
  if (typeof v !== 'string') return null;
  const s = v.trim();
  return s === '' ? null : s;
};

/** New unit below `parent` (its kind among those allowed there), or edit of `unit`'s name and code. */
function useOrgUnitSpec(parent: OrgUnit | null, kinds: readonly string[]): FormSpec<OrgUnit> {
  const t = useT();
  const creating = parent !== null;
  return {
    path: null,
    createPath: '/api/org-units',
    update: (api, id, body, version) => updateOrgUnit(api, id, body, version),
    fieldNames: creating ? ['kind', 'code', 'name', 'nameEn'] : ['code', 'name', 'nameEn'],
    titleNew: t('registry.org.newUnit'),
    titleEdit: t('registry.org.editUnit'),
    toValues: (r) =>
      r
        ? { code: r.code, name: r.name, nameEn: r.nameEn ?? undefined }
        : { kind: kinds.length === 1 ? kinds[0] : undefined },
    toBody: (v: Values) =>
      creating
        ? {
            parentId: parent.id,
            kind: str(v.kind),
            code: str(v.code),
            name: str(v.name),
            nameEn: str(v.nameEn),
          }
        : { code: str(v.code), name: str(v.name), nameEn: str(v.nameEn) },
    fields: (
      <>
        {creating ? (
          <Form.Item
            name="kind"
            label={t('registry.org.kind')}
            extra={t('registry.org.under', { name: parent.name })}
            rules={[{ required: true, message: t('registry.edit.required', { field: t('registry.org.kind') }) }]}
          >
            <Select
              data-testid="field-kind"
              placeholder={t('registry.edit.choose')}
              options={kinds.map((k) => ({ value: k, label: labelOf(t, 'unitKinds', k) }))}
            />
          </Form.Item>
        ) : null}
        <TextField name="code" label={t('registry.org.code')} required max={40} />
        <TextField name="name" label={t('registry.org.name')} required max={200} />
        <TextField name="nameEn" label={t('registry.org.nameEn')} max={200} />
      </>
    ),
  };
}

/** 新建下级单位, 编辑, 停用 / 启用 for a user who may write the registry; the server's refusals as sent. */
function UnitActions({ unit, onChanged }: { unit: OrgUnit; onChanged: (openId?: string) => void }) {
  const t = useT();
  const { locale } = useLocale();
  const { api } = useSession();
  const { message } = App.useApp();
  const [drawer, setDrawer] = useState<'new' | 'edit' | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => setError(null), [unit.id]);
  const kinds = unit.active ? (CHILD_KINDS[unit.kind] ?? []) : [];
  const viaParty = UNIT_KINDS_EDITED_VIA_PARTY.includes(unit.kind);
  const spec = useOrgUnitSpec(drawer === 'new' ? unit : null, kinds);
  const turnOn = !unit.active;
  const name = localName(unit, locale);

  const toggle = async () => {
    setError(null);
    try {
      await setOrgUnitActive(api, unit.id, turnOn, unit.version);
      void message.success(turnOn ? t('registry.edit.reactivated') : t('registry.edit.deactivated'));
    } catch (e) {
      if (staleRecord(e)) void message.warning(t('registry.edit.stale'));
      setError(e);
    }
    onChanged();
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="org-actions">
      <Space wrap>
        {kinds.length > 0 ? (
          <Button type="primary" onClick={() => setDrawer('new')} data-testid="org-new-child">
            {t('registry.org.newChild')}
          </Button>
        ) : null}
        {viaParty ? null : (
          <Button onClick={() => setDrawer('edit')} data-testid="org-edit">
            {t('registry.edit.edit')}
          </Button>
        )}
        {viaParty ? null : (
          <Popconfirm
            title={
              turnOn
                ? t('registry.edit.confirmReactivate', { name })
                : t('registry.edit.confirmDeactivate', { name })
            }
            okText={t('registry.edit.ok')}
            cancelText={t('registry.edit.cancel')}
            okButtonProps={{ 'data-testid': 'confirm-ok' } as Record<string, string>}
            onConfirm={toggle}
          >
            <Button danger={!turnOn} data-testid={turnOn ? 'org-reactivate' : 'org-deactivate'}>
              {turnOn ? t('registry.edit.reactivate') : t('registry.edit.deactivate')}
            </Button>
          </Popconfirm>
        )}
      </Space>
      {viaParty ? (
        <Typography.Text type="secondary" data-testid="org-via-party">
          {t('registry.org.editedViaParty')}
        </Typography.Text>
      ) : null}
      {error ? <ApiErrorAlert error={error} testId="org-action-error" /> : null}
      <RecordDrawer<OrgUnit>
        spec={spec}
        record={drawer === 'edit' ? unit : null}
        open={drawer !== null}
        onClose={() => setDrawer(null)}
        onSaved={() => onChanged(drawer === 'new' ? unit.id : undefined)}
      />
    </Space>
  );
}

function UnitDetails({
  unit,
  byId,
  onSelect,
  onChanged,
}: {
  unit: OrgUnit;
  byId: ReadonlyMap<string, OrgUnit>;
  onSelect: (id: string) => void;
  onChanged: (openId?: string) => void;
}) {
  const t = useT();
  const { locale } = useLocale();
  const canWrite = useCurrentUser().permissions.includes('registry:write');
  const chain = ancestry(byId, unit.id);
  const children = [...byId.values()].filter((u) => u.parentId === unit.id);
  const users = useRemote(
    (api, signal) => fetchUsers(api, { unitId: unit.id, includeInactive: true }, signal),
    [unit.id],
  );

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {canWrite ? <UnitActions unit={unit} onChanged={onChanged} /> : null}
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
