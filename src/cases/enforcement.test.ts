import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../access/roles.js';
import { createWorkCalendar } from '../platform/calendar/calendar.js';
import { parseInstant } from '../platform/calendar/shanghai-time.js';
import { DomainError } from '../platform/errors.js';
import {
  DOCUMENT_KINDS,
  DOCUMENT_NAMES_ZH,
  type DocumentKind,
  ENFORCEMENT_MOVE_TYPES,
  type EnforcementActor,
  type EnforcementFlags,
  type EnforcementMove,
  type EnforcementMoveType,
  type EnforcementState,
  NO_FLAGS,
  amountDue,
  applyEnforcementMove,
  collectiveDecisionRequired,
  daysLate,
  decisionOverdue,
  enforcementMoves,
  lateFee,
  legalEnforcementMoves,
  legalReviewRequired,
  missingDocuments,
  startEnforcement,
} from './enforcement.js';

const calendar = createWorkCalendar();
const at = (text: string): Date => parseInstant(text);
const refusal = (f: () => unknown): DomainError => {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError, got a result');
};

const officer: EnforcementActor = { id: 'o1', role: 'officer' };
const leader: EnforcementActor = { id: 'l1', role: 'squadLeader' };
const reviewer: EnforcementActor = { id: 'r1', role: 'bureauStaff' };

/** One scripted step: who, what, when (Shanghai wall-clock, '2026-03-02 09:00'). */
type Line = [EnforcementActor, EnforcementMove, string];
const when = (t: string): Date => at(`${t.replace(' ', 'T')}:00+08:00`);
const doc = (document: DocumentKind, t: string): Line => [
  officer,
  { type: 'addDocument', document, attachmentId: `att-${document}` },
  t,
];

function play(lines: Line[], start: EnforcementState = startEnforcement('c-1')) {
  let state = start;
  const records = lines.map(([actor, move, t]) => {
    const r = applyEnforcementMove(state, move, actor, when(t), calendar);
    state = r.state;
    return r.record;
  });
  return { state, records };
}

/** Plays the script leaving out the given documents; returns the refusal or the final state. */
function playWithout(
  lines: Line[],
  omit: DocumentKind,
  start?: EnforcementState,
): DomainError | EnforcementState {
  const kept = lines.filter(([, m]) => !(m.type === 'addDocument' && m.document === omit));
  try {
    return play(kept, start).state;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
}

// A simple case, no hearing right: fine paid on time.
const SIMPLE: Line[] = [
  doc('filingApproval', '2026-03-02 08:50'),
  [leader, { type: 'approveFiling' }, '2026-03-02 09:00'],
  doc('onSiteInspectionRecord', '2026-03-03 10:00'),
  doc('interviewRecord', '2026-03-04 10:00'),
  doc('evidence', '2026-03-04 11:00'),
  [officer, { type: 'completeInvestigation', officerIds: ['o1', 'o2'] }, '2026-03-10 10:00'],
  doc('priorNotice', '2026-03-16 09:00'),
  [officer, { type: 'serveNotice' }, '2026-03-16 10:00'],
  doc('statementRecord', '2026-03-18 10:00'),
  [officer, { type: 'completeDefence', statementMade: true }, '2026-03-18 11:00'],
  doc('decisionDocument', '2026-03-25 09:00'),
  [leader, { type: 'decide', fineCents: 200_000 }, '2026-03-25 10:00'],
  doc('serviceReceipt', '2026-03-27 10:00'),
  [officer, { type: 'serve', partyPresent: false }, '2026-03-27 11:00'],
  doc('paymentReceipt', '2026-04-10 10:00'),
  [leader, { type: 'completeExecution', outcome: 'paid' }, '2026-04-10 11:00'],
  doc('closingApproval', '2026-04-13 10:00'),
  [leader, { type: 'closeCase' }, '2026-04-13 11:00'],
];

// A heavy case: hearing right, major rights (review after a hearing), major violation (collective decision).
const HEAVY_FLAGS: Partial<EnforcementFlags> = {
  hearingRight: true,
  majorRights: true,
  majorViolation: true,
};
const HEAVY: Line[] = [
  doc('filingApproval', '2026-03-02 08:50'),
  [leader, { type: 'approveFiling' }, '2026-03-02 09:00'],
  doc('onSiteInspectionRecord', '2026-03-03 10:00'),
  doc('interviewRecord', '2026-03-04 10:00'),
  doc('evidence', '2026-03-04 11:00'),
  [
    officer,
    { type: 'completeInvestigation', officerIds: ['o1', 'o2', 'o1'], flags: HEAVY_FLAGS },
    '2026-03-10 10:00',
  ],
  doc('priorNotice', '2026-03-16 09:00'),
  [officer, { type: 'serveNotice' }, '2026-03-16 10:00'],
  [officer, { type: 'requestHearing' }, '2026-03-20 10:00'],
  doc('hearingNotice', '2026-03-20 10:30'),
  [officer, { type: 'scheduleHearing', hearingAt: '2026-04-01T09:00:00+08:00' }, '2026-03-20 11:00'],
  doc('hearingRecord', '2026-04-01 11:30'),
  [officer, { type: 'completeHearing' }, '2026-04-01 12:00'],
  doc('legalReviewOpinion', '2026-04-08 10:00'),
  [reviewer, { type: 'passLegalReview' }, '2026-04-08 11:00'],
  doc('collectiveDiscussionRecord', '2026-04-15 10:00'),
  doc('decisionDocument', '2026-04-15 11:00'),
  [leader, { type: 'decide', fineCents: 5_000_000 }, '2026-04-15 15:00'],
  doc('serviceReceipt', '2026-04-15 15:10'),
  [officer, { type: 'serve', partyPresent: true }, '2026-04-15 15:30'],
  doc('paymentReceipt', '2026-05-08 10:00'),
  [leader, { type: 'completeExecution', outcome: 'paid' }, '2026-05-08 11:00'],
  doc('closingApproval', '2026-05-11 10:00'),
  [leader, { type: 'closeCase' }, '2026-05-11 11:00'],
];

describe('a full procedure', () => {
  it('the simple path: filed, investigated by two, notified, defended, decided, served, paid, closed', () => {
    const { state, records } = play(SIMPLE);
    expect(state).toMatchObject({
      step: 'archived',
      outcome: 'penalty',
      executionOutcome: 'paid',
      officerIds: ['o1', 'o2'],
      filedAt: '2026-03-02T09:00:00.000+08:00',
      fineCents: 200_000,
      lateFeeCents: 0,
      legalReviewPassed: false,
      version: SIMPLE.length + 1,
    });
    // 行政处罚法 第60条: 2026-03-02 + 90 days = 05-31, a Sunday → Monday 06-01.
    expect(state.decisionDeadline).toMatchObject({
      due: '2026-06-01T23:59:59.999+08:00',
      basis: expect.stringContaining('第60条'),
    });
    // 第61条: 7 working days from Wednesday 03-25 → Friday 04-03 (04-04..06 is Qingming).
    expect(state.serviceDeadline?.due).toBe('2026-04-03T23:59:59.999+08:00');
    // 第67条: 15 days from receipt 03-27 → 04-11, a Saturday → Monday 04-13.
    expect(state.paymentDeadline?.due).toBe('2026-04-13T23:59:59.999+08:00');
    expect(records.filter((r) => r.onTime !== null).map((r) => [r.move, r.onTime])).toEqual([
      ['decide', true],
      ['serve', true],
      ['completeExecution', true],
    ]);
    expect(records.map((r) => r.step).filter((s, i, all) => s !== all[i - 1])).toEqual([
      'filing',
      'investigation',
      'notice',
      'defence',
      'decision',
      'service',
      'execution',
      'closing',
    ]);
  });

  it('the heavy path: hearing, legal review after it, collective decision; hearing time stops the decision clock', () => {
    const { state } = play(HEAVY);
    expect(state).toMatchObject({
      step: 'archived',
      hearingHeld: true,
      legalReviewPassed: true,
      hearingAt: '2026-04-01T09:00:00.000+08:00',
    });
    expect(state.clockSuspensions).toEqual([
      { from: '2026-03-20T10:00:00.000+08:00', to: '2026-04-01T12:00:00.000+08:00', reason: 'hearing' },
    ]);
    // 90 days leaving out the 13 days 03-20..04-01 → 06-13 (Saturday) → Monday 06-15.
    expect(state.decisionDeadline?.due).toBe('2026-06-15T23:59:59.999+08:00');
    expect(legalEnforcementMoves(state)).toEqual([]);
  });

  it('the steps of the heavy path, in order', () => {
    const steps = play(HEAVY).records.map((r) => r.step);
    expect(steps.filter((s, i) => s !== steps[i - 1])).toEqual([
      'filing',
      'investigation',
      'notice',
      'defence',
      'hearing',
      'legalReview',
      'decision',
      'service',
      'execution',
      'closing',
    ]);
  });

  it('documents have their form names', () => {
    expect(Object.keys(DOCUMENT_NAMES_ZH)).toEqual([...DOCUMENT_KINDS]);
    expect(DOCUMENT_NAMES_ZH.priorNotice).toBe('行政处罚事先告知书');
  });
});

describe('no step closes while a document is missing', () => {
  // Where each document is first needed, on the two scripted paths.
  const NEEDED: Array<[DocumentKind, Line[], EnforcementMoveType, string]> = [
    ['filingApproval', SIMPLE, 'approveFiling', 'filing'],
    ['onSiteInspectionRecord', SIMPLE, 'completeInvestigation', 'investigation'],
    ['interviewRecord', SIMPLE, 'completeInvestigation', 'investigation'],
    ['evidence', SIMPLE, 'completeInvestigation', 'investigation'],
    ['priorNotice', SIMPLE, 'serveNotice', 'notice'],
    ['statementRecord', SIMPLE, 'completeDefence', 'defence'],
    ['decisionDocument', SIMPLE, 'decide', 'decision'],
    ['serviceReceipt', SIMPLE, 'serve', 'service'],
    ['paymentReceipt', SIMPLE, 'completeExecution', 'execution'],
    ['closingApproval', SIMPLE, 'closeCase', 'closing'],
    ['hearingNotice', HEAVY, 'scheduleHearing', 'hearing'],
    ['hearingRecord', HEAVY, 'completeHearing', 'hearing'],
    ['legalReviewOpinion', HEAVY, 'passLegalReview', 'legalReview'],
    ['collectiveDiscussionRecord', HEAVY, 'decide', 'decision'],
  ];

  for (const [document, script, move, step] of NEEDED) {
    it(`${document} (${DOCUMENT_NAMES_ZH[document]}): ${move} is refused`, () => {
      const result = playWithout(script, document);
      expect(result).toBeInstanceOf(DomainError);
      const e = result as DomainError;
      expect([e.code, e.messageKey, e.details]).toEqual([
        'Invalid',
        'documentsMissing',
        { step, missing: [document] },
      ]);
      // And the refusal comes at that move: everything before it went through.
      const upTo = script.findIndex(([, m]) => m.type === move);
      const before = play(
        script.slice(0, upTo).filter(([, m]) => !(m.type === 'addDocument' && m.document === document)),
      );
      const outcome = script[upTo]?.[1].outcome;
      expect(missingDocuments(before.state, before.state.step, outcome)).toContain(document);
    });
  }

  it('a defence without a statement needs no statement record', () => {
    const lines = SIMPLE.map(([a, m, t]): Line =>
      m.type === 'completeDefence' ? [a, { ...m, statementMade: false }, t] : [a, m, t],
    );
    const result = playWithout(lines, 'statementRecord');
    expect(result).toMatchObject({ step: 'archived', statementMade: false });
  });

  it('the required documents of a step depend on the case', () => {
    const s = startEnforcement('c-1', { complexCircumstances: true });
    expect(missingDocuments(s, 'decision')).toEqual(['collectiveDiscussionRecord', 'decisionDocument']);
    expect(missingDocuments(startEnforcement('c-2'), 'decision')).toEqual(['decisionDocument']);
    expect(missingDocuments(s, 'execution', 'demolished')).toEqual([
      'demolitionNotice',
      'demandNotice',
      'forcedDemolitionDecision',
    ]);
    expect(missingDocuments(s, 'execution')).toEqual([]);
  });
});

describe('行政处罚法 rules', () => {
  const upTo = (script: Line[], move: EnforcementMoveType, start?: EnforcementState) =>
    play(
      script.slice(
        0,
        script.findIndex(([, m]) => m.type === move),
      ),
      start,
    ).state;

  it('第42条: the investigation needs at least two different officers', () => {
    const state = upTo(SIMPLE, 'completeInvestigation');
    for (const officerIds of [['o1'], ['o1', 'o1']]) {
      const e = refusal(() =>
        applyEnforcementMove(
          state,
          { type: 'completeInvestigation', officerIds },
          officer,
          when('2026-03-10 10:00'),
          calendar,
        ),
      );
      expect([e.messageKey, e.details]).toEqual([
        'officersTooFew',
        { field: 'officerIds', min: 2, got: 1, basis: '行政处罚法 第42条' },
      ]);
    }
    const none = refusal(() =>
      applyEnforcementMove(
        state,
        { type: 'completeInvestigation' },
        officer,
        when('2026-03-10 10:00'),
        calendar,
      ),
    );
    expect([none.messageKey, none.details]).toEqual(['moveFieldRequired', { field: 'officerIds' }]);
  });

  it('第64条(一): a hearing requested after 5 working days is refused; on the 5th day it is accepted', () => {
    const state = upTo(HEAVY, 'requestHearing');
    // Notice Monday 03-16 → 03-17, 18, 19, 20, 23.
    expect(state.hearingRequestDeadline).toMatchObject({
      due: '2026-03-23T23:59:59.999+08:00',
      basis: expect.stringContaining('第64条'),
    });
    const late = refusal(() =>
      applyEnforcementMove(state, { type: 'requestHearing' }, officer, when('2026-03-24 09:00'), calendar),
    );
    expect([late.messageKey, late.details]).toEqual([
      'hearingRequestLate',
      { due: '2026-03-23T23:59:59.999+08:00', basis: state.hearingRequestDeadline?.basis },
    ]);
    const lastDay = applyEnforcementMove(
      state,
      { type: 'requestHearing' },
      officer,
      when('2026-03-23 17:00'),
      calendar,
    );
    expect([lastDay.state.step, lastDay.record.onTime]).toEqual(['hearing', true]);
  });

  it('第63条: no hearing for a penalty that carries no right to one', () => {
    const state = upTo(SIMPLE, 'completeDefence');
    const e = refusal(() =>
      applyEnforcementMove(state, { type: 'requestHearing' }, officer, when('2026-03-17 09:00'), calendar),
    );
    expect(e.messageKey).toBe('hearingNotAvailable');
  });

  it('the defence cannot close while the party may still ask for a hearing, unless the party waived', () => {
    const state = play(HEAVY.slice(0, 8)).state;
    expect(state.step).toBe('defence');
    const early = refusal(() =>
      applyEnforcementMove(
        state,
        { type: 'completeDefence', statementMade: false },
        officer,
        when('2026-03-23 10:00'),
        calendar,
      ),
    );
    expect(early.messageKey).toBe('hearingWindowOpen');
    const waived = applyEnforcementMove(
      state,
      { type: 'waiveRights', note: '当事人书面放弃' },
      officer,
      when('2026-03-17 10:00'),
      calendar,
    ).state;
    const done = applyEnforcementMove(
      waived,
      { type: 'completeDefence', statementMade: false },
      officer,
      when('2026-03-17 11:00'),
      calendar,
    );
    // No hearing was held: major rights alone do not call for legal review (第58条(二)).
    expect(done.state.step).toBe('decision');
    const after = applyEnforcementMove(
      state,
      { type: 'completeDefence', statementMade: false },
      officer,
      when('2026-03-24 09:00'),
      calendar,
    );
    expect(after.state.step).toBe('decision');
  });

  it('第64条(二): the hearing falls after 7 working days of notice, and is completed only once held', () => {
    const state = upTo(HEAVY, 'scheduleHearing');
    const tooSoon = refusal(() =>
      applyEnforcementMove(
        state,
        { type: 'scheduleHearing', hearingAt: '2026-03-31T15:00:00+08:00' },
        officer,
        when('2026-03-20 11:00'),
        calendar,
      ),
    );
    expect([tooSoon.messageKey, tooSoon.details.after]).toEqual([
      'hearingNoticeTooShort',
      '2026-03-31T23:59:59.999+08:00',
    ]);
    const noZone = refusal(() =>
      applyEnforcementMove(
        state,
        { type: 'scheduleHearing', hearingAt: '2026-04-01T09:00:00' },
        officer,
        when('2026-03-20 11:00'),
        calendar,
      ),
    );
    expect([noZone.messageKey, noZone.details.field]).toEqual(['timezoneRequired', 'hearingAt']);
    const scheduled = applyEnforcementMove(
      state,
      { type: 'scheduleHearing', hearingAt: '2026-04-01T09:00:00+08:00' },
      officer,
      when('2026-03-20 11:00'),
      calendar,
    ).state;
    const withRecord = applyEnforcementMove(
      scheduled,
      { type: 'addDocument', document: 'hearingRecord', attachmentId: 'a' },
      officer,
      when('2026-03-31 10:00'),
      calendar,
    ).state;
    const early = refusal(() =>
      applyEnforcementMove(
        withRecord,
        { type: 'completeHearing' },
        officer,
        when('2026-03-31 10:00'),
        calendar,
      ),
    );
    expect(early.messageKey).toBe('hearingNotHeld');
    // The clock stays stopped by the hearing: it cannot be resumed by hand.
    expect(legalEnforcementMoves(withRecord)).not.toContain('resumeClock');
  });

  it('第58条: legal review is required for the listed cases, and the decision waits for it', () => {
    expect(legalReviewRequired(NO_FLAGS, true)).toBe(false);
    expect(legalReviewRequired({ ...NO_FLAGS, majorRights: true }, false)).toBe(false);
    expect(legalReviewRequired({ ...NO_FLAGS, majorRights: true }, true)).toBe(true);
    for (const flag of ['majorPublicInterest', 'legallyComplex', 'reviewRequiredByLaw'] as const) {
      expect(legalReviewRequired({ ...NO_FLAGS, [flag]: true }, false), flag).toBe(true);
    }
    expect(collectiveDecisionRequired({ ...NO_FLAGS, complexCircumstances: true })).toBe(true);
    expect(collectiveDecisionRequired({ ...NO_FLAGS, majorViolation: true })).toBe(true);
    expect(collectiveDecisionRequired({ ...NO_FLAGS, hearingRight: true })).toBe(false);

    // A legally complex case goes from the defence to review; a failed review goes back to investigation.
    const lines = SIMPLE.map(([a, m, t]): Line =>
      m.type === 'completeInvestigation' ? [a, { ...m, flags: { legallyComplex: true } }, t] : [a, m, t],
    );
    const review = upTo(lines, 'decide');
    expect(review.step).toBe('legalReview');
    const decideNow = refusal(() =>
      applyEnforcementMove(
        review,
        { type: 'decide', fineCents: 1 },
        leader,
        when('2026-03-25 10:00'),
        calendar,
      ),
    );
    expect(decideNow.messageKey).toBe('illegalMove');
    const failed = applyEnforcementMove(
      review,
      { type: 'failLegalReview', reason: '证据不足' },
      reviewer,
      when('2026-03-25 10:00'),
      calendar,
    );
    expect(failed.state.step).toBe('investigation');
    const byOfficer = refusal(() =>
      applyEnforcementMove(review, { type: 'passLegalReview' }, officer, when('2026-03-25 10:00'), calendar),
    );
    expect([byOfficer.code, byOfficer.details]).toEqual([
      'Forbidden',
      { move: 'passLegalReview', role: 'officer' },
    ]);
  });

  it('第60条: a decision after 90 days without an extension is refused and flagged; an approved extension allows it', () => {
    const state = upTo(SIMPLE, 'decide');
    expect(decisionOverdue(state, when('2026-06-01 23:00'))).toBe(false);
    expect(decisionOverdue(state, when('2026-06-02 09:00'))).toBe(true);
    const late = refusal(() =>
      applyEnforcementMove(
        state,
        { type: 'decide', fineCents: 200_000 },
        leader,
        when('2026-06-02 10:00'),
        calendar,
      ),
    );
    expect([late.messageKey, late.details.due]).toEqual(['decisionOverdue', '2026-06-01T23:59:59.999+08:00']);

    const extend: EnforcementMove = {
      type: 'extendDecision',
      reason: '案情复杂',
      extension: { n: 30, unit: 'day' },
    };
    const noForm = refusal(() =>
      applyEnforcementMove(state, extend, leader, when('2026-05-28 10:00'), calendar),
    );
    expect([noForm.messageKey, noForm.details]).toEqual([
      'documentsMissing',
      { step: 'decision', missing: ['extensionApproval'] },
    ]);
    const withForm = applyEnforcementMove(
      state,
      { type: 'addDocument', document: 'extensionApproval', attachmentId: 'x' },
      officer,
      when('2026-05-28 09:00'),
      calendar,
    ).state;
    const tooLate = refusal(() =>
      applyEnforcementMove(withForm, extend, leader, when('2026-06-02 10:00'), calendar),
    );
    expect(tooLate.messageKey).toBe('decisionOverdue');
    const byOfficer = refusal(() =>
      applyEnforcementMove(withForm, extend, officer, when('2026-05-28 10:00'), calendar),
    );
    expect(byOfficer.code).toBe('Forbidden');
    const extended = applyEnforcementMove(withForm, extend, leader, when('2026-05-28 10:00'), calendar).state;
    // 06-01 + 30 days = 07-01.
    expect(extended.decisionDeadline?.due).toBe('2026-07-01T23:59:59.999+08:00');
    expect(extended.decisionDeadline?.basis).toContain('经批准延长 30 日');
    const decided = applyEnforcementMove(
      extended,
      { type: 'decide', fineCents: 200_000 },
      leader,
      when('2026-06-02 10:00'),
      calendar,
    );
    expect([decided.state.step, decided.record.onTime]).toEqual(['service', true]);
    // A second extension needs a second approval form.
    const again = refusal(() =>
      applyEnforcementMove(extended, extend, leader, when('2026-06-20 10:00'), calendar),
    );
    expect(again.details).toEqual({ step: 'decision', missing: ['extensionApproval'] });
  });

  it('a stopped clock (appraisal) is left out of the decision period', () => {
    const state = upTo(SIMPLE, 'completeInvestigation');
    const stopped = applyEnforcementMove(
      state,
      { type: 'suspendClock', reason: '鉴定' },
      leader,
      when('2026-03-05 10:00'),
      calendar,
    ).state;
    expect(decisionOverdue(stopped, when('2026-07-01 10:00'))).toBe(false);
    const resumed = applyEnforcementMove(
      stopped,
      { type: 'resumeClock' },
      leader,
      when('2026-03-09 10:00'),
      calendar,
    ).state;
    // Days 03-05..03-09 (5) left out: 05-31 + 5 = 06-05 (Friday).
    expect(resumed.decisionDeadline?.due).toBe('2026-06-05T23:59:59.999+08:00');
    expect(resumed.clockSuspensions).toEqual([
      { from: '2026-03-05T10:00:00.000+08:00', to: '2026-03-09T10:00:00.000+08:00', reason: '鉴定' },
    ]);
  });

  it('第61条: service to an absent party after 7 working days is recorded as late', () => {
    const state = upTo(SIMPLE, 'serve');
    const late = applyEnforcementMove(
      state,
      { type: 'serve', partyPresent: false },
      officer,
      when('2026-04-07 10:00'),
      calendar,
    );
    expect([late.record.onTime, late.record.deadline?.due]).toEqual([false, '2026-04-03T23:59:59.999+08:00']);
    const present = applyEnforcementMove(
      state,
      { type: 'serve', partyPresent: true },
      officer,
      when('2026-04-07 10:00'),
      calendar,
    );
    expect([present.record.onTime, present.record.deadline]).toEqual([null, null]);
    const missing = refusal(() =>
      applyEnforcementMove(state, { type: 'serve' }, officer, when('2026-03-27 10:00'), calendar),
    );
    expect(missing.details).toEqual({ field: 'partyPresent' });
  });

  it('第57条: no penalty closes the case without a decision', () => {
    const state = upTo(SIMPLE, 'completeInvestigation');
    const r = applyEnforcementMove(
      state,
      { type: 'noPenalty', reason: '违法事实不能成立' },
      leader,
      when('2026-03-10 10:00'),
      calendar,
    );
    expect(r.state).toMatchObject({ step: 'closing', outcome: 'noPenalty' });
  });

  it('a document needs a known kind and an attachment, and is filed under the step it was added in', () => {
    const s = startEnforcement('c-1');
    const bad = refusal(() =>
      applyEnforcementMove(
        s,
        { type: 'addDocument', document: 'memo' as DocumentKind, attachmentId: 'a' },
        officer,
        when('2026-03-02 10:00'),
        calendar,
      ),
    );
    expect([bad.messageKey, bad.details.field]).toEqual(['documentKindInvalid', 'document']);
    const noFile = refusal(() =>
      applyEnforcementMove(
        s,
        { type: 'addDocument', document: 'evidence', attachmentId: ' ' },
        officer,
        when('2026-03-02 10:00'),
        calendar,
      ),
    );
    expect(noFile.details).toEqual({ field: 'attachmentId' });
    const r = applyEnforcementMove(
      s,
      { type: 'addDocument', document: 'evidence', attachmentId: 'a1' },
      officer,
      when('2026-03-02 10:00'),
      calendar,
    );
    expect(r.state.documents).toEqual([
      {
        kind: 'evidence',
        attachmentId: 'a1',
        step: 'filing',
        addedAt: '2026-03-02T10:00:00.000+08:00',
        addedBy: 'o1',
      },
    ]);
    expect(r.record).toMatchObject({
      move: 'addDocument',
      document: 'evidence',
      attachmentId: 'a1',
      toStep: 'filing',
    });
    expect(s.documents).toEqual([]); // the input state is not changed
  });

  it('a declined filing is archived as not filed', () => {
    const r = applyEnforcementMove(
      startEnforcement('c-1'),
      { type: 'declineFiling', reason: '不符合立案条件' },
      leader,
      when('2026-03-02 10:00'),
      calendar,
    );
    expect(r.state).toMatchObject({ step: 'archived', outcome: 'notFiled', filedAt: null });
  });
});

describe('execution', () => {
  const upToExecution = (fineCents: number, flags: Partial<EnforcementFlags> = {}): EnforcementState => {
    const lines = SIMPLE.slice(0, SIMPLE.findIndex(([, m]) => m.type === 'completeExecution') - 1).map(
      ([a, m, t]): Line =>
        m.type === 'decide'
          ? [a, { ...m, fineCents }, t]
          : m.type === 'serve'
            ? [a, { ...m, partyPresent: true }, t]
            : [a, m, t],
    );
    return play(lines, startEnforcement('c-1', flags)).state;
  };
  const move = (s: EnforcementState, actor: EnforcementActor, m: EnforcementMove, t: string) =>
    applyEnforcementMove(s, m, actor, when(t), calendar);
  const addDoc = (s: EnforcementState, document: DocumentKind, t: string) =>
    move(s, officer, { type: 'addDocument', document, attachmentId: `a-${document}` }, t).state;

  it('late payment: 3% a day after the 15-day period', () => {
    const state = upToExecution(100_000);
    expect(state.paymentDeadline?.due).toBe('2026-04-13T23:59:59.999+08:00');
    expect(amountDue(state, when('2026-04-13 17:00'))).toBe(100_000);
    expect(amountDue(state, when('2026-04-14 09:00'))).toBe(103_000);
    const paid = move(
      addDoc(state, 'paymentReceipt', '2026-04-20 09:00'),
      leader,
      { type: 'completeExecution', outcome: 'paid' },
      '2026-04-20 10:00',
    );
    expect([paid.state.lateFeeCents, paid.record.onTime]).toEqual([21_000, false]);
  });

  it('court enforcement: demand after default, then 10 working days, the appeal period over, and the application', () => {
    const state = upToExecution(100_000);
    const early = refusal(() =>
      move(
        addDoc(state, 'demandNotice', '2026-04-13 09:00'),
        officer,
        { type: 'demand' },
        '2026-04-13 15:00',
      ),
    );
    expect([early.messageKey, early.details.due]).toEqual([
      'demandPremature',
      '2026-04-13T23:59:59.999+08:00',
    ]);
    const noForm = refusal(() => move(state, officer, { type: 'demand' }, '2026-04-14 10:00'));
    expect(noForm.details).toEqual({ step: 'execution', missing: ['demandNotice'] });
    const demanded = move(
      addDoc(state, 'demandNotice', '2026-04-14 09:00'),
      officer,
      { type: 'demand' },
      '2026-04-14 10:00',
    ).state;
    // 行政强制法 第54条, 第69条: 10 working days from Tuesday 04-14 → Tuesday 04-28.
    expect(demanded.demandDeadline?.due).toBe('2026-04-28T23:59:59.999+08:00');
    const apply: EnforcementMove = {
      type: 'completeExecution',
      outcome: 'courtEnforcement',
      appealPeriodEnded: true,
    };
    const running = refusal(() => move(demanded, leader, apply, '2026-04-28 16:00'));
    expect(running.messageKey).toBe('demandPeriodRunning');
    const appeal = refusal(() =>
      move(demanded, leader, { ...apply, appealPeriodEnded: undefined }, '2026-04-29 10:00'),
    );
    expect([appeal.messageKey, appeal.details.basis]).toEqual(['appealPeriodOpen', '行政强制法 第53条']);
    const noApplication = refusal(() => move(demanded, leader, apply, '2026-04-29 10:00'));
    expect(noApplication.details).toEqual({ step: 'execution', missing: ['enforcementApplication'] });
    const done = move(
      addDoc(demanded, 'enforcementApplication', '2026-04-29 09:00'),
      leader,
      apply,
      '2026-04-29 10:00',
    );
    expect(done.state).toMatchObject({ step: 'closing', executionOutcome: 'courtEnforcement' });
    // 16 days late by then: 48% of the fine.
    expect(amountDue(demanded, when('2026-04-29 10:00'))).toBe(148_000);
  });

  it('an illegal structure: notice period, demand, forced demolition only after both and the appeal period', () => {
    const state = upToExecution(0, { illegalStructure: true });
    expect(state.paymentDeadline).toBeNull();
    expect(legalEnforcementMoves(state)).toEqual([
      'addDocument',
      'publishDemolitionNotice',
      'demand',
      'completeExecution',
    ]);
    const noNotice = refusal(() =>
      move(
        addDoc(state, 'demandNotice', '2026-04-01 09:00'),
        officer,
        { type: 'demand' },
        '2026-04-01 10:00',
      ),
    );
    expect(noNotice.messageKey).toBe('demandPremature');
    const noticed = move(
      addDoc(state, 'demolitionNotice', '2026-04-01 09:00'),
      officer,
      { type: 'publishDemolitionNotice' },
      '2026-04-01 10:00',
    ).state;
    // 10 days from 04-01 = 04-11, a Saturday → 04-13.
    expect(noticed.demolitionNoticeDeadline).toMatchObject({
      due: '2026-04-13T23:59:59.999+08:00',
      basis: expect.stringContaining('第44条'),
    });
    const demanded = move(
      addDoc(noticed, 'demandNotice', '2026-04-14 09:00'),
      officer,
      { type: 'demand' },
      '2026-04-14 10:00',
    ).state;
    const demolish: EnforcementMove = {
      type: 'completeExecution',
      outcome: 'demolished',
      appealPeriodEnded: true,
    };
    const withDecision = addDoc(demanded, 'forcedDemolitionDecision', '2026-04-29 09:00');
    expect(refusal(() => move(withDecision, leader, demolish, '2026-04-28 10:00')).messageKey).toBe(
      'demandPeriodRunning',
    );
    expect(
      refusal(() => move(withDecision, leader, { ...demolish, appealPeriodEnded: false }, '2026-04-29 10:00'))
        .details.basis,
    ).toBe('行政强制法 第44条');
    const done = move(withDecision, leader, demolish, '2026-04-29 10:00');
    expect(done.state).toMatchObject({ step: 'closing', executionOutcome: 'demolished' });
    expect(
      refusal(() =>
        move(withDecision, leader, { type: 'completeExecution', outcome: 'paid' }, '2026-04-29 10:00'),
      ).messageKey,
    ).toBe('outcomeInvalid');
  });

  it('the party complied: a compliance record closes execution; demolition is only for illegal structures', () => {
    const state = upToExecution(0);
    expect(
      refusal(() =>
        move(
          state,
          leader,
          { type: 'completeExecution', outcome: 'demolished', appealPeriodEnded: true },
          '2026-04-01 10:00',
        ),
      ).messageKey,
    ).toBe('outcomeInvalid');
    expect(
      refusal(() =>
        move(state, leader, { type: 'completeExecution', outcome: 'complied' }, '2026-04-01 10:00'),
      ).details,
    ).toEqual({
      step: 'execution',
      missing: ['complianceRecord'],
    });
    const done = move(
      addDoc(state, 'complianceRecord', '2026-04-01 09:00'),
      leader,
      { type: 'completeExecution', outcome: 'complied' },
      '2026-04-01 10:00',
    );
    expect(done.state.executionOutcome).toBe('complied');
  });
});

describe('late fee: 行政处罚法 第72条(一), 行政强制法 第45条', () => {
  it('examples', () => {
    expect(lateFee(10_000, 0)).toBe(0);
    expect(lateFee(10_000, 1)).toBe(300);
    expect(lateFee(10_000, 10)).toBe(3_000);
    expect(lateFee(10_000, 33)).toBe(9_900);
    expect(lateFee(10_000, 34)).toBe(10_000); // 102% → capped at the fine
    expect(lateFee(10_000, 1_000)).toBe(10_000);
    expect(lateFee(333, 1)).toBe(9); // 9.99 cents, rounded down in the party's favour
    expect(lateFee(0, 20)).toBe(0);
    expect(lateFee(Number.MAX_SAFE_INTEGER, 20)).toBe(Number((BigInt(Number.MAX_SAFE_INTEGER) * 60n) / 100n));
  });

  it('refuses amounts that are not whole cents or days', () => {
    for (const [fine, days, field] of [
      [1.5, 1, 'fineCents'],
      [-1, 1, 'fineCents'],
      [100, -1, 'daysLate'],
      [100, 0.5, 'daysLate'],
    ] as const) {
      const e = refusal(() => lateFee(fine, days));
      expect([e.messageKey, e.details.field]).toEqual(['amountInvalid', field]);
    }
  });

  it('is never above the fine, never negative, an integer, and grows with the days late', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), fc.nat(400), fc.nat(400), (fine, a, b) => {
        const [d1, d2] = a <= b ? [a, b] : [b, a];
        const f1 = lateFee(fine, d1);
        const f2 = lateFee(fine, d2);
        return Number.isInteger(f1) && f1 >= 0 && f1 <= fine && f2 <= fine && f1 <= f2;
      }),
    );
  });

  it('below the cap it is 3% a day exactly (to the cent)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000_000 }),
        fc.integer({ min: 0, max: 33 }),
        (fine, days) => {
          const fee = lateFee(fine, days);
          return fee === Math.floor((fine * 3 * days) / 100) && fine * 0.03 * days - fee < 1;
        },
      ),
    );
  });

  it('days late count whole Shanghai days after the due day', () => {
    const due = {
      due: '2026-04-13T23:59:59.999+08:00',
      from: '',
      rule: { n: 15, unit: 'day' as const },
      basis: '',
    };
    expect(daysLate(due, at('2026-04-13T23:59:00+08:00'))).toBe(0);
    expect(daysLate(due, at('2026-04-14T00:00:00+08:00'))).toBe(1);
    expect(daysLate(due, at('2026-04-13T16:30:00Z'))).toBe(1); // 00:30 on 04-14 in Shanghai
    expect(daysLate(due, at('2026-01-01T00:00:00+08:00'))).toBe(0);
  });
});

describe('who may make each move, at each step', () => {
  /** Roles per move, from the law: 执法人员, 负责人, 法制审核人员. */
  const ROLES_OF: Record<EnforcementMoveType, Role[]> = {
    addDocument: ['officer', 'squadLeader', 'bureauStaff', 'bureauLeader'],
    approveFiling: ['squadLeader', 'bureauLeader'],
    declineFiling: ['squadLeader', 'bureauLeader'],
    completeInvestigation: ['officer', 'squadLeader'],
    noPenalty: ['squadLeader', 'bureauLeader'],
    extendDecision: ['squadLeader', 'bureauLeader'],
    suspendClock: ['squadLeader', 'bureauLeader'],
    resumeClock: ['squadLeader', 'bureauLeader'],
    serveNotice: ['officer', 'squadLeader'],
    waiveRights: ['officer', 'squadLeader'],
    requestHearing: ['officer', 'squadLeader'],
    completeDefence: ['officer', 'squadLeader'],
    scheduleHearing: ['officer', 'squadLeader'],
    completeHearing: ['officer', 'squadLeader'],
    passLegalReview: ['bureauStaff'],
    failLegalReview: ['bureauStaff'],
    decide: ['squadLeader', 'bureauLeader'],
    serve: ['officer', 'squadLeader'],
    publishDemolitionNotice: ['officer', 'squadLeader'],
    demand: ['officer', 'squadLeader'],
    completeExecution: ['squadLeader', 'bureauLeader'],
    closeCase: ['squadLeader', 'bureauLeader'],
  };
  const stateAt = (script: Line[], index: number): EnforcementState => play(script.slice(0, index)).state;
  const indexOf = (script: Line[], type: EnforcementMoveType) => script.findIndex(([, m]) => m.type === type);
  const FIXTURES: Array<[string, EnforcementState, EnforcementMoveType[]]> = [
    ['filing', stateAt(SIMPLE, 0), ['addDocument', 'approveFiling', 'declineFiling']],
    [
      'investigation',
      stateAt(SIMPLE, 2),
      ['addDocument', 'completeInvestigation', 'noPenalty', 'extendDecision', 'suspendClock'],
    ],
    ['notice', stateAt(SIMPLE, 6), ['addDocument', 'extendDecision', 'suspendClock', 'serveNotice']],
    [
      'defence',
      stateAt(HEAVY, indexOf(HEAVY, 'requestHearing')),
      ['addDocument', 'extendDecision', 'suspendClock', 'waiveRights', 'requestHearing', 'completeDefence'],
    ],
    [
      'hearing',
      stateAt(HEAVY, indexOf(HEAVY, 'scheduleHearing')),
      ['addDocument', 'extendDecision', 'scheduleHearing'],
    ],
    [
      'hearing scheduled',
      stateAt(HEAVY, indexOf(HEAVY, 'completeHearing')),
      ['addDocument', 'extendDecision', 'scheduleHearing', 'completeHearing'],
    ],
    [
      'legalReview',
      stateAt(HEAVY, indexOf(HEAVY, 'passLegalReview')),
      ['addDocument', 'extendDecision', 'suspendClock', 'passLegalReview', 'failLegalReview'],
    ],
    [
      'decision',
      stateAt(SIMPLE, indexOf(SIMPLE, 'decide')),
      ['addDocument', 'noPenalty', 'extendDecision', 'suspendClock', 'decide'],
    ],
    ['service', stateAt(SIMPLE, indexOf(SIMPLE, 'serve')), ['addDocument', 'serve']],
    [
      'execution',
      stateAt(SIMPLE, indexOf(SIMPLE, 'completeExecution')),
      ['addDocument', 'demand', 'completeExecution'],
    ],
    ['closing', stateAt(SIMPLE, indexOf(SIMPLE, 'closeCase')), ['addDocument', 'closeCase']],
    ['archived', stateAt(SIMPLE, SIMPLE.length), []],
  ];

  for (const [name, state, legal] of FIXTURES) {
    it(`${name}: illegal moves refused with the legal ones, legal moves refused to the wrong roles`, () => {
      const expectedLegal = ENFORCEMENT_MOVE_TYPES.filter((m) => legal.includes(m));
      expect(legalEnforcementMoves(state)).toEqual(expectedLegal);
      for (const type of ENFORCEMENT_MOVE_TYPES) {
        for (const role of [...ROLES, null]) {
          const actor = { id: 'x', role };
          if (!legal.includes(type)) {
            const e = refusal(() =>
              applyEnforcementMove(state, { type }, actor, when('2026-03-02 10:00'), calendar),
            );
            expect([e.messageKey, e.details]).toEqual([
              'illegalMove',
              { from: state.step, move: type, allowed: expectedLegal },
            ]);
          } else if (role === null || !ROLES_OF[type].includes(role)) {
            const e = refusal(() =>
              applyEnforcementMove(state, { type }, actor, when('2026-03-02 10:00'), calendar),
            );
            expect([e.code, e.details]).toEqual(['Forbidden', { move: type, role }]);
            expect(enforcementMoves(state, actor)).not.toContain(type);
          } else {
            expect(enforcementMoves(state, actor)).toContain(type);
          }
        }
      }
    });
  }
});
