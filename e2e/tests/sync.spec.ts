// Sending: queued reports leave the phone by themselves once the server is
// reachable, arrive exactly once with byte-identical media, survive the
// server going away mid-sync, and a refusal shows on the report.
//
// "Arrived once" is checked on the server's side: its media folder holds
// exactly the reports sent, each medium's SHA-256 equals the one the phone
// computed from its own stored bytes before sending, and the case numbers
// run 1..n (the server numbers each new report once, so a duplicate create
// would have taken a number).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, expectControlledByServiceWorker, type GreenWatchServer } from '../fixtures/server';
import { storedReports, storedSyncMachine, type StoredReport } from '../fixtures/outbox';
import { fileReport, openMyReports } from '../fixtures/citizen';
import { cutTheApi } from '../fixtures/network';

test.use({ permissions: ['microphone'] });

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** The year case numbers are counted in: China Standard Time. */
const caseYear = () => new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();

/**
 * Checks that the server holds exactly `reports` (as the phone stored them
 * before sending), each medium byte-identical, under case numbers 1..n, and
 * that each case answers to its receipt.
 */
async function expectArrivedOnce(page: Page, server: GreenWatchServer, reports: StoredReport[]) {
  const mediaRoot = join(server.dataDir, 'media', 'reports');
  const withMedia = reports.filter((r) => r.photos.length + r.clips.length > 0).map((r) => r.id);
  const onServer = existsSync(mediaRoot) ? readdirSync(mediaRoot) : [];
  expect(onServer.sort()).toEqual(withMedia.sort());
  for (const report of reports) {
    const expected = [...report.photos.map((p) => p.sha256), ...report.clips.map((c) => c.sha256)];
    const files = expected.length ? readdirSync(join(mediaRoot, report.id)).sort() : [];
    expect(files, `media of ${report.id}`).toEqual(expected.map((_, i) => String(i)).sort());
    expected.forEach((hash, index) => {
      const stored = readFileSync(join(mediaRoot, report.id, String(index)));
      expect(sha256(stored), `medium ${index} of ${report.id}`).toBe(hash);
    });
  }

  const machine = await storedSyncMachine(page);
  const cases: string[] = machine.reports.map((r: any) => {
    expect(r.phase.state).toBe('sent');
    return r.phase.case_number;
  });
  const year = caseYear();
  const expectedCases = reports.map((_, i) => `GW-${year}-${String(i + 1).padStart(6, '0')}`);
  expect(cases.sort()).toEqual(expectedCases);

  const stored = await storedReports(page);
  for (const r of machine.reports) {
    const report = stored.find((s) => s.id === r.id)!;
    const answer = await page.request.get(`${server.url}/api/v1/cases/${r.phase.case_number}`, {
      headers: { 'x-receipt': report.receipt! },
    });
    expect(answer.status()).toBe(200);
    const timeline = await answer.json();
    expect(timeline.events[0].kind).toBe('received');
  }
}

test('three reports queued offline arrive exactly once, media byte-identical, when the network returns', async ({
  page,
  context,
  server,
}) => {
  test.setTimeout(150_000);
  await page.goto(server.url + '/');
  await expectControlledByServiceWorker(page);
  await context.setOffline(true);

  await fileReport(page, {
    category: '河道或小微水体',
    description: '夜里桥下排污口向河里排放黑色污水。',
    address: '三北大街桥下',
    photos: ['HMD_Nokia_8.3_5G.jpg', 'iphone_hdr_YES.jpg'],
    voice: true,
  });
  await fileReport(page, {
    category: '大气污染',
    description: '工厂烟囱冒黑烟，持续半小时。',
    address: '滨海工业园东门',
    photos: ['portrait_6.jpg'],
  });
  await fileReport(page, {
    category: '噪声',
    description: '工地夜间施工，噪声很大。',
    address: '北门广场旁工地',
  });

  await openMyReports(page);
  await expect(page.getByRole('status').filter({ hasText: '现在连不上服务器' })).toBeVisible();
  const queued = await storedReports(page);
  expect(queued.map((r) => r.state)).toEqual(['queued', 'queued', 'queued']);
  expect(queued.every((r) => r.receipt?.length === 43)).toBe(true);
  for (const report of queued) {
    for (const p of report.photos) expect(p.sha256).toBe(p.meta.sha256);
  }

  await context.setOffline(false);
  await expect(page.getByRole('listitem').filter({ hasText: '已发送' })).toHaveCount(3, { timeout: 60_000 });
  await expect(page.getByRole('status').filter({ hasText: '所有已提交的举报都已发送' })).toBeVisible();
  await expectArrivedOnce(page, server, queued);

  // Sent: the media blobs are freed on the phone, the thumbnails stay.
  const sent = await storedReports(page);
  for (const report of sent) {
    expect(report.state).toBe('sent');
    expect(report.mediaFreed).toBe(true);
    expect(report.photos).toHaveLength(0);
    expect(report.clips).toHaveLength(0);
  }
  expect(sent.filter((r) => r.hasThumbnail)).toHaveLength(2);

  // The citizen follows the case on the phone.
  await page.getByRole('link', { name: '河道或小微水体' }).click();
  await expect(page.getByRole('heading', { name: '案件编号' })).toBeVisible();
  await expect(page.getByText(new RegExp(`^GW-${caseYear()}-00000[1-3]$`))).toBeVisible();
  await expect(page.getByRole('list').filter({ hasText: '已收到' })).toBeVisible();
  await expect(page.getByText('照片和录音已发送')).toBeVisible();
});

test.describe('with the requests watched', () => {
  // page.route sees the page's own requests only when no service worker
  // stands in between.
  test.use({ serviceWorkers: 'block' });

  test('the server stopped in the middle of a sync: sending resumes by itself and completes', async ({
    page,
    server,
  }) => {
    test.setTimeout(150_000);
    await page.goto(server.url + '/');
    const reconnect = await cutTheApi(page);
    await fileReport(page, {
      category: '固体废物',
      description: '河滩上倾倒了大量建筑垃圾。',
      address: '姚江南岸河滩',
      photos: ['HMD_Nokia_8.3_5G.jpg', 'iphone_hdr_YES.jpg', 'portrait_6.jpg'],
    });
    await fileReport(page, {
      category: '水污染',
      description: '养殖场废水直排入河，水面发白。',
      address: '城西养殖场排口',
      photos: ['portrait_6.jpg', 'HMD_Nokia_8.3_5G.jpg'],
    });
    const queued = await storedReports(page);
    expect(queued).toHaveLength(2);

    // The server goes down as the second medium is on its way.
    let uploads = 0;
    let stopped: Promise<void> | undefined;
    await page.route('**/api/v1/reports/*/media/*', async (route) => {
      uploads += 1;
      if (uploads === 2) {
        stopped = server.stop();
        await stopped;
      }
      await route.continue().catch(() => undefined);
    });
    await openMyReports(page);
    await reconnect();
    await page.evaluate(() => window.dispatchEvent(new Event('online')));

    await expect.poll(() => uploads, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    await stopped;
    await expect(page.getByRole('status').filter({ hasText: '现在连不上服务器' })).toBeVisible({ timeout: 30_000 });
    expect(await page.getByRole('listitem').filter({ hasText: '已发送' }).count()).toBe(0);

    await server.restart();
    // No button pressed: the backoff's retry finds the server again.
    await expect(page.getByRole('listitem').filter({ hasText: '已发送' })).toHaveCount(2, { timeout: 60_000 });
    await expectArrivedOnce(page, server, queued);
  });
});

test('a report the server refuses (422) shows its message as needing attention, and goes once fixed', async ({
  page,
  server,
}) => {
  test.setTimeout(90_000);
  // The phone's clock is two hours fast: its "now" is the server's future.
  const fast = Date.now() + 2 * 3_600_000;
  await page.clock.setFixedTime(fast);
  await page.goto(server.url + '/');
  await fileReport(page, {
    category: '噪声',
    description: '酒吧音响声音太大，凌晨还在放。',
    address: '老街酒吧',
  });

  await expect(page.getByText('需要处理', { exact: true })).toBeVisible({ timeout: 30_000 });
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('发现时间不能晚于现在，请检查日期和时间。');
  expect((await storedReports(page))[0].state).toBe('needs_attention');

  await openMyReports(page);
  await expect(page.getByRole('listitem').filter({ hasText: '发现时间不能晚于现在' })).toHaveCount(1);
  await page.getByRole('link', { name: '噪声' }).click();

  // The person corrects the time (three hours before the phone's clock) and sends again.
  await page.getByRole('link', { name: '继续编辑' }).click();
  const earlier = new Date(fast - 3 * 3_600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const local = `${earlier.getFullYear()}-${pad(earlier.getMonth() + 1)}-${pad(earlier.getDate())}T${pad(earlier.getHours())}:${pad(earlier.getMinutes())}`;
  await page.getByLabel('发现时间').fill(local);
  await page.getByRole('button', { name: '提交，联网后自动发送' }).click();
  await expect(page.getByText('已发送', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(new RegExp(`^GW-${caseYear()}-000001$`))).toBeVisible();
  const [report] = await storedReports(page);
  expect(report.state).toBe('sent');
});

test.describe('with two tabs open', () => {
  test.use({ serviceWorkers: 'block' });

  test('two open tabs never send the same report twice: each request goes once', async ({ context, server }) => {
    test.setTimeout(150_000);
    const first = await context.newPage();
    const second = await context.newPage();
    await first.goto(server.url + '/');
    await second.goto(server.url + '/reports');
    const reconnect = await cutTheApi(context);
    await fileReport(first, {
      category: '大气污染',
      description: '烧烤摊油烟直排，整条街都是烟。',
      address: '夜市东口',
      photos: ['HMD_Nokia_8.3_5G.jpg', 'portrait_6.jpg'],
    });
    await fileReport(first, {
      category: '噪声',
      description: '凌晨两点还在装卸货物。',
      address: '物流园北门',
      photos: ['iphone_hdr_YES.jpg'],
    });
    const queued = await storedReports(first);

    const requests = new Map<string, number>();
    await context.route('**/api/v1/reports/**', async (route) => {
      const key = `${route.request().method()} ${new URL(route.request().url()).pathname}`;
      requests.set(key, (requests.get(key) ?? 0) + 1);
      // Slow enough that both tabs are awake while a report is in flight.
      await new Promise((done) => setTimeout(done, 150));
      await route.continue();
    });
    await reconnect();
    // Both tabs hear `online` and both try to send.
    for (const tab of [first, second]) await tab.evaluate(() => window.dispatchEvent(new Event('online')));
    await expect(first.getByText('已发送', { exact: true })).toBeVisible({ timeout: 60_000 });
    await openMyReports(second);
    await expect(second.getByRole('listitem').filter({ hasText: '已发送' })).toHaveCount(2, { timeout: 60_000 });
    await expect(second.getByRole('status').filter({ hasText: '所有已提交的举报都已发送' })).toBeVisible();

    const expected = queued.flatMap((r) => [
      `PUT /api/v1/reports/${r.id}`,
      ...r.photos.map((_, i) => `PUT /api/v1/reports/${r.id}/media/${i}`),
    ]);
    expect([...requests.keys()].sort()).toEqual(expected.sort());
    for (const [request, count] of requests) expect(count, request).toBe(1);
    await expectArrivedOnce(first, server, queued);
  });
});

test('offline with reports waiting, the app registers Background Sync as well', async ({ page, context, server }) => {
  await context.grantPermissions(['background-sync']);
  await page.goto(server.url + '/');
  await expectControlledByServiceWorker(page);
  await context.setOffline(true);
  await fileReport(page, { category: '噪声', description: '装修电钻声从早到晚。', address: '幸福小区5幢' });
  await expect
    .poll(() =>
      page.evaluate(async () => {
        const registration: any = await navigator.serviceWorker.ready;
        return registration.sync ? await registration.sync.getTags() : ['(no Background Sync)'];
      }),
    )
    .toContain('greenwatch-sync');
});

test('case number and receipt are copied, and read the case on another device', async ({
  page,
  context,
  browser,
  server,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(server.url + '/');
  await fileReport(page, { category: '噪声', description: '广场舞音响太响，晚上十点还没停。', address: '北门广场' });
  await expect(page.getByText('已发送', { exact: true })).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: '复制案件编号和凭证' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已复制。' })).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  const caseNumber = copied.match(/GW-\d{4}-\d{6}/)?.[0];
  const receipt = copied.match(/[A-Za-z0-9_-]{43}/)?.[0];
  expect(caseNumber).toBe(`GW-${caseYear()}-000001`);
  expect(receipt).toBe((await storedReports(page))[0].receipt);

  // Another device: a browser with nothing stored, in English.
  const other = await browser.newContext({ locale: 'en-GB' });
  const phone = await other.newPage();
  await phone.goto(server.url + '/cases');
  await phone.getByRole('textbox', { name: 'Case number' }).fill(caseNumber!);
  await phone.getByRole('textbox', { name: 'Receipt' }).fill(receipt!);
  await phone.getByRole('button', { name: 'Check' }).click();
  await expect(phone.getByRole('heading', { name: `Handling ${caseNumber}` })).toBeVisible();
  await expect(phone.getByRole('listitem').filter({ hasText: 'Received' })).toBeVisible();

  // A wrong receipt reads nothing, and says so; a malformed one is caught first.
  await phone.getByRole('textbox', { name: 'Receipt' }).fill('A'.repeat(43));
  await phone.getByRole('button', { name: 'Check' }).click();
  await expect(phone.getByText('No case was found with this number and receipt.')).toBeVisible();
  await phone.getByRole('textbox', { name: 'Case number' }).fill('GW-26-1');
  await phone.getByRole('button', { name: 'Check' }).click();
  await expect(phone.getByText('A case number looks like GW-2026-000123.')).toBeVisible();
  await expect(phone.getByRole('textbox', { name: 'Case number' })).toHaveAttribute('aria-invalid', 'true');
  await other.close();
});

test("the agency's handling reaches the phone: at the app's start and when the network returns", async ({
  page,
  context,
  playwright,
  server,
}) => {
  test.setTimeout(120_000);
  await page.goto(server.url + '/');
  await fileReport(page, { category: '水污染', description: '印染厂排口流出红色废水。', address: '江南路印染厂东侧排口' });
  await expect(page.getByText('已发送', { exact: true })).toBeVisible({ timeout: 30_000 });
  const caseNumber = (await storedSyncMachine(page)).reports[0].phase.case_number as string;
  await expect(page.getByRole('listitem').filter({ hasText: '已收到' })).toBeVisible();

  // A bureau operator handles the case through the staff API (its own cookie jar).
  server.addStaff('li.na', 'correct horse battery', 'operator');
  const staff = await playwright.request.newContext({ baseURL: server.url });
  expect((await staff.post('/api/v1/staff/login', { data: { username: 'li.na', password: 'correct horse battery' } })).status()).toBe(200);
  expect((await staff.post(`/api/v1/staff/cases/${caseNumber}/accept`)).status()).toBe(200);
  expect((await staff.post(`/api/v1/staff/cases/${caseNumber}/on-site`)).status()).toBe(200);

  // The citizen opens the app again: the timeline is read at start.
  await page.reload();
  await expect(page.getByRole('listitem').filter({ hasText: '已受理' })).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: '现场处理中' })).toBeVisible();

  // Offline, the reply is written; when the network returns, it shows.
  await context.setOffline(true);
  const reply = '经现场核查，该企业超标排放，已立案查处并责令停产整改。';
  expect((await staff.post(`/api/v1/staff/cases/${caseNumber}/resolve`, { data: { reply } })).status()).toBe(200);
  await page.waitForTimeout(1_000);
  await expect(page.getByText(reply)).toHaveCount(0);
  await context.setOffline(false);
  await expect(page.getByRole('listitem').filter({ hasText: '已办结' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(reply)).toBeVisible();
  await staff.dispose();
});

test('Home sends a report queued offline when the network returns, and a first visit to Home starts no sending', async ({
  page,
  context,
  server,
}) => {
  // A first visit: nothing on the phone, so Home leaves the sending engine
  // out (its own build, loaded only when there is something to send).
  await page.goto(server.url + '/');
  await expectControlledByServiceWorker(page);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.waitForTimeout(500);
  await expect(page.locator('script[src="/sync/start.js"]')).toHaveCount(0);

  // Filed with no signal; the person goes back to Home and waits there.
  await context.setOffline(true);
  await fileReport(page, { category: '大气污染', description: '露天焚烧垃圾，浓烟飘进小区。', address: '城东垃圾中转站后空地' });
  await expect(page.getByText('待发送', { exact: true })).toBeVisible();
  await page.goto(server.url + '/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.locator('script[src="/sync/start.js"]')).toHaveCount(1);
  const publicCases = async () => {
    const answer = await fetch(server.url + '/open311/v2/requests.json');
    return ((await answer.json()) as unknown[]).length;
  };
  expect(await publicCases()).toBe(0);

  await context.setOffline(false);
  // Sent from Home: the server holds the case, once.
  await expect.poll(publicCases, { timeout: 30_000 }).toBe(1);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect(new URL(page.url()).pathname).toBe('/');
  await page.waitForTimeout(1_000);
  expect(await publicCases()).toBe(1);
  const [report] = await storedReports(page);
  expect(report.state).toBe('sent');
});
