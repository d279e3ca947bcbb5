// The registry pages (基础数据库) in a real browser against the real server: import a small grid layer
// through the import screen (a refused overlapping file first), see it on the map and hover a cell, the org
// tree, the lists (masked phones, inactive records marked), the categories, and the English switch.
import { spawn } from 'node:child_process';
import type { APIRequestContext, Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { creditCodeCheckChar } from '../src/registry/codes.js';
import {
  browserSkipReason,
  DEMO_PASSWORD,
  ensureWebBuilt,
  launchBrowser,
  repoRoot,
  screenshot,
  startServer,
  type RunningServer,
} from './harness.js';

const skipReason = browserSkipReason();
if (skipReason) console.warn(`[e2e] registry pages skipped: ${skipReason}`);

const text = async (locator: Locator) => ((await locator.textContent()) ?? '').trim();
const path = (page: Page) => new URL(page.url()).pathname;

interface OrgUnit {
  id: string;
  kind: string;
  code: string;
  name: string;
}

/** A square cell [lng, lat] of `size` degrees, as a GeoJSON feature. */
function square(code: string, name: string, lng: number, lat: number, size: number) {
  return {
    type: 'Feature',
    properties: { code, name },
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [lng, lat],
          [lng + size, lat],
          [lng + size, lat + size],
          [lng, lat + size],
          [lng, lat],
        ],
      ],
    },
  };
}

/** 2×2 cells of 0.005° (about 480 m × 555 m) from lng 121.36, lat 31.10: T00 south-west … T11 north-east. */
const CELL = 0.005;
const GRID = {
  type: 'FeatureCollection',
  features: [0, 1].flatMap((i) =>
    [0, 1].map((j) => square(`T${i}${j}`, `测试网格${i}${j}`, 121.36 + i * CELL, 31.1 + j * CELL, CELL)),
  ),
};
/** Two cells that overlap by a fifth of their width, and a third apart from them. */
const OVERLAPPING = {
  type: 'FeatureCollection',
  features: [
    square('A', 'A', 121.36, 31.1, CELL),
    square('B', 'B', 121.364, 31.1, CELL),
    square('C', 'C', 121.36, 31.106, CELL),
  ],
};
const COMPOUND_AT = { lng: 121.3612, lat: 31.1012 };

/** Where a WGS-84 point is drawn on a web-mercator map of 512-pixel tiles, relative to the map's centre. */
function mercatorOffset(
  lng: number,
  lat: number,
  center: [number, number],
  zoom: number,
): { dx: number; dy: number } {
  const world = 512 * 2 ** zoom;
  const x = (l: number) => ((180 + l) / 360) * world;
  const y = (φ: number) =>
    ((180 - (180 / Math.PI) * Math.log(Math.tan(Math.PI / 4 + (φ * Math.PI) / 360))) / 360) * world;
  return { dx: x(lng) - x(center[0]), dy: y(lat) - y(center[1]) };
}

/** Loads the GB/T 47678.5 directory into the server's database the way an operator does (`onegrid categories load`). */
function loadCategories(dataDir: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/onegrid.js', 'categories', 'load'], {
      cwd: repoRoot,
      env: { ...process.env, ONEGRID_DATA_DIR: dataDir, ONEGRID_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`categories load exited ${code}:\n${output}`)),
    );
  });
}

describe.skipIf(skipReason !== null)(
  `registry pages in Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let server: RunningServer;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let request: APIRequestContext;
    const pageErrors: string[] = [];
    let csrf = '';
    let units: OrgUnit[] = [];
    const unit = (kind: string, name: string) => {
      const u = units.find((x) => x.kind === kind && x.name === name);
      if (!u) throw new Error(`no ${kind} ${name} among ${units.map((x) => x.name).join(', ')}`);
      return u;
    };

    /** A write through the API, as the console makes it (cookie session and CSRF token). */
    async function post<T>(url: string, data: unknown): Promise<T> {
      const response = await request.post(`${server.baseUrl}${url}`, {
        data,
        headers: { 'x-csrf-token': csrf },
      });
      expect(response.status(), `${url}: ${await response.text()}`).toBeLessThan(300);
      return (await response.json()) as T;
    }

    beforeAll(async () => {
      const build = await ensureWebBuilt();
      console.info(`[e2e] web console ${build.built ? 'built' : 'up to date'} in ${build.ms} ms`);
      server = await startServer();
      const [launched] = await Promise.all([launchBrowser(), loadCategories(server.dataDir)]);
      browser = launched;
      context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
      page = await context.newPage();
      request = context.request;
      page.setDefaultTimeout(20_000);
      page.on('pageerror', (e) => pageErrors.push(e.message));
    }, 240_000);

    afterAll(async () => {
      await context?.close();
      await browser?.close();
      await server?.stop();
    });

    // What the page showed when a test failed, next to the other screenshots.
    afterEach(async (ctx) => {
      if (ctx.task.result?.state !== 'fail' || !page) return;
      await screenshot(page, `registry-failed-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
    });

    it('signs bureau staff in and opens the registry on its map, with no layers yet', async () => {
      await page.goto(`${server.baseUrl}/login`);
      await page.getByTestId('login-username').fill('bureaustaff');
      await page.getByTestId('login-password').fill(DEMO_PASSWORD);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('home-page').waitFor();

      await page.getByTestId('nav-registry').click();
      await page.getByTestId('registry-map-page').waitFor();
      expect(path(page)).toBe('/registry/map');
      expect(await text(page.getByTestId('page-title'))).toBe('基础数据库');
      for (const tab of [
        'map',
        'org',
        'compounds',
        'property-companies',
        'departments',
        'merchants',
        'users',
        'categories',
        'import',
      ]) {
        expect(await page.getByTestId(`registry-tab-${tab}`).count(), `tab ${tab}`).toBe(1);
      }
      await page.getByTestId('map-no-layers').waitFor();

      // The records the lists will show, created through the same API the console uses.
      const me = (await (await request.get(`${server.baseUrl}/api/me`)).json()) as { csrfToken: string };
      csrf = me.csrfToken;
      units = (
        (await (await request.get(`${server.baseUrl}/api/org-units?limit=5000`)).json()) as {
          items: OrgUnit[];
        }
      ).items;
      const xinzhuang = unit('subdistrict', '莘庄镇');
      const community = units.find((u) => u.kind === 'community');
      const squad = units.find((u) => u.kind === 'squad');
      if (!community || !squad) throw new Error('the demo basics have no community or squad');
      const body = '91310112MA1GB2C3X';
      const company = await post<{ id: string }>('/api/registry/property-companies', {
        name: '上海闵鑫物业服务有限公司',
        creditCode: body + creditCodeCheckChar(body),
        subdistrictId: xinzhuang.id,
        contactName: '吴经理',
        contactPhone: '13812345678',
        address: '莘庄镇莘东路 1 号',
      });
      await post('/api/registry/compounds', {
        code: 'XZ-E2E-001',
        name: '莘东新苑',
        communityId: community.id,
        propertyCompanyId: company.id,
        ownersCommittee: '莘东新苑业委会',
        address: '莘东路 100 弄',
        location: COMPOUND_AT,
      });
      const old = await post<{ id: string; version: number }>('/api/registry/compounds', {
        code: 'XZ-E2E-002',
        name: '莘西旧村',
        communityId: community.id,
        address: '莘西路 5 弄',
      });
      await post(`/api/registry/compounds/${old.id}/active`, { active: false, version: old.version });
      const department = await post<{ id: string }>('/api/registry/departments', {
        code: '310112-GA',
        kind: 'police',
        name: '闵行公安分局',
        nameEn: 'Minhang Public Security Sub-bureau',
      });
      await post(`/api/registry/departments/${department.id}/liaisons`, {
        name: '钱警官',
        title: '社区民警',
        phone: '13987654321',
      });
      await post('/api/registry/merchants', {
        name: '莘庄便利店',
        subdistrictId: xinzhuang.id,
        business: '零售',
        address: '莘庄镇沪闵路 8 号',
        location: { lng: 121.363, lat: 31.104 },
      });
      await post('/api/users', {
        username: 'officer.e2e',
        displayName: '测试队员',
        password: 'E2E-password-2026',
        role: 'officer',
        unitId: squad.id,
        phone: '13700001111',
      });
    });

    it('refuses an overlapping layer in strict mode and shows the server’s report and error as given', async () => {
      await page.getByTestId('registry-tab-import').click();
      await page.getByTestId('layer-import-page').waitFor();
      await page.locator('[data-testid="import-file"] input[type="file"]').setInputFiles({
        name: 'overlap.geojson',
        mimeType: 'application/geo+json',
        buffer: Buffer.from(JSON.stringify(OVERLAPPING)),
      });
      await expect.poll(() => text(page.getByTestId('import-file-info'))).toContain('3 个要素');
      await page.getByTestId('import-layer-name').fill('overlapTest');
      expect(await page.getByTestId('import-commit').isDisabled()).toBe(true); // validate first

      // Dry run: one overlap of cells A and B, with its area, sortable by area; nothing stored.
      const [dry] = await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === '/api/grid-layers/overlapTest/import'),
        page.getByTestId('import-validate').click(),
      ]);
      expect(new URL(dry.url()).searchParams.get('dryRun')).toBe('true');
      expect(new URL(dry.url()).searchParams.get('crs')).toBe('wgs84');
      const report = (await dry.json()) as {
        findings: Array<{ kind: string; areaM2: number }>;
        committed: boolean;
      };
      expect(report.committed).toBe(false);
      expect(report.findings.map((f) => f.kind)).toEqual(['overlap']);
      await page.getByTestId('import-report').waitFor();
      const table = page.getByTestId('findings-table');
      expect(await text(table.getByTestId('finding-kind').first())).toBe('重叠');
      expect(await text(table.getByTestId('finding-area').first())).toBe(
        `${Math.round(report.findings[0]?.areaM2 ?? 0).toLocaleString('zh-CN')} m²`,
      );
      expect(await text(table)).toContain('A');
      await page.getByTestId('import-preview-map').locator('canvas').waitFor();

      // Strict: the server refuses the layer (already at the dry run) and the error is shown exactly as sent,
      // with the findings its details carry; the import button stays off.
      await page.getByTestId('import-strict').click();
      const [refused] = await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === '/api/grid-layers/overlapTest/import'),
        page.getByTestId('import-validate').click(),
      ]);
      expect(refused.status()).toBe(400);
      const error = (await refused.json()) as { error: { code: string; message: string } };
      await page.getByTestId('import-error').waitFor();
      expect(await text(page.getByTestId('api-error-message'))).toBe(error.error.message);
      expect(await text(page.getByTestId('api-error-code'))).toBe(error.error.code);
      expect(await text(page.getByTestId('findings-table').getByTestId('finding-kind').first())).toBe('重叠');
      expect(await page.getByTestId('import-commit').isDisabled()).toBe(true);
      await screenshot(page, 'registry-import-refused');
      const layers = (await (await request.get(`${server.baseUrl}/api/grid-layers`)).json()) as {
        items: unknown[];
      };
      expect(layers.items).toEqual([]);
    });

    it('imports a 2×2 grid through the import screen and shows the new version', async () => {
      await page.reload();
      await page.getByTestId('layer-import-page').waitFor();
      await page.locator('[data-testid="import-file"] input[type="file"]').setInputFiles({
        name: 'test-grid.geojson',
        mimeType: 'application/geo+json',
        buffer: Buffer.from(JSON.stringify(GRID)),
      });
      // The layer name is suggested from the file name; we choose our own.
      await expect.poll(() => page.getByTestId('import-layer-name').inputValue()).toBe('test-grid');
      await page.getByTestId('import-layer-name').fill('testGrid');
      await page.getByTestId('import-title').fill('测试网格');
      await page.getByTestId('import-validate').click();
      await page.getByTestId('import-clean').waitFor();
      expect(await page.getByTestId('import-cell-count').textContent()).toContain('4');
      await screenshot(page, 'registry-import-report');

      const [committed] = await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === '/api/grid-layers/testGrid/import'),
        page.getByTestId('import-commit').click(),
      ]);
      expect(committed.status()).toBe(200);
      expect(new URL(committed.url()).searchParams.get('dryRun')).toBeNull();
      const result = (await committed.json()) as { version: number; committed: boolean };
      expect(result).toMatchObject({ version: 1, committed: true });
      const done = page.getByTestId('import-committed');
      await done.waitFor();
      expect(await done.getAttribute('data-version')).toBe('1');
      expect(await text(done)).toContain('第 1 版');
      // The stored layers list has it, with no findings.
      await expect.poll(() => text(page.getByTestId('stored-layers'))).toContain('testGrid');
      await screenshot(page, 'registry-import');
    });

    it('lists the layer on the map, draws it, and shows a cell’s code and a compound’s name on hover', async () => {
      await page.getByTestId('registry-tab-map').click();
      const item = page.getByTestId('layer-item-testGrid');
      await item.waitFor();
      expect(await text(item)).toContain('测试网格');
      expect(await text(item)).toContain('4 格');
      const map = page.getByTestId('registry-map');
      await expect.poll(() => map.getAttribute('data-map-state'), { timeout: 30_000 }).toBe('ready');
      expect(await map.locator('canvas.maplibregl-canvas').count()).toBe(1);
      await expect.poll(() => item.getAttribute('data-load-state'), { timeout: 20_000 }).toBe('loaded');
      expect(await text(item.getByTestId('layer-loaded'))).toBe('已显示 4 格');
      // Generated geometry would carry a banner; this layer was imported, not generated.
      expect(await page.getByTestId('generated-banner').count()).toBe(0);

      // The map fits the layer; wait until it has settled there (zoom well above the district's ~11).
      await expect
        .poll(async () => Number(await map.getAttribute('data-zoom')), { timeout: 10_000 })
        .toBeGreaterThan(13);
      await page.waitForTimeout(300);
      const box = await map.boundingBox();
      if (!box) throw new Error('map has no box');
      const at = async (lng: number, lat: number) => {
        const [cLng, cLat] = ((await map.getAttribute('data-center')) ?? '0,0').split(',').map(Number) as [
          number,
          number,
        ];
        const zoom = Number(await map.getAttribute('data-zoom'));
        const { dx, dy } = mercatorOffset(lng, lat, [cLng, cLat], zoom);
        return { x: box.x + box.width / 2 + dx, y: box.y + box.height / 2 + dy };
      };

      const t11 = await at(121.36 + 1.5 * CELL, 31.1 + 1.5 * CELL);
      await page.mouse.move(t11.x, t11.y);
      const hover = page.getByTestId('map-hover');
      await expect.poll(() => hover.getAttribute('data-code'), { timeout: 10_000 }).toBe('T11');
      expect(await text(page.getByTestId('map-hover-name'))).toBe('测试网格11');
      expect(await text(hover)).toContain('测试网格'); // the layer's title
      await screenshot(page, 'registry-map');

      const t00 = await at(121.36 + 0.7 * CELL, 31.1 + 0.5 * CELL);
      await page.mouse.move(t00.x, t00.y);
      await expect.poll(() => hover.getAttribute('data-code')).toBe('T00');

      const compound = await at(COMPOUND_AT.lng, COMPOUND_AT.lat);
      await page.mouse.move(compound.x, compound.y);
      await expect.poll(() => text(page.getByTestId('map-hover-name'))).toBe('莘东新苑');
      expect(await hover.getAttribute('data-code')).toBe('XZ-E2E-001');
      await screenshot(page, 'registry-map-compound');

      await page.mouse.move(box.x + 5, box.y + box.height - 5);
      await expect.poll(() => hover.count()).toBe(0);
    });

    it('shows the org tree with the bureau and 莘庄镇, searches it, and details a unit', async () => {
      await page.getByTestId('registry-tab-org').click();
      const tree = page.getByTestId('org-tree');
      await tree.waitFor();
      expect(await text(tree)).toContain('闵行区城市管理行政执法局');
      expect(await text(tree)).toContain('莘庄镇');

      await page.getByTestId('org-search').locator('input').fill('东街');
      await expect.poll(() => text(page.getByTestId('org-search-count'))).toMatch(/找到 [1-9]\d* 个单位/);
      const match = tree.locator('[data-testid="org-node"][data-kind="community"]').first();
      await match.waitFor();
      expect(await text(match)).toContain('东街');
      await page.getByTestId('org-search').locator('input').fill('');

      await tree
        .locator(`[data-testid="org-node"][data-code="${unit('subdistrict', '莘庄镇').code}"]`)
        .click();
      const details = page.getByTestId('org-details');
      await expect.poll(() => text(details.getByTestId('org-details-name'))).toBe('莘庄镇');
      expect(await text(details.getByTestId('org-details-kind'))).toBe('街道 / 镇');
      expect(await text(details)).toContain('闵行区城市管理行政执法局'); // its place in the tree
      await screenshot(page, 'registry-org');
    });

    it('lists the demo users with masked phones, and filters by role', async () => {
      await page.getByTestId('registry-tab-users').click();
      const list = page.getByTestId('users-list');
      await list.getByTestId('list-count').waitFor();
      const usernames = await list.getByTestId('user-username').allTextContents();
      for (const u of [
        'leader',
        'bureaustaff',
        'squadleader',
        'dispatcher',
        'officer',
        'workstation',
        'liaison',
        'property',
      ]) {
        expect(usernames, u).toContain(u);
      }
      const phones = (await list.getByTestId('user-phone').allTextContents()).filter((p) => p !== '—');
      expect(phones.length).toBeGreaterThan(0);
      for (const p of phones) expect(p).toMatch(/^\d{3}\*{4}\d{4}$/);
      expect(phones).toContain('137****1111');
      expect(await text(list)).not.toContain('13700001111');
      await screenshot(page, 'registry-users');

      await list.getByTestId('list-search').locator('input').fill('测试');
      await expect.poll(() => list.getByTestId('user-username').allTextContents()).toEqual(['officer.e2e']);
    });

    it('lists compounds with the inactive one marked 停用, and filters by state and text', async () => {
      await page.getByTestId('registry-tab-compounds').click();
      const list = page.getByTestId('compounds-list');
      await expect.poll(() => text(list.getByTestId('list-count'))).toBe('共 2 条');
      const inactiveRow = list.locator('tr[data-active="false"]');
      expect(await inactiveRow.count()).toBe(1);
      expect(await text(inactiveRow)).toContain('莘西旧村');
      expect(await text(inactiveRow.getByTestId('inactive-tag'))).toBe('停用');
      expect(await text(list.locator('tr[data-active="true"]'))).toContain('上海闵鑫物业服务有限公司');
      await screenshot(page, 'registry-compounds');

      await list.getByTestId('active-filter').getByText('启用').click();
      await expect.poll(() => text(list.getByTestId('list-count'))).toBe('共 1 条');
      await list.getByTestId('active-filter').getByText('全部').click();
      await list.getByTestId('list-search').locator('input').fill('莘西');
      await expect.poll(() => text(list.getByTestId('list-count'))).toBe('共 1 条');
    });

    it('lists property companies, departments with their liaisons, and merchants, phones masked', async () => {
      await page.getByTestId('registry-tab-property-companies').click();
      const companies = page.getByTestId('property-companies-list');
      await expect.poll(() => text(companies)).toContain('上海闵鑫物业服务有限公司');
      expect(await text(companies.getByTestId('company-phone'))).toBe('138****5678');
      await screenshot(page, 'registry-property-companies');

      await page.getByTestId('registry-tab-departments').click();
      const departments = page.getByTestId('departments-list');
      await expect.poll(() => text(departments)).toContain('闵行公安分局');
      expect(await text(departments)).toContain('公安');
      await departments.locator('.ant-table-row-expand-icon').first().click();
      const liaisons = departments.getByTestId('liaisons-table');
      await expect.poll(() => text(liaisons)).toContain('钱警官');
      expect(await text(liaisons)).toContain('139****4321');
      expect(await text(liaisons)).not.toContain('13987654321');
      await screenshot(page, 'registry-departments');

      await page.getByTestId('registry-tab-merchants').click();
      const merchants = page.getByTestId('merchants-list');
      await expect.poll(() => text(merchants)).toContain('莘庄便利店');
      expect(await text(merchants)).toContain('莘庄镇');
      await screenshot(page, 'registry-merchants');
    });

    it('browses the categories by major class, with local extensions and their defaults', async () => {
      await page.getByTestId('registry-tab-categories').click();
      const tree = page.getByTestId('category-tree');
      await tree.waitFor();
      expect(await text(page.getByTestId('category-kind-component'))).toContain('部件');
      expect(await text(page.getByTestId('category-kind-event'))).toContain('事件');
      const list = page.getByTestId('categories-list');
      await expect.poll(() => text(list.getByTestId('list-count'))).toBe('共 407 条'); // 403 standard + 4 local

      await tree.locator('[data-testid="category-major"][data-code="06"]').last().click(); // 事件 › 06 市容环境类
      await expect.poll(() => text(list)).toContain('市容环境类');
      await page.getByTestId('category-local-only').click();
      await expect.poll(() => text(list.getByTestId('list-count'))).toBe('共 2 条');
      const table = page.getByTestId('category-table');
      expect(await text(table)).toContain('新增违建');
      expect(await text(table)).toContain('New illegal construction');
      expect(await text(table)).toContain('2 小时');
      expect(await text(table.getByTestId('local-tag').first())).toBe('本地扩展');
      await page.getByTestId('category-local-only').click();
      await screenshot(page, 'registry-categories');
    });

    it('speaks English after the switch', async () => {
      await page.getByTestId('lang-en').click();
      await page.getByTestId('registry-tab-map').click();
      await expect.poll(() => text(page.getByTestId('page-title'))).toBe('Registry');
      expect(await text(page.getByTestId('registry-tab-org'))).toBe('Organisation');
      const item = page.getByTestId('layer-item-testGrid');
      await expect.poll(() => item.getAttribute('data-load-state'), { timeout: 20_000 }).toBe('loaded');
      expect(await text(item.getByTestId('layer-loaded'))).toBe('4 cells shown');
      await expect
        .poll(async () => Number(await page.getByTestId('registry-map').getAttribute('data-zoom')))
        .toBeGreaterThan(13);
      await screenshot(page, 'registry-map-en');
      await page.getByTestId('lang-zh-CN').click();
    });

    it('draws the district in bold, and loads a big layer only when zoomed in, for the cells in view', async () => {
      // A district outline (121.32–121.42, 31.06–31.16) and a 64×64 unit grid of 0.0005° (about 50 m) cells: more than the console loads whole.
      await post('/api/grid-layers/district/import?crs=wgs84&title=%E5%8C%BA%E7%95%8C', {
        type: 'FeatureCollection',
        features: [square('310112', '闵行区', 121.32, 31.06, 0.1)],
      });
      const unitCells = 64 * 64;
      await post('/api/grid-layers/unitGrid/import?crs=wgs84&title=%E5%8D%95%E5%85%83%E7%BD%91%E6%A0%BC', {
        type: 'FeatureCollection',
        features: Array.from({ length: unitCells }, (_, n) => {
          const i = Math.floor(n / 64);
          const j = n % 64;
          return square(
            `U${String(i).padStart(2, '0')}${String(j).padStart(2, '0')}`,
            '',
            121.36 + i * 0.0005,
            31.09 + j * 0.0005,
            0.0005,
          );
        }),
      });

      await page.reload();
      await page.getByTestId('registry-map-page').waitFor();
      const district = page.getByTestId('layer-item-district');
      await expect.poll(() => district.getAttribute('data-load-state'), { timeout: 20_000 }).toBe('loaded');
      expect(await text(district)).toContain('始终显示');
      expect(await district.locator('input[type="checkbox"]').isDisabled()).toBe(true);
      const map = page.getByTestId('registry-map');
      // Fitted to the district (0.1° across): a zoom of about 12–13.
      await expect.poll(async () => Number(await map.getAttribute('data-zoom'))).toBeLessThan(13.5);

      const unitGrid = page.getByTestId('layer-item-unitGrid');
      await unitGrid.locator('input[type="checkbox"]').check();
      await expect.poll(() => unitGrid.getAttribute('data-load-state')).toBe('zoomIn');
      expect(await text(unitGrid)).toContain('放大到 14 级');
      await screenshot(page, 'registry-map-district');

      const bboxRequest = page.waitForRequest(
        (r) => new URL(r.url()).pathname === '/api/grid-layers/unitGrid/geojson',
      );
      // Zoom in with the map's own button until the big layer's zoom is passed.
      for (let i = 0; i < 4 && Number(await map.getAttribute('data-zoom')) < 14.2; i++) {
        const before = Number(await map.getAttribute('data-zoom'));
        await map.locator('.maplibregl-ctrl-zoom-in').click();
        await expect
          .poll(async () => Number(await map.getAttribute('data-zoom')))
          .toBeGreaterThan(before + 0.9);
      }
      const bbox = new URL((await bboxRequest).url()).searchParams.get('bbox');
      expect(bbox?.split(',').map(Number)).toHaveLength(4);
      await expect.poll(() => unitGrid.getAttribute('data-load-state'), { timeout: 20_000 }).toBe('loaded');
      const shown = Number(/(\d+)/.exec(await text(unitGrid.getByTestId('layer-loaded')))?.[1]);
      expect(shown).toBeGreaterThan(0);
      expect(shown).toBeLessThan(unitCells);
      expect(await text(unitGrid.getByTestId('layer-loaded'))).toContain('当前视野内');

      // Hover a unit cell in view, outside the 2×2 test grid: U3044 spans 121.375–121.3755, 31.112–31.1125.
      await page.waitForTimeout(300);
      const box = await map.boundingBox();
      if (!box) throw new Error('map has no box');
      const [cLng, cLat] = ((await map.getAttribute('data-center')) ?? '0,0').split(',').map(Number) as [
        number,
        number,
      ];
      const { dx, dy } = mercatorOffset(
        121.37525,
        31.11225,
        [cLng, cLat],
        Number(await map.getAttribute('data-zoom')),
      );
      await page.mouse.move(box.x + box.width / 2 + dx, box.y + box.height / 2 + dy);
      await expect.poll(() => page.getByTestId('map-hover').getAttribute('data-code')).toBe('U3044');
      await screenshot(page, 'registry-map-unit-grid');
    }, 90_000);

    it('raised no uncaught error in the page', () => {
      expect(pageErrors).toEqual([]);
    });
  },
);

// The same pages over the demo district (`ONEGRID_DEMO_ON_EMPTY=full`: 14 subdistricts, communities, unit
// and police grids, compounds, all with generated geometry), as a visitor of the demo first sees them.
describe.skipIf(skipReason !== null)(
  `registry pages over the demo district${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let server: RunningServer;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    const pageErrors: string[] = [];

    beforeAll(async () => {
      await ensureWebBuilt();
      const before = process.env.ONEGRID_E2E_DEMO;
      process.env.ONEGRID_E2E_DEMO = 'full'; // read by startServer when it spawns the server
      try {
        server = await startServer({ readyTimeoutMs: 240_000 });
      } finally {
        if (before === undefined) delete process.env.ONEGRID_E2E_DEMO;
        else process.env.ONEGRID_E2E_DEMO = before;
      }
      browser = await launchBrowser();
      context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
      page = await context.newPage();
      page.setDefaultTimeout(20_000);
      page.on('pageerror', (e) => pageErrors.push(e.message));
    }, 300_000);

    afterAll(async () => {
      await context?.close();
      await browser?.close();
      await server?.stop();
    });

    it('shows the generated layers under the banner, coarse to fine, and a subdistrict on hover', async () => {
      await page.goto(`${server.baseUrl}/login?next=${encodeURIComponent('/registry/map')}`);
      await page.getByTestId('login-username').fill('bureaustaff');
      await page.getByTestId('login-password').fill(DEMO_PASSWORD);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('registry-map-page').waitFor();

      const layers = (
        (await (await context.request.get(`${server.baseUrl}/api/grid-layers`)).json()) as {
          items: Array<{ name: string; cellCount: number; generated: boolean }>;
        }
      ).items;
      expect(layers.map((l) => l.name)).toEqual(
        expect.arrayContaining(['district', 'subdistricts', 'unitGrid']),
      );
      const listed = await page
        .locator('[data-testid^="layer-item-"]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-layer')));
      const coarseToFine = [...layers]
        .sort(
          (a, b) =>
            Number(b.name === 'district') - Number(a.name === 'district') || a.cellCount - b.cellCount,
        )
        .map((l) => l.name);
      expect(listed).toEqual(coarseToFine);

      expect(await text(page.getByTestId('generated-banner'))).toBe('示意几何（生成数据，非官方边界）');
      const subdistricts = page.getByTestId('layer-item-subdistricts');
      await expect
        .poll(() => subdistricts.getAttribute('data-load-state'), { timeout: 30_000 })
        .toBe('loaded');
      expect(await text(subdistricts.getByTestId('layer-loaded'))).toBe('已显示 14 格');
      const unitGrid = page.getByTestId('layer-item-unitGrid');
      await unitGrid.locator('input[type="checkbox"]').check();
      await expect.poll(() => unitGrid.getAttribute('data-load-state')).toBe('zoomIn');

      // Hovering the middle of the district names the subdistrict under the mouse.
      const codes = (
        (await (
          await context.request.get(`${server.baseUrl}/api/grid-layers/subdistricts/geojson`)
        ).json()) as {
          features: Array<{ properties: { code: string } }>;
        }
      ).features.map((f) => f.properties.code);
      const map = page.getByTestId('registry-map');
      await page.waitForTimeout(500);
      const box = await map.boundingBox();
      if (!box) throw new Error('map has no box');
      let hovered: string | null = null;
      for (const [fx, fy] of [
        [0.5, 0.5],
        [0.45, 0.55],
        [0.55, 0.45],
        [0.5, 0.6],
      ] as const) {
        await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy, { steps: 2 });
        await page.waitForTimeout(300);
        if ((await page.getByTestId('map-hover').count()) > 0) {
          hovered = await page.getByTestId('map-hover').getAttribute('data-code');
          if (hovered && codes.includes(hovered)) break;
        }
      }
      expect(codes).toContain(hovered);
      await screenshot(page, 'registry-demo-map');
    }, 120_000);

    it('shows the 14 subdistricts in the org tree, and the demo compounds', async () => {
      await page.getByTestId('registry-tab-org').click();
      const tree = page.getByTestId('org-tree');
      await tree.waitFor();
      await expect
        .poll(() => tree.locator('[data-testid="org-node"][data-kind="subdistrict"]').count())
        .toBe(14);
      expect(await text(tree)).toContain('莘庄镇');
      await screenshot(page, 'registry-demo-org');

      await page.getByTestId('registry-tab-compounds').click();
      const list = page.getByTestId('compounds-list');
      await expect
        .poll(async () => Number(/\d+/.exec(await text(list.getByTestId('list-count')))?.[0] ?? 0))
        .toBeGreaterThan(100);
      await screenshot(page, 'registry-demo-compounds');
    });

    it('raised no uncaught error in the page', () => {
      expect(pageErrors).toEqual([]);
    });
  },
);
