// The photo pipeline's timing in WebKit and Firefox, printed beside
// Chromium's (e2e/bench/photo.bench.ts): the same two full-size phone photos
// picked in the report form, the app's own `performance` measure of each
// (src/media/photo.rs PERF_MEASURE: decode → scale → encode → hash). It
// prints numbers and never fails on a timing.
//
// Run by scripts/bench before the Chromium benchmarks:
// `GW_ENGINE_BENCH=1 npx playwright test -c playwright.engines.config.ts`.
import { basename } from 'node:path';
import { test, expect } from './support/fixtures';
import { CitizenApp, photo } from './support/citizen';
import { median, record } from '../bench/results';

const PHONE_PHOTOS = [photo('HMD_Nokia_8.3_5G.jpg'), photo('iphone_hdr_YES.jpg')];
const WARM_UPS = 1;
// Fewer than Chromium's 15: every photo goes through WebDriver here.
const RUNS = 7;
const PHOTO_MEASURE = 'greenwatch:photo';

test('photo pipeline: per phone photo', async ({ screen, gate, session, engine }) => {
  test.setTimeout(600_000);
  const app = new CitizenApp(screen, gate.url);
  await app.open('/');
  await app.waitForServiceWorker();
  const form = app.form();
  await form.open();

  const version = await session.version();
  const lines = [`photo pipeline in ${version} (median of ${RUNS} after ${WARM_UPS} warm-up, our pipeline):`];
  for (const path of PHONE_PHOTOS) {
    const runs: number[] = [];
    for (let i = 0; i < WARM_UPS + RUNS; i++) {
      await screen.evaluate((name: string) => performance.clearMeasures(name), PHOTO_MEASURE);
      await form.addPhotos([path]);
      const ms = await screen.evaluate((name: string) => {
        const entries = performance.getEntriesByName(name, 'measure');
        return entries.length ? entries[entries.length - 1].duration : null;
      }, PHOTO_MEASURE);
      expect(ms, `the app's '${PHOTO_MEASURE}' measure after ${basename(path)}`).not.toBeNull();
      await screen.getByRole('button', { name: '删除照片 1' }).click();
      await screen.getByRole('img', { name: '照片 1' }).waitForCount(0);
      if (i >= WARM_UPS) runs.push(ms!);
    }
    console.log(`${engine} ${basename(path)}: runs ${runs.map(Math.round).join(', ')} ms`);
    lines.push(`  ${basename(path)}: ${Math.round(median(runs))} ms`);
  }
  console.log(lines.join('\n'));
  record(engine === 'webkit' ? 'photoWebkit' : 'photoFirefox', lines);
});
