import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Drawer,
  Input,
  InputNumber,
  Radio,
  Select,
  Space,
  Typography,
} from 'antd';
import { useMemo, useState, type ReactNode } from 'react';
import { isApiError } from '../../api/client';
import { useSession } from '../../auth/session-context';
import { useLocale, useT } from '../../i18n/i18n';
import { describeError } from '../../shell/describe-error';
import { fieldOfError, nameOf } from '../intake/intake-format';
import type { CategoryOption } from '../intake/intake-api';
import { DEPARTMENT_KINDS } from '../registry/registry-api';
import { UnitPicker } from '../registry/registry-forms';
import { labelOf, layerTitle, localName } from '../registry/registry-format';
import {
  createRule,
  DEFAULT_RULE_PRIORITY,
  emptyRuleForm,
  emptyTarget,
  formOfRule,
  patchOf,
  ruleInputOf,
  updateRule,
  type FormProblems,
  type ResponsibilityRule,
  type RuleForm,
  type TargetForm,
  type TargetKind,
} from './routing-api';
import type { RuleNames } from './rules-page';

/** Units whose area a rule may be limited to (src/routing/rules.service.ts AREA_UNIT_KINDS). */
const AREA_UNIT_KINDS = ['bureau', 'subdistrict', 'sector', 'workstation', 'community'];
/** Units a rule may name as lead or assisting: those that handle matters (not property companies). */
const TARGET_UNIT_KINDS = [
  'bureau',
  'subdistrict',
  'squad',
  'sector',
  'workstation',
  'community',
  'department',
];

function Field({
  label,
  problem,
  children,
  testId,
}: {
  label: string;
  problem?: string | undefined;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <div data-testid={testId}>
      <div className="og-field-label">{label}</div>
      {children}
      {problem ? (
        <Typography.Text type="danger" className="og-small" data-testid="field-problem">
          {problem}
        </Typography.Text>
      ) : null}
    </div>
  );
}

/**
 * The drawer that creates or edits one responsibility rule: the category (or major class, or any), the
 * area, the lead and assisting units, priority and note. Missing choices are named at their field before
 * anything is sent; the server's refusals are shown at the field they name.
 */
export function RuleEditor({
  rule,
  names,
  categoryOptions,
  onClose,
  onSaved,
}: {
  /** null: a new rule. */
  rule: ResponsibilityRule | null;
  names: RuleNames;
  categoryOptions: readonly CategoryOption[];
  onClose: () => void;
  onSaved: (created: boolean) => void;
}) {
  const t = useT();
  const { locale } = useLocale();
  const { api } = useSession();
  const [form, setForm] = useState<RuleForm>(() => (rule ? formOfRule(rule) : emptyRuleForm()));
  // Missing choices are shown once a save was tried, and then follow the form as it is filled in.
  const [tried, setTried] = useState(false);
  const [serverField, setServerField] = useState<{ field: string | null; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const isDefault = rule !== null && rule.priority < 0;
  const problems: FormProblems = tried
    ? (ruleInputOf(form, { allowDefaultPriority: isDefault }).problems ?? {})
    : {};

  const set = (patch: Partial<RuleForm>) => setForm((f) => ({ ...f, ...patch }));
  const problemAt = (field: string): string | undefined => {
    const p = problems[field];
    if (p === 'required') return t('intake.rules.required');
    if (p === 'priorityRange')
      return t('intake.rules.priorityRange', { min: isDefault ? DEFAULT_RULE_PRIORITY : 0 });
    return serverField && serverField.field === field ? serverField.text : undefined;
  };

  const categorySelect = useMemo(
    () =>
      categoryOptions.map((c) => ({
        value: c.key,
        label: `${nameOf(c, locale) ?? c.key} (${c.key})`,
        search: `${c.name} ${c.nameEn ?? ''} ${c.majorName ?? ''} ${c.key}`.toLowerCase(),
      })),
    [categoryOptions, locale],
  );
  const majorSelect = useMemo(
    () =>
      names.majors.map((m) => ({
        value: `${m.kind}:${m.code}`,
        label: `${localName(m, locale)} (${m.kind}:${m.code})`,
      })),
    [names.majors, locale],
  );
  const layerSelect = useMemo(
    () => names.layers.map((l) => ({ value: l.name, label: layerTitle(l, locale) })),
    [names.layers, locale],
  );

  const save = async () => {
    setServerField(null);
    setTried(true);
    const r = ruleInputOf(form, { allowDefaultPriority: isDefault });
    if (r.problems) return;
    setSaving(true);
    try {
      if (rule) await updateRule(api, rule.id, rule.version, patchOf(rule, r.input));
      else await createRule(api, r.input);
      onSaved(rule === null);
    } catch (e) {
      setServerField({ field: isApiError(e) ? fieldOfError(e.details) : null, text: describeError(t, e) });
    } finally {
      setSaving(false);
    }
  };

  const targetEditor = (value: TargetForm, field: string, onChange: (next: TargetForm) => void) => (
    <Space orientation="vertical" style={{ width: '100%' }} size={6} data-testid={`target-${field}`}>
      <Radio.Group
        optionType="button"
        size="small"
        value={value.kind}
        onChange={(e) => onChange({ ...value, kind: e.target.value as TargetKind })}
        options={(['departmentKind', 'fixedUnitId', 'fromLayer'] as const).map((k) => ({
          value: k,
          label: t(`intake.rules.targetKinds.${k}`),
        }))}
      />
      {value.kind === 'departmentKind' ? (
        <Select
          showSearch={{ optionFilterProp: 'label' }}
          style={{ width: '100%' }}
          value={value.departmentKind}
          onChange={(v: string) => onChange({ ...value, departmentKind: v })}
          options={DEPARTMENT_KINDS.map((k) => ({
            value: k,
            label: labelOf(t, 'registry.departmentKinds', k),
          }))}
          placeholder={t('registry.edit.choose')}
          status={problemAt(`${field}.departmentKind`) ? 'error' : undefined}
          data-testid={`${field}-department`}
        />
      ) : value.kind === 'fixedUnitId' ? (
        <div className="og-full-select">
          <UnitPicker
            kinds={TARGET_UNIT_KINDS}
            value={value.unitId ?? undefined}
            onChange={(v) => onChange({ ...value, unitId: v ?? null })}
            testId={`${field}-unit`}
          />
        </div>
      ) : (
        <Space wrap>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            style={{ minWidth: 200 }}
            value={value.layer}
            onChange={(v: string) => onChange({ ...value, layer: v })}
            options={layerSelect}
            placeholder={t('intake.rules.layer')}
            status={problemAt(`${field}.fromLayer`) ? 'error' : undefined}
            data-testid={`${field}-layer`}
          />
          <Checkbox
            checked={value.asSquad}
            onChange={(e) => onChange({ ...value, asSquad: e.target.checked })}
          >
            {t('intake.rules.asSquad')}
          </Checkbox>
        </Space>
      )}
      {[`${field}.departmentKind`, `${field}.fixedUnitId`, `${field}.fromLayer`, field].map((f) => {
        const p = problemAt(f);
        return p ? (
          <Typography.Text key={f} type="danger" className="og-small" data-testid="field-problem">
            {p}
          </Typography.Text>
        ) : null;
      })}
    </Space>
  );

  return (
    <Drawer
      open
      onClose={onClose}
      size={560}
      destroyOnHidden
      title={rule ? t('intake.rules.editTitle') : t('intake.rules.createTitle')}
      data-testid="rule-drawer"
      extra={
        <Space>
          <Button onClick={onClose} data-testid="rule-cancel">
            {t('registry.edit.cancel')}
          </Button>
          <Button type="primary" loading={saving} onClick={() => void save()} data-testid="rule-save">
            {t('registry.edit.save')}
          </Button>
        </Space>
      }
    >
      <Space orientation="vertical" style={{ width: '100%' }} size={14}>
        {serverField && (serverField.field === null || !problemAt(serverField.field)) ? (
          <Alert type="error" showIcon title={serverField.text} data-testid="rule-error" />
        ) : null}
        <Field label={t('intake.rules.what')} problem={problemAt('categoryKey') ?? problemAt('majorCode')}>
          <Space orientation="vertical" style={{ width: '100%' }} size={6}>
            <Radio.Group
              optionType="button"
              size="small"
              value={form.what}
              onChange={(e) => set({ what: e.target.value as RuleForm['what'] })}
              options={(['category', 'major', 'any'] as const).map((k) => ({
                value: k,
                label: t(`intake.rules.whatKinds.${k}`),
              }))}
              data-testid="rule-what-kind"
            />
            {form.what === 'category' ? (
              <Select
                showSearch={{
                  filterOption: (input, o) => (o?.search ?? '').includes(input.trim().toLowerCase()),
                }}
                style={{ width: '100%' }}
                value={form.categoryKey}
                onChange={(v: string) => set({ categoryKey: v })}
                options={categorySelect}
                placeholder={t('registry.edit.choose')}
                status={problemAt('categoryKey') ? 'error' : undefined}
                data-testid="rule-category"
              />
            ) : form.what === 'major' ? (
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                style={{ width: '100%' }}
                value={form.majorCode}
                onChange={(v: string) => set({ majorCode: v })}
                options={majorSelect}
                placeholder={t('registry.edit.choose')}
                status={problemAt('majorCode') ? 'error' : undefined}
                data-testid="rule-major"
              />
            ) : null}
          </Space>
        </Field>

        <Field
          label={t('intake.rules.area')}
          problem={
            problemAt('area') ?? problemAt('area.unitId') ?? problemAt('area.layer') ?? problemAt('area.code')
          }
        >
          <Space orientation="vertical" style={{ width: '100%' }} size={6}>
            <Radio.Group
              optionType="button"
              size="small"
              value={form.areaKind}
              onChange={(e) => set({ areaKind: e.target.value as RuleForm['areaKind'] })}
              options={(['everywhere', 'unit', 'cell'] as const).map((k) => ({
                value: k,
                label: t(`intake.rules.areaKinds.${k}`),
              }))}
              data-testid="rule-area-kind"
            />
            {form.areaKind === 'unit' ? (
              <div className="og-full-select">
                <UnitPicker
                  kinds={AREA_UNIT_KINDS}
                  value={form.areaUnitId ?? undefined}
                  onChange={(v) => set({ areaUnitId: v ?? null })}
                  testId="rule-area-unit"
                />
              </div>
            ) : form.areaKind === 'cell' ? (
              <Space wrap>
                <Select
                  showSearch={{ optionFilterProp: 'label' }}
                  style={{ minWidth: 200 }}
                  value={form.areaLayer}
                  onChange={(v: string) => set({ areaLayer: v })}
                  options={layerSelect}
                  placeholder={t('intake.rules.layer')}
                  data-testid="rule-area-layer"
                />
                <Input
                  style={{ width: 200 }}
                  value={form.areaCode}
                  onChange={(e) => set({ areaCode: e.target.value })}
                  placeholder={t('intake.rules.cellCode')}
                  maxLength={60}
                  data-testid="rule-area-code"
                />
              </Space>
            ) : null}
          </Space>
        </Field>

        <Field label={t('intake.rules.lead')}>
          {targetEditor(form.lead, 'lead', (lead) => set({ lead }))}
        </Field>

        <Field label={t('intake.rules.assisting')}>
          <Space orientation="vertical" style={{ width: '100%' }} size={8}>
            {form.assisting.map((a, i) => (
              <Card
                key={i}
                size="small"
                extra={
                  <Button
                    size="small"
                    type="text"
                    icon={<DeleteOutlined />}
                    aria-label={t('intake.rules.removeAssisting')}
                    onClick={() => set({ assisting: form.assisting.filter((_, j) => j !== i) })}
                  />
                }
                title={`${t('intake.rules.assisting')} ${i + 1}`}
              >
                {targetEditor(a, `assisting.${i}`, (next) =>
                  set({ assisting: form.assisting.map((x, j) => (j === i ? next : x)) }),
                )}
              </Card>
            ))}
            {form.assisting.length < 10 ? (
              <Button
                size="small"
                icon={<PlusOutlined />}
                onClick={() => set({ assisting: [...form.assisting, emptyTarget()] })}
                data-testid="rule-add-assisting"
              >
                {t('intake.rules.addAssisting')}
              </Button>
            ) : null}
          </Space>
        </Field>

        <Field label={t('intake.rules.priority')} problem={problemAt('priority')}>
          <InputNumber
            style={{ width: 160 }}
            value={form.priority}
            min={isDefault ? DEFAULT_RULE_PRIORITY : 0}
            max={1_000_000}
            precision={0}
            onChange={(v) => set({ priority: typeof v === 'number' ? v : null })}
            status={problemAt('priority') ? 'error' : undefined}
            data-testid="rule-priority"
          />
          <div className="og-small" style={{ color: 'rgba(0,0,0,0.55)', marginTop: 4 }}>
            {t('intake.rules.priorityHint')}
          </div>
        </Field>

        <Field label={t('intake.rules.note')} problem={problemAt('note')}>
          <Input.TextArea
            value={form.note}
            onChange={(e) => set({ note: e.target.value })}
            maxLength={500}
            autoSize={{ minRows: 2, maxRows: 5 }}
            data-testid="rule-note"
          />
        </Field>
      </Space>
    </Drawer>
  );
}
