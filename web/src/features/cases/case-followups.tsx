// What follows on a case beside the loop's own moves: the dispatcher's callback rating of a closed case
// (and the ratings so far), and starting the penalty procedure on an opened case.
import { App, Button, Card, Empty, Form, Input, Popconfirm, Radio, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useSession } from '../../auth/session-context';
import { useLocale, useT } from '../../i18n/i18n';
import { describeError } from '../../shell/describe-error';
import { formatTime } from '../intake/intake-format';
import { useRemote } from '../registry/use-remote';
import { labelOf, useCan } from './case-rules-frame';
import {
  ENFORCEMENT_START_STEPS,
  fetchCaseRatings,
  RATINGS,
  rateByCallback,
  startEnforcement,
  type CaseDetail,
  type Rating,
} from './cases-api';
import { useCasesT } from './cases-i18n';

const RATING_TAG: Readonly<Record<Rating, string>> = {
  satisfied: 'green',
  basicallySatisfied: 'blue',
  dissatisfied: 'red',
};

/** The ratings of a case and, on a closed case not yet rated since its last close, the dispatcher's callback form. */
export function CaseRatings({ detail }: { detail: CaseDetail }) {
  const t = useCasesT();
  const tApp = useT();
  const { locale } = useLocale();
  const { api } = useSession();
  const { message } = App.useApp();
  const canRate = useCan('cases:dispatch');
  const remote = useRemote(
    (a, signal) => fetchCaseRatings(a, detail.id, signal),
    [detail.id, detail.version],
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const ratings = remote.data ?? [];
  // One rating per close: round is the reopen count when rated.
  const ratedThisRound = ratings.some((r) => r.round === detail.counts.reopen);
  if (detail.status !== 'closed' && ratings.length === 0) return null;

  const submit = async (v: { rating: Rating; comment?: string }) => {
    setBusy(true);
    setError(null);
    try {
      await rateByCallback(api, detail.id, { rating: v.rating, comment: v.comment?.trim() || null });
      void message.success(t('callback.saved'));
      remote.reload();
    } catch (e) {
      setError(e);
      remote.reload();
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title={t('callback.title')} style={{ marginTop: 12 }} data-testid="case-ratings">
      {ratings.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('callback.none')} style={{ margin: 4 }} />
      ) : (
        ratings.map((r) => (
          <div
            key={r.id}
            className="og-case-report"
            data-testid="case-rating"
            data-rating={r.rating}
            data-source={r.source}
          >
            <Space wrap size={6}>
              <Tag color={RATING_TAG[r.rating]}>{t(`rating.${r.rating}`)}</Tag>
              <Tag>{labelOf(t, 'callback.sources', r.source)}</Tag>
              <span className="og-small og-case-muted">
                {formatTime(r.ratedAt, locale)} · {t('callback.round', { n: r.round + 1 })}
              </span>
            </Space>
            {r.comment ? <div>{r.comment}</div> : null}
          </div>
        ))
      )}
      {detail.status === 'closed' && canRate && !ratedThisRound && !remote.loading ? (
        <Form
          layout="vertical"
          onFinish={(v: { rating: Rating; comment?: string }) => void submit(v)}
          style={{ marginTop: 8 }}
          data-testid="callback-form"
        >
          <Typography.Paragraph type="secondary" className="og-small" style={{ marginBottom: 8 }}>
            {t('callback.recordHint')}
          </Typography.Paragraph>
          <Form.Item
            name="rating"
            label={t('callback.rating')}
            rules={[{ required: true, message: t('rating.required') }]}
          >
            <Radio.Group>
              {RATINGS.map((r) => (
                <Radio.Button key={r} value={r} data-testid={`callback-${r}`}>
                  {t(`rating.${r}`)}
                </Radio.Button>
              ))}
            </Radio.Group>
          </Form.Item>
          <Form.Item name="comment" label={t('callback.comment')}>
            <Input.TextArea rows={2} maxLength={500} data-testid="callback-comment" />
          </Form.Item>
          {error ? (
            <Typography.Paragraph type="danger" data-testid="callback-error">
              {describeError(tApp, error)}
            </Typography.Paragraph>
          ) : null}
          <Button type="primary" htmlType="submit" loading={busy} data-testid="callback-submit">
            {t('callback.submit')}
          </Button>
        </Form>
      ) : null}
    </Card>
  );
}

/** "Start the enforcement procedure": on an active, opened case without one, for who may act on it. */
export function StartEnforcementButton({ detail, onStarted }: { detail: CaseDetail; onStarted: () => void }) {
  const t = useCasesT();
  const tApp = useT();
  const { api } = useSession();
  const { message } = App.useApp();
  const canAct = useCan('enforcement:act');
  const canApprove = useCan('cases:approve');
  const [busy, setBusy] = useState(false);
  const allowed =
    (canAct || canApprove) &&
    detail.status === 'active' &&
    detail.enforcement === null &&
    ENFORCEMENT_START_STEPS.includes(detail.step);
  if (!allowed) return null;
  const start = async () => {
    setBusy(true);
    try {
      await startEnforcement(api, detail.id);
      void message.success(t('enforcementStart.started'));
      onStarted();
    } catch (e) {
      void message.error(describeError(tApp, e));
      onStarted();
    } finally {
      setBusy(false);
    }
  };
  return (
    <Popconfirm
      title={t('enforcementStart.confirm')}
      onConfirm={() => start()}
      okButtonProps={{ 'data-testid': 'enforcement-start-ok' } as Record<string, string>}
    >
      <Button
        loading={busy}
        data-testid="enforcement-start"
        style={{ borderColor: '#722ed1', color: '#722ed1' }}
      >
        {t('enforcementStart.button')}
      </Button>
    </Popconfirm>
  );
}
