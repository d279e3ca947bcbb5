import { Alert, App, Button, Checkbox, Form, Input, InputNumber, Select, Space } from 'antd';
import { useMemo, useState } from 'react';
import { isApiError } from '../../api/client';
import { useSession } from '../../auth/session-context';
import { useLocale, useT } from '../../i18n/i18n';
import { describeError } from '../../shell/describe-error';
import type { Photo } from '../intake/intake-api';
import { nameOf } from '../intake/intake-format';
import { useCategoryOptions } from '../intake/intake-hooks';
import type { OrgUnit } from '../registry/registry-api';
import {
  DURATION_UNITS,
  MOVE_REQUIRED,
  moveCase,
  type CaseDetail,
  type DurationUnit,
  type MoveBody,
  type MoveType,
} from './cases-api';
import { useCasesT } from './cases-i18n';
import { PhotoCapture } from './photo-capture';

/** Units a case may be sent to, most used first (the kinds intake assigns to). */
const DISPATCH_KINDS = [
  'workstation',
  'squad',
  'department',
  'subdistrict',
  'sector',
  'community',
  'propertyCompany',
];

interface Values {
  reason?: string;
  note?: string;
  targetUnitId?: string;
  extensionN?: number;
  extensionUnit?: DurationUnit;
  onSiteCheck?: boolean;
  categoryKey?: string;
}

/**
 * The form of one move: exactly the fields the move requires (src/cases/case-loop.ts MOVE_RULES), sent
 * with the version the page read. A 409 means someone moved the case meanwhile: `onConflict` reloads it.
 */
export function MoveForm({
  detail,
  move,
  units,
  onDone,
  onConflict,
  onCancel,
  layout = 'vertical',
}: {
  detail: CaseDetail;
  move: MoveType;
  units: readonly OrgUnit[];
  onDone: (next: CaseDetail) => void;
  onConflict: () => void;
  onCancel?: () => void;
  layout?: 'vertical' | 'horizontal';
}) {
  const t = useCasesT();
  const tApp = useT();
  const { locale } = useLocale();
  const { api } = useSession();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [photos, setPhotos] = useState<Photo[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const required = MOVE_REQUIRED[move] ?? { fields: [] };
  const needs = (f: string) => (required.fields as readonly string[]).includes(f);
  const minPhotos = required.minAttachments ?? 0;
  const categories = useCategoryOptions();
  const withCategory = move === 'accept' || move === 'open';

  const unitOptions = useMemo(() => {
    const rank = (k: string) => {
      const i = DISPATCH_KINDS.indexOf(k);
      return i < 0 ? DISPATCH_KINDS.length : i;
    };
    return units
      .filter((u) => u.active && DISPATCH_KINDS.includes(u.kind))
      .sort((a, b) => rank(a.kind) - rank(b.kind) || a.name.localeCompare(b.name, 'zh-CN'))
      .map((u) => ({ value: u.id, label: nameOf(u, locale) ?? u.name }));
  }, [units, locale]);

  const submit = async (v: Values) => {
    if (needs('attachments') && photos.length < minPhotos) {
      setError(new Error(t('form.attachmentsRequired', { n: minPhotos })));
      return;
    }
    const body: MoveBody = { type: move, expectedVersion: detail.version };
    if (v.reason?.trim()) body.reason = v.reason.trim();
    if (v.note?.trim()) body.note = v.note.trim();
    if (v.targetUnitId) body.targetUnitId = v.targetUnitId;
    if (needs('extension') && v.extensionN && v.extensionUnit)
      body.extension = { n: v.extensionN, unit: v.extensionUnit };
    if (photos.length > 0) body.attachments = photos.map((p) => p.id);
    if (move === 'accept' && v.onSiteCheck) body.onSiteCheck = true;
    if (withCategory && v.categoryKey) body.categoryKey = v.categoryKey;
    setBusy(true);
    setError(null);
    try {
      const next = await moveCase(api, detail.id, body);
      void message.success(t('detail.done', { move: t.label('moves', move) }));
      onDone(next);
    } catch (e) {
      if (isApiError(e) && e.status === 409) {
        void message.warning(t('detail.conflict'));
        onConflict();
      } else setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form<Values>
      form={form}
      layout={layout}
      onFinish={(v) => void submit(v)}
      initialValues={{ extensionUnit: 'workday', extensionN: 1 }}
      data-testid="move-form"
      data-move={move}
    >
      {move === 'accept' ? (
        <Form.Item name="onSiteCheck" valuePropName="checked">
          <Checkbox data-testid="move-onsite-check">{t('form.onSiteCheck')}</Checkbox>
        </Form.Item>
      ) : null}
      {withCategory ? (
        <Form.Item name="categoryKey" label={t('form.category')}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('form.keepCategory')}
            loading={categories.loading}
            options={(categories.data ?? []).map((c) => ({
              value: c.key,
              label: nameOf(c, locale) ?? c.name,
            }))}
            data-testid="move-category"
          />
        </Form.Item>
      ) : null}
      {needs('targetUnitId') ? (
        <Form.Item
          name="targetUnitId"
          label={t('form.targetUnit')}
          rules={[{ required: true, message: t('form.targetUnitRequired') }]}
        >
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={unitOptions}
            data-testid="move-target-unit"
          />
        </Form.Item>
      ) : null}
      {needs('extension') ? (
        <Form.Item label={t('form.extension')} required>
          <Space.Compact>
            <Form.Item
              name="extensionN"
              noStyle
              rules={[{ required: true, message: t('form.extensionRequired') }]}
            >
              <InputNumber min={1} max={365} precision={0} data-testid="move-extension-n" />
            </Form.Item>
            <Form.Item name="extensionUnit" noStyle>
              <Select
                style={{ width: 130 }}
                options={DURATION_UNITS.map((u) => ({ value: u, label: t.label('units', u) }))}
              />
            </Form.Item>
          </Space.Compact>
        </Form.Item>
      ) : null}
      {needs('reason') ? (
        <Form.Item
          name="reason"
          label={t('form.reason')}
          rules={[{ required: true, whitespace: true, message: t('form.reasonRequired') }]}
        >
          <Input.TextArea rows={3} maxLength={2000} data-testid="move-reason" />
        </Form.Item>
      ) : null}
      {needs('note') ? (
        <Form.Item
          name="note"
          label={t('form.note')}
          rules={[{ required: true, whitespace: true, message: t('form.noteRequired') }]}
        >
          <Input.TextArea rows={3} maxLength={2000} data-testid="move-note" />
        </Form.Item>
      ) : null}
      {needs('attachments') ? (
        <Form.Item label={t('form.attachments')} required>
          <PhotoCapture value={photos} onChange={setPhotos} testId="move-photos" />
        </Form.Item>
      ) : null}
      {error ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          title={isApiError(error) ? describeError(tApp, error) : (error as Error).message}
          data-testid="move-error"
        />
      ) : null}
      <Space>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="move-submit">
          {t('form.submit')}
        </Button>
        {onCancel ? <Button onClick={onCancel}>{t('form.cancel')}</Button> : null}
      </Space>
    </Form>
  );
}
