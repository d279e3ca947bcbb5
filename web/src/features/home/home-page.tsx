import { Card, Col, Descriptions, Row, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useCurrentUser } from '../../auth/session-context';
import { useLocale, useT } from '../../i18n/i18n';
import { unitDisplayName } from '../../api/session';
import { PageHeading } from '../../shell/page-heading';
import { CAPABILITIES } from '../capabilities';

/** The workbench: who is signed in, and the way to every capability with its honest status. */
export default function HomePage() {
  const t = useT();
  const { locale } = useLocale();
  const user = useCurrentUser();
  const roleLabel = t.optional(`roles.${user.role}`) ?? user.role;
  const unitKindLabel = t.optional(`unitKinds.${user.unit.kind}`) ?? user.unit.kind;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="home-page">
      <PageHeading title={t('home.greeting', { name: user.displayName })} />
      <Card size="small" title={t('home.profile')}>
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} data-testid="home-profile">
          <Descriptions.Item label={t('home.displayName')}>{user.displayName}</Descriptions.Item>
          <Descriptions.Item label={t('home.username')}>{user.username}</Descriptions.Item>
          <Descriptions.Item label={t('home.role')}>{roleLabel}</Descriptions.Item>
          <Descriptions.Item label={t('home.unit')}>{unitDisplayName(user.unit, locale)}</Descriptions.Item>
          <Descriptions.Item label={t('home.unitKind')}>{unitKindLabel}</Descriptions.Item>
          <Descriptions.Item label={t('home.unitCode')}>{user.unit.code}</Descriptions.Item>
          <Descriptions.Item label={t('home.permissions')} span="filled">
            {user.permissions.length === 0 ? (
              t('home.noPermissions')
            ) : (
              <Space size={[4, 4]} wrap data-testid="home-permissions">
                {user.permissions.map((p) => (
                  <Tag key={p} style={{ marginInlineEnd: 0 }}>
                    {p}
                  </Tag>
                ))}
              </Space>
            )}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small" title={t('home.capabilities')}>
        <Row gutter={[12, 12]}>
          {CAPABILITIES.map((c) => (
            <Col key={c.id} xs={24} md={12} xl={8} xxl={6}>
              <Link to={c.path} data-testid={`home-capability-${c.id}`} className="og-capability-link">
                <Card size="small" hoverable className="og-capability-card">
                  <Space align="start">
                    <span className="og-capability-icon">{c.icon}</span>
                    <div>
                      <Space size={8}>
                        <Typography.Text strong>{t(`capabilities.${c.id}.title`)}</Typography.Text>
                        <Tag color={c.status === 'partial' ? 'processing' : 'default'}>
                          {c.status === 'partial' ? t('home.statusPartial') : t('home.statusNotBuilt')}
                        </Tag>
                      </Space>
                      <Typography.Paragraph
                        type="secondary"
                        className="og-clamp-2"
                        title={t(`capabilities.${c.id}.description`)}
                      >
                        {t(`capabilities.${c.id}.description`)}
                      </Typography.Paragraph>
                    </div>
                  </Space>
                </Card>
              </Link>
            </Col>
          ))}
        </Row>
      </Card>
    </Space>
  );
}
