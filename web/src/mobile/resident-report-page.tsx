import { Link } from 'react-router-dom';
import { useT } from '../i18n/i18n';
import { MobileFrame } from './mobile-frame';
import { ReportForm } from './report-form';

/** /m/report: a resident reports a problem from a phone, without signing in. */
export default function ResidentReportPage() {
  const t = useT();
  return (
    <MobileFrame
      title={t('intake.form.titleResident')}
      subtitle={t('intake.form.subtitleResident')}
      testId="resident-report-page"
    >
      <ReportForm channel="resident" />
      <div className="og-m-footer">
        <Link to="/m/track">{t('intake.track.enterCode')}</Link>
      </div>
    </MobileFrame>
  );
}
