import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Result, Space, Typography } from 'antd';
import { useCurrentUser, useSession } from '../auth/session-context';
import { useT } from '../i18n/i18n';
import { MobileFrame } from './mobile-frame';
import { ReportForm } from './report-form';

/** The roles that file patrol findings from a phone (issue 4: officers and squad leaders). */
const PATROL_ROLES = new Set(['officer', 'squadLeader']);

/** /m/patrol: an officer files a patrol finding (behind <RequireSession>). */
export default function PatrolPage() {
  const t = useT();
  const user = useCurrentUser();
  const { signOut } = useSession();
  const role = t.optional(`roles.${user.role}`) ?? user.role;
  const who = (
    <div className="og-m-who" data-testid="patrol-user">
      <Space size={6}>
        <UserOutlined />
        <Typography.Text>{t('intake.patrol.signedInAs', { name: user.displayName, role })}</Typography.Text>
      </Space>
      <Button size="small" type="text" icon={<LogoutOutlined />} onClick={() => void signOut()}>
        {t('auth.logout')}
      </Button>
    </div>
  );
  return (
    <MobileFrame
      title={t('intake.form.titlePatrol')}
      subtitle={t('intake.form.subtitlePatrol')}
      extra={who}
      testId="patrol-page"
    >
      {PATROL_ROLES.has(user.role) ? (
        <ReportForm channel="patrol" />
      ) : (
        <Result status="403" subTitle={t('intake.patrol.forbidden')} data-testid="patrol-forbidden" />
      )}
    </MobileFrame>
  );
}
