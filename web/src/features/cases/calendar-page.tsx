import {
  CheckCircleOutlined,
  ExclamationCircleOutlined,
  LeftOutlined,
  RightOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Radio,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useSession } from '../../auth/session-context';
import { useT } from '../../i18n/i18n';
import { describeError } from '../../shell/describe-error';
import { PageHeading } from '../../shell/page-heading';
import { useRemote } from '../registry/use-remote';
import { CaseRulesFrame, labelOf, useCan } from './case-rules-frame';
import { useCasesT } from './cases-i18n';
import {
  CALENDAR_DAY_KINDS,
  declareCalendarYear,
  deleteCalendarDay,
  fetchCalendarYear,
  putCalendarDay,
  withdrawCalendarYear,
  type CalendarDay,
  type CalendarDayKind,
} from './rules-api';

const pad = (n: number) => String(n).padStart(2, '0');
const dateOf = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
/** 0 Sunday … 6 Saturday of a calendar date (no time zone involved). */
const weekdayOf = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).getUTCDay();
const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

function shanghaiYear(): number {
  return Number(
    new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()),
  );
}

function Month({
  year,
  month,
  days,
  weekdays,
  onPick,
  title,
}: {
  year: number;
  month: number;
  days: ReadonlyMap<string, CalendarDay>;
  weekdays: string[];
  onPick: (date: string) => void;
  title: string;
}) {
  const t = useCasesT();
  const lead = weekdayOf(year, month, 1);
  const cells: (number | null)[] = [...Array<null>(lead).fill(null)];
  for (let d = 1; d <= daysIn(year, month); d++) cells.push(d);
  return (
    <div className="og-cal-month" data-testid="cal-month" data-month={month}>
      <div className="og-cal-month-title">{title}</div>
      <div className="og-cal-days">
        {weekdays.map((w) => (
          <div key={w} className="og-cal-head">
            {w}
          </div>
        ))}
        {cells.map((d, i) => {
          if (d === null) return <div key={`e${i}`} className="og-cal-day empty" />;
          const date = dateOf(year, month, d);
          const day = days.get(date);
          const wd = weekdayOf(year, month, d);
          const classes = ['og-cal-day'];
          if (wd === 0 || wd === 6) classes.push('weekend');
          if (day) classes.push(day.kind);
          if (day?.origin === 'bureau') classes.push('bureau');
          return (
            <div
              key={date}
              className={classes.join(' ')}
              title={
                day
                  ? `${date} ${day.name ?? ''} · ${t(`calendar.${day.kind}`)} · ${labelOf(t, 'origins', day.origin)}`
                  : date
              }
              onClick={() => onPick(date)}
              role="button"
              tabIndex={0}
              onKeyDown={(e) => {
                if (e.key === 'Enter') onPick(date);
              }}
              data-testid="cal-day"
              data-date={date}
              data-kind={day?.kind ?? ''}
              data-origin={day?.origin ?? ''}
            >
              {d}
              {day ? (
                <span className="og-cal-mark">
                  {day.kind === 'holiday' ? t('calendar.holidayShort') : t('calendar.workdayShort')}
                </span>
              ) : null}
            </div>
          );
        })}
      </div>
    </div>
  );
}

/** /cases/calendar: a year of holidays and make-up workdays with their origin; the bureau's overrides and declarations. */
export default function CalendarPage() {
  const t = useCasesT();
  const tApp = useT();
  const { api } = useSession();
  const { message } = App.useApp();
  const canEdit = useCan('calendar:manage');
  const [year, setYear] = useState(shanghaiYear);
  const remote = useRemote((a, signal) => fetchCalendarYear(a, year, signal), [year]);
  const [picked, setPicked] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState('');
  const cal = remote.data && remote.data.year === year ? remote.data : undefined;
  const byDate = useMemo(() => new Map((cal?.days ?? []).map((d) => [d.date, d])), [cal]);
  const weekdays = t('calendar.weekdays').split(',');
  const counts = useMemo(
    () => ({
      holidays: (cal?.days ?? []).filter((d) => d.kind === 'holiday').length,
      workdays: (cal?.days ?? []).filter((d) => d.kind === 'workday').length,
      bureau: (cal?.days ?? []).filter((d) => d.origin === 'bureau').length,
    }),
    [cal],
  );

  const run = async (fn: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setRefusal(null);
    try {
      await fn();
      void message.success(done);
      setPicked(null);
    } catch (e) {
      // The server's refusal, in its words (an implausible year, a date outside the year, …).
      setRefusal(e);
    } finally {
      setBusy(false);
      remote.reload();
    }
  };

  const pickedDay = picked ? byDate.get(picked) : undefined;
  const pickedWeekday = picked
    ? weekdayOf(Number(picked.slice(0, 4)), Number(picked.slice(5, 7)), Number(picked.slice(8, 10)))
    : 0;
  const pickedState = pickedDay
    ? `${t(`calendar.${pickedDay.kind}`)}${pickedDay.name ? `（${pickedDay.name}）` : ''} · ${labelOf(t, 'origins', pickedDay.origin)}`
    : pickedWeekday === 0 || pickedWeekday === 6
      ? t('calendar.weekend')
      : t('calendar.normal');

  return (
    <CaseRulesFrame>
      <div data-testid="calendar-page">
        <PageHeading title={t('calendar.title')} description={t('calendar.description')} />
        <Card size="small" style={{ marginTop: 12 }}>
          <div className="og-cal-status">
            <Button
              icon={<LeftOutlined />}
              onClick={() => setYear((y) => y - 1)}
              aria-label="previous year"
              data-testid="cal-prev"
            />
            <InputNumber
              value={year}
              min={1990}
              max={2200}
              precision={0}
              onChange={(v) => (v ? setYear(v) : undefined)}
              style={{ width: 100 }}
              data-testid="cal-year"
            />
            <Button
              icon={<RightOutlined />}
              onClick={() => setYear((y) => y + 1)}
              aria-label="next year"
              data-testid="cal-next"
            />
            {cal ? (
              <>
                {cal.known ? (
                  <Tag color="green" icon={<CheckCircleOutlined />} data-testid="cal-known" data-known="true">
                    {t('calendar.known')}
                  </Tag>
                ) : (
                  <Tag
                    color="red"
                    icon={<ExclamationCircleOutlined />}
                    data-testid="cal-known"
                    data-known="false"
                  >
                    {t('calendar.unknown')}
                  </Tag>
                )}
                <Tag
                  color={cal.declared ? 'orange' : 'default'}
                  data-testid="cal-declared"
                  data-declared={String(cal.declared)}
                >
                  {cal.declared ? t('calendar.declared') : t('calendar.notDeclared')}
                </Tag>
                {cal.declared && cal.note ? (
                  <Typography.Text type="secondary">
                    {t('calendar.declaredNote', { note: cal.note })}
                  </Typography.Text>
                ) : null}
                <Typography.Text type="secondary" data-testid="cal-counts">
                  {t('calendar.counts', counts)}
                </Typography.Text>
              </>
            ) : null}
          </div>
          <Space wrap style={{ display: 'flex', marginTop: 8 }} size={16}>
            <Typography.Text type="secondary">{t('calendar.legend')}:</Typography.Text>
            <span className="og-cal-legend">
              <span className="og-cal-swatch" style={{ background: '#fde2e1' }} /> {t('calendar.holiday')}
            </span>
            <span className="og-cal-legend">
              <span className="og-cal-swatch" style={{ background: '#dbe8fb' }} /> {t('calendar.workday')}
            </span>
            <span className="og-cal-legend">
              <span className="og-cal-swatch" style={{ background: '#f2f3f5' }} /> {t('calendar.weekend')}
            </span>
            <span className="og-cal-legend">
              <span className="og-cal-swatch" style={{ border: '1px dashed #d46b08' }} />{' '}
              {t('calendar.bureauMark')}
            </span>
          </Space>
          {canEdit && cal ? (
            <Space wrap style={{ display: 'flex', marginTop: 12 }}>
              {cal.declared ? (
                <Popconfirm
                  title={t('calendar.withdrawConfirm', { year })}
                  onConfirm={() =>
                    run(() => withdrawCalendarYear(api, year), t('calendar.withdrawn', { year }))
                  }
                  okButtonProps={{ 'data-testid': 'cal-withdraw-ok' } as Record<string, string>}
                >
                  <Button danger loading={busy} data-testid="cal-withdraw">
                    {t('calendar.withdraw')}
                  </Button>
                </Popconfirm>
              ) : (
                <>
                  <Input
                    placeholder={t('calendar.declareNote')}
                    value={note}
                    onChange={(e) => setNote(e.target.value)}
                    maxLength={500}
                    style={{ width: 320 }}
                    data-testid="cal-declare-note"
                  />
                  <Popconfirm
                    title={t('calendar.declareConfirm', { year })}
                    onConfirm={() =>
                      run(
                        () => declareCalendarYear(api, year, note.trim() || null),
                        t('calendar.declaredDone', { year }),
                      )
                    }
                    okButtonProps={{ 'data-testid': 'cal-declare-ok' } as Record<string, string>}
                  >
                    <Button loading={busy} data-testid="cal-declare">
                      {t('calendar.declare')}
                    </Button>
                  </Popconfirm>
                </>
              )}
            </Space>
          ) : null}
          {!canEdit ? (
            <Alert type="info" showIcon title={t('calendar.readOnly')} style={{ marginTop: 12 }} />
          ) : null}
          {refusal && !picked ? (
            <Alert
              type="error"
              showIcon
              closable={{ onClose: () => setRefusal(null) }}
              title={describeError(tApp, refusal)}
              style={{ marginTop: 12 }}
              data-testid="cal-refusal"
            />
          ) : null}
        </Card>
        {remote.error ? (
          <Alert type="error" showIcon title={describeError(tApp, remote.error)} style={{ marginTop: 12 }} />
        ) : (
          <div className="og-cal-grid" style={{ marginTop: 12 }} data-testid="cal-grid" data-year={year}>
            {Array.from({ length: 12 }, (_, i) => i + 1).map((m) => (
              <Month
                key={m}
                year={year}
                month={m}
                days={byDate}
                weekdays={weekdays}
                title={t('calendar.month', { m })}
                onPick={(date) => {
                  setRefusal(null);
                  setPicked(date);
                }}
              />
            ))}
          </div>
        )}
        <Modal
          open={picked !== null}
          title={
            picked ? t('calendar.dayTitle', { date: picked, weekday: weekdays[pickedWeekday] ?? '' }) : ''
          }
          onCancel={() => setPicked(null)}
          footer={null}
          destroyOnHidden={false}
          width={440}
        >
          <div data-testid="cal-day-dialog" data-date={picked ?? ''}>
            <Typography.Paragraph data-testid="cal-day-state">
              {t('calendar.dayNow', { state: pickedState })}
            </Typography.Paragraph>
            {canEdit && picked ? (
              <Form
                key={picked}
                layout="vertical"
                initialValues={{
                  kind: pickedDay?.kind === 'holiday' ? 'workday' : 'holiday',
                  name: pickedDay?.name ?? '',
                }}
                onFinish={(v: { kind: CalendarDayKind; name: string }) =>
                  void run(
                    () => putCalendarDay(api, picked, { kind: v.kind, name: v.name.trim() || null }),
                    t('calendar.daySaved', { date: picked }),
                  )
                }
              >
                <Form.Item name="kind" label={t('calendar.dayKind')}>
                  <Radio.Group data-testid="cal-day-kind">
                    {CALENDAR_DAY_KINDS.map((k) => (
                      <Radio.Button key={k} value={k} data-testid={`cal-day-kind-${k}`}>
                        {t(`calendar.${k}`)}
                      </Radio.Button>
                    ))}
                  </Radio.Group>
                </Form.Item>
                <Form.Item name="name" label={t('calendar.dayName')}>
                  <Input maxLength={100} data-testid="cal-day-name" />
                </Form.Item>
                {refusal ? (
                  <Alert
                    type="error"
                    showIcon
                    title={describeError(tApp, refusal)}
                    style={{ marginBottom: 12 }}
                    data-testid="cal-day-error"
                  />
                ) : null}
                <Space>
                  <Button type="primary" htmlType="submit" loading={busy} data-testid="cal-day-save">
                    {t('calendar.daySave')}
                  </Button>
                  {pickedDay?.origin === 'bureau' ? (
                    <Button
                      danger
                      loading={busy}
                      onClick={() =>
                        void run(
                          () => deleteCalendarDay(api, picked),
                          t('calendar.dayCleared', { date: picked }),
                        )
                      }
                      data-testid="cal-day-clear"
                    >
                      {t('calendar.dayClear')}
                    </Button>
                  ) : null}
                </Space>
              </Form>
            ) : null}
          </div>
        </Modal>
      </div>
    </CaseRulesFrame>
  );
}
