import {
  HomeOutlined,
  LogoutOutlined,
  MenuFoldOutlined,
  MenuUnfoldOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { App, Button, Layout, Menu, Space, Tag, Tooltip, Typography, type MenuProps } from 'antd';
import { Suspense, useState } from 'react';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { useCurrentUser, useSession } from '../auth/session-context';
import { CAPABILITIES } from '../features/capabilities';
import { useLocale, useT } from '../i18n/i18n';
import { unitDisplayName } from '../api/session';
import { describeError } from './describe-error';
import { LanguageSwitch } from './language-switch';
import { PageSpin } from './page-spin';

const { Header, Sider, Content } = Layout;

/** The signed-in frame: header with the user and the language, the menu of the ten capabilities, the page. */
export function ConsoleLayout() {
  const t = useT();
  const { locale } = useLocale();
  const user = useCurrentUser();
  const { signOut } = useSession();
  const { message } = App.useApp();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(false);
  const [signingOut, setSigningOut] = useState(false);

  const selected = CAPABILITIES.find(
    (c) => location.pathname === c.path || location.pathname.startsWith(`${c.path}/`),
  );
  const items: MenuProps['items'] = [
    {
      key: 'home',
      icon: <HomeOutlined />,
      label: (
        <Link to="/" data-testid="nav-home">
          {t('nav.home')}
        </Link>
      ),
    },
    {
      type: 'group',
      key: 'capabilities',
      label: collapsed ? null : t('nav.capabilities'),
      children: CAPABILITIES.map((c) => ({
        key: c.id,
        icon: c.icon,
        label: (
          <Link to={c.path} data-testid={`nav-${c.id}`}>
            {t(`capabilities.${c.id}.title`)}
          </Link>
        ),
      })),
    },
  ];

  const onSignOut = async () => {
    setSigningOut(true);
    try {
      await signOut(); // the session turns signedOut and <RequireSession> sends the browser to /login
    } catch (error) {
      void message.error(describeError(t, error));
    } finally {
      setSigningOut(false);
    }
  };

  const roleLabel = t.optional(`roles.${user.role}`) ?? user.role;
  const unitKindLabel = t.optional(`unitKinds.${user.unit.kind}`) ?? user.unit.kind;

  return (
    <Layout className="og-console" data-testid="console-layout">
      <Header className="og-header">
        <Link to="/" className="og-brand" data-testid="brand">
          <img src="/favicon.svg" alt="" width={24} height={24} />
          <span className="og-brand-title">{t('app.title')}</span>
          <span className="og-brand-subtitle">{t('app.subtitle')}</span>
        </Link>
        <Space size={16} className="og-header-right" data-testid="header-user">
          <Space size={8}>
            <UserOutlined />
            <span className="og-user-name" data-testid="header-user-name">
              {user.displayName}
            </span>
            <Tag
              color="blue"
              variant="filled"
              style={{ marginInlineEnd: 0 }}
              data-testid="header-user-role"
              data-role={user.role}
            >
              {roleLabel}
            </Tag>
            <Tooltip title={`${unitKindLabel} · ${user.unit.code}`}>
              <span className="og-unit-name" data-testid="header-unit-name">
                {unitDisplayName(user.unit, locale)}
              </span>
            </Tooltip>
          </Space>
          <LanguageSwitch />
          <Button
            size="small"
            ghost
            icon={<LogoutOutlined />}
            loading={signingOut}
            onClick={() => void onSignOut()}
            data-testid="logout-button"
          >
            {t('auth.logout')}
          </Button>
        </Space>
      </Header>
      <Layout>
        <Sider
          width={228}
          collapsedWidth={56}
          collapsed={collapsed}
          theme="light"
          className="og-sider"
          data-testid="sider"
        >
          <Menu
            mode="inline"
            selectedKeys={[selected?.id ?? (location.pathname === '/' ? 'home' : '')]}
            items={items}
            style={{ borderInlineEnd: 0 }}
            data-testid="nav-menu"
          />
          <div className="og-sider-footer">
            <Tooltip title={collapsed ? t('nav.expand') : t('nav.collapse')} placement="right">
              <Button
                type="text"
                size="small"
                icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
                onClick={() => setCollapsed((c) => !c)}
                aria-label={collapsed ? t('nav.expand') : t('nav.collapse')}
                data-testid="nav-collapse"
              />
            </Tooltip>
          </div>
        </Sider>
        <Content className="og-content" data-testid="content">
          <Suspense fallback={<PageSpin />}>
            <Outlet />
          </Suspense>
          <Typography.Text type="secondary" className="og-footer">
            {t('app.title')}
          </Typography.Text>
        </Content>
      </Layout>
    </Layout>
  );
}
