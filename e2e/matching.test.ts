// The matching pages in a real browser against the real server with the full demo district and its demo
// year: the sites map coloured by first finder, the property companies' discovery figures (which must differ
// between companies) with the monthly trend, a site's detail with the reasons of each link, and the patrol
// coverage map. Screenshots go to artifacts/screenshots/matching-*.png.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserSkipReason,
  DEMO_PASSWORD,
  ensureWebBuilt,
  launchBrowser,
  screenshot,
  startServer,
  type RunningServer,
} from './harness.js';

const skipReason = browserSkipReason();
if (skipReason) console.warn(`[e2e] matching pages skipped: ${skipReason}`);

async function signIn(page: Page, username: string) {
  await page.getByTestId('login-page').waitFor();
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
}

describe.skipIf(skipReason !== null)(
  `matching pages in Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let server: RunningServer;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    const pageErrors: string[] = [];

    beforeAll(async () => {
      const build = await ensureWebBuilt();
      console.info(`[e2e] web console ${build.built ? 'built' : 'up to date'} in ${build.ms} ms`);
      process.env.ONEGRID_E2E_DEMO = 'full';
      server = await startServer({ readyTimeoutMs: 300_000 });
      browser = await launchBrowser();
      context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
      page = await context.newPage();
      page.setDefaultTimeout(30_000);
      page.on('pageerror', (e) => pageErrors.push(e.message));
      await page.goto(`${server.baseUrl}/matching/sites`);
      await signIn(page, 'leader');
    }, 400_000);

    afterAll(async () => {
      await context?.close();
      await browser?.close();
      await server?.stop();
    });

    it('shows the sites map coloured by first finder, with every channel of the demo year in the legend', async () => {
      const map = page.getByTestId('sites-map');
      await expect.poll(() => map.getAttribute('data-map-state'), { timeout: 30_000 }).toBe('ready');
      await expect
        .poll(async () => Number(await map.getAttribute('data-count')), { timeout: 30_000 })
        .toBeGreaterThan(500);
      for (const c of ['dualReport', 'patrol', 'resident', 'hotline12345'])
        expect(
          Number(await page.getByTestId(`sites-legend-${c}`).getAttribute('data-count')),
        ).toBeGreaterThan(0);
      await page.waitForTimeout(1500); // the circles are drawn on the next frames
      await screenshot(page, 'matching-sites-map');
      await page.getByTestId('sites-status').getByText('未核实').click();
      await expect
        .poll(async () => Number(await map.getAttribute('data-count')), { timeout: 30_000 })
        .toBeLessThan(100);
    }, 120_000);

    it('lists property companies whose discovery rates differ, with a monthly trend and the missed sites', async () => {
      await page.getByTestId('matching-tab-companies').click();
      const table = page.getByTestId('companies-table');
      await table.getByTestId('company-rate').first().waitFor();
      const rates = (await table.getByTestId('company-rate').allTextContents())
        .map((s) => parseFloat(s))
        .filter((v) => !Number.isNaN(v));
      expect(rates.length).toBeGreaterThan(5);
      expect(Math.max(...rates) - Math.min(...rates)).toBeGreaterThan(40);
      await expect
        .poll(() => page.getByTestId('trend-chart').getAttribute('data-ready'), { timeout: 60_000 })
        .toBe('yes');
      expect(Number(await page.getByTestId('trend-chart').getAttribute('data-series'))).toBeGreaterThan(1);
      expect(await page.getByTestId('missed-table').locator('tbody tr').count()).toBeGreaterThan(0);
      await page.waitForTimeout(800);
      await screenshot(page, 'matching-companies');
    }, 120_000);

    it('opens a missed site: every linked report with the reasons of its link', async () => {
      // A site the company reported only after another channel: several reports, so links with reasons.
      await page
        .getByTestId('missed-table')
        .locator('tbody tr', { hasText: '晚于他人' })
        .first()
        .locator('a')
        .click();
      const detail = page.getByTestId('site-detail');
      await detail.waitFor();
      expect(await page.getByTestId('site-reports').locator('tbody tr').count()).toBeGreaterThan(1);
      expect(await page.getByTestId('link-reason').count()).toBeGreaterThan(0);
      await screenshot(page, 'matching-site-detail');
    }, 60_000);

    it('shows patrol coverage: patrolled and unpatrolled compounds', async () => {
      await page.goto(`${server.baseUrl}/matching/coverage`);
      const summary = page.getByTestId('coverage-summary');
      await summary.waitFor();
      const patrolled = Number(await summary.getAttribute('data-patrolled'));
      const total = Number(await summary.getAttribute('data-total'));
      expect(patrolled).toBeGreaterThan(0);
      expect(patrolled).toBeLessThan(total);
      const map = page.getByTestId('coverage-map');
      await expect.poll(() => map.getAttribute('data-map-state'), { timeout: 30_000 }).toBe('ready');
      await page.waitForTimeout(1500);
      await screenshot(page, 'matching-coverage');
      expect(pageErrors).toEqual([]);
    }, 60_000);
  },
);
