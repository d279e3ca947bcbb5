/**
 * The demo year: twelve months of plausible illegal-construction history in the demo district, so that the
 * matching pages (sites, discovery rates per property company, patrol coverage) show real differences.
 *
 * Each property company has a duty profile (diligent: reports most new structures within 24 h; slow: reports
 * late; negligent: rarely reports). New structures appear in compounds; the company may file a dual report
 * (channel dualReport, with a dual_report row and its two deliveries), the squads' weekly patrols may find
 * them (channel patrol, linked from the patrol record), residents (resident) and the 12345 hotline
 * (hotline12345) may report them. Every report has its case; an officer's on-site check (核实, move 'check')
 * and the rest of the loop are flow records made by the case loop's own rules (applyMove), so sites count as
 * verified exactly as they would after real work.
 *
 * Two parts: `planDemoYear` (pure, seeded: the same seed, world and `now` give the same history) and
 * `loadDemoYear` (one audited transaction of bulk inserts; the rows have the shapes the real services write).
 */
import { projection } from '../../cases/cases.store.js';
import sharp from 'sharp';
import type { Insertable } from 'kysely';
import { bulkInsert, demoYearSources, illegalConstructionCategories } from './demo-year.store.js';
import type { Deps } from '../../deps.js';
import type { DB } from '../../schema.js';
import { audited } from '../../access/audit.service.js';
import { systemActor, type Role } from '../../access/roles.js';
import { newId } from '../../platform/ids.js';
import { formatShanghai } from '../../platform/calendar/shanghai-time.js';
import { makeCaseCode, makeTrackingCode } from '../../intake/reports.js';
import { preparePhoto, insertAttachment } from '../../intake/photos.service.js';
import { applyMove, startCase, type CaseState, type FlowRecord, type Move, type MoveActor } from '../../cases/case-loop.js';
import type { TimeLimitLookup } from '../../cases/time-limits.js';
import { caseRulesOf, REPORTER_CHANNELS } from '../../cases/cases.service.js';
import { deliveryDeadlines, lagOf, receiptCode, RECIPIENTS, DEFAULT_DUAL_REPORT_SETTINGS } from '../../dualreport/dual-report.js';
import { rebuildSites } from '../../matching/matching.service.js';
import { stream, pick, randInt, shuffled, type Rng } from './random.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// ---------------------------------------------------------------------------------------------------------
// The world the year happens in (read from the stored district)
// ---------------------------------------------------------------------------------------------------------

export interface YearCompound {
  id: string;
  name: string;
  lng: number;
  lat: number;
  companyId: string | null;
  /** The squad of the compound's subdistrict. */
  squadId: string;
  squadPath: string;
}

export interface YearWorld {
  compounds: YearCompound[];
  companies: Array<{ id: string; name: string }>;
}

export const DUTY_PROFILES = ['diligent', 'slow', 'negligent'] as const;
export type DutyProfile = (typeof DUTY_PROFILES)[number];

export type YearChannel = 'dualReport' | 'patrol' | 'resident' | 'hotline12345';

export interface PlannedReport {
  channel: YearChannel;
  receivedAt: number;
  /** Dual reports: when the company says it discovered the structure. */
  discoveredAt: number | null;
  lng: number;
  lat: number;
  placeText: string | null;
  place: { building: string; unit: string | null; room: string | null } | null;
  underWay: boolean;
  /** patrol: index into `patrols`. */
  patrolIndex: number | null;
  description: string;
  reporterName: string | null;
}

export interface PlannedStructure {
  compoundIndex: number;
  appearedAt: number;
  reports: PlannedReport[];
}

export interface PlannedPatrol {
  planIndex: number;
  startedAt: number;
  endedAt: number;
  compoundIndexes: number[];
}

export interface PlannedPlan {
  squadId: string;
  squadPath: string;
  name: string;
  compoundIndexes: number[];
  weekday: number;
  validFrom: number;
}

export interface DemoYearPlan {
  from: number;
  to: number;
  profiles: Map<string, DutyProfile>;
  plans: PlannedPlan[];
  patrols: PlannedPatrol[];
  structures: PlannedStructure[];
}

/** A company's duty profile: about a third diligent, two fifths slow, the rest negligent (seeded). */
function profileOf(rng: Rng): DutyProfile {
  const x = rng();
  return x < 0.35 ? 'diligent' : x < 0.75 ? 'slow' : 'negligent';
}

const jitter = (rng: Rng, lng: number, lat: number, metres: number) => {
  const r = metres * Math.sqrt(rng());
  const a = rng() * 2 * Math.PI;
  return {
    lng: lng + (r * Math.cos(a)) / (111_320 * Math.cos((lat * Math.PI) / 180)),
    lat: lat + (r * Math.sin(a)) / 110_540,
  };
};

const WHAT = ['屋顶加层搭建彩钢板房', '底楼花园搭建阳光房', '露台违法搭建玻璃房', '擅自扩建车库', '绿地内搭建简易棚屋', '天井加盖封顶'];

/**
 * The year's history over `world`: patrol plans and weekly patrols of every squad, and the structures with the
 * reports that found them. Deterministic for a seed, world and `now`.
 */
export function planDemoYear(world: YearWorld, now: Date, seed: number): DemoYearPlan {
  const to = now.getTime();
  const from = to - 365 * DAY;
  const profiles = new Map<string, DutyProfile>();
  const pr = stream(seed, 'year:profiles');
  // By name: ids are fresh in every database, names come from the seeded district.
  for (const c of [...world.companies].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) profiles.set(c.id, profileOf(pr));

  // Patrol plans: per squad, about 60% of its compounds (the rest are never patrolled: the blind spots the
  // coverage map shows), one weekday each; a patrol every week, which covers most of the plan's compounds.
  const bySquad = new Map<string, number[]>();
  world.compounds.forEach((c, i) => bySquad.set(c.squadId, [...(bySquad.get(c.squadId) ?? []), i]));
  const plans: PlannedPlan[] = [];
  const patrols: PlannedPatrol[] = [];
  const prng = stream(seed, 'year:patrols');
  // In the order of the squads' first compounds (compounds come by code): ids differ between databases.
  for (const [squadId, idx] of bySquad) {
    const share = 0.45 + prng() * 0.35;
    const chosen = shuffled(prng, idx).slice(0, Math.max(1, Math.round(idx.length * share)));
    const first = world.compounds[idx[0] as number] as YearCompound;
    const planIndex = plans.length;
    plans.push({ squadId, squadPath: first.squadPath, name: `违建巡查（每周）`, compoundIndexes: chosen.sort((a, b) => a - b), weekday: 1 + randInt(prng, 5), validFrom: from });
    const weekday = (plans[planIndex] as PlannedPlan).weekday;
    // The first patrol on the plan's weekday after `from` (Shanghai 09:00), then weekly.
    let t = startOfShanghaiDayMs(from) + 9 * HOUR - 8 * HOUR;
    while (isoWeekday(t) !== weekday) t += DAY;
    for (; t + 3 * HOUR < to; t += 7 * DAY) {
      const covered = chosen.filter(() => prng() < 0.85);
      if (covered.length === 0) continue;
      patrols.push({ planIndex, startedAt: t + randInt(prng, 60) * 60_000, endedAt: t + (2 + prng() * 2) * HOUR, compoundIndexes: covered.sort((a, b) => a - b) });
    }
  }
  const patrolsOfCompound = new Map<number, number[]>();
  patrols.forEach((p, pi) => {
    for (const ci of p.compoundIndexes) patrolsOfCompound.set(ci, [...(patrolsOfCompound.get(ci) ?? []), pi]);
  });

  // Structures: 0–5 a year per compound (more in big old compounds is not modelled), at a random time.
  const srng = stream(seed, 'year:structures');
  const structures: PlannedStructure[] = [];
  world.compounds.forEach((c, ci) => {
    const n = [0, 1, 1, 2, 2, 3, 3, 4, 5][randInt(srng, 9)] as number;
    for (let k = 0; k < n; k++) {
      const appearedAt = from + Math.floor(srng() * (to - from - 6 * HOUR));
      const at = jitter(srng, c.lng, c.lat, 220);
      const building = `${1 + randInt(srng, 30)}号楼`;
      const room = srng() < 0.6 ? `${1 + randInt(srng, 18)}0${1 + randInt(srng, 4)}室` : null;
      const place = { building, unit: room ? `${1 + randInt(srng, 4)}单元` : null, room };
      const placeText = [place.building, place.unit, place.room].filter(Boolean).join('');
      const what = pick(srng, WHAT);
      const underWay = srng() < 0.35;
      const reports: PlannedReport[] = [];
      const near = () => jitter(srng, at.lng, at.lat, 8);
      const add = (r: Omit<PlannedReport, 'lng' | 'lat'>) => {
        if (r.receivedAt < to) reports.push({ ...r, ...near() });
      };

      // The property company (第59条: dissuade, then report within 24 h).
      const profile = c.companyId === null ? null : (profiles.get(c.companyId) ?? 'slow');
      if (profile !== null) {
        const pReport = profile === 'diligent' ? 0.92 : profile === 'slow' ? 0.75 : 0.25;
        if (srng() < pReport) {
          const discoveredAt = appearedAt + Math.floor(srng() * 18 * HOUR);
          const lag =
            profile === 'diligent'
              ? srng() < 0.9
                ? (1 + srng() * 20) * HOUR
                : (26 + srng() * 40) * HOUR
              : profile === 'slow'
                ? srng() < 0.35
                  ? (4 + srng() * 19) * HOUR
                  : (28 + srng() * 8 * 24) * HOUR
                : (2 + srng() * 14) * DAY;
          add({ channel: 'dualReport', receivedAt: Math.floor(discoveredAt + lag), discoveredAt, placeText, place, underWay, patrolIndex: null, description: `${placeText}${what}，经劝阻无效`, reporterName: null });
        }
      }
      // The squad's patrols: each patrol of the compound after the structure appeared may find it.
      const ps = (patrolsOfCompound.get(ci) ?? []).filter((pi) => (patrols[pi] as PlannedPatrol).startedAt > appearedAt);
      for (const pi of ps.slice(0, 4)) {
        if (srng() < 0.55) {
          const p = patrols[pi] as PlannedPatrol;
          add({ channel: 'patrol', receivedAt: p.startedAt + Math.floor((p.endedAt - p.startedAt) * srng()), discoveredAt: null, placeText: srng() < 0.5 ? placeText : null, place: null, underWay, patrolIndex: pi, description: `巡查发现：${what}`, reporterName: null });
          break;
        }
      }
      // Residents and the 12345 hotline.
      if (srng() < 0.28)
        add({ channel: 'resident', receivedAt: appearedAt + Math.floor((0.3 + srng() * 20) * DAY), discoveredAt: null, placeText: srng() < 0.5 ? placeText : null, place: null, underWay: false, patrolIndex: null, description: `邻居${what}，影响采光，请处理`, reporterName: pick(srng, ['王先生', '李女士', '张阿姨', '陈先生', '刘女士']) });
      if (srng() < 0.22)
        add({ channel: 'hotline12345', receivedAt: appearedAt + Math.floor((1 + srng() * 30) * DAY), discoveredAt: null, placeText: null, place: null, underWay: false, patrolIndex: null, description: `市民来电反映：${c.name}${what}`, reporterName: '12345市民' });
      if (reports.length === 0) continue;
      reports.sort((a, b) => a.receivedAt - b.receivedAt);
      structures.push({ compoundIndex: ci, appearedAt, reports });
    }
  });
  structures.sort((a, b) => (a.reports[0] as PlannedReport).receivedAt - (b.reports[0] as PlannedReport).receivedAt);
  return { from, to, profiles, plans, patrols, structures };
}

const startOfShanghaiDayMs = (ms: number) => Math.floor((ms + 8 * HOUR) / DAY) * DAY;
/** 1 = Monday … 7 = Sunday, in Shanghai. */
const isoWeekday = (ms: number) => ((Math.floor((ms + 8 * HOUR) / DAY) + 3) % 7) + 1;

// ---------------------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------------------


export interface DemoYearResult {
  reports: number;
  cases: number;
  structures: number;
  patrols: number;
  dualReports: number;
  profiles: Record<DutyProfile, number>;
  sites: number;
  verifiedSites: number;
  /** Ratings by reporters of closed cases (满意度), for the satisfaction rate. */
  ratings: number;
  seconds: number;
}

/** A case row as the case store writes it: the place beside the state's own projection (cases.store). */
function caseRow(state: CaseState, code: string, c: YearCompound, point: { lng: number; lat: number }, openedAt: string, updatedAt: string): Insertable<DB['case_file']> {
  return {
    id: state.id,
    code,
    lng: point.lng,
    lat: point.lat,
    responsible_unit_id: state.responsibleUnitId ?? c.squadId,
    unit_path: c.squadPath,
    handling_unit_path: state.handlingUnitId === null ? null : c.squadPath,
    opened_at: openedAt,
    created_at: openedAt,
    updated_at: updatedAt,
    ...projection(state),
  };
}

interface Staff {
  dispatcher: string;
  officer: string;
  leader: string;
  liaison: string;
  names: Map<string, string>;
}

/**
 * Loads the demo year into a database that holds the demo district and its users, then rebuilds the sites.
 * Returns null (and does nothing) when reports of the illegal-construction family are already stored.
 */
export async function loadDemoYear(deps: Deps, opts: { seed: number }): Promise<DemoYearResult | null> {
  const started = Date.now();
  const db = deps.database.db;
  const now = deps.clock();
  const family = await illegalConstructionCategories(db);
  const categoryKey = (family.categories.find((c) => c.parentKey !== null) ?? family.categories[0])?.key;
  if (!categoryKey || family.reported) return null;
  const parentKey = family.categories.find((c) => c.key === categoryKey)?.parentKey ?? null;

  const { units, compounds: compoundRows, companies, users } = await demoYearSources(db);
  const squadOfSub = new Map(units.filter((u) => u.kind === 'squad' && u.parent_id !== null).map((u) => [u.parent_id as string, u]));
  const subs = units.filter((u) => u.kind === 'subdistrict');
  const unitById = new Map(units.map((u) => [u.id, u]));
  const compounds: YearCompound[] = [];
  for (const r of compoundRows) {
    const community = unitById.get(r.community_id);
    const sub = community && subs.find((s) => community.path.startsWith(s.path));
    const squad = sub && squadOfSub.get(sub.id);
    if (!squad || r.lng === null || r.lat === null) continue;
    compounds.push({ id: r.id, name: r.name, lng: Number(r.lng), lat: Number(r.lat), companyId: r.property_company_id, squadId: squad.id, squadPath: squad.path });
  }
  const userOf = (role: Role) => users.find((u) => u.role === role)?.id;
  const staff: Staff = {
    dispatcher: userOf('dispatcher') ?? userOf('squadLeader') ?? '',
    officer: userOf('officer') ?? '',
    leader: userOf('squadLeader') ?? '',
    liaison: userOf('departmentLiaison') ?? userOf('officer') ?? '',
    names: new Map(users.map((u) => [u.id, u.display_name])),
  };
  if (compounds.length === 0 || !staff.officer || !staff.leader || !staff.dispatcher) return null;
  const office = units.find((u) => u.kind === 'department' && u.code.endsWith('-D-illegalConstructionOffice'));
  const submitterOfCompany = new Map<string, string>();
  for (const u of users)
    if (u.role === 'propertyCompany') for (const c of companies) if (c.unit_id === u.unit_id) submitterOfCompany.set(c.id, u.id);

  const limits = await caseRulesOf(deps).limits();
  const plan = planDemoYear({ compounds, companies: companies.map((c) => ({ id: c.id, name: `${c.name} ${c.credit_code}` })) }, now, opts.seed);
  // One on-site photo (a plain generated image) whose blobs every check shares; each case gets its own row.
  const photo = await preparePhoto(deps, await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 150, g: 160, b: 170 } } }).jpeg().toBuffer());

  const rows = buildRows(plan, compounds, { categoryKey, parentKey, limits, staff, office: office ?? null, submitterOfCompany, seed: opts.seed });
  const actor = systemActor('demo');
  await audited(deps, { actor }, async (tx, audit) => {
    await bulkInsert(tx, 'case_file', rows.cases);
    await bulkInsert(tx, 'report', rows.reports);
    await bulkInsert(tx, 'case_flow', rows.flows);
    for (const a of rows.attachments) await insertAttachment(tx, { ...photo, id: a.id }, { caseId: a.caseId, uploadedBy: staff.officer, createdAt: a.at });
    await bulkInsert(tx, 'dual_report', rows.dualReports);
    await bulkInsert(tx, 'delivery', rows.deliveries);
    await bulkInsert(tx, 'patrol_plan', rows.plans);
    await bulkInsert(tx, 'patrol_record', rows.patrolRecords);
    await bulkInsert(tx, 'patrol_covered', rows.covered);
    await bulkInsert(tx, 'case_rating', rows.ratings);
    await audit({
      action: 'demo.loadYear',
      entity: 'demo',
      after: { from: new Date(plan.from).toISOString(), to: new Date(plan.to).toISOString(), reports: rows.reports.length, cases: rows.cases.length, flows: rows.flows.length, dualReports: rows.dualReports.length, patrols: rows.patrolRecords.length, structures: plan.structures.length },
    });
  });
  const rebuilt = await rebuildSites(deps, { actor });
  const profiles = { diligent: 0, slow: 0, negligent: 0 };
  for (const p of plan.profiles.values()) profiles[p]++;
  return {
    reports: rows.reports.length,
    cases: rows.cases.length,
    structures: plan.structures.length,
    patrols: rows.patrolRecords.length,
    dualReports: rows.dualReports.length,
    profiles,
    sites: rebuilt.sites,
    verifiedSites: rebuilt.verifiedSites,
    ratings: rows.ratings.length,
    seconds: (Date.now() - started) / 1000,
  };
}

interface RowEnv {
  categoryKey: string;
  parentKey: string | null;
  limits: TimeLimitLookup;
  staff: Staff;
  office: { id: string; path: string } | null;
  submitterOfCompany: Map<string, string>;
  seed: number;
}

/** The stored rows of a planned year (ids are fresh; everything else follows the plan). */
function buildRows(plan: DemoYearPlan, compounds: readonly YearCompound[], env: RowEnv) {
  const rng = stream(env.seed, 'year:rows');
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => randInt(rng, 256));
  const cases: Array<Insertable<DB['case_file']>> = [];
  const reports: Array<Insertable<DB['report']>> = [];
  const flows: Array<Insertable<DB['case_flow']>> = [];
  const attachments: Array<{ id: string; caseId: string; at: string }> = [];
  const dualReports: Array<Insertable<DB['dual_report']>> = [];
  const deliveries: Array<Insertable<DB['delivery']>> = [];
  const ratings: Array<Insertable<DB['case_rating']>> = [];
  // Ratings draw from a stream of their own, so adding them left every other row of the year as it was.
  const rateRng = stream(env.seed, 'year:ratings');
  const squadMood = new Map<string, { satisfied: number; basically: number }>();
  const nowMs = plan.to;
  const iso = (ms: number) => new Date(ms).toISOString();

  const planIds = plan.plans.map(() => newId(plan.from));
  const patrolIds = plan.patrols.map((p) => newId(p.startedAt));
  const findings = new Map<number, string[]>();

  for (const s of plan.structures) {
    const c = compounds[s.compoundIndex] as YearCompound;
    // Intake's duplicate rule: a report within 72 h of an open case's opening joins that case.
    let open: { id: string; openedAt: number } | null = null;
    for (const r of s.reports) {
      const reportId = newId(r.receivedAt);
      const joins = open !== null && r.receivedAt - open.openedAt <= 72 * HOUR;
      let caseId: string;
      if (joins && open) caseId = open.id;
      else {
        caseId = newId(r.receivedAt);
        open = { id: caseId, openedAt: r.receivedAt };
        const built = caseHistory(caseId, r, c, env, rng, nowMs);
        cases.push(caseRow(built.state, makeCaseCode(new Date(r.receivedAt), bytes(6)), c, r, iso(r.receivedAt), built.updatedAt));
        for (const [seq, f] of built.flows.entries()) flows.push(flowRow(caseId, seq + 1, f, env.staff.names.get(f.actorId) ?? null));
        if (built.photoId) attachments.push({ id: built.photoId, caseId, at: built.photoAt as string });
        // The reporter of a closed case rates it (满意度), a few hours to two days after closing. Each squad
        // has its own mix, so the rate differs between units; a dissatisfied rating was dealt with a day later.
        const closedAt = built.state.status === 'closed' ? built.state.closedAt : null;
        if (closedAt !== null && REPORTER_CHANNELS.includes(r.channel)) {
          const ratedMs = Date.parse(closedAt) + (2 + rateRng() * 46) * HOUR;
          let mood = squadMood.get(c.squadId);
          if (!mood) {
            const satisfied = 0.5 + rateRng() * 0.35;
            // Every squad has some dissatisfied reporters: at least 5 %.
            mood = { satisfied, basically: Math.min(0.1 + rateRng() * 0.15, 0.95 - satisfied) };
            squadMood.set(c.squadId, mood);
          }
          const draw = rateRng();
          const rating = draw < mood.satisfied ? 'satisfied' : draw < mood.satisfied + mood.basically ? 'basicallySatisfied' : 'dissatisfied';
          if (ratedMs < nowMs)
            ratings.push({
              id: newId(ratedMs),
              case_id: caseId,
              round: built.state.reopenCount,
              rating,
              comment: rating === 'dissatisfied' ? '拆除不彻底，现场仍有残留' : rating === 'satisfied' ? '处理及时' : null,
              source: 'reporter',
              report_id: reportId,
              rated_by: null,
              rated_at: iso(ratedMs),
              unit_id: c.squadId,
              category_key: env.categoryKey,
              month: formatShanghai(new Date(ratedMs)).slice(0, 7),
              handled_at: rating === 'dissatisfied' && ratedMs + DAY < nowMs ? iso(ratedMs + DAY) : null,
            });
        }
      }
      const trackingCode = makeTrackingCode(bytes(9));
      const companyId = r.channel === 'dualReport' ? c.companyId : null;
      const extra =
        r.channel === 'dualReport'
          ? { companyId, propertyCompanyId: companyId, place: r.place, placeText: r.placeText, underWay: r.underWay, discoveredAt: iso(r.discoveredAt as number) }
          : r.channel === 'patrol'
            ? { patrolRecordId: patrolIds[r.patrolIndex as number], ...(r.placeText ? { placeText: r.placeText } : {}) }
            : r.placeText
              ? { placeText: r.placeText }
              : null;
      const point = { lng: r.lng, lat: r.lat };
      reports.push({
        id: reportId,
        tracking_code: trackingCode,
        channel: r.channel,
        source_ticket_id: r.channel === 'hotline12345' ? `12345-${new Date(r.receivedAt).getUTCFullYear()}-${String(randInt(rng, 1e7)).padStart(7, '0')}` : null,
        category_key: env.categoryKey,
        description: r.description,
        lng: r.lng,
        lat: r.lat,
        source_crs: 'wgs84',
        source_lng: r.lng,
        source_lat: r.lat,
        accuracy_m: r.channel === 'hotline12345' ? null : 10,
        address: [c.name, r.placeText].filter(Boolean).join(' '),
        compound_id: c.id,
        observed_at: r.discoveredAt === null ? null : iso(r.discoveredAt),
        received_at: iso(r.receivedAt),
        reporter_name: r.channel === 'dualReport' ? null : r.reporterName,
        reporter_phone: null,
        anonymous: 0,
        submitted_by: r.channel === 'patrol' ? env.staff.officer : r.channel === 'dualReport' ? (env.submitterOfCompany.get(companyId ?? '') ?? null) : null,
        routing: JSON.stringify({ point, cells: [], missingLayers: [], responsible: { unitId: c.squadId, ruleId: 'demo', rule: 'demo year (generated)', assisting: [] }, triage: null }),
        responsible_unit_id: c.squadId,
        rule_id: null,
        triage_unit_id: null,
        triage_reason: null,
        unit_path: c.squadPath,
        case_id: caseId,
        extra: extra === null ? null : JSON.stringify(extra),
      });
      if (r.patrolIndex !== null) findings.set(r.patrolIndex, [...(findings.get(r.patrolIndex) ?? []), reportId]);
      if (r.channel === 'dualReport' && companyId !== null && r.discoveredAt !== null) {
        const { lagMinutes, late } = lagOf(iso(r.discoveredAt), iso(r.receivedAt));
        dualReports.push({
          report_id: reportId,
          company_id: companyId,
          compound_id: c.id,
          building: r.place?.building ?? null,
          unit: r.place?.unit ?? null,
          room: r.place?.room ?? null,
          discovered_at: iso(r.discoveredAt),
          reported_at: iso(r.receivedAt),
          under_way: r.underWay ? 1 : 0,
          dissuasion: JSON.stringify({ at: iso(r.discoveredAt + HOUR), by: '物业秩序维护员', outcome: 'ineffective', note: '当场劝阻，业主拒不停止' }),
          no_dissuasion_reason: null,
          lag_minutes: lagMinutes,
          late: late ? 1 : 0,
          submitted_by: env.submitterOfCompany.get(companyId) ?? env.staff.dispatcher,
        });
        for (const recipient of RECIPIENTS) {
          const unit = recipient === 'squad' ? { id: c.squadId, path: c.squadPath } : env.office;
          if (!unit) continue;
          const { ack, onSite } = deliveryDeadlines(env.limits.calendar, new Date(r.receivedAt), r.underWay, DEFAULT_DUAL_REPORT_SETTINGS);
          const ackAt = r.receivedAt + (10 + randInt(rng, 80)) * 60_000;
          const drawn = r.receivedAt + (r.underWay ? 1 : 3 + randInt(rng, 20)) * HOUR;
          // On site only after acknowledging (the API refuses otherwise); the 拆违办 follows the squad by 2 h.
          const squadOnSite = Math.max(drawn, ackAt + 15 * 60_000);
          const onSiteAt = recipient === 'squad' ? squadOnSite : squadOnSite + 2 * HOUR;
          deliveries.push({
            id: newId(r.receivedAt),
            report_id: reportId,
            recipient,
            unit_id: unit.id,
            unit_path: unit.path,
            receipt_code: receiptCode(trackingCode, recipient),
            delivered_at: iso(r.receivedAt),
            ack_deadline: new Date(ack.due).toISOString(),
            ack_basis: ack.basis,
            on_site_deadline: new Date(onSite.due).toISOString(),
            on_site_basis: onSite.basis,
            acknowledged_at: ackAt < nowMs ? iso(ackAt) : null,
            acknowledged_by: ackAt < nowMs ? (recipient === 'squad' ? env.staff.dispatcher : env.staff.liaison) : null,
            on_site_at: ackAt < nowMs && onSiteAt < nowMs ? iso(onSiteAt) : null,
            on_site_by:
              ackAt < nowMs && onSiteAt < nowMs ? (recipient === 'squad' ? env.staff.officer : env.staff.liaison) : null,
          });
        }
      }
    }
  }

  const plans: Array<Insertable<DB['patrol_plan']>> = plan.plans.map((p, i) => ({
    id: planIds[i] as string,
    unit_id: p.squadId,
    unit_path: p.squadPath,
    name: p.name,
    officer_ids: JSON.stringify([env.staff.officer]),
    compound_ids: JSON.stringify(p.compoundIndexes.map((ci) => (compounds[ci] as YearCompound).id)),
    area: null,
    weekdays: JSON.stringify([p.weekday]),
    start_time: '09:00',
    end_time: '12:00',
    valid_from: formatShanghai(new Date(p.validFrom)).slice(0, 10),
    valid_to: null,
    active: 1,
    created_at: iso(p.validFrom),
    updated_at: iso(p.validFrom),
    version: 1,
  }));
  const patrolRecords: Array<Insertable<DB['patrol_record']>> = [];
  const covered: Array<Insertable<DB['patrol_covered']>> = [];
  plan.patrols.forEach((p, i) => {
    const pl = plan.plans[p.planIndex] as PlannedPlan;
    const pts = p.compoundIndexes.map((ci) => compounds[ci] as YearCompound);
    patrolRecords.push({
      id: patrolIds[i] as string,
      plan_id: planIds[p.planIndex] as string,
      officer_id: env.staff.officer,
      unit_id: pl.squadId,
      unit_path: pl.squadPath,
      started_at: iso(p.startedAt),
      ended_at: iso(p.endedAt),
      track: pts.length >= 2 ? JSON.stringify({ type: 'LineString', coordinates: pts.map((c) => [c.lng, c.lat]) }) : null,
      findings: JSON.stringify(findings.get(i) ?? []),
    });
    for (const c of pts) covered.push({ record_id: patrolIds[i] as string, compound_id: c.id, started_at: iso(p.startedAt) });
  });
  return { cases, reports, flows, attachments, dualReports, deliveries, plans, patrolRecords, covered, ratings };
}

function flowRow(caseId: string, seq: number, f: FlowRecord, actorName: string | null): Insertable<DB['case_flow']> {
  return {
    id: newId(Date.parse(f.endedAt)),
    case_id: caseId,
    seq,
    track: 'loop',
    step: f.step,
    move: f.move,
    to_step: f.toStep,
    actor_id: f.actorId,
    actor_name: actorName,
    role: f.role,
    unit_id: f.unitId,
    started_at: f.startedAt,
    ended_at: f.endedAt,
    deadline: f.deadline === null ? null : JSON.stringify(f.deadline),
    on_time: f.onTime === null ? null : f.onTime ? 1 : 0,
    note: f.note,
    reason: f.reason,
    target_unit_id: f.targetUnitId,
    attachments: JSON.stringify(f.attachments),
    detail: null,
  };
}

/**
 * The case of a report through the loop, by the loop's own rules, as far as `now` allows: accept for an
 * on-site check, check (核实, with the officer's photo), open, dispatch to the squad, feedback (demolished or
 * rectified), verify (核查), close, and for a reporter's channel inform the reporter (第26条).
 */
function caseHistory(id: string, r: PlannedReport, c: YearCompound, env: RowEnv, rng: Rng, nowMs: number) {
  let state = startCase(
    { id, channel: r.channel, categoryKey: env.categoryKey, parentCategoryKey: env.parentKey, areaGrade: null, underWay: r.underWay, hasReporter: REPORTER_CHANNELS.includes(r.channel), receivedAt: new Date(r.receivedAt) },
    env.limits,
  );
  const flows: FlowRecord[] = [];
  const who = (userId: string, role: Role): MoveActor => ({ id: userId, role, unitId: c.squadId, isResponsibleUnit: true, isDispatchingUnit: true });
  const photoId = newId(r.receivedAt);
  let photoAt: string | null = null;
  let t = r.receivedAt;
  const steps: Array<[number, Move, MoveActor]> = [
    [(10 + randInt(rng, 50)) * 60_000, { type: 'accept', onSiteCheck: true }, who(env.staff.dispatcher, 'dispatcher')],
    [(r.underWay ? 0.5 + rng() : 2 + rng() * 20) * HOUR, { type: 'check', note: '现场核实：确有新增违法搭建', attachments: [photoId] }, who(env.staff.officer, 'officer')],
    [(0.5 + rng() * 3) * HOUR, { type: 'open' }, who(env.staff.leader, 'squadLeader')],
    [(0.2 + rng()) * HOUR, { type: 'dispatch', targetUnitId: c.squadId }, who(env.staff.dispatcher, 'dispatcher')],
    [(2 + rng() * 12) * DAY, { type: 'feedback', note: '已责令当事人自行拆除，现场已恢复原状', attachments: [photoId] }, who(env.staff.officer, 'officer')],
    [(0.3 + rng() * 2) * DAY, { type: 'verify', note: '核查：违法建筑已拆除', attachments: [photoId] }, who(env.staff.officer, 'officer')],
    [(1 + rng() * 6) * HOUR, { type: 'close' }, who(env.staff.leader, 'squadLeader')],
  ];
  if (state.reporterDeadline !== null) steps.push([(0.5 + rng()) * HOUR, { type: 'informReporter', note: '已电话告知举报人处理结果' }, who(env.staff.dispatcher, 'dispatcher')]);
  for (const [after, move, actor] of steps) {
    const at = t + Math.floor(after);
    if (at >= nowMs) break;
    try {
      const out = applyMove(state, move, actor, new Date(at), env.limits);
      state = out.state;
      flows.push(out.flow);
      t = at;
      if (move.type === 'check') photoAt = new Date(at).toISOString();
    } catch {
      break; // a deadline the calendar cannot compute: the case stays where it is
    }
  }
  return { state, flows, updatedAt: new Date(t).toISOString(), photoId: photoAt ? photoId : null, photoAt };
}
