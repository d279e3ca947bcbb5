import { ApiOutlined, ExportOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Space, Typography } from 'antd';
import { useT } from '../../i18n/i18n';
import { PageHeading } from '../../shell/page-heading';

/** The API's own browsable OpenAPI page, served by the server at /api/docs. */
export const API_DOCS_PATH = '/api/docs';

export default function InterfacesPage() {
  const t = useT();
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <PageHeading
        title={t('capabilities.interfaces.title')}
        description={t('capabilities.interfaces.description')}
      />
      <Card
        size="small"
        title={
          <Space>
            <ApiOutlined />
            {t('interfaces.apiDocsTitle')}
          </Space>
        }
      >
        <Typography.Paragraph type="secondary">{t('interfaces.apiDocsDescription')}</Typography.Paragraph>
        {/* A full page load, not a client route: the server renders the docs. */}
        <Button
          type="primary"
          href={API_DOCS_PATH}
          target="_blank"
          rel="noopener"
          icon={<ExportOutlined />}
          data-testid="api-docs-link"
        >
          {t('interfaces.openApiDocs')}
        </Button>
      </Card>
      <Alert
        type="info"
        showIcon
        title={t('notBuilt.title')}
        description={t('interfaces.remaining')}
        data-testid="not-built-notice"
      />
    </Space>
  );
}
