import { Alert, Button, Card, Input, Radio, Result, Space, Typography } from 'antd';
import { useState } from 'react';
import { isApiError } from '../api/client';
import { useSession } from '../auth/session-context';
import { RATINGS, rateByTrackingCode, type Rating } from '../features/cases/cases-api';
import { useCasesT } from '../features/cases/cases-i18n';
import { useT } from '../i18n/i18n';
import { describeError } from '../shell/describe-error';

/**
 * The reporter's satisfaction rating on the tracking page, once the case is closed
 * (POST /api/public/track/:code/rating; one rating per close: a second answers 409).
 */
export function RatingForm({ code }: { code: string }) {
  const t = useCasesT();
  const tApp = useT();
  const { api } = useSession();
  const [rating, setRating] = useState<Rating | null>(null);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [state, setState] = useState<'form' | 'thanks' | 'already'>('form');
  const [error, setError] = useState<unknown>(null);

  const submit = async () => {
    if (!rating) {
      setError(new Error(t('rating.required')));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await rateByTrackingCode(api, code, { rating, ...(comment.trim() ? { comment: comment.trim() } : {}) });
      setState('thanks');
    } catch (e) {
      if (isApiError(e) && e.status === 409) setState('already');
      else setError(e);
    } finally {
      setBusy(false);
    }
  };

  if (state !== 'form')
    return (
      <Card className="og-m-card" style={{ marginTop: 12 }} data-testid="rating-done" data-state={state}>
        <Result
          status={state === 'thanks' ? 'success' : 'info'}
          title={state === 'thanks' ? t('rating.thanks') : t('rating.already')}
        />
      </Card>
    );
  return (
    <Card className="og-m-card" style={{ marginTop: 12 }} title={t('rating.title')} data-testid="rating-form">
      <Typography.Paragraph type="secondary">{t('rating.intro')}</Typography.Paragraph>
      <Radio.Group
        value={rating}
        onChange={(e) => setRating(e.target.value as Rating)}
        data-testid="rating-choice"
      >
        <Space orientation="vertical">
          {RATINGS.map((r) => (
            <Radio key={r} value={r} data-testid={`rating-${r}`}>
              {t(`rating.${r}`)}
            </Radio>
          ))}
        </Space>
      </Radio.Group>
      <Input.TextArea
        rows={3}
        maxLength={500}
        style={{ marginTop: 12 }}
        placeholder={t('rating.comment')}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        data-testid="rating-comment"
      />
      {error ? (
        <Alert
          type="error"
          showIcon
          style={{ marginTop: 12 }}
          title={isApiError(error) ? describeError(tApp, error) : (error as Error).message}
          data-testid="rating-error"
        />
      ) : null}
      <Button
        type="primary"
        size="large"
        block
        style={{ marginTop: 12 }}
        loading={busy}
        onClick={() => void submit()}
        data-testid="rating-submit"
      >
        {t('rating.submit')}
      </Button>
    </Card>
  );
}
