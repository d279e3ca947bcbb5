// The forms that write the registry: one drawer per kind of record (new and edit share it), the
// deactivate / reactivate button, and the pickers the forms use. The server's answer is the authority: a
// refused field shows the server's own message at that field; a stale version reloads the record.
import { Alert, App, Button, Drawer, Form, Input, InputNumber, Popconfirm, Select, Space } from 'antd';
import type { FormInstance } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import type { ApiClient } from '../../api/client';
import { useSession } from '../../auth/session-context';
import { useLocale, useT } from '../../i18n/i18n';
import { describeError } from '../../shell/describe-error';
import {
  DEPARTMENT_KINDS,
  fetchOrgUnits,
  fetchParties,
  type Compound,
  type Department,
  type Liaison,
  type Merchant,
  type PropertyCompany,
} from './registry-api';
import { labelOf, localName } from './registry-format';
import { ApiErrorAlert } from './registry-widgets';
import {
  fieldErrorsOf,
  setRecordActive,
  staleRecord,
  updateRecord,
  type WritablePath,
} from './registry-write';
import { useRemote } from './use-remote';

export type Values = Record<string, unknown>;

/** How one kind of record becomes form values and a request body. */
export interface FormSpec<R> {
  /** The registry list an edit is PATCHed to; null when `update` says where instead. */
  path: WritablePath | null;
  /** An edit's own request, for records outside /api/registry (the org units). */
  update?: (api: ApiClient, id: string, body: Values, version: number) => Promise<unknown>;
  /** Where a new record is POSTed. */
  createPath: string;
  fieldNames: readonly string[];
  toValues: (r: R | null) => Values;
  toBody: (v: Values) => Values;
  fields: ReactNode;
  titleNew: string;
  titleEdit: string;
}

const str = (v: unknown): string | null => {
  if (typeof v !== 'string') return null;
  const s = v.trim();
  return s === '' ? null : s;
};
const locationOf = (v: Values) =>
  typeof v.lng === 'number' && typeof v.lat === 'number' ? { lng: v.lng, lat: v.lat } : null;

/** The body of an edit: only what changed since the record was read (masked phones are never sent back). */
function changed(body: Values, before: Values): Values {
  const out: Values = {};
  for (const [k, v] of Object.entries(body)) {
    if (JSON.stringify(v ?? null) !== JSON.stringify(before[k] ?? null)) out[k] = v;
  }
  return out;
}

/** A new record's body: absent instead of empty. */
const withoutEmpty = (body: Values): Values =>
  Object.fromEntries(Object.entries(body).filter(([, v]) => v !== null && v !== undefined));

function placeErrors(form: FormInstance, names: readonly string[], error: unknown): boolean {
  const errors = fieldErrorsOf(error, names);
  if (errors.length === 0) return false;
  const byField = new Map<string, string[]>();
  for (const e of errors) byField.set(e.field, [...(byField.get(e.field) ?? []), e.message]);
  form.setFields([...byField].map(([name, messages]) => ({ name, errors: messages })));
  return true;
}

/** New (record null) or edit (record given) in a drawer; calls onSaved after the server accepted it. */
export function RecordDrawer<R extends { id: string; version: number }>({
  spec,
  record,
  open,
  onClose,
  onSaved,
}: {
  spec: FormSpec<R>;
  record: R | null;
  open: boolean;
  onClose: () => void;
  onSaved: () => void;
}) {
  const t = useT();
  const { api } = useSession();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [baseline, setBaseline] = useState<R | null>(record);
  const [error, setError] = useState<unknown>(null);
  const [stale, setStale] = useState(false);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!open) return;
    setBaseline(record);
    setError(null);
    setStale(false);
    form.resetFields();
    form.setFieldsValue(spec.toValues(record));
    // Reset only when the drawer opens on another record.
  }, [open, record]);

  const submit = async (values: Values) => {
    setSaving(true);
    setError(null);
    try {
      const body = spec.toBody(values);
      if (baseline) {
        const delta = changed(body, spec.toBody(spec.toValues(baseline)));
        if (spec.update) await spec.update(api, baseline.id, delta, baseline.version);
        else if (spec.path) await updateRecord(api, spec.path, baseline.id, delta, baseline.version);
      } else {
        await api.post(spec.createPath, withoutEmpty(body));
      }
      void message.success(t('registry.edit.saved'));
      setStale(false);
      onSaved();
      onClose();
    } catch (e) {
      const conflict = staleRecord<R>(e);
      if (conflict) {
        setStale(true);
        if (conflict.current) {
          setBaseline(conflict.current);
          form.setFieldsValue(spec.toValues(conflict.current));
        }
        onSaved();
      } else if (!placeErrors(form, spec.fieldNames, e)) {
        setError(e);
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={520}
      destroyOnHidden
      title={baseline ? spec.titleEdit : spec.titleNew}
      data-testid="record-drawer"
      extra={
        <Space>
          <Button onClick={onClose} data-testid="form-cancel">
            {t('registry.edit.cancel')}
          </Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="form-submit">
            {t('registry.edit.save')}
          </Button>
        </Space>
      }
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        {stale ? (
          <Alert
            type="warning"
            showIcon
            data-testid="stale-alert"
            title={t('registry.edit.stale')}
            description={t('registry.edit.staleHint')}
          />
        ) : null}
        {error ? <ApiErrorAlert error={error} testId="form-error" /> : null}
        <Form<Values>
          form={form}
          layout="vertical"
          onFinish={(v) => void submit(v)}
          data-testid="record-form"
          autoComplete="off"
        >
          {spec.fields}
        </Form>
      </Space>
    </Drawer>
  );
}

// ---------------------------------------------------------------------------------------------------------
// Pickers
// ---------------------------------------------------------------------------------------------------------

/** An org unit of the given kinds in the caller's scope (the current value stays shown if it is another). */
export function UnitPicker({
  kinds,
  value,
  onChange,
  testId,
  allowClear,
}: {
  kinds?: readonly string[];
  value?: string;
  onChange?: (v: string | undefined) => void;
  testId: string;
  allowClear?: boolean;
}) {
  const t = useT();
  const { locale } = useLocale();
  const units = useRemote((api, signal) => fetchOrgUnits(api, signal), []);
  const options = (units.data ?? [])
    .filter((u) => u.active || u.id === value)
    .filter((u) => !kinds || kinds.includes(u.kind) || u.id === value)
    .map((u) => ({
      value: u.id,
      label:
        kinds && kinds.length === 1
          ? localName(u, locale)
          : `${localName(u, locale)} · ${labelOf(t, 'unitKinds', u.kind)}`,
    }));
  return (
    <Select
      showSearch={{ optionFilterProp: 'label' }}
      allowClear={allowClear}
      loading={units.loading}
      value={value}
      onChange={(v: string | undefined) => onChange?.(v)}
      options={options}
      placeholder={t('registry.edit.choose')}
      data-testid={testId}
    />
  );
}

/** An active property company. */
export function CompanyPicker({
  value,
  onChange,
}: {
  value?: string;
  onChange?: (v: string | undefined) => void;
}) {
  const t = useT();
  const companies = useRemote(
    (api, signal) => fetchParties(api, 'property-companies', { active: 'all' }, signal),
    [],
  );
  return (
    <Select
      showSearch={{ optionFilterProp: 'label' }}
      allowClear
      loading={companies.loading}
      value={value}
      onChange={(v: string | undefined) => onChange?.(v ?? undefined)}
      options={(companies.data ?? [])
        .filter((c) => c.active || c.id === value)
        .map((c) => ({ value: c.id, label: c.name }))}
      placeholder={t('registry.edit.choose')}
      data-testid="field-propertyCompanyId"
    />
  );
}

// ---------------------------------------------------------------------------------------------------------
// Fields
// ---------------------------------------------------------------------------------------------------------

const RECORD_CODE = /^[0-9A-Za-z][0-9A-Za-z_.-]{0,39}$/;

function LocationFields() {
  const t = useT();
  return (
    <Space.Compact block>
      <Form.Item
        name="lng"
        label={t('registry.edit.lng')}
        style={{ width: '50%' }}
        dependencies={['lat']}
        rules={[
          { type: 'number', min: -180, max: 180, message: t('registry.edit.lngRange') },
          ({ getFieldValue }) => ({
            validator: (_, v: unknown) =>
              (v == null) === (getFieldValue('lat') == null)
                ? Promise.resolve()
                : Promise.reject(new Error(t('registry.edit.bothCoordinates'))),
          }),
        ]}
      >
        <InputNumber style={{ width: '100%' }} step={0.000001} placeholder="121.38" data-testid="field-lng" />
      </Form.Item>
      <Form.Item
        name="lat"
        label={t('registry.edit.lat')}
        style={{ width: '50%' }}
        rules={[{ type: 'number', min: -90, max: 90, message: t('registry.edit.latRange') }]}
      >
        <InputNumber style={{ width: '100%' }} step={0.000001} placeholder="31.11" data-testid="field-lat" />
      </Form.Item>
    </Space.Compact>
  );
}

export function TextField({
  name,
  label,
  required,
  max,
  extraRules,
  placeholder,
}: {
  name: string;
  label: string;
  required?: boolean;
  max: number;
  extraRules?: Array<{ pattern?: RegExp; len?: number; message: string }>;
  placeholder?: string;
}) {
  const t = useT();
  return (
    <Form.Item
      name={name}
      label={label}
      rules={[
        ...(required
          ? [{ required: true, whitespace: true, message: t('registry.edit.required', { field: label }) }]
          : []),
        { max, message: t('registry.edit.tooLong', { max }) },
        ...(extraRules ?? []),
      ]}
    >
      <Input data-testid={`field-${name}`} placeholder={placeholder} />
    </Form.Item>
  );
}

// ---------------------------------------------------------------------------------------------------------
// The specs, one per kind
// ---------------------------------------------------------------------------------------------------------

export function useCompoundSpec(): FormSpec<Compound> {
  const t = useT();
  return {
    path: 'compounds',
    createPath: '/api/registry/compounds',
    fieldNames: [
      'code',
      'name',
      'communityId',
      'propertyCompanyId',
      'ownersCommittee',
      'address',
      'lng',
      'lat',
    ],
    titleNew: t('registry.edit.newCompound'),
    titleEdit: t('registry.edit.editCompound'),
    toValues: (r) => ({
      code: r?.code,
      name: r?.name,
      communityId: r?.community.id,
      propertyCompanyId: r?.propertyCompany?.id,
      ownersCommittee: r?.ownersCommittee ?? undefined,
      address: r?.address ?? undefined,
      lng: r?.location?.lng,
      lat: r?.location?.lat,
    }),
    toBody: (v) => ({
      code: str(v.code),
      name: str(v.name),
      communityId: str(v.communityId),
      propertyCompanyId: str(v.propertyCompanyId),
      ownersCommittee: str(v.ownersCommittee),
      address: str(v.address),
      location: locationOf(v),
    }),
    fields: (
      <>
        <TextField
          name="code"
          label={t('registry.common.code')}
          required
          max={40}
          extraRules={[{ pattern: RECORD_CODE, message: t('registry.edit.codeRule') }]}
        />
        <TextField name="name" label={t('registry.common.name')} required max={200} />
        <Form.Item
          name="communityId"
          label={t('registry.compounds.community')}
          rules={[
            {
              required: true,
              message: t('registry.edit.required', { field: t('registry.compounds.community') }),
            },
          ]}
        >
          <UnitPicker kinds={['community']} testId="field-communityId" />
        </Form.Item>
        <Form.Item name="propertyCompanyId" label={t('registry.compounds.propertyCompany')}>
          <CompanyPicker />
        </Form.Item>
        <TextField name="ownersCommittee" label={t('registry.compounds.ownersCommittee')} max={200} />
        <TextField name="address" label={t('registry.common.address')} max={500} />
        <LocationFields />
      </>
    ),
  };
}

export function useCompanySpec(): FormSpec<PropertyCompany> {
  const t = useT();
  return {
    path: 'property-companies',
    createPath: '/api/registry/property-companies',
    fieldNames: ['name', 'creditCode', 'subdistrictId', 'contactName', 'contactPhone', 'address'],
    titleNew: t('registry.edit.newCompany'),
    titleEdit: t('registry.edit.editCompany'),
    toValues: (r) => ({
      name: r?.name,
      creditCode: r?.creditCode,
      subdistrictId: r?.parentUnit.id,
      contactName: r?.contactName ?? undefined,
      contactPhone: r?.contactPhone ?? undefined,
      address: r?.address ?? undefined,
    }),
    toBody: (v) => ({
      name: str(v.name),
      creditCode: str(v.creditCode)?.toUpperCase() ?? null,
      subdistrictId: str(v.subdistrictId),
      contactName: str(v.contactName),
      contactPhone: str(v.contactPhone),
      address: str(v.address),
    }),
    fields: (
      <>
        <TextField name="name" label={t('registry.common.name')} required max={200} />
        <TextField
          name="creditCode"
          label={t('registry.companies.creditCode')}
          required
          max={30}
          placeholder="91310112MA1GB2C3XX"
          extraRules={[{ len: 18, message: t('registry.edit.creditCodeLength') }]}
        />
        <Form.Item
          name="subdistrictId"
          label={t('registry.common.subdistrict')}
          extra={t('registry.edit.subdistrictHint')}
        >
          <UnitPicker kinds={['subdistrict']} testId="field-subdistrictId" allowClear />
        </Form.Item>
        <TextField name="contactName" label={t('registry.companies.contactName')} max={100} />
        <TextField name="contactPhone" label={t('registry.common.phone')} max={30} />
        <TextField name="address" label={t('registry.common.address')} max={500} />
      </>
    ),
  };
}

export function useDepartmentSpec(): FormSpec<Department> {
  const t = useT();
  return {
    path: 'departments',
    createPath: '/api/registry/departments',
    fieldNames: ['code', 'kind', 'name', 'nameEn'],
    titleNew: t('registry.edit.newDepartment'),
    titleEdit: t('registry.edit.editDepartment'),
    toValues: (r) => ({ code: r?.code, kind: r?.kind, name: r?.name, nameEn: r?.nameEn ?? undefined }),
    toBody: (v) => ({ code: str(v.code), kind: str(v.kind), name: str(v.name), nameEn: str(v.nameEn) }),
    fields: (
      <>
        <TextField
          name="code"
          label={t('registry.common.code')}
          required
          max={40}
          extraRules={[{ pattern: RECORD_CODE, message: t('registry.edit.codeRule') }]}
        />
        <Form.Item
          name="kind"
          label={t('registry.departments.kind')}
          rules={[
            {
              required: true,
              message: t('registry.edit.required', { field: t('registry.departments.kind') }),
            },
          ]}
        >
          <Select
            data-testid="field-kind"
            placeholder={t('registry.edit.choose')}
            options={DEPARTMENT_KINDS.map((k) => ({
              value: k,
              label: labelOf(t, 'registry.departmentKinds', k),
            }))}
          />
        </Form.Item>
        <TextField name="name" label={t('registry.common.name')} required max={200} />
        <TextField name="nameEn" label={t('registry.org.nameEn')} max={200} />
      </>
    ),
  };
}

export function useMerchantSpec(): FormSpec<Merchant> {
  const t = useT();
  return {
    path: 'merchants',
    createPath: '/api/registry/merchants',
    fieldNames: ['name', 'subdistrictId', 'business', 'address', 'lng', 'lat'],
    titleNew: t('registry.edit.newMerchant'),
    titleEdit: t('registry.edit.editMerchant'),
    toValues: (r) => ({
      name: r?.name,
      subdistrictId: r?.subdistrict.id,
      business: r?.business ?? undefined,
      address: r?.address ?? undefined,
      lng: r?.location?.lng,
      lat: r?.location?.lat,
    }),
    toBody: (v) => ({
      name: str(v.name),
      subdistrictId: str(v.subdistrictId),
      business: str(v.business),
      address: str(v.address),
      location: locationOf(v),
    }),
    fields: (
      <>
        <TextField name="name" label={t('registry.common.name')} required max={200} />
        <Form.Item
          name="subdistrictId"
          label={t('registry.common.subdistrict')}
          rules={[
            {
              required: true,
              message: t('registry.edit.required', { field: t('registry.common.subdistrict') }),
            },
          ]}
        >
          <UnitPicker kinds={['subdistrict']} testId="field-subdistrictId" />
        </Form.Item>
        <TextField name="business" label={t('registry.merchants.business')} max={200} />
        <TextField name="address" label={t('registry.common.address')} max={500} />
        <LocationFields />
      </>
    ),
  };
}

export function useLiaisonSpec(departmentId: string): FormSpec<Liaison> {
  const t = useT();
  return {
    path: 'liaisons',
    createPath: `/api/registry/departments/${encodeURIComponent(departmentId)}/liaisons`,
    fieldNames: ['name', 'title', 'phone'],
    titleNew: t('registry.edit.newLiaison'),
    titleEdit: t('registry.edit.editLiaison'),
    toValues: (r) => ({ name: r?.name, title: r?.title ?? undefined, phone: r?.phone ?? undefined }),
    toBody: (v) => ({ name: str(v.name), title: str(v.title), phone: str(v.phone) }),
    fields: (
      <>
        <TextField name="name" label={t('registry.departments.liaison')} required max={100} />
        <TextField name="title" label={t('registry.departments.liaisonTitle')} max={100} />
        <TextField name="phone" label={t('registry.common.phone')} max={30} />
      </>
    ),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Row actions
// ---------------------------------------------------------------------------------------------------------

/** 停用 / 启用 with a confirmation; the list reloads after the server accepted it. */
export function ActiveToggle({
  path,
  record,
  name,
  onDone,
}: {
  path: WritablePath;
  record: { id: string; active: boolean; version: number };
  name: string;
  onDone: () => void;
}) {
  const t = useT();
  const { api } = useSession();
  const { message } = App.useApp();
  const turnOn = !record.active;
  return (
    <Popconfirm
      title={
        turnOn
          ? t('registry.edit.confirmReactivate', { name })
          : t('registry.edit.confirmDeactivate', { name })
      }
      okText={t('registry.edit.ok')}
      cancelText={t('registry.edit.cancel')}
      okButtonProps={{ 'data-testid': 'confirm-ok' } as Record<string, string>}
      onConfirm={async () => {
        try {
          await setRecordActive(api, path, record.id, turnOn, record.version);
          void message.success(turnOn ? t('registry.edit.reactivated') : t('registry.edit.deactivated'));
        } catch (e) {
          void message.error(staleRecord(e) ? t('registry.edit.stale') : describeError(t, e));
        }
        onDone();
      }}
    >
      <Button
        size="small"
        type="link"
        danger={!turnOn}
        data-testid={turnOn ? 'row-reactivate' : 'row-deactivate'}
      >
        {turnOn ? t('registry.edit.reactivate') : t('registry.edit.deactivate')}
      </Button>
    </Popconfirm>
  );
}
