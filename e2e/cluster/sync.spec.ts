// The citizen app through a load balancer: two GreenWatch instances behind
// nginx (round robin), one PostgreSQL, media in S3 (scripts/test-cluster
// starts them all). The phone knows the balancer's address only.
//
// "Arrived once" is read back from the shared store: one row per report,
// one `received` event each, every medium recorded as received once; and
// through the staff API (via the balancer), each medium's recorded SHA-256
// and the SHA-256 of the bytes it serves from S3 equal the one the phone
// computed from its own stored bytes before sending.
import { createHash } from 'node:crypto';
import { test, expect, type APIRequestContext, type Page } from '@playwright/test';
import { storedReports, storedSyncMachine, type StoredReport } from '../fixtures/outbox';
import { fileReport, openMyReports } from '../fixtures/citizen';
import { cutTheApi } from '../fixtures/network';
import { accessLogLength, accessLogLines, alive, cluster, idList, sql } from '../fixtures/cluster';

test.use({ permissions: ['microphone'] });

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A staff member signed in through the balancer (own cookie jar). */
async function signedInStaff(playwright: any): Promise<APIRequestContext> {
  // An address of its own (nginx passes it on; the instances trust
  // nginx), so that reading back does not spend the phone's rate limit.
  const staff: APIRequestContext = await playwright.request.newContext({
    baseURL: cluster.url,
    extraHTTPHeaders: { 'X-Forwarded-For': '198.51.100.20' },
  });
  const login = await staff.post('/api/v1/staff/login', {
    data: { username: cluster.staffUser, password: cluster.staffPassword },
  });
  expect(login.status()).toBe(200);
  return staff;
}

/**
 * The store holds each of `reports` once, complete, with one `received`
 * event, each medium received once; the staff API serves each medium with
 * the phone's SHA-256, recorded and recomputed from the bytes.
 */
async function expectArrivedOnce(page: Page, staff: APIRequestContext, reports: StoredReport[]) {
  const ids = idList(reports.map((r) => r.id));
  const rows = sql(
    `SELECT r.report_id, r.complete,
            (SELECT COUNT(*) FROM case_events e WHERE e.report_id = r.report_id),
            (SELECT COUNT(*) FROM case_events e WHERE e.report_id = r.report_id AND e.kind::jsonb ->> 'kind' = 'received'),
            (SELECT COUNT(*) FROM media m WHERE m.report_id = r.report_id),
            (SELECT COUNT(*) FROM media m WHERE m.report_id = r.report_id AND m.received_at IS NOT NULL)
       FROM reports r WHERE r.report_id IN (${ids}) ORDER BY r.report_id`,
  );
  const expected = reports
    .map((r) => {
      const media = String(r.photos.length + r.clips.length);
      return [r.id, '1', '1', '1', media, media];
    })
    .sort((a, b) => a[0].localeCompare(b[0]));
  expect(rows, 'report id, complete, events, received events, media, media received').toEqual(expected);

  const machine = await storedSyncMachine(page);
  const cases = new Map<string, string>();
  for (const item of machine.reports) {
    expect(item.phase.state, item.id).toBe('sent');
    cases.set(item.id, item.phase.case_number);
  }
  expect(new Set(cases.values()).size, 'one case number per report').toBe(reports.length);

  for (const report of reports) {
    const phone = [...report.photos.map((p) => p.sha256), ...report.clips.map((c) => c.sha256)];
    const number = cases.get(report.id)!;
    const detail = await staff.get(`/api/v1/staff/cases/${number}`);
    expect(detail.status(), number).toBe(200);
    const media: { index: number; sha256: string }[] = (await detail.json()).media;
    expect(media.map((m) => m.sha256), `recorded media of ${number}`).toEqual(phone);
    for (const [index, hash] of phone.entries()) {
      const medium = await staff.get(`/api/v1/staff/cases/${number}/media/${index}`);
      expect(medium.status()).toBe(200);
      expect(sha256(await medium.body()), `medium ${index} of ${number} as served`).toBe(hash);
    }
  }
}

/** The instances that answered the requests in nginx's log lines `from` to `to`. */
function instancesThatAnswered(from: number, to?: number): string[] {
  const answered = new Set<string>();
  for (const { upstream } of accessLogLines(from).slice(0, to === undefined ? undefined : to - from)) {
    for (const address of upstream.split(', ')) if (address && address !== '-') answered.add(address);
  }
  return [...answered].sort();
}

test('three reports queued offline arrive through the balancer exactly once, media identical', async ({
  page,
  context,
  playwright,
}) => {
  test.setTimeout(240_000);
  await page.goto(cluster.url + '/');
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
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
  const queued = await storedReports(page);
  expect(queued.map((r) => r.state)).toEqual(['queued', 'queued', 'queued']);

  const logFrom = accessLogLength();
  await context.setOffline(false);
  await expect(page.getByRole('listitem').filter({ hasText: '已发送' })).toHaveCount(3, { timeout: 90_000 });
  await expect(page.getByRole('status').filter({ hasText: '所有已提交的举报都已发送' })).toBeVisible();

  const staff = await signedInStaff(playwright);
  await expectArrivedOnce(page, staff, queued);
  await staff.dispose();
  // Round robin: the sync's requests went to both instances.
  expect(instancesThatAnswered(logFrom)).toEqual([...cluster.instances].sort());
});

test.describe('with the requests watched', () => {
  // page.route sees the page's own requests only when no service worker
  // stands in between.
  test.use({ serviceWorkers: 'block' });

  test('one instance killed with SIGKILL in the middle of a sync of ten reports with photos: the phone finishes through the other, nothing lost or doubled', async ({
    page,
    playwright,
  }) => {
    test.setTimeout(420_000);
    expect(alive(cluster.victimPid), 'instance b runs before the test').toBe(true);
    await page.goto(cluster.url + '/');
    const reconnect = await cutTheApi(page);
    const photos = ['portrait_6.jpg', 'HMD_Nokia_8.3_5G.jpg', 'iphone_hdr_YES.jpg', 'landscape_8.jpg', 'DSCN0010.jpg'];
    for (let n = 0; n < 10; n++) {
      await fileReport(page, {
        category: n % 2 ? '水污染' : '固体废物',
        description: `第${n + 1}处：河滩上倾倒了建筑垃圾和污泥。`,
        address: `姚江南岸第${n + 1}号河滩`,
        photos: [photos[n % photos.length]],
      });
    }
    const queued = await storedReports(page);
    expect(queued).toHaveLength(10);
    expect(queued.every((r) => r.state === 'queued' && r.photos.length === 1)).toBe(true);

    // Instance b is killed as the fourth photo is on its way: three
    // reports are through, seven are not.
    let uploads = 0;
    let killedAt = -1;
    let killedLine = -1;
    const logFrom = accessLogLength();
    await page.route('**/api/v1/reports/*/media/*', async (route) => {
      uploads += 1;
      const pending = route.continue().catch(() => undefined);
      if (uploads === 4) {
        process.kill(cluster.victimPid, 'SIGKILL');
        killedAt = Date.now();
        killedLine = accessLogLength();
      }
      await pending;
    });
    await openMyReports(page);
    await reconnect();
    await page.evaluate(() => window.dispatchEvent(new Event('online')));

    await expect(page.getByRole('listitem').filter({ hasText: '已发送' })).toHaveCount(10, { timeout: 180_000 });
    await expect(page.getByRole('status').filter({ hasText: '所有已提交的举报都已发送' })).toBeVisible();
    expect(killedAt, 'instance b was killed during the sync').toBeGreaterThan(0);
    await expect.poll(() => alive(cluster.victimPid)).toBe(false);

    const staff = await signedInStaff(playwright);
    await expectArrivedOnce(page, staff, queued);
    await staff.dispose();
    // Both instances took part before the kill; every report request
    // started after it was answered by the survivor (nginx may have tried
    // the dead one first).
    expect(instancesThatAnswered(logFrom, killedLine)).toEqual([...cluster.instances].sort());
    const survivor = cluster.instances[0];
    const after = accessLogLines(logFrom).filter(
      (l) => l.startedAt > killedAt && /\/api\/v1\/reports\//.test(l.request),
    );
    expect(after.length, 'report requests after the kill').toBeGreaterThan(0);
    for (const { line, upstream } of after) {
      expect(upstream.split(', ').at(-1), line).toBe(survivor);
    }
  });
});
