/**
 * The dual report (双报告), the rules: what a property company must give, the lag from discovery to report
 * and its late flag, and the two deliveries' deadlines. Pure: no I/O, no clock (`now` is passed in).
 *
 * Law: 上海市住宅物业管理规定 第59条 (the company dissuades first — 劝阻、制止 — and reports within 24 hours when
 * that fails; 第87条: not reporting in time is fined by the district housing department) and 上海市拆除违法
 * 建筑若干规定 第4条 (the company reports to the district 拆违 office) and 第7条 (on site within 24 hours of the
 * report, within 2 hours while building is under way).
 */
import { invalid, forbidden } from '../platform/errors.js';
import { computeDeadline, type Deadline, type Duration } from '../platform/calendar/deadline.js';
import type { WorkCalendar } from '../platform/calendar/calendar.js';
import { parseInstant } from '../intake/reports.js';

/** The two recipients of every dual report (GLOSSARY: 双报告 — the local squad and the district 拆违办). */
export const RECIPIENTS = ['squad', 'illegalConstructionOffice'] as const;
export type Recipient = (typeof RECIPIENTS)[number];

/** 劝阻、制止 outcomes: it failed (the case art. 59 requires a report for), or it stopped the building. */
export const DISSUASION_OUTCOMES = ['ineffective', 'stopped'] as const;
export type DissuasionOutcome = (typeof DISSUASION_OUTCOMES)[number];

export interface DissuasionRecord {
  /** When the company's staff dissuaded (ISO with zone). */
  at: string;
  /** Who dissuaded: the staff member's name. */
  by: string;
  outcome: DissuasionOutcome;
  note?: string | null;
  /** Photos of the dissuasion, uploaded before (POST /api/photos). */
  photoIds?: string[];
}

export interface Place {
  building?: string | null;
  unit?: string | null;
  room?: string | null;
}

export const PLACE_MAX = 50;
export const TEXT_MAX = 500;

/** The law's report limit: 上海市住宅物业管理规定 第59条 "在二十四小时内报告". */
export const REPORT_WITHIN_MS = 24 * 3600_000;

export interface DualReportSettings {
  /**
   * The acknowledgement period of each recipient. No statute sets one; it is the bureau's working rule and
   * must be shorter than the art. 7 on-site period, which it precedes.
   */
  ackWithin: Duration & { basis: string };
  /** How far in the future (ms) a phone's clock may run; the same allowance as intake's. */
  clockSkewMs: number;
}

export const DEFAULT_DUAL_REPORT_SETTINGS: DualReportSettings = {
  ackWithin: {
    n: 1,
    unit: 'hour',
    basis: '区局工作规范：双报告 1 小时内签收（早于第7条的到场时限）',
  },
  clockSkewMs: 5 * 60_000,
};

/** The on-site period of 上海市拆除违法建筑若干规定 第7条, in natural hours (民法典 第201条第2款). */
export const onSiteRule = (underWay: boolean): Duration & { basis: string } =>
  underWay
    ? {
        n: 2,
        unit: 'hour',
        basis: '上海市拆除违法建筑若干规定 第7条：正在搭建的，2 小时内到场',
      }
    : {
        n: 24,
        unit: 'hour',
        basis: '上海市拆除违法建筑若干规定 第7条：接到报告后 24 小时内到场',
      };

/** The times and the dissuasion of a dual report as the rules check them. */
export interface DualReportDraft {
  discoveredAt: string;
  dissuasion: DissuasionRecord | null;
  /** Why there was no dissuasion (e.g. nobody on site, found finished): required when `dissuasion` is null. */
  noDissuasionReason: string | null;
  place: Place;
}

const instant = (field: string, text: string): Date => {
  const d = parseInstant(text);
  if (!d) throw invalid('instantFormat', { field, reason: 'format', value: text });
  return d;
};

const textOver = (field: string, v: string | null | undefined, max: number) => {
  if (v != null && [...v].length > max) throw invalid('fieldTooLong', { field, reason: 'tooLong', max });
};

/**
 * Checks a dual report's times and dissuasion against `now` (the moment of the report): discovery not in the
 * future and not after the report; a dissuasion record (or the reason there is none) for categories that
 * need one; the dissuasion between discovery and report. Throws Invalid naming the field.
 */
export function checkDualReport(
  d: DualReportDraft,
  needsDissuasion: boolean,
  now: Date,
  settings: DualReportSettings,
): void {
  const discovered = instant('discoveredAt', d.discoveredAt);
  if (discovered.getTime() > now.getTime() + settings.clockSkewMs)
    throw invalid('instantInFuture', { field: 'discoveredAt', reason: 'future', value: d.discoveredAt });
  if (discovered.getTime() > now.getTime())
    throw invalid('discoveryAfterReport', {
      field: 'discoveredAt',
      reason: 'afterReport',
      value: d.discoveredAt,
    });
  for (const k of ['building', 'unit', 'room'] as const) textOver(`place.${k}`, d.place[k], PLACE_MAX);
  textOver('noDissuasionReason', d.noDissuasionReason, TEXT_MAX);
  const s = d.dissuasion;
  if (!s) {
    // 上海市住宅物业管理规定 第59条 / 拆除违法建筑若干规定 第4条: the company dissuades first, then reports.
    if (needsDissuasion && !d.noDissuasionReason?.trim())
      throw invalid('dissuasionRequired', { field: 'dissuasion', reason: 'required' });
    return;
  }
  const at = instant('dissuasion.at', s.at);
  if (at.getTime() < discovered.getTime())
    throw invalid('dissuasionBeforeDiscovery', {
      field: 'dissuasion.at',
      reason: 'beforeDiscovery',
      value: s.at,
    });
  if (at.getTime() > now.getTime())
    throw invalid('dissuasionAfterReport', { field: 'dissuasion.at', reason: 'afterReport', value: s.at });
  if (!s.by.trim()) throw invalid('fieldRequired', { field: 'dissuasion.by', reason: 'required' });
  textOver('dissuasion.by', s.by, PLACE_MAX);
  textOver('dissuasion.note', s.note, TEXT_MAX);
}

/** Only a compound the user's own company manages may be reported on (第59条: 物业管理区域内). */
export function checkManaged(
  compound: { id: string; propertyCompany: { id: string } | null },
  companyId: string,
): void {
  if (compound.propertyCompany?.id !== companyId)
    throw forbidden('compoundNotManaged', { field: 'compoundId', value: compound.id });
}

/** Minutes from discovery to the report, and whether that exceeds the 24 hours of 第59条. */
export function lagOf(discoveredAt: string, reportedAt: string): { lagMinutes: number; late: boolean } {
  const ms = Date.parse(reportedAt) - Date.parse(discoveredAt);
  return { lagMinutes: Math.floor(ms / 60_000), late: ms > REPORT_WITHIN_MS };
}

/** The acknowledgement and on-site deadlines of one delivery, from the moment it was delivered. */
export function deliveryDeadlines(
  calendar: WorkCalendar,
  deliveredAt: Date,
  underWay: boolean,
  settings: DualReportSettings,
): { ack: Deadline; onSite: Deadline } {
  const { basis: ackBasis, ...ackRule } = settings.ackWithin;
  const { basis, ...rule } = onSiteRule(underWay);
  return {
    ack: computeDeadline(calendar, { from: deliveredAt, rule: ackRule, basis: ackBasis }),
    onSite: computeDeadline(calendar, { from: deliveredAt, rule, basis }),
  };
}

/** A delivery's receipt code: the report's tracking code and the recipient (ZD squad, CWB 拆违办). */
export const receiptCode = (trackingCode: string, recipient: Recipient): string =>
  `${trackingCode}-${recipient === 'squad' ? 'ZD' : 'CWB'}`;

/** Whether something done at `at` (or not yet, at `now`) missed its deadline. */
export const overdue = (due: string, at: string | null, now: Date): boolean =>
  Date.parse(at ?? now.toISOString()) > Date.parse(due);

/** A dual report is about illegal construction: 新增违建 and the other categories of that family. */
export function checkDualReportCategory(c: { key: string; family: string | null }): void {
  if (c.family !== 'illegalConstruction')
    throw invalid('dualReportCategory', { field: 'categoryKey', reason: 'family', value: c.key });
}

/** Categories whose report must follow a dissuasion (第59条 劝阻、制止 first): every illegal-construction one. */
export const needsDissuasion = (family: string | null): boolean => family === 'illegalConstruction';
