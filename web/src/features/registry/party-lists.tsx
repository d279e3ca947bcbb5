// The lists of the basic database: users, compounds, property companies, departments (with their
// liaisons) and merchants. Each has a search box and filters; inactive records are shown greyed with 停用.
import { Button, Card, Input, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import type { TableColumnsType, TableProps } from 'antd';
import { useState, type HTMLAttributes, type ReactNode } from 'react';
import { ROLES } from '../../api/session';
import { useLocale, useT } from '../../i18n/i18n';
import {
  DEPARTMENT_KINDS,
  fetchLiaisons,
  fetchParties,
  fetchUsers,
  type ActiveFilter,
  type Compound,
  type Department,
  type Liaison,
  type Merchant,
  type PropertyCompany,
  type UserRow,
} from './registry-api';
import { formatLngLat, labelOf, localName } from './registry-format';
import { CsvButtons } from './registry-csv';
import {
  ActiveToggle,
  RecordDrawer,
  useCompanySpec,
  useCompoundSpec,
  useDepartmentSpec,
  useLiaisonSpec,
  useMerchantSpec,
  type FormSpec,
} from './registry-forms';
import type { PartyKind, WritablePath } from './registry-write';
import { NewUserDrawer, UserActions } from './user-forms';
import { ActiveFilterSwitch, ActiveTag, ApiErrorAlert, SubdistrictSelect } from './registry-widgets';
import { useDebounced, useRemote, type Remote } from './use-remote';

const rowClass = (r: { active: boolean }) => (r.active ? '' : 'og-inactive-row');
const dash = (v: string | null | undefined) => (v ? v : '—');

/** The frame every list shares: its filters above, the count, the error as the server gave it, the table. */
function ListFrame<T extends { id: string; active: boolean }>({
  testId,
  filters,
  remote,
  columns,
  expandable,
  toolbar,
}: {
  testId: string;
  filters: ReactNode;
  toolbar?: ReactNode;
  remote: Remote<T[]>;
  columns: TableColumnsType<T>;
  expandable?: TableProps<T>['expandable'];
}) {
  const t = useT();
  return (
    <Card size="small" data-testid={testId}>
      {toolbar ? (
        <Space wrap size={8} className="og-list-toolbar" data-testid="list-toolbar">
          {toolbar}
        </Space>
      ) : null}
      <Space wrap size={[12, 8]} className="og-list-filters">
        {filters}
        {remote.data ? (
          <Typography.Text type="secondary" data-testid="list-count">
            {t('registry.common.count', { count: remote.data.length })}
          </Typography.Text>
        ) : null}
      </Space>
      {remote.error ? <ApiErrorAlert error={remote.error} /> : null}
      <Table<T>
        size="small"
        rowKey="id"
        loading={remote.loading}
        dataSource={remote.error ? [] : (remote.data ?? [])}
        columns={columns}
        rowClassName={rowClass}
        expandable={expandable}
        pagination={{ pageSize: 20, showSizeChanger: true, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        data-testid="registry-table"
        onRow={(r) => ({ 'data-active': String(r.active) }) as HTMLAttributes<HTMLElement>}
      />
    </Card>
  );
}

function SearchBox({
  value,
  onChange,
  placeholder,
}: {
  value: string;
  onChange: (v: string) => void;
  placeholder: string;
}) {
  return (
    <Input.Search
      allowClear
      value={value}
      onChange={(e) => onChange(e.target.value)}
      placeholder={placeholder}
      style={{ width: 240 }}
      data-testid="list-search"
    />
  );
}

/** Which record the drawer edits: none (closed), a new one, or a row. */
function useEditor<R>() {
  const [state, setState] = useState<{ open: boolean; record: R | null }>({ open: false, record: null });
  return {
    ...state,
    create: () => setState({ open: true, record: null }),
    edit: (record: R) => setState({ open: true, record }),
    close: () => setState((s) => ({ ...s, open: false })),
  };
}

/** 新建 and, for the lists that have files, 导出 CSV / 导入 CSV. */
function Toolbar({ onNew, kind, reload }: { onNew: () => void; kind?: PartyKind; reload: () => void }) {
  const t = useT();
  return (
    <>
      <Button type="primary" onClick={onNew} data-testid="list-new">
        {t('registry.edit.new')}
      </Button>
      {kind ? <CsvButtons kind={kind} onImported={reload} /> : null}
    </>
  );
}

/** The last column of a writable list: 编辑, then 停用 or 启用. */
function actionsColumn<R extends { id: string; active: boolean; version: number }>(
  t: ReturnType<typeof useT>,
  path: WritablePath,
  nameOf: (r: R) => string,
  edit: (r: R) => void,
  reload: () => void,
): TableColumnsType<R>[number] {
  return {
    title: t('registry.edit.actions'),
    key: 'actions',
    fixed: 'right',
    render: (_, r) => (
      <Space size={0}>
        <Button size="small" type="link" onClick={() => edit(r)} data-testid="row-edit">
          {t('registry.edit.edit')}
        </Button>
        <ActiveToggle path={path} record={r} name={nameOf(r)} onDone={reload} />
      </Space>
    ),
  };
}

function EditorDrawer<R extends { id: string; version: number }>({
  spec,
  editor,
  reload,
}: {
  spec: FormSpec<R>;
  editor: ReturnType<typeof useEditor<R>>;
  reload: () => void;
}) {
  return (
    <RecordDrawer<R>
      spec={spec}
      record={editor.record}
      open={editor.open}
      onClose={editor.close}
      onSaved={reload}
    />
  );
}

// ---------------------------------------------------------------------------------------------------------

/** 人员与账号: users in the caller's scope, phones masked by the server. */
export function UsersList() {
  const t = useT();
  const [q, setQ] = useState('');
  const [role, setRole] = useState<string | undefined>();
  const [includeInactive, setIncludeInactive] = useState(true);
  const query = useDebounced(q);
  const remote = useRemote(
    (api, signal) => fetchUsers(api, { q: query, role, includeInactive }, signal),
    [query, role, includeInactive],
  );
  const [creating, setCreating] = useState(false);
  const columns: TableColumnsType<UserRow> = [
    {
      title: t('registry.users.displayName'),
      dataIndex: 'displayName',
      render: (v: string) => <Typography.Text strong>{v}</Typography.Text>,
    },
    {
      title: t('registry.users.username'),
      dataIndex: 'username',
      render: (v: string) => <span data-testid="user-username">{v}</span>,
    },
    {
      title: t('registry.users.role'),
      dataIndex: 'role',
      render: (v: string) => (
        <Tag color="blue" variant="outlined">
          {labelOf(t, 'roles', v)}
        </Tag>
      ),
    },
    {
      title: t('registry.users.unit'),
      key: 'unit',
      render: (_, u) => (
        <Space size={4}>
          {u.unit.name}
          <Typography.Text type="secondary" className="og-small">
            {labelOf(t, 'unitKinds', u.unit.kind)}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('registry.common.phone'),
      dataIndex: 'phone',
      render: (v: string | null) => <span data-testid="user-phone">{dash(v)}</span>,
    },
    {
      title: t('registry.common.status'),
      dataIndex: 'active',
      render: (v: boolean) => <ActiveTag active={v} />,
    },
    {
      title: t('registry.edit.actions'),
      key: 'actions',
      fixed: 'right',
      render: (_, u) => <UserActions user={u} onDone={remote.reload} />,
    },
  ];
  return (
    <>
      <NewUserDrawer open={creating} onClose={() => setCreating(false)} onSaved={remote.reload} />
      <ListFrame
        testId="users-list"
        remote={remote}
        columns={columns}
        toolbar={<Toolbar onNew={() => setCreating(true)} reload={remote.reload} />}
        filters={
          <>
            <SearchBox value={q} onChange={setQ} placeholder={t('registry.users.searchPlaceholder')} />
            <Select
              allowClear
              style={{ minWidth: 160 }}
              placeholder={t('registry.users.role')}
              value={role}
              onChange={(v: string | undefined) => setRole(v)}
              options={ROLES.map((r) => ({ value: r, label: labelOf(t, 'roles', r) }))}
              data-testid="role-filter"
            />
            <Space size={6}>
              <Switch
                size="small"
                checked={includeInactive}
                onChange={setIncludeInactive}
                data-testid="include-inactive"
              />
              {t('registry.users.includeInactive')}
            </Space>
          </>
        }
      />
    </>
  );
}

// ---------------------------------------------------------------------------------------------------------

function usePartyFilters() {
  const [q, setQ] = useState('');
  const [active, setActive] = useState<ActiveFilter>('all');
  const [subdistrictId, setSubdistrictId] = useState<string | undefined>();
  const query = useDebounced(q);
  return { q, setQ, query, active, setActive, subdistrictId, setSubdistrictId };
}

/** 小区: compounds with their community, property company and owners' committee. */
export function CompoundsList() {
  const t = useT();
  const f = usePartyFilters();
  const remote = useRemote(
    (api, signal) =>
      fetchParties(
        api,
        'compounds',
        { q: f.query, active: f.active, subdistrictId: f.subdistrictId },
        signal,
      ),
    [f.query, f.active, f.subdistrictId],
  );
  const spec = useCompoundSpec();
  const editor = useEditor<Compound>();
  const columns: TableColumnsType<Compound> = [
    {
      title: t('registry.common.code'),
      dataIndex: 'code',
      render: (v: string) => <Typography.Text code>{v}</Typography.Text>,
    },
    {
      title: t('registry.common.name'),
      dataIndex: 'name',
      render: (v: string) => <Typography.Text strong>{v}</Typography.Text>,
    },
    { title: t('registry.compounds.community'), key: 'community', render: (_, c) => c.community.name },
    {
      title: t('registry.compounds.propertyCompany'),
      key: 'pc',
      render: (_, c) => dash(c.propertyCompany?.name),
    },
    { title: t('registry.compounds.ownersCommittee'), dataIndex: 'ownersCommittee', render: dash },
    { title: t('registry.common.address'), dataIndex: 'address', render: dash },
    {
      title: t('registry.common.location'),
      key: 'loc',
      render: (_, c) => (c.location ? formatLngLat([c.location.lng, c.location.lat]) : '—'),
    },
    {
      title: t('registry.common.status'),
      dataIndex: 'active',
      render: (v: boolean) => <ActiveTag active={v} />,
    },
    actionsColumn<Compound>(t, 'compounds', (r) => r.name, editor.edit, remote.reload),
  ];
  return (
    <>
      <EditorDrawer<Compound> spec={spec} editor={editor} reload={remote.reload} />
      <ListFrame
        testId="compounds-list"
        remote={remote}
        columns={columns}
        toolbar={<Toolbar onNew={editor.create} kind="compounds" reload={remote.reload} />}
        filters={
          <>
            <SearchBox
              value={f.q}
              onChange={f.setQ}
              placeholder={t('registry.compounds.searchPlaceholder')}
            />
            <SubdistrictSelect value={f.subdistrictId} onChange={f.setSubdistrictId} />
            <ActiveFilterSwitch value={f.active} onChange={f.setActive} />
          </>
        }
      />
    </>
  );
}

/** 物业公司: property companies, contact phones masked by the server. */
export function PropertyCompaniesList() {
  const t = useT();
  const f = usePartyFilters();
  const remote = useRemote(
    (api, signal) =>
      fetchParties(
        api,
        'property-companies',
        { q: f.query, active: f.active, subdistrictId: f.subdistrictId },
        signal,
      ),
    [f.query, f.active, f.subdistrictId],
  );
  const spec = useCompanySpec();
  const editor = useEditor<PropertyCompany>();
  const columns: TableColumnsType<PropertyCompany> = [
    {
      title: t('registry.common.name'),
      dataIndex: 'name',
      render: (v: string) => <Typography.Text strong>{v}</Typography.Text>,
    },
    {
      title: t('registry.companies.creditCode'),
      dataIndex: 'creditCode',
      render: (v: string) => <Typography.Text code>{v}</Typography.Text>,
    },
    { title: t('registry.companies.parentUnit'), key: 'parent', render: (_, c) => c.parentUnit.name },
    { title: t('registry.companies.contactName'), dataIndex: 'contactName', render: dash },
    {
      title: t('registry.common.phone'),
      dataIndex: 'contactPhone',
      render: (v: string | null) => <span data-testid="company-phone">{dash(v)}</span>,
    },
    { title: t('registry.common.address'), dataIndex: 'address', render: dash },
    {
      title: t('registry.common.status'),
      dataIndex: 'active',
      render: (v: boolean) => <ActiveTag active={v} />,
    },
    actionsColumn<PropertyCompany>(t, 'property-companies', (r) => r.name, editor.edit, remote.reload),
  ];
  return (
    <>
      <EditorDrawer<PropertyCompany> spec={spec} editor={editor} reload={remote.reload} />
      <ListFrame
        testId="property-companies-list"
        remote={remote}
        columns={columns}
        toolbar={<Toolbar onNew={editor.create} kind="property-companies" reload={remote.reload} />}
        filters={
          <>
            <SearchBox
              value={f.q}
              onChange={f.setQ}
              placeholder={t('registry.companies.searchPlaceholder')}
            />
            <SubdistrictSelect value={f.subdistrictId} onChange={f.setSubdistrictId} />
            <ActiveFilterSwitch value={f.active} onChange={f.setActive} />
          </>
        }
      />
    </>
  );
}

/** 职能部门: partner departments; a row opens to its liaison persons. */
export function DepartmentsList() {
  const t = useT();
  const { locale } = useLocale();
  const f = usePartyFilters();
  const [kind, setKind] = useState<string | undefined>();
  const remote = useRemote(
    (api, signal) => fetchParties(api, 'departments', { q: f.query, active: f.active, kind }, signal),
    [f.query, f.active, kind],
  );
  const spec = useDepartmentSpec();
  const editor = useEditor<Department>();
  const columns: TableColumnsType<Department> = [
    {
      title: t('registry.common.code'),
      dataIndex: 'code',
      render: (v: string) => <Typography.Text code>{v}</Typography.Text>,
    },
    {
      title: t('registry.common.name'),
      key: 'name',
      render: (_, d) => <Typography.Text strong>{localName(d, locale)}</Typography.Text>,
    },
    {
      title: t('registry.departments.kind'),
      dataIndex: 'kind',
      render: (v: string) => <Tag>{labelOf(t, 'registry.departmentKinds', v)}</Tag>,
    },
    {
      title: t('registry.common.status'),
      dataIndex: 'active',
      render: (v: boolean) => <ActiveTag active={v} />,
    },
    actionsColumn<Department>(t, 'departments', (r) => localName(r, locale), editor.edit, remote.reload),
  ];
  return (
    <>
      <EditorDrawer<Department> spec={spec} editor={editor} reload={remote.reload} />
      <ListFrame
        testId="departments-list"
        remote={remote}
        columns={columns}
        toolbar={<Toolbar onNew={editor.create} kind="departments" reload={remote.reload} />}
        expandable={{ expandedRowRender: (d) => <LiaisonsTable departmentId={d.id} /> }}
        filters={
          <>
            <SearchBox
              value={f.q}
              onChange={f.setQ}
              placeholder={t('registry.departments.searchPlaceholder')}
            />
            <Select
              allowClear
              style={{ minWidth: 160 }}
              placeholder={t('registry.departments.kind')}
              value={kind}
              onChange={(v: string | undefined) => setKind(v)}
              options={DEPARTMENT_KINDS.map((k) => ({
                value: k,
                label: labelOf(t, 'registry.departmentKinds', k),
              }))}
              data-testid="department-kind-filter"
            />
            <ActiveFilterSwitch value={f.active} onChange={f.setActive} />
          </>
        }
      />
    </>
  );
}

function LiaisonsTable({ departmentId }: { departmentId: string }) {
  const t = useT();
  const remote = useRemote((api, signal) => fetchLiaisons(api, departmentId, signal), [departmentId]);
  const spec = useLiaisonSpec(departmentId);
  const editor = useEditor<Liaison>();
  const columns: TableColumnsType<Liaison> = [
    { title: t('registry.departments.liaison'), dataIndex: 'name' },
    { title: t('registry.departments.liaisonTitle'), dataIndex: 'title', render: dash },
    { title: t('registry.common.phone'), dataIndex: 'phone', render: dash },
    {
      title: t('registry.departments.hasAccount'),
      dataIndex: 'userId',
      render: (v: string | null) => (v ? t('registry.common.yes') : t('registry.common.no')),
    },
    {
      title: t('registry.common.status'),
      dataIndex: 'active',
      render: (v: boolean) => <ActiveTag active={v} />,
    },
    actionsColumn<Liaison>(t, 'liaisons', (r) => r.name, editor.edit, remote.reload),
  ];
  if (remote.error) return <ApiErrorAlert error={remote.error} />;
  return (
    <div data-testid="liaisons">
      <EditorDrawer<Liaison> spec={spec} editor={editor} reload={remote.reload} />
      <Button size="small" onClick={editor.create} data-testid="liaison-new" style={{ marginBottom: 8 }}>
        {t('registry.edit.newLiaison')}
      </Button>
      <Table<Liaison>
        size="small"
        rowKey="id"
        loading={remote.loading}
        dataSource={remote.data ?? []}
        columns={columns}
        rowClassName={rowClass}
        pagination={false}
        locale={{ emptyText: t('registry.departments.noLiaisons') }}
        data-testid="liaisons-table"
      />
    </div>
  );
}

/** 商户: shops along the streets, by subdistrict. */
export function MerchantsList() {
  const t = useT();
  const f = usePartyFilters();
  const remote = useRemote(
    (api, signal) =>
      fetchParties(
        api,
        'merchants',
        { q: f.query, active: f.active, subdistrictId: f.subdistrictId },
        signal,
      ),
    [f.query, f.active, f.subdistrictId],
  );
  const spec = useMerchantSpec();
  const editor = useEditor<Merchant>();
  const columns: TableColumnsType<Merchant> = [
    {
      title: t('registry.common.name'),
      dataIndex: 'name',
      render: (v: string) => <Typography.Text strong>{v}</Typography.Text>,
    },
    { title: t('registry.merchants.business'), dataIndex: 'business', render: dash },
    { title: t('registry.common.subdistrict'), key: 'sub', render: (_, m) => m.subdistrict.name },
    { title: t('registry.common.address'), dataIndex: 'address', render: dash },
    {
      title: t('registry.common.location'),
      key: 'loc',
      render: (_, m) => (m.location ? formatLngLat([m.location.lng, m.location.lat]) : '—'),
    },
    {
      title: t('registry.common.status'),
      dataIndex: 'active',
      render: (v: boolean) => <ActiveTag active={v} />,
    },
    actionsColumn<Merchant>(t, 'merchants', (r) => r.name, editor.edit, remote.reload),
  ];
  return (
    <>
      <EditorDrawer<Merchant> spec={spec} editor={editor} reload={remote.reload} />
      <ListFrame
        testId="merchants-list"
        remote={remote}
        columns={columns}
        toolbar={<Toolbar onNew={editor.create} kind="merchants" reload={remote.reload} />}
        filters={
          <>
            <SearchBox
              value={f.q}
              onChange={f.setQ}
              placeholder={t('registry.merchants.searchPlaceholder')}
            />
            <SubdistrictSelect value={f.subdistrictId} onChange={f.setSubdistrictId} />
            <ActiveFilterSwitch value={f.active} onChange={f.setActive} />
          </>
        }
      />
    </>
  );
}
