// Accounts: a new user (username, name, role, unit, initial password, phone), deactivate / reactivate,
// and a password reset (which ends the user's sessions).
import { App, Button, Drawer, Form, Input, Modal, Popconfirm, Select, Space } from 'antd';
import { useState } from 'react';
import { ROLES } from '../../api/session';
import { useSession } from '../../auth/session-context';
import { useT } from '../../i18n/i18n';
import { describeError } from '../../shell/describe-error';
import type { UserRow } from './registry-api';
import { labelOf } from './registry-format';
import { UnitPicker } from './registry-forms';
import { ApiErrorAlert } from './registry-widgets';
import { createUser, fieldErrorsOf, resetUserPassword, setUserActive } from './registry-write';

const USER_FIELDS = ['username', 'displayName', 'role', 'unitId', 'password', 'phone'] as const;

interface UserValues {
  username: string;
  displayName: string;
  role: string;
  unitId: string;
  password: string;
  phone?: string;
}

export function NewUserDrawer({
  open,
  onClose,
  onSaved,
}: {
  open: boolean;
  onClose: () => void;
  onSaved: () => void;
}) {
  const t = useT();
  const { api } = useSession();
  const { message } = App.useApp();
  const [form] = Form.useForm<UserValues>();
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const req = (field: string) => [
    { required: true, whitespace: true, message: t('registry.edit.required', { field }) },
  ];

  const submit = async (v: UserValues) => {
    setSaving(true);
    setError(null);
    try {
      await createUser(api, {
        username: v.username.trim(),
        displayName: v.displayName.trim(),
        role: v.role,
        unitId: v.unitId,
        password: v.password,
        phone: v.phone?.trim() ? v.phone.trim() : null,
      });
      void message.success(t('registry.edit.saved'));
      form.resetFields();
      onSaved();
      onClose();
    } catch (e) {
      const errors = fieldErrorsOf(e, USER_FIELDS);
      if (errors.length > 0)
        form.setFields(errors.map((x) => ({ name: x.field as keyof UserValues, errors: [x.message] })));
      else setError(e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={480}
      destroyOnHidden
      title={t('registry.edit.newUser')}
      data-testid="user-drawer"
      extra={
        <Space>
          <Button onClick={onClose}>{t('registry.edit.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="form-submit">
            {t('registry.edit.save')}
          </Button>
        </Space>
      }
    >
      {error ? <ApiErrorAlert error={error} testId="form-error" /> : null}
      <Form<UserValues> form={form} layout="vertical" onFinish={(v) => void submit(v)} autoComplete="off">
        <Form.Item
          name="username"
          label={t('registry.users.username')}
          rules={[
            ...req(t('registry.users.username')),
            { max: 40, message: t('registry.edit.tooLong', { max: 40 }) },
          ]}
        >
          <Input data-testid="field-username" autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t('registry.users.displayName')}
          rules={[
            ...req(t('registry.users.displayName')),
            { max: 100, message: t('registry.edit.tooLong', { max: 100 }) },
          ]}
        >
          <Input data-testid="field-displayName" />
        </Form.Item>
        <Form.Item name="role" label={t('registry.users.role')} rules={req(t('registry.users.role'))}>
          <Select
            data-testid="field-role"
            placeholder={t('registry.edit.choose')}
            options={ROLES.map((r) => ({ value: r, label: labelOf(t, 'roles', r) }))}
          />
        </Form.Item>
        <Form.Item name="unitId" label={t('registry.users.unit')} rules={req(t('registry.users.unit'))}>
          <UnitPicker testId="field-unitId" />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('registry.edit.initialPassword')}
          rules={[
            ...req(t('registry.edit.initialPassword')),
            { min: 10, message: t('registry.edit.passwordMin') },
          ]}
        >
          <Input.Password data-testid="field-password" autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="phone"
          label={t('registry.common.phone')}
          rules={[{ pattern: /^\+?\d{5,20}$/, message: t('registry.edit.phoneRule') }]}
        >
          <Input data-testid="field-phone" />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

export function UserActions({ user, onDone }: { user: UserRow; onDone: () => void }) {
  const t = useT();
  const { api } = useSession();
  const { message } = App.useApp();
  const [resetOpen, setResetOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const turnOn = !user.active;

  return (
    <Space size={0}>
      <Popconfirm
        title={
          turnOn
            ? t('registry.edit.confirmReactivate', { name: user.displayName })
            : t('registry.edit.confirmDeactivate', { name: user.displayName })
        }
        okText={t('registry.edit.ok')}
        cancelText={t('registry.edit.cancel')}
        onConfirm={async () => {
          try {
            await setUserActive(api, user.id, turnOn);
            void message.success(turnOn ? t('registry.edit.reactivated') : t('registry.edit.deactivated'));
          } catch (e) {
            void message.error(describeError(t, e));
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
      <Button
        size="small"
        type="link"
        onClick={() => {
          setPassword('');
          setError(null);
          setResetOpen(true);
        }}
        data-testid="row-reset-password"
      >
        {t('registry.edit.resetPassword')}
      </Button>
      <Modal
        open={resetOpen}
        title={t('registry.edit.resetPasswordFor', { name: user.displayName })}
        okText={t('registry.edit.save')}
        cancelText={t('registry.edit.cancel')}
        confirmLoading={busy}
        okButtonProps={{ disabled: password.length < 10 }}
        onCancel={() => setResetOpen(false)}
        onOk={async () => {
          setBusy(true);
          setError(null);
          try {
            await resetUserPassword(api, user.id, password);
            void message.success(t('registry.edit.passwordReset'));
            setResetOpen(false);
          } catch (e) {
            setError(e);
          } finally {
            setBusy(false);
          }
        }}
        destroyOnHidden
      >
        <Space orientation="vertical" style={{ width: '100%' }}>
          {error ? <ApiErrorAlert error={error} /> : null}
          <Input.Password
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            placeholder={t('registry.edit.newPassword')}
            autoComplete="new-password"
            data-testid="field-new-password"
          />
          <span className="og-small">{t('registry.edit.passwordResetHint')}</span>
        </Space>
      </Modal>
    </Space>
  );
}
