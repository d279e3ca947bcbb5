import { ArrowLeftOutlined, ClockCircleOutlined, MobileOutlined, PaperClipOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Empty,
  Image,
  Modal,
  Space,
  Spin,
  Tag,
  Timeline,
  Tooltip,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { isApiError } from '../../api/client';
import { useLocale, useT } from '../../i18n/i18n';
import { describeError } from '../../shell/describe-error';
import type { Photo } from '../intake/intake-api';
import { channelLabel, formatTime } from '../intake/intake-format';
import { ReportPhotos } from '../intake/report-photos';
import { useRemote } from '../registry/use-remote';
import {
  DANGER_MOVES,
  fetchCase,
  type CaseDetail,
  type Deadline,
  type FlowRecord,
  type MoveType,
} from './cases-api';
import { countdown, ruleText, STATUS_TAG, URGENCY_TAG } from './cases-format';
import { useCasesT, type CasesT } from './cases-i18n';
import { CaseRatings, StartEnforcementButton } from './case-followups';
import { useCategories, useUnits } from './case-hooks';
import { MoveForm } from './move-form';

/** Ticks every 30 s so countdowns stay current. */
export function useNow(ms = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/** A deadline: due time, the countdown or overdue mark, its time limit and legal basis. */
export function DeadlineView({ deadline, testId, now }: { deadline: Deadline; testId: string; now: number }) {
  const t = useCasesT();
  const { locale } = useLocale();
  const left = countdown(t, deadline.due, now);
  return (
    <div data-testid={testId} data-overdue={left.overdue ? 'true' : 'false'}>
      <Space wrap size={6}>
        <span>{formatTime(deadline.due, locale)}</span>
        <Tag
          color={left.overdue ? 'red' : 'blue'}
          icon={<ClockCircleOutlined />}
          data-testid={`${testId}-countdown`}
        >
          {left.text}
        </Tag>
        <Typography.Text type="secondary">
          {t('fields.rule')}: {ruleText(t, deadline)}
        </Typography.Text>
      </Space>
      <div className="og-case-basis" data-testid={`${testId}-basis`}>
        {t('fields.basis')}: {deadline.basis}
      </div>
    </div>
  );
}

function flowColour(f: FlowRecord): string {
  if (f.onTime === false) return 'red';
  if (DANGER_MOVES.has(f.move as MoveType)) return 'orange';
  if (f.track === 'enforcement') return 'purple';
  return f.onTime === true ? 'green' : 'blue';
}

function FlowItem({
  f,
  t,
  unitName,
  photos,
}: {
  f: FlowRecord;
  t: CasesT;
  unitName: (id: string | null) => string;
  photos: ReadonlyMap<string, Photo>;
}) {
  const { locale } = useLocale();
  const tApp = useT();
  const attached = f.attachments.map((id) => photos.get(id)).filter((p): p is Photo => p !== undefined);
  return (
    <div className="og-case-flow" data-testid="flow-record" data-move={f.move} data-step={f.step}>
      <Space wrap size={6}>
        <Typography.Text strong>{t.label('moves', f.move)}</Typography.Text>
        <Tag>{t.label('steps', f.step)}</Tag>
        {f.toStep !== f.step ? (
          <Typography.Text type="secondary">
            {t('detail.to', { step: t.label('steps', f.toStep) })}
          </Typography.Text>
        ) : null}
        {f.onTime === true ? (
          <Tag color="green" data-testid="flow-ontime">
            {t('detail.onTime')}
          </Tag>
        ) : f.onTime === false ? (
          <Tag color="red" data-testid="flow-late">
            {t('detail.late')}
          </Tag>
        ) : null}
      </Space>
      <div className="og-small">
        {t('detail.by', { actor: f.actorName ?? f.actorId, unit: unitName(f.unitId) })}
        {f.role ? ` · ${tApp.optional(`roles.${f.role}`) ?? f.role}` : ''}
      </div>
      <div className="og-small og-case-muted">
        {f.startedAt !== f.endedAt ? `${formatTime(f.startedAt, locale)} → ` : ''}
        {formatTime(f.endedAt, locale)}
        {f.deadline ? ` · ${t('fields.dueAt')} ${formatTime(f.deadline.due, locale)}` : ''}
      </div>
      {f.targetUnitId ? <div>{t('detail.target', { unit: unitName(f.targetUnitId) })}</div> : null}
      {f.reason ? (
        <div>
          <Typography.Text type="secondary">{t('detail.reason')}：</Typography.Text>
          {f.reason}
        </div>
      ) : null}
      {f.note ? (
        <div>
          <Typography.Text type="secondary">{t('detail.note')}：</Typography.Text>
          {f.note}
        </div>
      ) : null}
      {attached.length > 0 ? (
        <Image.PreviewGroup>
          <Space size={6} wrap style={{ marginTop: 4 }}>
            {attached.map((p) => (
              <Tooltip key={p.id} title={`SHA-256 ${p.sha256}`}>
                <Image
                  src={p.thumbUrl}
                  width={72}
                  height={54}
                  preview={{ src: p.servedUrl }}
                  data-testid="flow-photo"
                />
              </Tooltip>
            ))}
          </Space>
        </Image.PreviewGroup>
      ) : f.attachments.length > 0 ? (
        <div className="og-small">
          <PaperClipOutlined /> {f.attachments.length}
        </div>
      ) : null}
    </div>
  );
}

/** /cases/:id: a case with its deadlines and their basis, timeline, reports, and the signed-in role's moves. */
export default function CaseDetailPage() {
  const { id = '' } = useParams();
  const t = useCasesT();
  const tApp = useT();
  const { locale } = useLocale();
  const now = useNow();
  const remote = useRemote((api, signal) => fetchCase(api, id, signal), [id]);
  const [override, setOverride] = useState<CaseDetail | null>(null);
  const [moving, setMoving] = useState<MoveType | null>(null);
  const [conflict, setConflict] = useState(false);
  const { units, unitName } = useUnits();
  const { categoryName } = useCategories();
  const detail = override && remote.data && override.version >= remote.data.version ? override : remote.data;
  const photos = useMemo(() => new Map((detail?.attachments ?? []).map((p) => [p.id, p])), [detail]);

  if (remote.loading && !detail) return <Spin data-testid="case-loading" />;
  if (remote.error && !detail)
    return (
      <Alert
        type={isApiError(remote.error) && remote.error.code === 'NotFound' ? 'warning' : 'error'}
        showIcon
        title={
          isApiError(remote.error) && remote.error.code === 'NotFound'
            ? t('detail.notFound')
            : describeError(tApp, remote.error)
        }
        data-testid="case-error"
      />
    );
  if (!detail) return null;

  const reload = () => {
    setOverride(null);
    remote.reload();
  };

  return (
    <div
      className="og-case-detail"
      data-testid="case-detail"
      data-step={detail.step}
      data-status={detail.status}
      data-version={detail.version}
    >
      <Space style={{ marginBottom: 8 }}>
        <Link to="/cases/list">
          <ArrowLeftOutlined /> {t('detail.back')}
        </Link>
      </Space>
      {conflict ? (
        <Alert
          type="warning"
          showIcon
          closable={{ onClose: () => setConflict(false) }}
          title={t('detail.conflict')}
          style={{ marginBottom: 12 }}
          data-testid="case-conflict"
        />
      ) : null}
      <div className="og-case-grid">
        <div className="og-case-main">
          <Card
            size="small"
            title={
              <Space wrap>
                <Typography.Title level={4} style={{ margin: 0 }} data-testid="case-code">
                  {detail.code}
                </Typography.Title>
                <Tag color={STATUS_TAG[detail.status]} data-testid="case-status">
                  {t.label('status', detail.status)}
                </Tag>
                <Tag color="geekblue" data-testid="case-step">
                  {t.label('steps', detail.step)}
                </Tag>
                {detail.urgency !== 'none' ? (
                  <Tag color={URGENCY_TAG[detail.urgency]} data-testid="case-urgency">
                    {t.label('urgency', detail.urgency)}
                  </Tag>
                ) : null}
              </Space>
            }
            extra={
              <Link to={`/m/cases/${encodeURIComponent(detail.id)}`} target="_blank">
                <MobileOutlined /> {t('detail.phonePage')}
              </Link>
            }
          >
            <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered>
              <Descriptions.Item label={t('fields.category')}>
                <span data-testid="case-category">{categoryName(detail.categoryKey)}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('fields.channel')}>
                {channelLabel(tApp, detail.channel)}
              </Descriptions.Item>
              <Descriptions.Item label={t('fields.responsibleUnit')}>
                <span data-testid="case-responsible">{unitName(detail.responsibleUnitId)}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('fields.handlingUnit')}>
                <span data-testid="case-handling">{unitName(detail.handlingUnitId)}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('fields.receivedAt')}>
                {formatTime(detail.receivedAt, locale)}
              </Descriptions.Item>
              <Descriptions.Item label={t('fields.openedAt')}>
                {formatTime(detail.openedAt, locale)}
              </Descriptions.Item>
              <Descriptions.Item
                label={`${t('fields.deadline')}（${t.label('steps', detail.step)}）`}
                span={2}
              >
                {detail.suspendedAt ? (
                  <Tag color="warning">
                    {t('detail.suspendedSince', { at: formatTime(detail.suspendedAt, locale) })}
                  </Tag>
                ) : null}
                {detail.deadline ? (
                  <DeadlineView deadline={detail.deadline} testId="case-deadline" now={now} />
                ) : (
                  <Typography.Text type="secondary" data-testid="case-deadline-none">
                    {t('detail.noDeadline')}
                  </Typography.Text>
                )}
              </Descriptions.Item>
              {detail.reporterDeadline ? (
                <Descriptions.Item label={t('fields.reporterDeadline')} span={2}>
                  {detail.reporterInformedAt ? (
                    <Tag color="green">
                      {t('fields.reporterInformed')} {formatTime(detail.reporterInformedAt, locale)}
                    </Tag>
                  ) : (
                    <DeadlineView
                      deadline={detail.reporterDeadline}
                      testId="case-reporter-deadline"
                      now={now}
                    />
                  )}
                </Descriptions.Item>
              ) : null}
              {detail.pendingPostpone ? (
                <Descriptions.Item label={t('fields.pendingPostpone')} span={2}>
                  +{detail.pendingPostpone.extension.n}{' '}
                  {t.label('units', detail.pendingPostpone.extension.unit)} · {detail.pendingPostpone.reason}
                </Descriptions.Item>
              ) : null}
              {detail.enforcement ? (
                <Descriptions.Item label={t('detail.enforcement')} span={2}>
                  {t('detail.enforcementStep', { step: detail.enforcement.step })}
                </Descriptions.Item>
              ) : null}
            </Descriptions>
          </Card>

          <Card
            size="small"
            title={t('detail.timeline')}
            style={{ marginTop: 12 }}
            data-testid="case-timeline"
          >
            {detail.timeline.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('detail.noTimeline')} />
            ) : (
              <Timeline
                items={detail.timeline.map((f) => ({
                  key: f.seq,
                  color: flowColour(f),
                  content: <FlowItem f={f} t={t} unitName={unitName} photos={photos} />,
                }))}
              />
            )}
          </Card>
        </div>

        <div className="og-case-side">
          <Card size="small" title={t('detail.actions')} data-testid="case-actions">
            {detail.allowedMoves.length === 0 ? (
              <Typography.Text type="secondary" data-testid="case-no-actions">
                {t('detail.noActions')}
              </Typography.Text>
            ) : (
              <Space wrap>
                {detail.allowedMoves.map((m) => (
                  <Button
                    key={m}
                    type={DANGER_MOVES.has(m) ? 'default' : 'primary'}
                    danger={DANGER_MOVES.has(m)}
                    onClick={() => setMoving(m)}
                    data-testid={`move-${m}`}
                  >
                    {t.label('moves', m)}
                  </Button>
                ))}
              </Space>
            )}
            <div style={{ marginTop: 8 }}>
              <StartEnforcementButton detail={detail} onStarted={reload} />
            </div>
          </Card>

          <CaseRatings detail={detail} />

          <Card size="small" title={t('detail.reports')} style={{ marginTop: 12 }} data-testid="case-reports">
            {detail.reports.map((r) => (
              <div key={r.id} className="og-case-report" data-testid="case-report">
                <Space wrap size={6}>
                  <Link to={`/intake/reports/${encodeURIComponent(r.id)}`}>{r.trackingCode}</Link>
                  <Tag>{channelLabel(tApp, r.channel)}</Tag>
                  <span className="og-small">{formatTime(r.receivedAt, locale)}</span>
                </Space>
                <div>{r.description}</div>
                {r.address ? <div className="og-small og-case-muted">{r.address}</div> : null}
                <div className="og-small" data-testid="case-reporter">
                  {t('detail.reporter')}：
                  {r.anonymous
                    ? t('detail.anonymous')
                    : [r.reporterName, r.reporterPhone].filter(Boolean).join(' · ') || '—'}
                </div>
                <ReportPhotos photos={r.photos} />
              </div>
            ))}
          </Card>

          <Card size="small" title={t('detail.attachments')} style={{ marginTop: 12 }}>
            {detail.attachments.length === 0 ? (
              <Typography.Text type="secondary">{t('detail.noAttachments')}</Typography.Text>
            ) : (
              <ReportPhotos photos={detail.attachments} />
            )}
          </Card>
        </div>
      </div>

      <Modal
        open={moving !== null}
        title={moving ? t('form.title', { move: t.label('moves', moving), code: detail.code }) : ''}
        footer={null}
        onCancel={() => setMoving(null)}
        destroyOnHidden
        width={560}
      >
        {moving ? (
          <MoveForm
            detail={detail}
            move={moving}
            units={units}
            onDone={(next) => {
              setMoving(null);
              setConflict(false);
              setOverride(next);
            }}
            onConflict={() => {
              setMoving(null);
              setConflict(true);
              reload();
            }}
            onCancel={() => setMoving(null)}
          />
        ) : null}
      </Modal>
    </div>
  );
}
