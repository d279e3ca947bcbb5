import { Alert, Button, Card, Descriptions, Empty, Input, List, Space, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { isApiError } from '../api/client';
import { fetchTracking } from '../features/intake/intake-api';
import { formatTime, nameOf, STATUS_COLOURS, statusLabel } from '../features/intake/intake-format';
import { useRemote } from '../features/registry/use-remote';
import { useLocale, useT } from '../i18n/i18n';
import { describeError } from '../shell/describe-error';
import { MobileFrame } from './mobile-frame';
import { RatingForm } from './rating-form';

/** /m/track/:code (and /m/track to type a code): a report's public progress, with no personal data. */
export default function TrackPage() {
  const t = useT();
  const { code } = useParams();
  return (
    <MobileFrame title={t('intake.track.title')} testId="track-page">
      <CodeEntry initial={code ?? ''} />
      {code ? <Tracking code={code} /> : null}
      <div className="og-m-footer">
        <Link to="/m/report">{t('intake.track.newReport')}</Link>
      </div>
    </MobileFrame>
  );
}

function CodeEntry({ initial }: { initial: string }) {
  const t = useT();
  const navigate = useNavigate();
  const [value, setValue] = useState(initial);
  const go = () => {
    const code = value.trim().toUpperCase().replace(/[\s-]/g, '');
    if (code) void navigate(`/m/track/${encodeURIComponent(code)}`);
  };
  return (
    <Space.Compact style={{ width: '100%', marginBottom: 16 }}>
      <Input
        size="large"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        onPressEnter={go}
        placeholder={t('intake.track.codePlaceholder')}
        aria-label={t('intake.track.enterCode')}
        data-testid="track-code-input"
        className="og-m-code-input"
      />
      <Button size="large" type="primary" onClick={go} data-testid="track-lookup">
        {t('intake.track.lookup')}
      </Button>
    </Space.Compact>
  );
}

function Tracking({ code }: { code: string }) {
  const t = useT();
  const { locale } = useLocale();
  const tracking = useRemote((api, signal) => fetchTracking(api, code, signal), [code]);
  if (tracking.loading && !tracking.data) return <Spin />;
  if (tracking.error)
    return (
      <Alert
        type={isApiError(tracking.error) && tracking.error.code === 'NotFound' ? 'warning' : 'error'}
        showIcon
        title={
          isApiError(tracking.error) && tracking.error.code === 'NotFound'
            ? t('intake.track.notFound')
            : describeError(t, tracking.error)
        }
        data-testid="track-error"
      />
    );
  const v = tracking.data;
  if (!v) return null;
  return (
    <>
      <Card className="og-m-card" data-testid="tracking" data-status={v.status}>
        <div className="og-m-code" data-testid="tracking-code">
          {v.trackingCode}
        </div>
        <Descriptions column={1} size="small" className="og-m-desc">
          <Descriptions.Item label={t('intake.fields.status')}>
            <Tag color={STATUS_COLOURS[v.status] ?? 'default'} data-testid="tracking-status">
              {statusLabel(t, v.status)}
            </Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t('intake.fields.receivedAt')}>
            <span data-testid="tracking-received">{formatTime(v.receivedAt, locale)}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('intake.fields.category')}>
            <span data-testid="tracking-category">
              {nameOf(v.category, locale) ?? t('intake.common.unclassified')}
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('intake.track.caseCode')}>{v.caseCode ?? '—'}</Descriptions.Item>
        </Descriptions>
        <Typography.Title level={5}>{t('intake.track.replies')}</Typography.Title>
        {v.replies.length === 0 ? (
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={t('intake.track.noReplies')}
            data-testid="no-replies"
          />
        ) : (
          <List
            size="small"
            dataSource={v.replies}
            renderItem={(r) => (
              <List.Item data-testid="tracking-reply">
                <div>
                  <div className="og-m-hint">{formatTime(r.at, locale)}</div>
                  <div>{r.text}</div>
                </div>
              </List.Item>
            )}
          />
        )}
        <Typography.Paragraph
          type="secondary"
          className="og-m-hint"
          style={{ marginTop: 12, marginBottom: 0 }}
        >
          {t('intake.track.privacy')}
        </Typography.Paragraph>
      </Card>
      {v.status === 'closed' ? <RatingForm code={v.trackingCode} /> : null}
    </>
  );
}
