import { ToolOutlined } from '@ant-design/icons';
import { Button, Card, Result, Typography } from 'antd';
import { Link } from 'react-router-dom';
import type { CapabilityId } from '../features/capabilities';
import { useT } from '../i18n/i18n';

/** What a capability without a page shows: plainly that it is not built, and what it will do. No sample data. */
export function NotBuiltPage({ capability }: { capability: CapabilityId }) {
  const t = useT();
  const title = t(`capabilities.${capability}.title`);
  return (
    <Card data-testid="not-built-notice" data-capability={capability}>
      <Result
        icon={<ToolOutlined style={{ color: '#8c9bb0' }} />}
        title={<span data-testid="not-built-title">{t('notBuilt.title')}</span>}
        subTitle={t('notBuilt.subtitle', { capability: title })}
        extra={
          <Link to="/">
            <Button>{t('common.backHome')}</Button>
          </Link>
        }
      >
        <Typography.Title level={5}>{t('notBuilt.plannedScope')}</Typography.Title>
        <Typography.Paragraph style={{ marginBottom: 0 }} data-testid="not-built-scope">
          {t(`capabilities.${capability}.description`)}
        </Typography.Paragraph>
      </Result>
    </Card>
  );
}
