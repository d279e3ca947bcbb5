import { ArrowLeftOutlined, CheckCircleOutlined, CloseCircleOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  List,
  Select,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { isApiError } from '../api/client';
import { useSession } from '../auth/session-context';
import {
  addEnforcementDocument,
  fetchCase,
  fetchEnforcement,
  type CaseDetail,
  type MoveType,
} from '../features/cases/cases-api';
import { DeadlineView, useNow } from '../features/cases/case-detail';
import { useCategories, useUnits } from '../features/cases/case-hooks';
import { STATUS_TAG } from '../features/cases/cases-format';
import { useCasesT } from '../features/cases/cases-i18n';
import '../features/cases/cases.css';
import { MoveForm } from '../features/cases/move-form';
import { PhotoCapture } from '../features/cases/photo-capture';
import type { Photo } from '../features/intake/intake-api';
import { ReportPhotos } from '../features/intake/report-photos';
import { useRemote } from '../features/registry/use-remote';
import { useT } from '../i18n/i18n';
import { describeError } from '../shell/describe-error';
import { MobileFrame } from './mobile-frame';
import { WhoAmI } from './tasks-page';

/** The on-site moves an officer makes from the phone, first; any other allowed move follows. */
const PHONE_MOVES: readonly MoveType[] = [
  'check',
  'verify',
  'feedback',
  'rework',
  'return',
  'requestPostpone',
];

/**
 * /m/cases/:id: one case on the officer's phone — what was reported, the deadline, and the on-site check
 * (核实) or verification (核查) with photos taken on the spot (uploaded at once; the server hashes the
 * original and the page shows the SHA-256), plus the enforcement documents of the current step.
 */
export default function CasePhonePage() {
  const { id = '' } = useParams();
  const t = useCasesT();
  const tApp = useT();
  const now = useNow();
  const remote = useRemote((api, signal) => fetchCase(api, id, signal), [id]);
  const [override, setOverride] = useState<CaseDetail | null>(null);
  const [chosen, setChosen] = useState<MoveType | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const { units } = useUnits();
  const { categoryName } = useCategories();
  const detail = override && remote.data && override.version >= remote.data.version ? override : remote.data;

  const moves = detail
    ? [...detail.allowedMoves].sort((a, b) => {
        const rank = (m: MoveType) => (PHONE_MOVES.includes(m) ? PHONE_MOVES.indexOf(m) : 99);
        return rank(a) - rank(b);
      })
    : [];
  const active =
    chosen && moves.includes(chosen) ? chosen : (moves.find((m) => PHONE_MOVES.includes(m)) ?? null);
  const titleOf = (m: MoveType) =>
    m === 'check'
      ? t('mobile.checkTitle')
      : m === 'verify'
        ? t('mobile.verifyTitle')
        : m === 'feedback'
          ? t('mobile.feedbackTitle')
          : t.label('moves', m);

  return (
    <MobileFrame title={t('mobile.caseTitle')} extra={<WhoAmI />} testId="case-phone-page">
      <div style={{ marginBottom: 12 }}>
        <Link to="/m/tasks">
          <ArrowLeftOutlined /> {t('mobile.backToTasks')}
        </Link>
      </div>
      {remote.loading && !detail ? <Spin /> : null}
      {remote.error && !detail ? (
        <Alert
          type="warning"
          showIcon
          title={
            isApiError(remote.error) && remote.error.code === 'NotFound'
              ? t('detail.notFound')
              : describeError(tApp, remote.error)
          }
        />
      ) : null}
      {detail ? (
        <>
          <Card
            size="small"
            className="og-m-card"
            data-testid="m-case"
            data-step={detail.step}
            data-status={detail.status}
          >
            <div className="og-m-case-code" data-testid="m-case-code">
              {detail.code}
            </div>
            <Space wrap size={4}>
              <Tag color={STATUS_TAG[detail.status]}>{t.label('status', detail.status)}</Tag>
              <Tag color="geekblue" data-testid="m-case-step">
                {t.label('steps', detail.step)}
              </Tag>
            </Space>
            <Descriptions column={1} size="small" className="og-m-desc" style={{ marginTop: 8 }}>
              <Descriptions.Item label={t('fields.category')}>
                {categoryName(detail.categoryKey)}
              </Descriptions.Item>
              <Descriptions.Item label={t('fields.deadline')}>
                {detail.deadline ? (
                  <DeadlineView deadline={detail.deadline} testId="m-case-deadline" now={now} />
                ) : (
                  t('detail.noDeadline')
                )}
              </Descriptions.Item>
            </Descriptions>
            {detail.reports.map((r) => (
              <div key={r.id} className="og-case-report">
                <div>{r.description}</div>
                {r.address ? <div className="og-m-hint">{r.address}</div> : null}
                <ReportPhotos photos={r.photos} />
              </div>
            ))}
          </Card>

          {conflict ? (
            <Alert
              type="warning"
              showIcon
              title={t('detail.conflict')}
              style={{ marginTop: 12 }}
              data-testid="m-conflict"
            />
          ) : null}
          {done ? (
            <Alert type="success" showIcon title={done} style={{ marginTop: 12 }} data-testid="m-move-done" />
          ) : null}

          <Card
            size="small"
            className="og-m-card"
            style={{ marginTop: 12 }}
            title={active ? titleOf(active) : t('detail.actions')}
            data-testid="m-actions"
          >
            {moves.length === 0 ? (
              <Typography.Text type="secondary" data-testid="m-no-actions">
                {t('mobile.noPhoneAction')}
              </Typography.Text>
            ) : (
              <>
                {moves.length > 1 ? (
                  <Space wrap style={{ marginBottom: 12 }}>
                    {moves.map((m) => (
                      <Button
                        key={m}
                        size="small"
                        type={m === active ? 'primary' : 'default'}
                        onClick={() => setChosen(m)}
                        data-testid={`m-choose-${m}`}
                      >
                        {t.label('moves', m)}
                      </Button>
                    ))}
                  </Space>
                ) : null}
                {active ? (
                  <MoveForm
                    key={`${active}-${detail.version}`}
                    detail={detail}
                    move={active}
                    units={units}
                    onDone={(next) => {
                      setConflict(false);
                      setChosen(null);
                      setOverride(next);
                      setDone(t('mobile.submitted', { step: t.label('steps', next.step) }));
                    }}
                    onConflict={() => {
                      setConflict(true);
                      setOverride(null);
                      remote.reload();
                    }}
                  />
                ) : null}
              </>
            )}
          </Card>

          {detail.enforcement ? <EnforcementDocuments caseId={detail.id} /> : null}
        </>
      ) : null}
    </MobileFrame>
  );
}

/** The enforcement procedure's documents for its current step: which are needed, which are there; add one. */
function EnforcementDocuments({ caseId }: { caseId: string }) {
  const t = useCasesT();
  const tApp = useT();
  const { api } = useSession();
  const { message } = App.useApp();
  const remote = useRemote((a, signal) => fetchEnforcement(a, caseId, signal), [caseId]);
  const [kind, setKind] = useState<string | null>(null);
  const [photos, setPhotos] = useState<Photo[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const e = remote.data;

  const add = async () => {
    const photo = photos[0];
    if (!e || !kind || !photo) return;
    setBusy(true);
    setError(null);
    try {
      await addEnforcementDocument(api, caseId, {
        document: kind,
        attachmentId: photo.id,
        expectedVersion: e.version,
      });
      setPhotos([]);
      setKind(null);
      void message.success(t('detail.done', { move: t('mobile.addDocument') }));
      remote.reload();
    } catch (err) {
      if (isApiError(err) && err.status === 409) {
        void message.warning(t('detail.conflict'));
        remote.reload();
      } else setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      size="small"
      className="og-m-card"
      style={{ marginTop: 12 }}
      title={t('mobile.enforcementTitle')}
      data-testid="m-enforcement"
    >
      {remote.loading && !e ? <Spin /> : null}
      {remote.error ? (
        <Typography.Text type="secondary">
          {isApiError(remote.error) && remote.error.code === 'NotFound'
            ? t('mobile.enforcementNone')
            : describeError(tApp, remote.error)}
        </Typography.Text>
      ) : null}
      {e ? (
        <>
          <div className="og-m-hint">{t('detail.enforcementStep', { step: e.state.step })}</div>
          <Typography.Text strong>{t('mobile.documentsRequired')}</Typography.Text>
          {e.requiredDocuments.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
          ) : (
            <List
              size="small"
              dataSource={e.requiredDocuments}
              renderItem={(d) => {
                const missing = e.missingDocuments.includes(d.kind);
                return (
                  <List.Item
                    data-testid="m-document"
                    data-kind={d.kind}
                    data-missing={missing ? 'true' : 'false'}
                  >
                    <Space>
                      {missing ? (
                        <CloseCircleOutlined style={{ color: '#cf1322' }} />
                      ) : (
                        <CheckCircleOutlined style={{ color: '#389e0d' }} />
                      )}
                      <span>{d.name}</span>
                      <Tag color={missing ? 'red' : 'green'}>
                        {missing ? t('mobile.documentMissing') : t('mobile.documentPresent')}
                      </Tag>
                    </Space>
                  </List.Item>
                );
              }}
            />
          )}
          {e.allowedMoves.includes('addDocument') ? (
            <Space orientation="vertical" style={{ width: '100%', marginTop: 8 }}>
              <Typography.Text strong>{t('mobile.addDocument')}</Typography.Text>
              <Select
                style={{ width: '100%' }}
                placeholder={t('mobile.documentKind')}
                value={kind}
                onChange={setKind}
                options={e.requiredDocuments.map((d) => ({ value: d.kind, label: d.name }))}
                data-testid="m-document-kind"
              />
              <PhotoCapture
                value={photos}
                onChange={(p) => setPhotos(p.slice(-1))}
                testId="m-document-photo"
              />
              {error ? <Alert type="error" showIcon title={describeError(tApp, error)} /> : null}
              <Button
                type="primary"
                disabled={!kind || photos.length === 0}
                loading={busy}
                onClick={() => void add()}
              >
                {t('form.submit')}
              </Button>
            </Space>
          ) : null}
        </>
      ) : null}
    </Card>
  );
}
