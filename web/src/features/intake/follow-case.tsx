import { CheckCircleFilled, EyeOutlined } from '@ant-design/icons';
import { Alert, Button, Input, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { isApiError } from '../../api/client';
import { useSession } from '../../auth/session-context';
import { useT } from '../../i18n/i18n';
import { describeError } from '../../shell/describe-error';
import { followCase, type FollowResult, type NearbyCase } from './intake-api';
import { fieldOfError, labelOf } from './intake-format';

/**
 * 关注此案件: a resident follows an open case nearby instead of reporting the same problem again. Name and
 * phone are optional (for a call back); the answer is a tracking code of the resident's own, shown as a
 * submission shows it, with the way to the tracking page.
 */
export function FollowCaseButton({ item }: { item: NearbyCase }) {
  const t = useT();
  const { api } = useSession();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ field: string | null; text: string } | null>(null);
  const [result, setResult] = useState<FollowResult | null>(null);

  const follow = async () => {
    setBusy(true);
    setError(null);
    try {
      const body = {
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(phone.trim() ? { phone: phone.replace(/\s/g, '') } : {}),
      };
      setResult(await followCase(api, item.caseId, body));
    } catch (e) {
      setError({ field: isApiError(e) ? fieldOfError(e.details) : null, text: describeError(t, e) });
    } finally {
      setBusy(false);
    }
  };
  const atField = (f: string) => (error && error.field === f ? error.text : null);

  return (
    <>
      <Button
        size="small"
        icon={<EyeOutlined />}
        onClick={() => setOpen(true)}
        data-testid="follow-case"
        data-case-id={item.caseId}
      >
        {t('intake.follow.button')}
      </Button>
      <Modal
        open={open}
        onCancel={() => setOpen(false)}
        destroyOnHidden
        title={result ? null : t('intake.follow.title', { code: item.caseCode })}
        footer={null}
        data-testid="follow-modal"
      >
        {result ? (
          <div className="og-m-done" data-testid="follow-done">
            <CheckCircleFilled className="og-m-done-icon" />
            <Typography.Title level={4} style={{ margin: 0 }}>
              {t('intake.follow.done', { code: result.caseCode })}
            </Typography.Title>
            <div className="og-m-code-label">{t('intake.done.codeLabel')}</div>
            <div className="og-m-code" data-testid="follow-tracking-code">
              {result.trackingCode}
            </div>
            <Typography.Text type="secondary">{t('intake.done.codeHint')}</Typography.Text>
            <Typography.Text data-testid="follow-status">
              {t('intake.follow.status', {
                // The case loop's status (src/cases/case-loop.ts CASE_STATUSES), not a report's.
                status: labelOf(t, 'intake.follow.caseStatus', result.status),
              })}
            </Typography.Text>
            <Space orientation="vertical" style={{ width: '100%' }}>
              <Link to={`/m/track/${result.trackingCode}`} data-testid="follow-track-link">
                <Button type="primary" size="large" block>
                  {t('intake.done.track')}
                </Button>
              </Link>
              <Button size="large" block onClick={() => setOpen(false)}>
                {t('intake.follow.close')}
              </Button>
            </Space>
          </div>
        ) : (
          <Space orientation="vertical" style={{ width: '100%' }} size={10}>
            <Typography.Paragraph className="og-m-hint" style={{ margin: 0 }}>
              {t('intake.follow.intro')}
            </Typography.Paragraph>
            <div>
              <div className="og-field-label">{t('intake.form.name')}</div>
              <Input
                value={name}
                onChange={(e) => setName(e.target.value)}
                maxLength={100}
                autoComplete="name"
                status={atField('name') ? 'error' : undefined}
                data-testid="follow-name"
              />
              {atField('name') ? <Typography.Text type="danger">{atField('name')}</Typography.Text> : null}
            </div>
            <div>
              <div className="og-field-label">{t('intake.form.phone')}</div>
              <Input
                value={phone}
                onChange={(e) => setPhone(e.target.value)}
                inputMode="tel"
                maxLength={40}
                autoComplete="tel"
                status={atField('phone') ? 'error' : undefined}
                data-testid="follow-phone"
              />
              {atField('phone') ? <Typography.Text type="danger">{atField('phone')}</Typography.Text> : null}
            </div>
            {error && error.field !== 'name' && error.field !== 'phone' ? (
              <Alert type="error" showIcon title={error.text} data-testid="follow-error" />
            ) : null}
            <Button
              type="primary"
              size="large"
              block
              loading={busy}
              onClick={() => void follow()}
              data-testid="follow-submit"
            >
              {t('intake.follow.submit')}
            </Button>
          </Space>
        )}
      </Modal>
    </>
  );
}
