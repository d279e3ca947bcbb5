// Writing the registry from the console, in a real browser against the real server: a property company
// refused for its credit code (the server's message at the field) and then created, a compound managed by
// it, edited, edited again over a stale version (409 → the current record reloaded), deactivated and
// reactivated, and a CSV of merchants refused for one bad row and then imported without it.
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
  pickOption,
} from './harness.js';

const skipReason = browserSkipReason();
if (skipReason) console.warn(`[e2e] registry edit skipped: ${skipReason}`);

const text = async (locator: Locator) => ((await locator.textContent()) ?? '').trim();

// GB 32100-2015 check character, reimplemented here (src/registry/codes.ts is the server's).
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
function checkChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CHARSET.indexOf(first17.charAt(i)) * (WEIGHTS[i] ?? 0);
  return CHARSET.charAt((31 - (sum % 31)) % 31);
}

describe.skipIf(skipReason !== null)(
  `registry editing in Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let server: RunningServer;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    const pageErrors: string[] = [];

    const formItem = (field: string) =>
      page.locator('.ant-form-item', { has: page.getByTestId(`field-${field}`) });
    /** Opens an antd Select by its test id, types to filter, and picks the option with that label. */
    async function choose(testId: string, label: string) {
      await pickOption(page, page.getByTestId(testId), label, { search: label, fillSearch: true });
    }
    /** An InputNumber's <input>, whether the test id lands on the input or on its wrapper. */
    const numberInput = (field: string) =>
      page.locator(`input[data-testid="field-${field}"], [data-testid="field-${field}"] input`).first();
    const confirm = () =>
      page.locator('.ant-popover:not(.ant-popover-hidden)').getByTestId('confirm-ok').click();
    async function save() {
      await page.getByTestId('form-submit').click();
    }

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
      await screenshot(page, `registry-edit-failed-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
    });

    const body17 = '91310112MA1GB9Q7K';
    const good = body17 + checkChar(body17);
    const bad = body17 + CHARSET.charAt((CHARSET.indexOf(checkChar(body17)) + 1) % CHARSET.length);

    it('refuses a property company with a bad credit code at the field, then creates it', async () => {
      await page.goto(`${server.baseUrl}/login`);
      await page.getByTestId('login-username').fill('bureaustaff');
      await page.getByTestId('login-password').fill(DEMO_PASSWORD);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('home-page').waitFor();
      await page.goto(`${server.baseUrl}/registry/property-companies`);
      const list = page.getByTestId('property-companies-list');
      await list.getByTestId('list-count').waitFor();

      await list.getByTestId('list-new').click();
      // The form's own rules first: nothing filled in.
      await save();
      await expect.poll(() => text(formItem('name').locator('.ant-form-item-explain'))).toBe('请填写名称');
      await page.getByTestId('field-name').fill('上海东街物业管理有限公司');
      await page.getByTestId('field-creditCode').fill(bad);
      await page.getByTestId('field-contactName').fill('李经理');
      await page.getByTestId('field-contactPhone').fill('13900001234');
      await save();
      const explain = formItem('creditCode').locator('.ant-form-item-explain-error');
      await expect.poll(() => text(explain)).toContain('不是有效的统一社会信用代码');
      expect(await text(explain)).toContain(bad);
      await screenshot(page, 'registry-edit-credit-code-refused');

      await page.getByTestId('field-creditCode').fill(good);
      await save();
      await page.getByTestId('record-form').waitFor({ state: 'detached' });
      await expect.poll(() => text(list)).toContain('上海东街物业管理有限公司');
      expect(await text(list)).toContain(good);
      expect(await text(list)).toContain('139****1234');
    });

    it('creates a compound in 东街居委会 managed by it, and edits its name', async () => {
      await page.getByTestId('registry-tab-compounds').click();
      const list = page.getByTestId('compounds-list');
      await list.getByTestId('list-count').waitFor();
      await list.getByTestId('list-new').click();
      await page.getByTestId('field-code').fill('DJ-E2E-01');
      await page.getByTestId('field-name').fill('东街花园');
      await choose('field-communityId', '东街居委会');
      await choose('field-propertyCompanyId', '上海东街物业管理有限公司');
      await page.getByTestId('field-address').fill('莘庄镇东街 8 号');
      await numberInput('lng').fill('121.3801');
      await numberInput('lat').fill('31.1102');
      await screenshot(page, 'registry-edit-compound-new');
      await save();
      await page.getByTestId('record-form').waitFor({ state: 'detached' });
      const row = list.locator('tr.ant-table-row', { hasText: 'DJ-E2E-01' });
      await expect.poll(() => text(row)).toContain('东街花园');
      expect(await text(row)).toContain('东街居委会');
      expect(await text(row)).toContain('上海东街物业管理有限公司');
      expect(await text(row)).toContain('121.380100, 31.110200');

      await row.getByTestId('row-edit').click();
      await expect.poll(() => page.getByTestId('field-name').inputValue()).toBe('东街花园');
      await page.getByTestId('field-name').fill('东街花园（一期）');
      await save();
      await page.getByTestId('record-form').waitFor({ state: 'detached' });
      await expect.poll(() => text(row)).toContain('东街花园（一期）');
      await screenshot(page, 'registry-edit-compound-edited');
    });

    it('shows 记录已被他人修改 and reloads the record when someone else saved first', async () => {
      const list = page.getByTestId('compounds-list');
      const row = list.locator('tr.ant-table-row', { hasText: 'DJ-E2E-01' });
      await row.getByTestId('row-edit').click();
      await expect.poll(() => page.getByTestId('field-name').inputValue()).toBe('东街花园（一期）');

      // Someone else renames it meanwhile, through the API.
      const me = (await (await context.request.get(`${server.baseUrl}/api/me`)).json()) as {
        csrfToken: string;
      };
      const compounds = (
        (await (await context.request.get(`${server.baseUrl}/api/registry/compounds?active=all`)).json()) as {
          items: Array<{ id: string; code: string; version: number }>;
        }
      ).items;
      const compound = compounds.find((c) => c.code === 'DJ-E2E-01');
      if (!compound) throw new Error('the compound is not listed');
      const patched = await context.request.patch(`${server.baseUrl}/api/registry/compounds/${compound.id}`, {
        data: { ownersCommittee: '东街花园业委会', version: compound.version },
        headers: { 'x-csrf-token': me.csrfToken },
      });
      expect(patched.status(), await patched.text()).toBe(200);

      await page.getByTestId('field-address').fill('莘庄镇东街 10 号');
      await save();
      await expect.poll(() => text(page.getByTestId('stale-alert'))).toContain('记录已被他人修改');
      await expect.poll(() => page.getByTestId('field-ownersCommittee').inputValue()).toBe('东街花园业委会');
      expect(await page.getByTestId('field-address').inputValue()).toBe('莘庄镇东街 8 号');
      await screenshot(page, 'registry-edit-stale');
      // Saving again over the reloaded version goes through.
      await page.getByTestId('field-address').fill('莘庄镇东街 10 号');
      await save();
      await page.getByTestId('record-form').waitFor({ state: 'detached' });
      await expect.poll(() => text(row)).toContain('莘庄镇东街 10 号');
      expect(await text(row)).toContain('东街花园业委会');
    });

    it('deactivates the compound (greyed, 停用) and reactivates it', async () => {
      const list = page.getByTestId('compounds-list');
      const row = list.locator('tr.ant-table-row', { hasText: 'DJ-E2E-01' });
      await row.getByTestId('row-deactivate').click();
      await confirm();
      await expect.poll(() => row.getAttribute('data-active')).toBe('false');
      expect(await text(row.getByTestId('inactive-tag'))).toBe('停用');
      expect(await row.getAttribute('class')).toContain('og-inactive-row');
      await screenshot(page, 'registry-edit-compound-deactivated');

      await row.getByTestId('row-reactivate').click();
      await confirm();
      await expect.poll(() => row.getAttribute('data-active')).toBe('true');
      expect(await text(row.getByTestId('active-tag'))).toBe('启用');
    });

    it('refuses a merchants CSV with one bad row by its line, then imports the good row alone', async () => {
      const units = (
        (await (await context.request.get(`${server.baseUrl}/api/org-units?kind=subdistrict`)).json()) as {
          items: Array<{ code: string; name: string }>;
        }
      ).items;
      const xinzhuang = units.find((u) => u.name === '莘庄镇') ?? units[0];
      if (!xinzhuang) throw new Error('no subdistrict');
      const csv = [
        'name,address,lng,lat,subdistrictCode,business,active',
        `东街早餐店,莘庄镇东街 12 号,121.3805,31.1105,${xinzhuang.code},早餐,`,
        '无名小店,莘庄镇东街 14 号,121.3806,31.1106,NO-SUCH-UNIT,杂货,',
      ].join('\n');

      await page.getByTestId('registry-tab-merchants').click();
      const list = page.getByTestId('merchants-list');
      await list.getByTestId('list-count').waitFor();
      await list.getByTestId('csv-import').click();
      const modal = page.getByTestId('csv-import-modal');
      await modal.locator('input[type="file"]').setInputFiles({
        name: 'merchants.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(csv, 'utf8'),
      });
      await expect.poll(() => text(modal.getByTestId('csv-file-name'))).toContain('merchants.csv');
      await page.getByTestId('csv-submit').click();
      await expect.poll(() => text(modal.getByTestId('csv-refused'))).toContain('未导入');
      const lines = await modal.getByTestId('csv-problem-line').allTextContents();
      expect(lines).toContain('3');
      expect(lines).not.toContain('2');
      expect(await text(modal.getByTestId('csv-problems'))).toContain('subdistrictCode');
      await screenshot(page, 'registry-edit-csv-refused');
      expect(await text(list)).not.toContain('东街早餐店');

      await page.getByTestId('csv-skip-bad').click();
      await expect.poll(() => text(modal.getByTestId('csv-result'))).toContain('已导入 1 条记录');
      expect(await text(modal.getByTestId('csv-result'))).toContain('3');
      await screenshot(page, 'registry-edit-csv-imported');
      await page.getByTestId('csv-close').click();
      await expect.poll(() => text(list)).toContain('东街早餐店');
      expect(await text(list)).not.toContain('无名小店');
      expect(await list.getByTestId('csv-export').getAttribute('href')).toBe(
        '/api/registry/merchants/export.csv',
      );
      await screenshot(page, 'registry-edit-merchants');
    });

    it('raised no uncaught error in the page', () => {
      expect(pageErrors).toEqual([]);
    });
  },
);
