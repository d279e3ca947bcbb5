import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Card } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { useT } from '../../i18n/i18n';
import { PageHeading } from '../../shell/page-heading';
import { ReportDetailView } from './report-detail';

/** /intake/reports/:id: one report, with the dispatcher's actions. */
export default function ReportDetailPage() {
  const t = useT();
  const { id = '' } = useParams();
  return (
    <div data-testid="report-detail-page">
      <Link to="/intake/reports">
        <Button type="link" icon={<ArrowLeftOutlined />} style={{ paddingInline: 0 }}>
          {t('intake.common.back')}
        </Button>
      </Link>
      <PageHeading title={t('intake.detail.title')} />
      <Card size="small" className="og-detail-card">
        <ReportDetailView id={id} />
      </Card>
    </div>
  );
}
