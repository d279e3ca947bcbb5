// The bureau's case rules and the alert inbox through the console: the bureau staff edits a time limit
// (its origin turns from default to bureau, the "try it" box computes a due instant on the calendar) and
// reverts it, sets a calendar override and sees the server refuse to declare an implausible year; the
// dispatcher reads the alert inbox (the demo district's cases are overdue, and the sweep raises their
// alerts at start) and records a callback rating on a closed demo case; the squad leader starts the penalty
// procedure on an opened one. Screenshots go to artifacts/screenshots/case-rules-*.png.
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserSkipReason,
  DEMO_PASSWORD,
  ensureWebBuilt,
  launchBrowser,
  screenshot,
  startServer,
  type RunningServer,
  pickOption,
} from './harness.js';

const skipReason = browserSkipReason();
if (skipReason) console.warn(`[e2e] case rules pages skipped: ${skipReason}`);

const text = async (locator: Locator) => ((await locator.textContent()) ?? '').trim();
const CONSOLE = { viewport: { width: 1440, height: 900 } };

let lastPage: Page | null = null;

/** A screenshot of the page scrolled to the top. */
async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, name);
}
async function stage<T>(name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (lastPage) await shot(lastPage, 'case-rules-failed').catch(() => undefined);
    const error = new Error(
      `case rules walk stopped at "${name}": ${e instanceof Error ? e.message : String(e)}`,
    );
    error.stack = `${error.message}\n${e instanceof Error ? (e.stack ?? '') : ''}`;
    throw error;
  }
}

async function signIn(page: Page, username: string) {
  await page.getByTestId('login-page').waitFor();
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
}

describe.skipIf(skipReason !== null)(
  `case rules pages in Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let server: RunningServer;
    let browser: Browser;
    const contexts: BrowserContext[] = [];
    const pageErrors: string[] = [];

    async function consolePage(username: string, path: string): Promise<Page> {
      const context = await browser.newContext({ locale: 'zh-CN', ...CONSOLE });
      contexts.push(context);
      const page = await context.newPage();
      lastPage = page;
      page.setDefaultTimeout(20_000);
      page.on('pageerror', (e) => pageErrors.push(e.message));
      await page.goto(`${server.baseUrl}${path}`);
      await signIn(page, username);
      return page;
    }

    /** One API session per demo user: the login route is rate limited (10 a minute by default). */
    const cookies = new Map<string, string>();
    async function sessionCookie(username: string): Promise<string> {
      const known = cookies.get(username);
      if (known !== undefined) return known;
      const login = await fetch(`${server.baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: DEMO_PASSWORD }),
      });
      expect(login.status).toBe(200);
      const cookie = (login.headers.getSetCookie?.() ?? [login.headers.get('set-cookie') ?? ''])
        .map((c) => c.split(';')[0])
        .join('; ');
      cookies.set(username, cookie);
      return cookie;
    }

    /** GET as a demo user through the API (to find a demo case to open). */
    async function apiGet<T>(username: string, path: string): Promise<T> {
      const cookie = await sessionCookie(username);
      const r = await fetch(`${server.baseUrl}${path}`, { headers: { cookie } });
      expect(r.status, await r.clone().text()).toBe(200);
      return (await r.json()) as T;
    }

    beforeAll(async () => {
      const build = await ensureWebBuilt();
      console.info(`[e2e] web console ${build.built ? 'built' : 'up to date'} in ${build.ms} ms`);
      // The demo district's year of cases: overdue ones (alerts) and closed ones (ratings).
      process.env.ONEGRID_E2E_DEMO = 'full';
      process.env.ONEGRID_ALERT_SWEEP_MS = '5000';
      server = await startServer({ readyTimeoutMs: 240_000 });
      browser = await launchBrowser();
    }, 300_000);

    afterAll(async () => {
      for (const c of contexts) await c.close();
      await browser?.close();
      await server?.stop();
    });

    it('bureau staff edits a time limit, tries a deadline, reverts, and sets a calendar override', async () => {
      const page = await stage('bureau staff opens the time limits', async () => {
        const p = await consolePage('bureaustaff', '/cases/time-limits');
        await p.getByTestId('time-limits-page').waitFor();
        await p.locator('[data-testid="tl-row"]').first().waitFor();
        return p;
      });
      const row = page.locator('[data-testid="tl-row"][data-key="*|*|collect"]');

      await stage('edit the general collect limit', async () => {
        expect(await row.getAttribute('data-origin')).toBe('default');
        expect(await text(row.getByTestId('tl-basis-text'))).toContain('区局工作规范');
        await row.getByTestId('tl-edit').click();
        const form = page.getByTestId('time-limit-form');
        await form.waitFor();
        await form.getByTestId('tl-n').fill('3');
        await form
          .getByTestId('tl-basis')
          .fill('区局工作规范（2026 年修订）：受理或不予受理 3 个工作小时内完成');
        await form.getByTestId('tl-save').click();
        await expect.poll(() => row.getAttribute('data-origin'), { timeout: 20_000 }).toBe('bureau');
        expect(await text(row.getByTestId('tl-limit'))).toBe('3 工作小时');
        expect(await text(row.getByTestId('tl-origin'))).toBe('区局');
        expect(await text(row)).toContain('覆盖了默认：2 工作小时');
        expect(await text(row.getByTestId('tl-basis-text'))).toContain('2026 年修订');
        await shot(page, 'case-rules-time-limits');
      });

      await stage('filter by step', async () => {
        await pickOption(page, page.getByTestId('tl-filter-step'), '告知举报人');
        await expect.poll(() => page.locator('[data-testid="tl-row"]').count()).toBe(1);
        expect(await text(page.locator('[data-testid="tl-row"]').first())).toContain('第26条');
        await page.getByTestId('tl-filter-step').locator('.ant-select-clear').click({ force: true });
        await expect.poll(() => page.locator('[data-testid="tl-row"]').count()).toBe(20);
      });

      await stage('try a deadline from the edited row', async () => {
        await row.getByTestId('tl-try-row').click();
        await page.getByTestId('tl-try-compute').click();
        const due = page.getByTestId('tl-try-due');
        await due.waitFor();
        expect(await due.getAttribute('data-due')).toMatch(/\+08:00$/);
        await shot(page, 'case-rules-try-deadline');
      });

      await stage('revert to the default', async () => {
        await row.getByTestId('tl-revert').click();
        await page.getByTestId('tl-revert-ok').click();
        await expect.poll(() => row.getAttribute('data-origin'), { timeout: 20_000 }).toBe('default');
        expect(await text(row.getByTestId('tl-limit'))).toBe('2 工作小时');
      });

      async function showYear(year: number) {
        await page.getByTestId('cal-year').fill(String(year));
        await page.getByTestId('cal-year').press('Enter');
        await expect.poll(() => page.getByTestId('cal-grid').getAttribute('data-year')).toBe(String(year));
      }
      async function setDay(date: string, kind: 'holiday' | 'workday', name: string) {
        const day = page.locator(`[data-testid="cal-day"][data-date="${date}"]`);
        await day.click();
        await page.locator(`[data-testid="cal-day-dialog"][data-date="${date}"]`).waitFor();
        await page.locator('label', { has: page.getByTestId(`cal-day-kind-${kind}`) }).click();
        await page.getByTestId('cal-day-name').fill(name);
        await page.getByTestId('cal-day-save').click();
        await expect.poll(() => day.getAttribute('data-origin'), { timeout: 20_000 }).toBe('bureau');
        expect(await day.getAttribute('data-kind')).toBe(kind);
      }
      async function clearDay(date: string) {
        const day = page.locator(`[data-testid="cal-day"][data-date="${date}"]`);
        await day.click();
        await page.getByTestId('cal-day-clear').click();
        await expect.poll(() => day.getAttribute('data-origin'), { timeout: 20_000 }).not.toBe('bureau');
      }

      await stage('set a calendar override on a known year', async () => {
        await page.getByTestId('cases-tab-calendar').click();
        await page.getByTestId('calendar-page').waitFor();
        await showYear(2026);
        expect(await page.getByTestId('cal-known').getAttribute('data-known')).toBe('true');
        // The library's National Day holiday and a make-up workday.
        const national = page.locator('[data-testid="cal-day"][data-date="2026-10-01"]');
        expect(await national.getAttribute('data-kind')).toBe('holiday');
        expect(await national.getAttribute('data-origin')).toBe('library');
        // A plain Thursday made a holiday by the bureau.
        expect(
          await page.locator('[data-testid="cal-day"][data-date="2026-12-31"]').getAttribute('data-kind'),
        ).toBe('');
        await setDay('2026-12-31', 'holiday', '区局调休（e2e）');
        await shot(page, 'case-rules-calendar');
        await clearDay('2026-12-31');
      });

      await stage(
        'an unknown year: declaring it is refused until the table holds a weekday holiday',
        async () => {
          await showYear(2031);
          expect(await page.getByTestId('cal-known').getAttribute('data-known')).toBe('false');
          await page.getByTestId('cal-declare').click();
          await page.getByTestId('cal-declare-ok').click();
          const refusal = page.getByTestId('cal-refusal');
          await refusal.waitFor();
          expect(await text(refusal)).toContain('没有落在工作日的放假日');
          expect(await page.getByTestId('cal-declared').getAttribute('data-declared')).toBe('false');
          await shot(page, 'case-rules-calendar-refused');
          // 2031-10-01 is a Wednesday.
          await setDay('2031-10-01', 'holiday', '国庆节');
          await page.getByTestId('cal-declare-note').fill('e2e：按国务院通知录入');
          await page.getByTestId('cal-declare').click();
          await page.getByTestId('cal-declare-ok').click();
          await expect
            .poll(() => page.getByTestId('cal-declared').getAttribute('data-declared'))
            .toBe('true');
          expect(await page.getByTestId('cal-known').getAttribute('data-known')).toBe('true');
          await shot(page, 'case-rules-calendar-declared');
          await page.getByTestId('cal-withdraw').click();
          await page.getByTestId('cal-withdraw-ok').click();
          await expect
            .poll(() => page.getByTestId('cal-declared').getAttribute('data-declared'))
            .toBe('false');
          expect(await page.getByTestId('cal-known').getAttribute('data-known')).toBe('false');
          await clearDay('2031-10-01');
        },
      );
      expect(pageErrors).toEqual([]);
    }, 240_000);

    it('the dispatcher reads the alert inbox and records a callback rating; the squad leader starts enforcement', async () => {
      const page = await stage('dispatcher opens the alerts', async () => {
        const p = await consolePage('dispatcher', '/cases/alerts');
        await p.getByTestId('alerts-page').waitFor();
        return p;
      });

      await stage('the inbox lists the overdue demo cases, unread first', async () => {
        // The sweep runs at start and every 5 s: the demo's overdue cases have alerts within a sweep or two.
        await expect
          .poll(
            async () => {
              await page.reload();
              await page.getByTestId('alerts-page').waitFor();
              return page.locator('[data-testid="alert-row"]').count();
            },
            { timeout: 60_000, interval: 2_000 },
          )
          .toBeGreaterThan(0);
        const reads = await page
          .locator('[data-testid="alert-row"]')
          .evaluateAll((els) => els.map((e) => e.getAttribute('data-read')));
        expect(reads[0]).toBe('false');
        // Unread first: no unread row after a read one.
        expect(reads.indexOf('false', Math.max(0, reads.indexOf('true')))).toBe(
          reads.indexOf('true') === -1 ? 0 : -1,
        );
        const before = Number(await page.getByTestId('alerts-unread').getAttribute('data-unread'));
        expect(before).toBeGreaterThan(0);
        await expect
          .poll(async () =>
            Number((await page.getByTestId('nav-cases-alerts').getAttribute('data-unread')) ?? '0'),
          )
          .toBe(before);
        await shot(page, 'case-rules-alerts');
        const first = page.locator('[data-testid="alert-row"]').first();
        const id = await first.getAttribute('data-alert-id');
        await first.getByTestId('alert-mark-read').click();
        const same = page.locator(`[data-testid="alert-row"][data-alert-id="${id}"]`);
        await expect.poll(() => same.getAttribute('data-read')).toBe('true');
        await expect
          .poll(async () => Number(await page.getByTestId('alerts-unread').getAttribute('data-unread')))
          .toBe(before - 1);
        await expect
          .poll(async () =>
            Number((await page.getByTestId('nav-cases-alerts').getAttribute('data-unread')) ?? '0'),
          )
          .toBe(before - 1);
      });

      await stage('filter by kind and follow the link to the case', async () => {
        await pickOption(page, page.getByTestId('alerts-kind'), '已超期');
        await expect
          .poll(async () =>
            page
              .locator('[data-testid="alert-row"]')
              .evaluateAll((els) => els.map((e) => e.getAttribute('data-kind'))),
          )
          .toSatisfy((kinds: (string | null)[]) => kinds.length > 0 && kinds.every((k) => k === 'overdue'));
        await page.locator('[data-testid="alert-row"]').first().getByTestId('alert-case-link').click();
        await page.getByTestId('case-detail').waitFor();
      });

      const closed = await stage('find a closed demo case', async () => {
        const r = await apiGet<{ items: { id: string; code: string }[] }>(
          'dispatcher',
          '/api/cases?status=closed&limit=20',
        );
        for (const c of r.items) {
          const ratings = await apiGet<{ items: unknown[] }>('dispatcher', `/api/cases/${c.id}/ratings`);
          if (ratings.items.length === 0) return c;
        }
        throw new Error('no unrated closed case in the demo district');
      });

      await stage('dispatcher records a callback rating', async () => {
        await page.goto(`${server.baseUrl}/cases/${encodeURIComponent(closed.id)}`);
        await page.getByTestId('case-detail').waitFor();
        const form = page.getByTestId('callback-form');
        await form.waitFor();
        await page.locator('label', { has: page.getByTestId('callback-basicallySatisfied') }).click();
        await page.getByTestId('callback-comment').fill('电话回访：问题已解决，希望加强日常巡查。');
        await page.getByTestId('callback-submit').click();
        const rating = page.locator('[data-testid="case-rating"]');
        await rating.waitFor();
        expect(await rating.getAttribute('data-rating')).toBe('basicallySatisfied');
        expect(await rating.getAttribute('data-source')).toBe('callback');
        await expect.poll(() => form.count()).toBe(0);
        await shot(page, 'case-rules-callback-rating');
      });

      const opened = await stage('find an opened demo case', async () => {
        const r = await apiGet<{ items: { id: string }[] }>(
          'squadleader',
          '/api/cases?status=active&step=handle&limit=20',
        );
        for (const c of r.items) {
          const d = await apiGet<{ enforcement: unknown }>('squadleader', `/api/cases/${c.id}`);
          if (d.enforcement === null) return c;
        }
        throw new Error('no opened case without enforcement in the demo district');
      });

      await stage('squad leader starts the enforcement procedure', async () => {
        const leader = await consolePage('squadleader', `/cases/${encodeURIComponent(opened.id)}`);
        await leader.getByTestId('case-detail').waitFor();
        await leader.getByTestId('enforcement-start').click();
        await leader.getByTestId('enforcement-start-ok').click();
        await expect.poll(() => leader.getByTestId('enforcement-start').count(), { timeout: 20_000 }).toBe(0);
        expect(await text(leader.getByTestId('case-detail'))).toContain('执法环节');
        await shot(leader, 'case-rules-enforcement-started');
      });

      await stage('bureau staff reads the satisfaction rate, by month and by unit', async () => {
        const staff = await consolePage('bureaustaff', '/cases/satisfaction');
        await staff.getByTestId('satisfaction-page').waitFor();
        await staff.getByTestId('sat-table').waitFor();
        const total = staff.getByTestId('sat-total');
        await total.waitFor();
        // The default range: the twelve months ending this month (Shanghai).
        const now = new Date(Date.now() + 8 * 3_600_000);
        const thisMonth = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
        expect(await staff.getByTestId('sat-to').inputValue()).toBe(thisMonth);
        expect(await staff.getByTestId('sat-from').inputValue()).toMatch(/^\d{4}-\d{2}$/);
        // At least the callback rating recorded above (basically satisfied, this month).
        expect(Number(await total.getAttribute('data-rated'))).toBeGreaterThan(0);
        const rate = Number(await total.getAttribute('data-rate'));
        expect(rate).toBeGreaterThan(0);
        expect(rate).toBeLessThanOrEqual(1);
        expect(await text(total)).toContain('合计满意率');
        const rows = staff.locator('[data-testid="sat-row"]');
        const keys = () => rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-key')));
        const byMonth = await keys();
        expect(byMonth.length).toBeGreaterThan(0);
        expect(byMonth).toContain(thisMonth);
        expect(byMonth.every((k) => /^\d{4}-\d{2}$/.test(k ?? ''))).toBe(true);
        const chart = staff.getByTestId('sat-chart');
        expect(await chart.getAttribute('data-bars')).toBe('12');
        expect(await chart.locator('canvas').count()).toBeGreaterThan(0);
        await expect.poll(() => chart.getAttribute('data-drawn')).toBe('yes');
        await shot(staff, 'cases-satisfaction');

        await staff.getByTestId('sat-by').getByText('按单位').click();
        await expect.poll(() => staff.getByTestId('sat-table').getAttribute('data-by')).toBe('unit');
        const byUnit = await keys();
        expect(byUnit.length).toBeGreaterThan(0);
        expect(byUnit.some((k) => /^\d{4}-\d{2}$/.test(k ?? ''))).toBe(false);
        expect(await text(staff.getByTestId('sat-table'))).toContain('单位');
        // The same ratings, grouped otherwise: the same total.
        expect(Number(await total.getAttribute('data-rate'))).toBe(rate);
        expect(Number(await chart.getAttribute('data-bars'))).toBe(byUnit.length);
        // The canvas has finished its transition from the monthly bars.
        await expect.poll(() => chart.getAttribute('data-drawn')).toBe('yes');
        await shot(staff, 'cases-satisfaction-by-unit');
      });
      expect(pageErrors).toEqual([]);
    }, 240_000);
  },
);
