import { Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { useT } from '../i18n/i18n';
import { LanguageSwitch } from '../shell/language-switch';
import './mobile.css';

/** The frame of the phone pages: a slim header with the brand and the language, one column at most 560 px wide. */
export function MobileFrame({
  title,
  subtitle,
  extra,
  children,
  testId,
}: {
  title: string;
  subtitle?: string;
  /** Shown under the header's brand row (e.g. who is signed in). */
  extra?: ReactNode;
  children: ReactNode;
  testId: string;
}) {
  const t = useT();
  return (
    <div className="og-m" data-testid={testId}>
      <header className="og-m-header">
        <Link to="/m/report" className="og-m-brand">
          <img src="/favicon.svg" alt="" width={22} height={22} />
          <span>{t('app.shortTitle')}</span>
        </Link>
        <LanguageSwitch />
      </header>
      <main className="og-m-main">
        <Typography.Title level={3} className="og-m-title" data-testid="page-title">
          {title}
        </Typography.Title>
        {subtitle ? (
          <Typography.Paragraph type="secondary" className="og-m-subtitle">
            {subtitle}
          </Typography.Paragraph>
        ) : null}
        {extra}
        {children}
      </main>
    </div>
  );
}
