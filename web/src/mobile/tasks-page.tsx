import { LogoutOutlined, RightOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, List, Space, Spin, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useCurrentUser, useSession } from '../auth/session-context';
import { fetchMyTasks } from '../features/cases/cases-api';
import { countdown, URGENCY_TAG } from '../features/cases/cases-format';
import { useCasesT } from '../features/cases/cases-i18n';
import { useCategories } from '../features/cases/case-hooks';
import { useNow } from '../features/cases/case-detail';
import '../features/cases/cases.css';
import { useRemote } from '../features/registry/use-remote';
import { useT } from '../i18n/i18n';
import { describeError } from '../shell/describe-error';
import { MobileFrame } from './mobile-frame';

/** The signed-in user's line with a sign-out, as on the patrol page. */
export function WhoAmI() {
  const t = useCasesT();
  const tApp = useT();
  const user = useCurrentUser();
  const { signOut } = useSession();
  const role = tApp.optional(`roles.${user.role}`) ?? user.role;
  return (
    <div className="og-m-who" data-testid="m-user">
      <Space size={6}>
        <UserOutlined />
        <Typography.Text>{t('mobile.signedInAs', { name: user.displayName, role })}</Typography.Text>
      </Space>
      <Button size="small" type="text" icon={<LogoutOutlined />} onClick={() => void signOut()}>
        {tApp('auth.logout')}
      </Button>
    </div>
  );
}

/** /m/tasks: the cases whose current step waits for the signed-in officer or their unit, most urgent first. */
export default function TasksPage() {
  const t = useCasesT();
  const tApp = useT();
  const now = useNow();
  const tasks = useRemote((api, signal) => fetchMyTasks(api, signal), []);
  const { categoryName } = useCategories();
  return (
    <MobileFrame
      title={t('mobile.tasksTitle')}
      subtitle={t('mobile.tasksSubtitle')}
      extra={<WhoAmI />}
      testId="tasks-page"
    >
      {tasks.loading && !tasks.data ? <Spin /> : null}
      {tasks.error ? <Alert type="error" showIcon title={describeError(tApp, tasks.error)} /> : null}
      {tasks.data && tasks.data.length === 0 ? (
        <Empty description={t('mobile.noTasks')} data-testid="tasks-empty" />
      ) : null}
      {tasks.data && tasks.data.length > 0 ? (
        <List
          data-testid="tasks"
          dataSource={tasks.data}
          split={false}
          renderItem={(c) => {
            const left = c.dueAt ? countdown(t, c.dueAt, now) : null;
            return (
              <Link
                to={`/m/cases/${encodeURIComponent(c.id)}`}
                className="og-m-task"
                data-testid="task"
                data-case-id={c.id}
                data-step={c.step}
              >
                <Card size="small" className="og-m-card" style={{ marginBottom: 10 }}>
                  <div className="og-m-task-head">
                    <Typography.Text strong>{c.code}</Typography.Text>
                    <RightOutlined />
                  </div>
                  <Space wrap size={4} style={{ marginTop: 4 }}>
                    <Tag color="geekblue">{t.label('steps', c.step)}</Tag>
                    {c.urgency !== 'none' ? (
                      <Tag color={URGENCY_TAG[c.urgency]}>{t.label('urgency', c.urgency)}</Tag>
                    ) : null}
                  </Space>
                  <div style={{ marginTop: 4 }}>{categoryName(c.categoryKey)}</div>
                  {left ? (
                    <div className={left.overdue ? 'og-m-overdue' : 'og-m-hint'} data-testid="task-countdown">
                      {left.text}
                    </div>
                  ) : null}
                </Card>
              </Link>
            );
          }}
        />
      ) : null}
    </MobileFrame>
  );
}
