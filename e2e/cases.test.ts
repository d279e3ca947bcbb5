// One case from report to close and rating, through the pages, as the roles would: a resident reports
// (through the API, to save time), the dispatcher accepts it in the console, the squad leader opens it, the
// dispatcher dispatches it to the workstation (the squad leader's stale page then gets "someone else changed
// this case"), the workstation gives feedback with a photo on the phone page, the officer verifies on site
// with a photo (its SHA-256 shown), the squad leader closes, and the resident rates on the tracking page.
// Screenshots of the list, the map, the detail and the phone pages go to artifacts/screenshots/cases-*.png.
import { createHash } from 'node:crypto';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
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
if (skipReason) console.warn(`[e2e] case pages skipped: ${skipReason}`);

const text = async (locator: Locator) => ((await locator.textContent()) ?? '').trim();

/** A point in 莘庄镇 of the demo district, whose squad is the demo dispatcher's, officer's and squad leader's unit. */
const REPORT_AT = { lng: 121.3855, lat: 31.1005 };
const PHONE = { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const CONSOLE = { viewport: { width: 1440, height: 900 } };

/** Runs one stage of the walk; a failure says which stage (and so which role's page or move) broke. */
let lastPage: Page | null = null;
async function stage<T>(name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    // What the page showed when the walk stopped.
    if (lastPage) await screenshot(lastPage, 'cases-failed').catch(() => undefined);
    const error = new Error(`case walk stopped at "${name}": ${e instanceof Error ? e.message : String(e)}`);
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

const photoPng = (colour: string) =>
  sharp({ create: { width: 320, height: 240, channels: 3, background: colour } })
    .png()
    .toBuffer();

describe.skipIf(skipReason !== null)(
  `case pages in Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let server: RunningServer;
    let browser: Browser;
    const contexts: BrowserContext[] = [];
    const pageErrors: string[] = [];

    async function newPage(options: Parameters<Browser['newContext']>[0]): Promise<Page> {
      const context = await browser.newContext({ locale: 'zh-CN', ...options });
      contexts.push(context);
      const page = await context.newPage();
      lastPage = page;
      page.setDefaultTimeout(20_000);
      page.on('pageerror', (e) => pageErrors.push(e.message));
      return page;
    }

    /** A console page of one role, signed in, at `path`. */
    async function consolePage(username: string, path: string): Promise<Page> {
      const page = await newPage(CONSOLE);
      await page.goto(`${server.baseUrl}${path}`);
      await signIn(page, username);
      return page;
    }

    async function phonePage(username: string | null, path: string): Promise<Page> {
      const page = await newPage(PHONE);
      await page.goto(`${server.baseUrl}${path}`);
      if (username) await signIn(page, username);
      return page;
    }

    /** Opens a move's form on the console detail page, lets `fill` complete it, submits, waits for the step. */
    async function consoleMove(
      page: Page,
      move: string,
      toStep: string,
      fill?: (form: Locator) => Promise<void>,
    ) {
      const button = page.getByTestId(`move-${move}`);
      await button.waitFor({ timeout: 20_000 }).catch(async () => {
        const offered = await page.getByTestId('case-actions').textContent();
        throw new Error(`no "${move}" button; the page offers: ${offered ?? '(nothing)'}`);
      });
      await button.click();
      const form = page.locator(`[data-testid="move-form"][data-move="${move}"]`);
      await form.waitFor();
      if (fill) await fill(form);
      await form.getByTestId('move-submit').click();
      await expect
        .poll(
          async () => {
            const err = await page.getByTestId('move-error').count();
            if (err > 0)
              throw new Error(`the server refused ${move}: ${await text(page.getByTestId('move-error'))}`);
            return page.getByTestId('case-detail').getAttribute('data-step');
          },
          { timeout: 20_000 },
        )
        .toBe(toStep);
    }

    beforeAll(async () => {
      const build = await ensureWebBuilt();
      console.info(`[e2e] web console ${build.built ? 'built' : 'up to date'} in ${build.ms} ms`);
      // Routing needs the demo district's layers, not only its users.
      process.env.ONEGRID_E2E_DEMO = 'full';
      server = await startServer({ readyTimeoutMs: 240_000 });
      browser = await launchBrowser();
    }, 300_000);

    afterAll(async () => {
      for (const c of contexts) await c.close();
      await browser?.close();
      await server?.stop();
    });

    it('walks one case from a resident’s report to close and rating through the console and phone pages', async () => {
      // --- The resident's report (through the API) ------------------------------------------------------
      const report = await stage('resident reports', async () => {
        const r = await fetch(`${server.baseUrl}/api/reports`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            // A resident rarely knows the category: the report goes to the squad's triage desk, and the
            // dispatcher classifies it when accepting.
            channel: 'resident',
            description: `小区东门垃圾桶满溢，暴露垃圾堆在人行道上（e2e ${Date.now()}）`,
            location: { ...REPORT_AT, crs: 'wgs84' },
            address: '莘庄镇东街 18 号东门',
            reporter: { name: '王女士', phone: '13812345678' },
          }),
        });
        expect(r.status, await r.clone().text()).toBe(201);
        const body = (await r.json()) as { trackingCode: string; caseId: string; caseCode: string };
        console.info(`[e2e] report ${JSON.stringify(body)}`);
        return body;
      });
      const detailPath = `/cases/${encodeURIComponent(report.caseId)}`;

      // The workstation the dispatcher will send it to: the demo workstation user's unit.
      const workstationUnit = await stage('find the workstation unit', async () => {
        const r = await fetch(`${server.baseUrl}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'workstation', password: DEMO_PASSWORD }),
        });
        expect(r.status).toBe(200);
        return ((await r.json()) as { user: { unit: { id: string; name: string } } }).user.unit;
      });

      // --- Dispatcher: the list, the map, the detail; accepts -----------------------------------------------
      const dispatcher = await stage('dispatcher opens the case list', async () => {
        const page = await consolePage('dispatcher', '/cases/list');
        await page.getByTestId('case-list').waitFor();
        const row = page.locator(`[data-testid="case-row"][data-case-id="${report.caseId}"]`);
        await row.waitFor();
        expect(await row.getAttribute('data-step')).toBe('collect');
        expect(await text(row)).toContain(report.caseCode);
        expect(await text(row)).toContain('信息收集');
        await screenshot(page, 'cases-list');
        return page;
      });

      await stage('dispatcher looks at the map', async () => {
        await dispatcher.getByTestId('cases-tab-map').click();
        const map = dispatcher.getByTestId('case-map');
        await expect.poll(() => map.getAttribute('data-map-state'), { timeout: 20_000 }).toBe('ready');
        await expect
          .poll(async () => Number((await map.getAttribute('data-count')) ?? '0'))
          .toBeGreaterThanOrEqual(1);
        expect(await text(dispatcher.getByTestId('case-map-legend'))).toContain('已超时');
        await dispatcher.waitForTimeout(1200); // the outlines' fit and the dots' first paint
        await screenshot(dispatcher, 'cases-map');
      });

      await stage('dispatcher accepts', async () => {
        await dispatcher.goto(`${server.baseUrl}${detailPath}`);
        const detail = dispatcher.getByTestId('case-detail');
        await detail.waitFor();
        expect(await text(dispatcher.getByTestId('case-code'))).toBe(report.caseCode);
        expect(await dispatcher.getByTestId('case-deadline-basis').count()).toBe(1);
        // The reporter is shown to the dispatcher (who calls back); the timeline is still empty.
        expect(await text(dispatcher.getByTestId('case-reporter'))).toContain('王女士');
        await consoleMove(dispatcher, 'accept', 'open', async (form) => {
          await pickOption(dispatcher, form.getByTestId('move-category'), '暴露垃圾', { search: '暴露垃圾' });
        });
        expect(await text(dispatcher.getByTestId('case-category'))).toBe('暴露垃圾');
        // Opening is the squad leader's: the dispatcher is offered only to inform the reporter (第26条).
        await dispatcher.getByTestId('move-informReporter').waitFor();
        expect(await dispatcher.getByTestId('move-open').count()).toBe(0);
        expect(await dispatcher.getByTestId('flow-record').count()).toBe(1);
      });

      // --- Squad leader opens it; keeps the page open -------------------------------------------------------
      const leader = await stage('squad leader opens the case', async () => {
        const page = await consolePage('squadleader', detailPath);
        await page.getByTestId('case-detail').waitFor();
        expect(await page.getByTestId('case-detail').getAttribute('data-step')).toBe('open');
        await consoleMove(page, 'open', 'dispatch');
        return page;
      });

      // --- Dispatcher dispatches to the workstation ---------------------------------------------------------
      await stage('dispatcher dispatches to the workstation', async () => {
        await dispatcher.reload();
        await dispatcher.getByTestId('case-detail').waitFor();
        await consoleMove(dispatcher, 'dispatch', 'handle', async (form) => {
          await pickOption(dispatcher, form.getByTestId('move-target-unit'), workstationUnit.name, {
            search: workstationUnit.name.slice(0, 4),
          });
        });
        expect(await text(dispatcher.getByTestId('case-responsible'))).toBe(workstationUnit.name);
        // The handle step's deadline, with its rule, basis and countdown.
        expect(await text(dispatcher.getByTestId('case-deadline-basis'))).toMatch(/依据/);
        await screenshot(dispatcher, 'cases-detail');
      });

      // --- The squad leader's page is stale: dispatching again answers 409 ------------------------------------
      await stage('squad leader on a stale page gets a conflict', async () => {
        expect(await leader.getByTestId('case-detail').getAttribute('data-step')).toBe('dispatch');
        await leader.getByTestId('move-dispatch').click();
        const form = leader.locator('[data-testid="move-form"][data-move="dispatch"]');
        await pickOption(leader, form.getByTestId('move-target-unit'), workstationUnit.name, {
          search: workstationUnit.name.slice(0, 4),
        });
        await form.getByTestId('move-submit').click();
        await leader.getByTestId('case-conflict').waitFor();
        expect(await text(leader.getByTestId('case-conflict'))).toContain('其他人刚刚办理了这个案件');
        await expect.poll(() => leader.getByTestId('case-detail').getAttribute('data-step')).toBe('handle');
      });

      // --- Workstation gives feedback from the phone ----------------------------------------------------------
      await stage('workstation gives feedback on the phone', async () => {
        const page = await phonePage('workstation', '/m/tasks');
        await page.getByTestId('tasks-page').waitFor();
        const task = page.locator(`[data-testid="task"][data-case-id="${report.caseId}"]`);
        await task.waitFor();
        await task.click();
        await page.getByTestId('case-phone-page').waitFor();
        const form = page.locator('[data-testid="move-form"][data-move="feedback"]');
        await form.waitFor();
        await form.getByTestId('move-note').fill('已联系物业清运，垃圾桶已清空，人行道已冲洗。');
        await page
          .getByTestId('move-photos-input')
          .setInputFiles({ name: 'after.png', mimeType: 'image/png', buffer: await photoPng('#4a7c59') });
        await page.getByTestId('captured-photo').waitFor();
        await form.getByTestId('move-submit').click();
        await page.getByTestId('m-move-done').waitFor();
        expect(await page.getByTestId('m-case').getAttribute('data-step')).toBe('verify');
      });

      // --- Officer verifies on site with a photo ---------------------------------------------------------------
      await stage('officer verifies on the phone with a photo', async () => {
        const page = await phonePage('officer', '/m/tasks');
        await page.getByTestId('tasks-page').waitFor();
        const task = page.locator(`[data-testid="task"][data-case-id="${report.caseId}"]`);
        await task.waitFor();
        expect(await task.getAttribute('data-step')).toBe('verify');
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
        await screenshot(page, 'cases-phone-tasks');
        await task.click();
        const form = page.locator('[data-testid="move-form"][data-move="verify"]');
        await form.waitFor();
        await form.getByTestId('move-note').fill('现场核查：人行道已清理干净，无暴露垃圾。');
        const png = await photoPng('#8a8f96');
        await page
          .getByTestId('move-photos-input')
          .setInputFiles({ name: 'verify.png', mimeType: 'image/png', buffer: png });
        const captured = page.getByTestId('captured-photo');
        await captured.waitFor();
        // The server hashed the original as uploaded: the page shows the same SHA-256.
        const sha = createHash('sha256').update(png).digest('hex');
        expect(await captured.getAttribute('data-sha256')).toBe(sha);
        expect(await text(page.getByTestId('captured-photo-hash'))).toBe(sha);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
        await screenshot(page, 'cases-phone-verify');
        await form.getByTestId('move-submit').click();
        await page.getByTestId('m-move-done').waitFor();
        expect(await page.getByTestId('m-case').getAttribute('data-step')).toBe('close');
      });

      // --- Squad leader closes -----------------------------------------------------------------------------------
      await stage('squad leader closes', async () => {
        await leader.reload();
        await leader.getByTestId('case-detail').waitFor();
        await consoleMove(leader, 'close', 'evaluate');
        expect(await leader.getByTestId('case-detail').getAttribute('data-status')).toBe('closed');
        const moves = await leader
          .getByTestId('flow-record')
          .evaluateAll((els) => els.map((e) => e.getAttribute('data-move')));
        expect(moves).toEqual(['accept', 'open', 'dispatch', 'feedback', 'verify', 'close']);
        // The feedback and verification photos are in the timeline.
        expect(await leader.getByTestId('flow-photo').count()).toBe(2);
        await screenshot(leader, 'cases-detail-closed');
      });

      // --- The resident rates on the tracking page -----------------------------------------------------------------
      await stage('resident rates on the tracking page', async () => {
        const page = await phonePage(null, `/m/track/${encodeURIComponent(report.trackingCode)}`);
        await page.getByTestId('tracking').waitFor();
        expect(await page.getByTestId('tracking').getAttribute('data-status')).toBe('closed');
        const form = page.getByTestId('rating-form');
        await form.waitFor();
        await page.getByTestId('rating-satisfied').click();
        await page.getByTestId('rating-comment').fill('处理很及时，谢谢！');
        await screenshot(page, 'cases-phone-rating');
        await page.getByTestId('rating-submit').click();
        await expect.poll(() => page.getByTestId('rating-done').getAttribute('data-state')).toBe('thanks');
      });

      expect(pageErrors).toEqual([]);
    }, 300_000);
  },
);
