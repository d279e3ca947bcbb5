// Writing the org tree from the console, in a real browser against the real server: a workstation created
// under 莘庄镇, renamed, deactivated, and 莘庄镇 itself refused deactivation (active units and users below it)
// with the server's own message shown.
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
if (skipReason) console.warn(`[e2e] registry org edit skipped: ${skipReason}`);

const text = async (locator: Locator) => ((await locator.textContent()) ?? '').trim();

describe.skipIf(skipReason !== null)(
  `org tree editing in Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let server: RunningServer;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    const pageErrors: string[] = [];

    const node = (code: string) => page.locator(`[data-testid="org-node"][data-code="${code}"]`);
    const nodeNamed = (name: string) => page.getByTestId('org-node').filter({ hasText: name }).first();
    const confirm = () =>
      page.locator('.ant-popover:not(.ant-popover-hidden)').getByTestId('confirm-ok').click();

    beforeAll(async () => {
      const build = await ensureWebBuilt();
      console.info(`[e2e] web console ${build.built ? 'built' : 'up to date'} in ${build.ms} ms`);
      server = await startServer();
      browser = await launchBrowser();
      context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
      page = await context.newPage();
      page.setDefaultTimeout(20_000);
      page.on('pageerror', (e) => pageErrors.push(e.message));
    }, 240_000);

    afterAll(async () => {
      await context?.close();
      await browser?.close();
      await server?.stop();
    });

    afterEach(async (ctx) => {
      if (ctx.task.result?.state !== 'fail' || !page) return;
      await screenshot(page, `registry-org-edit-failed-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
    });

    it('creates a workstation under 莘庄镇, renames it and deactivates it', async () => {
      await page.goto(`${server.baseUrl}/login`);
      await page.getByTestId('login-username').fill('bureaustaff');
      await page.getByTestId('login-password').fill(DEMO_PASSWORD);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('home-page').waitFor();
      await page.goto(`${server.baseUrl}/registry/org`);
      await page.getByTestId('org-tree').waitFor();

      await nodeNamed('莘庄镇').click();
      await expect.poll(() => text(page.getByTestId('org-details-name'))).toBe('莘庄镇');
      await page.getByTestId('org-new-child').click();
      // The kinds offered are those allowed under a subdistrict.
      await page.getByTestId('field-kind').click();
      const options = page.locator(
        '.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option',
      );
      await expect.poll(() => options.count()).toBe(4);
      await options.filter({ hasText: '工作站' }).first().click();
      await page.getByTestId('field-code').fill('WS-E2E-1');
      await page.getByTestId('field-name').fill('莘庄镇测试工作站');
      await page.getByTestId('field-nameEn').fill('Xinzhuang Test Workstation');
      await page.getByTestId('form-submit').click();
      await page.getByTestId('record-form').waitFor({ state: 'detached' });
      await node('WS-E2E-1').waitFor();
      expect(await text(node('WS-E2E-1'))).toContain('莘庄镇测试工作站');

      await node('WS-E2E-1').click();
      await expect.poll(() => text(page.getByTestId('org-details-name'))).toBe('莘庄镇测试工作站');
      await page.getByTestId('org-edit').click();
      await expect.poll(() => page.getByTestId('field-name').inputValue()).toBe('莘庄镇测试工作站');
      await page.getByTestId('field-name').fill('莘庄镇东片工作站');
      await page.getByTestId('form-submit').click();
      await page.getByTestId('record-form').waitFor({ state: 'detached' });
      await expect.poll(() => text(node('WS-E2E-1'))).toContain('莘庄镇东片工作站');
      await expect.poll(() => text(page.getByTestId('org-details-name'))).toBe('莘庄镇东片工作站');

      await page.getByTestId('org-deactivate').click();
      await confirm();
      // Deactivated units stay in the tree, greyed with 停用 (or leave it, if the list hides them).
      const state = () =>
        node('WS-E2E-1').evaluateAll((els) => (els.length === 0 ? 'gone' : (els[0]?.className ?? '')));
      await expect.poll(state).toMatch(/og-inactive|gone/);
      if ((await node('WS-E2E-1').count()) > 0) {
        await page.getByTestId('org-reactivate').waitFor();
        expect(await text(node('WS-E2E-1'))).toContain('停用');
      }
    }, 90_000);

    it('shows the server refusing to deactivate 莘庄镇, which has active units and users', async () => {
      await nodeNamed('莘庄镇').click();
      await expect.poll(() => text(page.getByTestId('org-details-name'))).toBe('莘庄镇');
      await page.getByTestId('org-deactivate').click();
      await confirm();
      const alert = page.getByTestId('org-action-error');
      await alert.waitFor();
      expect(await text(alert.getByTestId('api-error-message'))).toMatch(/不能停用/);
      expect(await text(alert.getByTestId('api-error-code'))).toBe('Conflict');
      // Still active.
      await page.getByTestId('org-deactivate').waitFor();
      await screenshot(page, 'registry-org-edit');
      expect(pageErrors).toEqual([]);
    }, 60_000);
  },
);
