// The citizen's promise in WebKit and Firefox: a report filed with no
// signal waits on the phone, photos and voice clip included, through a
// reload, and once the server is reachable it is sent exactly once with
// byte-identical media. "No signal" is the gate (fixtures/gate.ts) closing:
// the page's origin stays the same, the server keeps running.
import { test, expect } from './support/fixtures';
import { CitizenApp, photo } from './support/citizen';
import { expectArrivedOnce, sentCases } from './support/server-side';

/** Opens the app online, waits for the service worker, then cuts the network. */
async function openThenGoOffline(app: CitizenApp, gate: { close(): void }) {
  await app.open('/');
  await app.waitForServiceWorker();
  gate.close();
}

/** Back online: My reports, "Send now", and every listed report sent. */
async function sendFromMyReports(app: CitizenApp, reports: number) {
  await app.goTo('我的举报');
  await app.screen.getByRole('heading', { level: 1, name: '我的举报' }).waitFor();
  // The retry timer may have sent them already: then there is nothing to press.
  if (await app.sendNow().isPresent()) await app.sendNow().click().catch(() => undefined);
  await app.screen.getByRole('listitem').filter({ hasText: '已发送' }).waitForCount(reports, { timeout: 60_000 });
  await app.screen.getByRole('status').filter({ hasText: '所有已提交的举报都已发送' }).waitFor();
}

test('a report with three phone photos and a voice clip, filed offline, survives a reload and is sent once', async ({
  screen,
  gate,
  server,
}) => {
  test.setTimeout(240_000);
  const app = new CitizenApp(screen, gate.url);
  await openThenGoOffline(app, gate);

  const form = app.form();
  await form.open();
  await form.chooseCategory('河道或小微水体');
  const description = '夜里十一点，桥下排污口向河里排放黑色污水，气味刺鼻。';
  await form.describe(description);
  // Typed before the media: in WebKitGTK under load, WebKitWebDriver's
  // typing has hung right after three large photos and a recording.
  await form.address('古塘街道三北大街桥下排污口');
  await form.addPhotos([photo('HMD_Nokia_8.3_5G.jpg'), photo('iphone_hdr_YES.jpg'), photo('portrait_6.jpg')]);
  await form.recordVoice(1_500);
  expect(await form.seenAt(), 'the time seen is filled in').not.toBe('');
  await form.queue('河道或小微水体');
  await screen.getByText('待发送').waitFor();

  // Reload with no network: the service worker serves the app, the outbox keeps everything.
  await app.reload();
  await screen.getByRole('heading', { level: 1, name: '河道或小微水体' }).waitFor();
  await screen.getByText(description).waitFor();
  await screen.getByRole('img', { name: '照片 3' }).waitFor();
  expect(gate.refused, 'the page tried the network while offline').toBeGreaterThan(0);

  const [report] = await app.storedReports();
  expect(report.state).toBe('queued');
  expect(report.draft.description).toBe(description);
  expect(report.photos).toHaveLength(3);
  for (const stored of report.photos) {
    expect(stored.type).toBe('image/jpeg');
    expect(stored.hasExif, 'no EXIF (so no GPS)').toBe(false);
    expect(Math.max(stored.width, stored.height)).toBeLessThanOrEqual(1600);
    expect(stored.meta.sha256, 'the hash recorded is the stored bytes’ hash').toBe(stored.sha256);
  }
  // portrait_6.jpg is stored 600x450 with EXIF orientation 6: upright it is portrait.
  expect({ width: report.photos[2].width, height: report.photos[2].height }).toEqual({ width: 450, height: 600 });
  expect(report.clips).toHaveLength(1);
  expect(report.clips[0].type).toMatch(/^audio\/(webm|mp4|ogg)/);

  // Online again: sent once, the case number on the phone, the same bytes on the server.
  gate.reopen();
  await sendFromMyReports(app, 1);
  await screen.getByRole('link', { name: '河道或小微水体' }).click();
  const caseNumber = await screen.locator('.case-number strong').textContent();
  expect(caseNumber).toMatch(/^GW-\d{4}-\d{6}$/);
  const cases = sentCases(await app.storedSyncMachine());
  expect(cases.get(report.id)).toBe(caseNumber);
  await expectArrivedOnce(server, [report], cases);
});

test('two text-only reports filed offline are sent once each when the network returns', async ({ screen, gate, server }) => {
  const app = new CitizenApp(screen, gate.url);
  await openThenGoOffline(app, gate);
  await app.form().file({ category: '大气污染', description: '工厂烟囱冒黑烟，持续半小时。', address: '滨海工业园东门' });
  await app.form().file({ category: '噪声', description: '工地夜间施工，噪声很大。', address: '北门广场旁工地' });

  await app.goTo('我的举报');
  await screen.getByRole('status').filter({ hasText: '现在连不上服务器' }).waitFor({ timeout: 30_000 });
  const queued = await app.storedReports();
  expect(queued.map((r) => r.state)).toEqual(['queued', 'queued']);

  gate.reopen();
  await sendFromMyReports(app, 2);
  await expectArrivedOnce(server, queued, sentCases(await app.storedSyncMachine()));
});

test('a report filed offline is sent from Home, where the person waits, once the network returns', async ({ screen, gate, server }) => {
  const app = new CitizenApp(screen, gate.url);
  await openThenGoOffline(app, gate);
  await app.form().file({ category: '水污染', description: '河面漂着一层油污，气味刺鼻。', address: '东湖公园南门桥下' });
  const queued = await app.storedReports();
  expect(queued.map((r) => r.state)).toEqual(['queued']);

  // Home starts the sending engine (its own build) because a report waits.
  await app.goTo('首页');
  const home = screen.getByRole('heading', { level: 1, name: '随手举报，守护身边的环境' });
  await home.waitFor();
  gate.reopen();
  await expect
    .poll(async () => sentCases(await app.storedSyncMachine()).size, { timeout: 60_000 })
    .toBe(1);
  await home.waitFor();
  await expectArrivedOnce(server, queued, sentCases(await app.storedSyncMachine()));
});
