import { Alert, Button, Card, Descriptions, Space, Spin, Table, Tag } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { useT } from '../../i18n/i18n';
import { describeError } from '../../shell/describe-error';
import { useRemote } from '../registry/use-remote';
import { CHANNEL_COLOURS, fetchSite, type Link as SiteLink, type SiteMember } from './matching-api';
import { useMatchingT, type MatchingT } from './matching-i18n';

const when = (v: string | null) => (v ? new Date(v).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '—');

function reasons(t: MatchingT, links: SiteLink[], seqOf: Map<string, number>) {
  if (links.length === 0) return <Tag>{t('site.first')}</Tag>;
  return (
    <Space orientation="vertical" size={2}>
      {links.map((l, i) =>
        l.kind === 'join' ? (
          <Tag key={i} color="purple">
            {t('site.join')} #{seqOf.get(l.toReportId) ?? '?'}
          </Tag>
        ) : (
          <Space key={i} size={2} wrap data-testid="link-reason">
            <Tag color="blue">{t('site.distance', { m: Math.round(l.distanceM * 10) / 10, seq: seqOf.get(l.toReportId) ?? '?' })}</Tag>
            <Tag color={l.sameCompound ? 'green' : 'default'}>{l.sameCompound ? t('site.sameCompound') : t('site.otherCompound')}</Tag>
            <Tag color={l.text === 'match' ? 'green' : 'default'}>{l.text === 'match' ? t('site.textMatch') : t('site.textAbsent')}</Tag>
          </Space>
        ),
      )}
    </Space>
  );
}

/** 点位详情: a site and every report linked into it, with the reasons of each link. */
export default function SiteDetailPage() {
  const t = useMatchingT();
  const tApp = useT();
  const { id = '' } = useParams();
  const site = useRemote((api, signal) => fetchSite(api, id, signal), [id]);
  if (site.error) return <Alert type="error" showIcon title={describeError(tApp, site.error)} />;
  const s = site.data;
  if (!s) return <Spin />;
  const seqOf = new Map(s.reports.map((r) => [r.reportId, r.seq]));
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="site-detail">
      <Card
        size="small"
        title={`${t('site.title')} · ${s.reports[0]?.report?.address ?? s.id}`}
        extra={
          <Link to="/matching/sites">
            <Button size="small">{t('site.back')}</Button>
          </Link>
        }
      >
        <Descriptions size="small" column={3}>
          <Descriptions.Item label={t('site.firstChannel')}>
            <Tag color={CHANNEL_COLOURS[s.firstChannel]}>{t.channel(s.firstChannel)}</Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t('site.verifiedAt')}>{s.verified ? when(s.verifiedAt) : <Tag color="orange">{t('site.notVerified')}</Tag>}</Descriptions.Item>
          <Descriptions.Item label={t('site.channel')}>
            {s.channels.map((c) => (
              <Tag key={c} color={CHANNEL_COLOURS[c]}>
                {t.channel(c)}
              </Tag>
            ))}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small" title={t('site.reports', { n: s.reports.length })}>
        <Table<SiteMember>
          size="small"
          rowKey="reportId"
          pagination={false}
          dataSource={s.reports}
          data-testid="site-reports"
          columns={[
            { title: t('site.seq'), dataIndex: 'seq', key: 'seq', width: 50 },
            { title: t('site.channel'), dataIndex: 'channel', key: 'ch', render: (c: string) => <Tag color={CHANNEL_COLOURS[c]}>{t.channel(c)}</Tag> },
            { title: t('site.receivedAt'), dataIndex: 'receivedAt', key: 'r', render: when },
            { title: t('site.discoveredAt'), dataIndex: 'discoveredAt', key: 'd', render: when },
            { title: t('site.place'), dataIndex: 'placeText', key: 'p', render: (v: string | null) => v ?? '—' },
            { title: t('site.description'), key: 'desc', render: (_: unknown, m: SiteMember) => m.report?.description ?? '—' },
            { title: t('site.links'), key: 'links', render: (_: unknown, m: SiteMember) => reasons(t, m.links, seqOf) },
          ]}
        />
      </Card>
    </Space>
  );
}
