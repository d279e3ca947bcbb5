// The dual report (双报告) phone page in a real browser against the real server with the full demo district:
// a property company's user (the demo user `property`, whom the full demo places in the company managing
// the most compounds of 莘庄镇) reports new illegal construction at 375 px with a photo and a dissuasion
// record and sees both receipts; a report discovered more than 24 hours ago is flagged late; refusals (a
// discovery time in the future, a dissuasion before the discovery) show at their field and store nothing.
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
if (skipReason) console.warn(`[e2e] dual report page skipped: ${skipReason}`);

const text = async (locator: Locator) => ((await locator.textContent()) ?? '').trim();
const PHONE = { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
/** A Shanghai wall-clock 'YYYY-MM-DDTHH:mm' for a datetime-local input, `minutes` from now. */
const shanghai = (minutes: number) =>
  new Date(Date.now() + minutes * 60_000 + 8 * 3600_000).toISOString().slice(0, 16);

describe.skipIf(skipReason !== null)(
  `dual report page in Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let server: RunningServer;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    const pageErrors: string[] = [];
    let photo: Buffer;

    /** How many dual reports the signed-in company has, asked of the API from the page. */
    const countReports = () =>
      page.evaluate(async () => {
        const r = await fetch('/api/dual-reports?limit=1000', { credentials: 'same-origin' });
        return ((await r.json()) as { items: unknown[] }).items.length;
      });

    async function fillForm(o: {
      building: string;
      description: string;
      discovered: string;
      dissuadedAt: string;
    }) {
      await page.getByTestId('dual-report-form').waitFor();
      await pickOption(page, page.getByTestId('compound-select'));
      await page.getByTestId('building-input').fill(o.building);
      await page.getByTestId('unit-input').fill('2单元');
      await page.getByTestId('room-input').fill('601室');
      // The family's categories, 新增违建 chosen by default.
      await expect.poll(() => text(page.getByTestId('category-select'))).toContain('新增违建');
      await page.getByTestId('description-input').fill(o.description);
      await page.getByTestId('discovered-input').fill(o.discovered);
      await page.getByTestId('dissuasion-at-input').fill(o.dissuadedAt);
      await page.getByTestId('dissuasion-by-input').fill('秩序维护员 李强');
    }

    beforeAll(async () => {
      const build = await ensureWebBuilt();
      console.info(`[e2e] web console ${build.built ? 'built' : 'up to date'} in ${build.ms} ms`);
      // The property user has a company (and its compounds) only in the full demo district.
      process.env.ONEGRID_E2E_DEMO = 'full';
      server = await startServer({ readyTimeoutMs: 300_000 });
      browser = await launchBrowser();
      context = await browser.newContext({ locale: 'zh-CN', ...PHONE });
      page = await context.newPage();
      page.setDefaultTimeout(30_000);
      page.on('pageerror', (e) => pageErrors.push(e.message));
      photo = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#8a6d3b' } })
        .png()
        .toBuffer();
    }, 360_000);

    afterAll(async () => {
      await context?.close();
      await browser?.close();
      await server?.stop();
    });

    it('signs a property-company user in and shows the form and their dual reports at 375 px', async () => {
      await page.goto(`${server.baseUrl}/m/dual-report`);
      await page.getByTestId('login-page').waitFor();
      await page.getByTestId('login-username').fill('property');
      await page.getByTestId('login-password').fill(DEMO_PASSWORD);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('dual-report-page').waitFor();
      expect(new URL(page.url()).pathname).toBe('/m/dual-report');
      expect(await text(page.getByTestId('page-title'))).toBe('违法建设双报告');
      expect(await text(page.getByTestId('m-user'))).toContain('物业');
      // The demo year's reports of this company are listed.
      await expect.poll(async () => page.getByTestId('my-dual-report').count()).toBeGreaterThan(0);
      // Stopped or finished by default: 24 h; switched on: the 2-hour rule is explained.
      expect(await text(page.getByTestId('under-way-rule'))).toContain('24 小时');
      await page.getByTestId('under-way-switch').click();
      expect(await text(page.getByTestId('under-way-rule'))).toContain('2 小时');
      await page.getByTestId('under-way-switch').click();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await screenshot(page, 'dual-report-form-empty');
    });

    it('submits a report under way with a photo and a dissuasion record and shows both receipts', async () => {
      const before = await countReports();
      await fillForm({
        building: '12号楼',
        description: `12号楼顶层露台正在搭建彩钢板房，约 20 平方米（e2e ${Date.now()}）`,
        discovered: shanghai(-90),
        dissuadedAt: shanghai(-60),
      });
      await page.getByTestId('under-way-switch').click();
      await page
        .getByTestId('dissuasion-photo-input')
        .setInputFiles({ name: 'dissuasion.png', mimeType: 'image/png', buffer: photo });
      await page
        .getByTestId('photo-input')
        .setInputFiles({ name: 'site.png', mimeType: 'image/png', buffer: photo });
      await page.getByTestId('photo-thumb').waitFor();
      await page.getByTestId('dissuasion-photo-thumb').waitFor();
      await expect
        .poll(() => page.getByTestId('photo-thumb').evaluate((img: HTMLImageElement) => img.naturalWidth))
        .toBeGreaterThan(0);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await screenshot(page, 'dual-report-form-filled');

      await page.getByTestId('submit-dual-report').click();
      const done = page.getByTestId('dual-report-done');
      await done.waitFor();
      expect(await done.getAttribute('data-late')).toBe('false');
      const receipts = page.getByTestId('receipt');
      expect(await receipts.count()).toBe(2);
      const squad = page.locator('[data-testid="receipt"][data-recipient="squad"]');
      const office = page.locator('[data-testid="receipt"][data-recipient="illegalConstructionOffice"]');
      expect(await text(squad.getByTestId('receipt-code'))).toMatch(/-ZD$/);
      expect(await text(office.getByTestId('receipt-code'))).toMatch(/-CWB$/);
      expect(await text(office)).toContain('拆违办');
      // Under way: on site within 2 hours at both; acknowledgement within 1 hour.
      expect(await text(squad.getByTestId('onsite-deadline'))).toContain('2 小时');
      expect(await text(office.getByTestId('ack-deadline'))).toContain('1 小时');
      expect(await text(done.getByTestId('on-time-flag'))).toContain('24 小时内');
      const code = (await text(page.getByTestId('tracking-code'))).replace(/^报告编号\s*/, '');
      // The list shows it first, with both deliveries waiting for acknowledgement.
      const first = page.getByTestId('my-dual-report').first();
      expect(await first.getAttribute('data-code')).toBe(code);
      expect(await first.getByTestId('item-delivery').count()).toBe(2);
      expect(await text(first)).toContain('待确认');
      expect(await countReports()).toBe(before + 1);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await screenshot(page, 'dual-report-receipts');
    });

    it('flags a report discovered more than 24 hours before as late', async () => {
      await page.getByTestId('report-another').click();
      await fillForm({
        building: '7号楼',
        description: `7号楼底层天井已搭建阳光房，发现后未及时上报（e2e ${Date.now()}）`,
        discovered: shanghai(-30 * 60),
        dissuadedAt: shanghai(-29 * 60),
      });
      await page.getByTestId('submit-dual-report').click();
      const done = page.getByTestId('dual-report-done');
      await done.waitFor();
      expect(await done.getAttribute('data-late')).toBe('true');
      expect(await text(done.getByTestId('late-flag'))).toContain('迟报');
      expect(await text(page.getByTestId('lag'))).toMatch(/1 天 6 小时|30 小时/);
      expect(
        await text(
          page.locator('[data-testid="receipt"][data-recipient="squad"]').getByTestId('onsite-deadline'),
        ),
      ).toContain('24 小时');
      expect(await page.getByTestId('my-dual-report').first().getAttribute('data-late')).toBe('true');
      await screenshot(page, 'dual-report-late');
    });

    it('shows refusals at their field and stores nothing', async () => {
      await page.getByTestId('report-another').click();
      const before = await countReports();
      const topBefore = await page.getByTestId('my-dual-report').first().getAttribute('data-code');
      await fillForm({
        building: '3号楼',
        description: `3号楼屋顶搭建（e2e 拒绝 ${Date.now()}）`,
        discovered: shanghai(120),
        dissuadedAt: shanghai(-60),
      });
      // A discovery time in the future: refused before it is sent.
      await page.getByTestId('submit-dual-report').click();
      expect(await text(page.getByTestId('error-discoveredAt'))).toContain('晚于当前时间');

      // A dissuasion before the discovery: the server refuses it, at the dissuasion's time.
      await page.getByTestId('discovered-input').fill(shanghai(-30));
      await page.getByTestId('dissuasion-at-input').fill(shanghai(-120));
      await page.getByTestId('submit-dual-report').click();
      const atError = page.getByTestId('error-dissuasionAt');
      await atError.waitFor();
      expect(await text(atError)).toContain('劝阻时间早于发现时间');
      // The corrected discovery time's own error clears (the form re-validates asynchronously).
      await expect.poll(() => page.getByTestId('error-discoveredAt').count()).toBe(0);
      await atError.scrollIntoViewIfNeeded();
      await screenshot(page, 'dual-report-refused-server');

      // No dissuasion and no reason: the reason is asked for at its field.
      await page.getByTestId('dissuasion-mode').getByText('未能劝阻').click();
      await page.getByTestId('submit-dual-report').click();
      expect(await text(page.getByTestId('error-noDissuasionReason'))).toContain('请填写');
      await page.getByTestId('no-dissuasion-input').scrollIntoViewIfNeeded();
      await screenshot(page, 'dual-report-refused');

      expect(await page.getByTestId('dual-report-done').count()).toBe(0);
      expect(await countReports()).toBe(before);
      expect(await page.getByTestId('my-dual-report').first().getAttribute('data-code')).toBe(topBefore);
      expect(pageErrors).toEqual([]);
    });
  },
);
