import { CheckOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Select, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useSession } from '../../auth/session-context';
import { useLocale, useT } from '../../i18n/i18n';
import { describeError } from '../../shell/describe-error';
import { PageHeading } from '../../shell/page-heading';
import { formatTime } from '../intake/intake-format';
import { useRemote } from '../registry/use-remote';
import { refreshUnreadAlerts } from './alerts-badge';
import { CaseRulesFrame, labelOf } from './case-rules-frame';
import { useCasesT } from './cases-i18n';
import { ALERT_KINDS, fetchAlerts, markAlertRead, type AlertKind, type CaseAlert } from './rules-api';

const PAGE = 50;
const KIND_TAG: Readonly<Record<string, string>> = {
  warn: 'orange',
  overdue: 'red',
  escalateLeader: 'volcano',
  escalateBureau: 'magenta',
  reporterWarn: 'gold',
  reporterOverdue: 'red',
  deliveryAckWarn: 'orange',
  deliveryAckOverdue: 'red',
  deliveryOnSiteWarn: 'orange',
  deliveryOnSiteOverdue: 'red',
  enforcementWarn: 'orange',
  enforcementOverdue: 'red',
  enforcementPartyDue: 'blue',
  dissatisfied: 'purple',
};

/** /cases/alerts: the alert inbox of the caller's unit and the units below it; unread first. */
export default function AlertsPage() {
  const t = useCasesT();
  const tApp = useT();
  const { locale } = useLocale();
  const { api } = useSession();
  const { message } = App.useApp();
  const [kind, setKind] = useState<AlertKind | undefined>();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [offset, setOffset] = useState(0);
  const [readNow, setReadNow] = useState<ReadonlyMap<string, string>>(new Map());
  const remote = useRemote(
    (a, signal) =>
      fetchAlerts(a, { kind, unread: unreadOnly ? true : undefined, limit: PAGE, offset }, signal),
    [kind, unreadOnly, offset],
  );
  const items = remote.data?.items ?? [];
  const readAt = (a: CaseAlert) => a.readAt ?? readNow.get(a.id) ?? null;
  const unread = Math.max(
    0,
    (remote.data?.unread ?? 0) - items.filter((a) => !a.readAt && readNow.has(a.id)).length,
  );

  const markRead = async (a: CaseAlert) => {
    try {
      const r = await markAlertRead(api, a.id);
      setReadNow((m) => new Map(m).set(a.id, r.readAt));
      refreshUnreadAlerts();
    } catch (e) {
      void message.error(describeError(tApp, e));
    }
  };

  return (
    <CaseRulesFrame>
      <div data-testid="alerts-page">
        <PageHeading title={t('alerts.title')} description={t('alerts.description')} />
        <Card size="small" style={{ marginTop: 12 }}>
          <Space wrap style={{ marginBottom: 12 }}>
            <Select
              allowClear
              placeholder={t('alerts.allKinds')}
              style={{ width: 220 }}
              value={kind}
              onChange={(v) => {
                setKind(v);
                setOffset(0);
              }}
              options={ALERT_KINDS.map((k) => ({ value: k, label: labelOf(t, 'alerts.kinds', k) }))}
              data-testid="alerts-kind"
            />
            <Space size={6}>
              <Switch
                checked={unreadOnly}
                onChange={(v) => {
                  setUnreadOnly(v);
                  setOffset(0);
                }}
                data-testid="alerts-unread-only"
              />
              {t('alerts.unreadOnly')}
            </Space>
            <Tag color={unread > 0 ? 'blue' : 'default'} data-testid="alerts-unread" data-unread={unread}>
              {t('alerts.unread', { n: unread })}
            </Tag>
          </Space>
          {remote.error ? (
            <Alert
              type="error"
              showIcon
              title={describeError(tApp, remote.error)}
              data-testid="alerts-error"
            />
          ) : (
            <Table<CaseAlert>
              size="small"
              rowKey="id"
              loading={remote.loading}
              dataSource={items}
              pagination={false}
              locale={{ emptyText: <span data-testid="alerts-empty">{t('alerts.empty')}</span> }}
              onRow={(a) =>
                ({
                  'data-testid': 'alert-row',
                  'data-alert-id': a.id,
                  'data-kind': a.kind,
                  'data-read': readAt(a) ? 'true' : 'false',
                  className: readAt(a) ? undefined : 'og-alert-unread',
                }) as React.HTMLAttributes<HTMLElement>
              }
              columns={[
                {
                  title: t('alerts.kind'),
                  key: 'kind',
                  width: 190,
                  render: (_, a) => (
                    <Space size={0}>
                      {readAt(a) ? null : <span className="og-alert-dot" />}
                      <Tag color={KIND_TAG[a.kind] ?? 'default'}>{a.kindLabel}</Tag>
                      {a.current ? null : (
                        <Tooltip title={t('alerts.supersededHint')}>
                          <Tag>{t('alerts.superseded')}</Tag>
                        </Tooltip>
                      )}
                    </Space>
                  ),
                },
                {
                  title: t('alerts.case'),
                  key: 'case',
                  width: 190,
                  render: (_, a) => (
                    <div>
                      <Link to={`/cases/${encodeURIComponent(a.caseId)}`} data-testid="alert-case-link">
                        {a.caseCode}
                      </Link>
                      <div className="og-small og-case-muted">
                        {t.label('steps', a.caseStep)} · {t.label('status', a.caseStatus)}
                      </div>
                    </div>
                  ),
                },
                {
                  title: t('alerts.message'),
                  key: 'message',
                  render: (_, a) => (
                    <div>
                      <div className="og-tl-basis">{a.message}</div>
                      <div className="og-small og-case-muted">{a.unit.name}</div>
                    </div>
                  ),
                },
                {
                  title: t('alerts.dueAt'),
                  key: 'dueAt',
                  width: 150,
                  render: (_, a) => formatTime(a.dueAt, locale),
                },
                {
                  title: t('alerts.createdAt'),
                  key: 'createdAt',
                  width: 150,
                  render: (_, a) => formatTime(a.createdAt, locale),
                },
                {
                  title: '',
                  key: 'read',
                  width: 120,
                  render: (_, a) =>
                    readAt(a) ? (
                      <Tooltip title={formatTime(readAt(a), locale)}>
                        <Typography.Text type="secondary">
                          <CheckOutlined /> {t('alerts.read')}
                        </Typography.Text>
                      </Tooltip>
                    ) : (
                      <Button size="small" onClick={() => void markRead(a)} data-testid="alert-mark-read">
                        {t('alerts.markRead')}
                      </Button>
                    ),
                },
              ]}
            />
          )}
          {offset > 0 || items.length === PAGE ? (
            <div className="og-case-more">
              <Button disabled={offset === 0} onClick={() => setOffset((o) => Math.max(0, o - PAGE))}>
                {t('alerts.prev')}
              </Button>
              <Typography.Text type="secondary">{t('alerts.page', { n: offset / PAGE + 1 })}</Typography.Text>
              <Button disabled={items.length < PAGE} onClick={() => setOffset((o) => o + PAGE)}>
                {t('alerts.next')}
              </Button>
            </div>
          ) : null}
        </Card>
      </div>
    </CaseRulesFrame>
  );
}
