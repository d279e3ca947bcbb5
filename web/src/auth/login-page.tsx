import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Navigate, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { useT } from '../i18n/i18n';
import { describeError } from '../shell/describe-error';
import { LanguageSwitch } from '../shell/language-switch';
import { FullPageSpin } from '../shell/require-session';
import { useSession } from './session-context';

interface LoginForm {
  username: string;
  password: string;
}

/** Only same-site paths are followed after sign-in, so ?next= cannot send a user elsewhere. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

export function LoginPage() {
  const t = useT();
  const { session, signIn } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const [error, setError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  const next = safeNext(params.get('next'));
  const expired = (location.state as { expired?: boolean } | null)?.expired === true;

  if (session.status === 'loading') return <FullPageSpin label={t('common.loading')} />;
  if (session.status === 'signedIn' && !submitting) return <Navigate to={next} replace />;

  const onFinish = async (values: LoginForm) => {
    setSubmitting(true);
    setError(null);
    try {
      await signIn(values.username.trim(), values.password);
      await navigate(next, { replace: true });
    } catch (e) {
      setError(e);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <div className="og-login" data-testid="login-page">
      <div className="og-login-lang">
        <LanguageSwitch size="middle" />
      </div>
      <div className="og-login-panel">
        <div className="og-login-brand">
          <img src="/favicon.svg" alt="" width={40} height={40} />
          <div>
            <div className="og-login-title">{t('app.title')}</div>
            <div className="og-login-subtitle">{t('app.subtitle')}</div>
          </div>
        </div>
        <Card className="og-login-card" title={t('auth.title')}>
          {error !== null ? (
            <Alert
              type="error"
              showIcon
              title={describeError(t, error)}
              style={{ marginBottom: 16 }}
              data-testid="login-error"
            />
          ) : expired ? (
            <Alert
              type="warning"
              showIcon
              title={t('errors.Unauthenticated')}
              style={{ marginBottom: 16 }}
              data-testid="login-expired"
            />
          ) : null}
          <Form<LoginForm>
            layout="vertical"
            requiredMark={false}
            onFinish={(values) => void onFinish(values)}
            disabled={submitting}
            data-testid="login-form"
          >
            <Form.Item
              name="username"
              label={t('auth.username')}
              rules={[{ required: true, whitespace: true, message: t('auth.usernameRequired') }]}
            >
              <Input
                prefix={<UserOutlined />}
                autoComplete="username"
                autoFocus
                data-testid="login-username"
              />
            </Form.Item>
            <Form.Item
              name="password"
              label={t('auth.password')}
              rules={[{ required: true, message: t('auth.passwordRequired') }]}
            >
              <Input.Password
                prefix={<LockOutlined />}
                autoComplete="current-password"
                data-testid="login-password"
              />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={submitting} data-testid="login-submit">
              {t('auth.submit')}
            </Button>
          </Form>
        </Card>
        <Typography.Paragraph type="secondary" className="og-login-notice">
          {t('auth.notice')}
        </Typography.Paragraph>
      </div>
    </div>
  );
}
