// The console shell in a real browser against the real server: sign-in (and its refusal), the header,
// the navigation of the ten capabilities, a not-yet-built page, the language switch, sign-out.
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
} from './harness.js';

const CAPABILITY_IDS = [
  'registry',
  'intake',
  'routing',
  'cases',
  'matching',
  'linkage',
  'community',
  'insight',
  'access',
  'interfaces',
] as const;

interface SignedInUser {
  username: string;
  displayName: string;
  role: string;
  unit: { name: string; nameEn?: string | null };
}

interface ErrorBody {
  error: { code: string; message: string; details: unknown };
}

const skipReason = browserSkipReason();
if (skipReason) console.warn(`[e2e] console shell skipped: ${skipReason}`);

const text = async (locator: Locator) => ((await locator.textContent()) ?? '').trim();
const path = (page: Page) => new URL(page.url()).pathname;

describe.skipIf(skipReason !== null)(
  `console shell in Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let server: RunningServer;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    const pageErrors: string[] = [];
    let user: SignedInUser;

    beforeAll(async () => {
      const build = await ensureWebBuilt();
      console.info(`[e2e] web console ${build.built ? 'built' : 'up to date'} in ${build.ms} ms`);
      server = await startServer();
      browser = await launchBrowser();
      context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
      page = await context.newPage();
      page.setDefaultTimeout(15_000);
      page.on('pageerror', (e) => pageErrors.push(e.message));
    }, 180_000);

    afterAll(async () => {
      await context?.close();
      await browser?.close();
      await server?.stop();
    });

    /** Submits the sign-in form and returns the server's answer to the login request it made. */
    async function submitLogin(username: string, password: string) {
      await page.getByTestId('login-username').fill(username);
      await page.getByTestId('login-password').fill(password);
      const [response] = await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === '/api/auth/login'),
        page.getByTestId('login-submit').click(),
      ]);
      return response;
    }

    it('sends a visitor to the sign-in page and shows the server’s message for a wrong password', async () => {
      await page.goto(`${server.baseUrl}/`);
      await page.getByTestId('login-page').waitFor();
      expect(path(page)).toBe('/login');
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
      expect(await text(page.getByTestId('login-submit'))).toMatch(/登\s*录/);
      await screenshot(page, 'login-zh');

      const response = await submitLogin('dispatcher', 'not-the-password');
      expect(response.status()).toBe(401);
      expect(await response.request().headerValue('accept-language')).toBe('zh-CN');
      const body = (await response.json()) as ErrorBody;
      expect(body.error.code).toBe('Unauthenticated');
      expect(body.error.message.length).toBeGreaterThan(0);

      const error = page.getByTestId('login-error');
      await error.waitFor();
      expect(await text(error)).toBe(body.error.message);
      expect(path(page)).toBe('/login');
      await screenshot(page, 'login-error-zh');
    });

    it('signs the dispatcher in and shows name, role and unit in the header', async () => {
      const response = await submitLogin('dispatcher', DEMO_PASSWORD);
      expect(response.status()).toBe(200);
      await page.getByTestId('console-layout').waitFor();
      await page.getByTestId('home-page').waitFor();
      expect(path(page)).toBe('/');

      // What the server says about this session is what the header must show.
      const me = await page.request.get(`${server.baseUrl}/api/me`);
      expect(me.status()).toBe(200);
      ({ user } = (await me.json()) as { user: SignedInUser });
      expect(user.username).toBe('dispatcher');
      expect(user.role).toBe('dispatcher');
      expect(user.displayName.length).toBeGreaterThan(0);
      expect(user.unit.name.length).toBeGreaterThan(0);

      expect(await text(page.getByTestId('header-user-name'))).toBe(user.displayName);
      expect(await text(page.getByTestId('header-user-role'))).toBe('受理派遣员');
      expect(await text(page.getByTestId('header-unit-name'))).toBe(user.unit.name);
      expect(await text(page.getByTestId('home-profile'))).toContain(user.displayName);
      await screenshot(page, 'home-zh');
    });

    it('lists all ten capabilities and says plainly when a page is not built yet', async () => {
      for (const id of CAPABILITY_IDS) {
        expect(await page.getByTestId(`nav-${id}`).count(), `menu entry for ${id}`).toBe(1);
      }
      // 绩效分析 (insight) is not built yet; the case pages are.
      await page.getByTestId('nav-insight').click();
      const notice = page.getByTestId('not-built-notice');
      await notice.waitFor();
      expect(path(page)).toBe('/insight');
      expect(await notice.getAttribute('data-capability')).toBe('insight');
      expect(await text(page.getByTestId('not-built-title'))).toBe('本功能尚未建成');
      expect(await text(notice)).toContain('绩效分析');
      await screenshot(page, 'not-built-zh');

      // A deep link loads the console from the server (index.html fallback) and lands on the same kind of page.
      await page.goto(`${server.baseUrl}/linkage`);
      await page.locator('[data-testid="not-built-notice"][data-capability="linkage"]').waitFor();
      expect(await text(page.getByTestId('header-user-name'))).not.toBe('');

      // The interfaces page links to the server's OpenAPI page.
      await page.getByTestId('nav-interfaces').click();
      expect(await page.getByTestId('api-docs-link').getAttribute('href')).toBe('/api/docs');
    });

    it('switches to English, and remembers the choice', async () => {
      await page.getByTestId('nav-insight').click();
      await page.getByTestId('not-built-notice').waitFor();
      await page.getByTestId('lang-en').click();
      await expect.poll(() => text(page.getByTestId('not-built-title'))).toBe('This page is not built yet');
      expect(await text(page.getByTestId('header-user-role'))).toBe('Dispatcher');
      expect(await text(page.getByTestId('nav-cases'))).toBe('Cases');
      expect(await text(page.getByTestId('nav-home'))).toBe('Workbench');
      expect(await text(page.getByTestId('logout-button'))).toBe('Sign out');
      expect(await text(page.getByTestId('header-unit-name'))).toBe(user.unit.nameEn || user.unit.name);
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
      await screenshot(page, 'not-built-en');

      await page.reload();
      await page.getByTestId('not-built-notice').waitFor();
      expect(await text(page.getByTestId('nav-cases'))).toBe('Cases');
      await page.getByTestId('nav-home').click();
      await page.getByTestId('home-page').waitFor();
      await screenshot(page, 'home-en');
    });

    it('signs out with the CSRF token and lands on the sign-in page', async () => {
      const me = (await (await page.request.get(`${server.baseUrl}/api/me`)).json()) as { csrfToken: string };
      const [logout] = await Promise.all([
        page.waitForRequest((r) => new URL(r.url()).pathname === '/api/auth/logout'),
        page.getByTestId('logout-button').click(),
      ]);
      expect(logout.method()).toBe('POST');
      expect(await logout.headerValue('x-csrf-token')).toBe(me.csrfToken);
      expect((await logout.response())?.status()).toBe(204);

      await page.getByTestId('login-page').waitFor();
      expect(path(page)).toBe('/login');
      expect(await text(page.getByTestId('login-submit'))).toBe('Sign in');
      expect((await page.request.get(`${server.baseUrl}/api/me`)).status()).toBe(401);

      // The session is really gone: a console page sends the browser back to sign in.
      await page.goto(`${server.baseUrl}/cases`);
      await page.getByTestId('login-page').waitFor();
      expect(path(page)).toBe('/login');

      // In English the server's refusal comes in English, because the console asked for it.
      const response = await submitLogin('dispatcher', 'still-not-the-password');
      expect(response.status()).toBe(401);
      expect(await response.request().headerValue('accept-language')).toBe('en');
      const body = (await response.json()) as ErrorBody;
      await page.getByTestId('login-error').waitFor();
      expect(await text(page.getByTestId('login-error'))).toBe(body.error.message);
      await screenshot(page, 'login-error-en');
    });

    it('raised no uncaught error in the page', () => {
      expect(pageErrors).toEqual([]);
    });
  },
);
