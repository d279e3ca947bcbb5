import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Input, Popconfirm, Space, Switch, Table, Tag, Typography } from 'antd';
import { useMemo, useState, type HTMLAttributes } from 'react';
import { useCurrentUser, useSession } from '../../auth/session-context';
import { useLocale, useT, type Translate } from '../../i18n/i18n';
import type { Locale } from '../../i18n/messages';
import { describeError } from '../../shell/describe-error';
import { PageHeading } from '../../shell/page-heading';
import { useCategoryOptions } from '../intake/intake-hooks';
import {
  fetchGridLayers,
  fetchMajorClasses,
  fetchOrgUnits,
  type GridLayerSummaryRow,
  type MajorClass,
  type OrgUnit,
} from '../registry/registry-api';
import { labelOf, layerTitle, localName } from '../registry/registry-format';
import { useRemote } from '../registry/use-remote';
import { RuleEditor } from './rule-editor';
import {
  fetchRules,
  MIN_PRIORITY,
  updateRule,
  type ResponsibilityRule,
  type RuleArea,
  type Target,
} from './routing-api';

/** What the table and the editor need to name units, layers, categories and major classes. */
export interface RuleNames {
  units: ReadonlyMap<string, OrgUnit>;
  layers: readonly GridLayerSummaryRow[];
  categories: ReadonlyMap<string, { name: string; nameEn: string | null }>;
  majors: readonly MajorClass[];
}

const unitName = (names: RuleNames, id: string, locale: Locale) => {
  const u = names.units.get(id);
  return u ? localName(u, locale) : id;
};
const layerName = (names: RuleNames, layer: string, locale: Locale) => {
  const row = names.layers.find((l) => l.name === layer);
  return row ? layerTitle(row, locale) : layer;
};

/** A rule's category, major class or "any", in words. */
export function describeWhat(t: Translate, locale: Locale, names: RuleNames, r: ResponsibilityRule): string {
  if (r.categoryKey) {
    const c = names.categories.get(r.categoryKey);
    return c ? `${locale === 'en' && c.nameEn ? c.nameEn : c.name} (${r.categoryKey})` : r.categoryKey;
  }
  if (r.majorCode) {
    const m = names.majors.find((x) => `${x.kind}:${x.code}` === r.majorCode);
    return t('intake.rules.majorOf', { name: m ? localName(m, locale) : r.majorCode, code: r.majorCode });
  }
  return t('intake.rules.anyCategory');
}

/** Where a rule holds, in words. */
export function describeArea(t: Translate, locale: Locale, names: RuleNames, a: RuleArea): string {
  if (a.kind === 'everywhere') return t('intake.rules.areaKinds.everywhere');
  if (a.kind === 'unit') return t('intake.rules.areaUnitText', { unit: unitName(names, a.unitId, locale) });
  return t('intake.rules.areaCellText', { layer: layerName(names, a.layer, locale), code: a.code });
}

/** Who a target names, in words. */
export function describeTarget(t: Translate, locale: Locale, names: RuleNames, x: Target): string {
  if ('fixedUnitId' in x) return unitName(names, x.fixedUnitId, locale);
  if ('departmentKind' in x)
    return t('intake.rules.targetDepartment', {
      kind: labelOf(t, 'registry.departmentKinds', x.departmentKind),
    });
  const layer = layerName(names, x.fromLayer, locale);
  return x.as === 'squad'
    ? t('intake.rules.targetSquadOf', { layer })
    : t('intake.rules.targetFromLayer', { layer });
}

/**
 * 责任规则: the table the bureau keeps of who leads (and who assists) for a category or major class in an
 * area, highest priority first; bureau staff (rules:manage) create, edit, deactivate and reactivate rules,
 * dispatchers read them. The routing engine uses a saved change for the next report at once.
 */
export default function RulesPage() {
  const t = useT();
  const { locale } = useLocale();
  const { api } = useSession();
  const { message } = App.useApp();
  const user = useCurrentUser();
  const canEdit = user.permissions.includes('rules:manage');
  const [includeInactive, setIncludeInactive] = useState(false);
  const rules = useRemote((a, signal) => fetchRules(a, includeInactive, signal), [includeInactive]);
  const units = useRemote((a, signal) => fetchOrgUnits(a, signal), []);
  const layers = useRemote((a, signal) => fetchGridLayers(a, signal), []);
  const majors = useRemote((a, signal) => fetchMajorClasses(a, signal), []);
  const categories = useCategoryOptions();
  const [editing, setEditing] = useState<ResponsibilityRule | 'new' | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [search, setSearch] = useState('');

  const names = useMemo<RuleNames>(
    () => ({
      units: new Map((units.data ?? []).map((u) => [u.id, u])),
      layers: layers.data ?? [],
      categories: new Map((categories.data ?? []).map((c) => [c.key, c])),
      majors: majors.data ?? [],
    }),
    [units.data, layers.data, categories.data, majors.data],
  );

  // The demo district alone has some 180 default rules: a filter over what each row says, in the page's words.
  const shown = useMemo(() => {
    const q = search.trim().toLowerCase();
    const all = rules.data ?? [];
    if (!q) return all;
    return all.filter((r) =>
      [
        describeWhat(t, locale, names, r),
        describeArea(t, locale, names, r.area),
        describeTarget(t, locale, names, r.lead),
        ...r.assisting.map((x) => describeTarget(t, locale, names, x)),
        r.note ?? '',
      ]
        .join(' ')
        .toLowerCase()
        .includes(q),
    );
  }, [rules.data, search, t, locale, names]);

  const setActive = async (r: ResponsibilityRule, active: boolean) => {
    setBusy(r.id);
    try {
      await updateRule(api, r.id, r.version, { active });
      void message.success(t(active ? 'intake.rules.reactivated' : 'intake.rules.deactivated'));
      rules.reload();
    } catch (e) {
      void message.error(describeError(t, e));
      rules.reload(); // a 409 means someone else changed it: show what is there now
    } finally {
      setBusy(null);
    }
  };

  return (
    <div data-testid="rules-page">
      <PageHeading title={t('intake.rules.title')} description={t('intake.rules.description')} />
      <Space style={{ marginBottom: 12 }} wrap>
        {canEdit ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditing('new')}
            data-testid="rule-new"
          >
            {t('intake.rules.add')}
          </Button>
        ) : null}
        <Input.Search
          allowClear
          placeholder={t('intake.rules.searchPlaceholder')}
          style={{ width: 280 }}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          data-testid="rules-search"
        />
        <Space size={6}>
          <Switch
            checked={includeInactive}
            onChange={setIncludeInactive}
            size="small"
            data-testid="rules-show-inactive"
          />
          {t('intake.rules.showInactive')}
        </Space>
      </Space>
      {!canEdit ? (
        <Alert type="info" showIcon title={t('intake.rules.readOnly')} style={{ marginBottom: 12 }} />
      ) : null}
      {rules.error ? (
        <Alert type="error" showIcon title={describeError(t, rules.error)} data-testid="rules-error" />
      ) : (
        <Table<ResponsibilityRule>
          size="small"
          rowKey="id"
          loading={rules.loading}
          dataSource={shown}
          pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
          data-testid="rules-table"
          onRow={(r) =>
            ({
              'data-testid': 'rule-row',
              'data-rule-id': r.id,
              'data-active': String(r.active),
            }) as HTMLAttributes<HTMLElement>
          }
          rowClassName={(r) => (r.active ? '' : 'og-rule-inactive')}
          columns={[
            {
              title: t('intake.rules.what'),
              key: 'what',
              render: (_, r) => <span data-testid="rule-what">{describeWhat(t, locale, names, r)}</span>,
            },
            {
              title: t('intake.rules.area'),
              key: 'area',
              render: (_, r) => describeArea(t, locale, names, r.area),
            },
            {
              title: t('intake.rules.lead'),
              key: 'lead',
              render: (_, r) => (
                <span data-testid="rule-lead">{describeTarget(t, locale, names, r.lead)}</span>
              ),
            },
            {
              title: t('intake.rules.assisting'),
              key: 'assisting',
              render: (_, r) =>
                r.assisting.length > 0
                  ? r.assisting.map((x) => describeTarget(t, locale, names, x)).join('、')
                  : '—',
            },
            {
              title: t('intake.rules.priority'),
              dataIndex: 'priority',
              align: 'right',
              width: 90,
              render: (p: number) =>
                p < MIN_PRIORITY ? (
                  <Space size={4}>
                    <Tag>{t('intake.rules.defaultRule')}</Tag>
                    {p}
                  </Space>
                ) : (
                  p
                ),
            },
            {
              title: t('intake.rules.status'),
              dataIndex: 'active',
              width: 80,
              render: (a: boolean) =>
                a ? (
                  <Tag color="green">{t('intake.rules.active')}</Tag>
                ) : (
                  <Tag>{t('intake.rules.inactive')}</Tag>
                ),
            },
            {
              title: t('intake.rules.note'),
              dataIndex: 'note',
              ellipsis: true,
              render: (n: string | null) =>
                n ? <Typography.Text type="secondary">{n}</Typography.Text> : '',
            },
            ...(canEdit
              ? [
                  {
                    title: t('registry.edit.actions'),
                    key: 'actions',
                    width: 130,
                    render: (_: unknown, r: ResponsibilityRule) => (
                      <Space size={4}>
                        <Button
                          size="small"
                          type="link"
                          onClick={() => setEditing(r)}
                          data-testid="rule-edit"
                        >
                          {t('registry.edit.edit')}
                        </Button>
                        {r.active ? (
                          <Popconfirm
                            title={t('intake.rules.deactivateConfirm')}
                            onConfirm={() => void setActive(r, false)}
                          >
                            <Button
                              size="small"
                              type="link"
                              danger
                              loading={busy === r.id}
                              data-testid="rule-deactivate"
                            >
                              {t('registry.edit.deactivate')}
                            </Button>
                          </Popconfirm>
                        ) : (
                          <Button
                            size="small"
                            type="link"
                            loading={busy === r.id}
                            onClick={() => void setActive(r, true)}
                            data-testid="rule-reactivate"
                          >
                            {t('registry.edit.reactivate')}
                          </Button>
                        )}
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
      {editing !== null ? (
        <RuleEditor
          rule={editing === 'new' ? null : editing}
          names={names}
          categoryOptions={categories.data ?? []}
          onClose={() => setEditing(null)}
          onSaved={(created) => {
            setEditing(null);
            void message.success(t(created ? 'intake.rules.created' : 'intake.rules.saved'));
            rules.reload();
          }}
        />
      ) : null}
    </div>
  );
}
