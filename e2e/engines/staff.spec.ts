// The staff console in WebKit and Firefox: a report filed on a phone of
// the same engine (a photo and a voice clip recorded there) reaches the
// server; an operator signs in, opens the case, sees the photo and plays
// the voice clip.
import { test, expect } from './support/fixtures';
import { CitizenApp, photo } from './support/citizen';

test('an operator signs in, opens the case, sees its photo and plays its voice clip', async ({
  screen,
  gate,
  server,
  openBrowser,
}) => {
  test.setTimeout(180_000);
  const app = new CitizenApp(screen, gate.url);
  await app.open('/');
  await app.waitForServiceWorker();
  await app.form().file({
    category: '水污染',
    description: '电镀厂后门暗管排放绿色废水。',
    address: '工业区三路电镀厂后门',
    photos: [photo('DSCN0010.jpg')],
    voiceMs: 1_500,
  });
  await screen.getByText('已发送').waitFor({ timeout: 60_000 });
  const caseNumber = await screen.locator('.case-number strong').textContent();
  const [sent] = await app.storedReports();

  server.addStaff('wang.fang', 'a long enough password', 'operator');
  const staff = await openBrowser();
  await staff.goto(server.url + '/staff/');
  await staff.getByRole('textbox', { name: '用户名' }).fill('wang.fang');
  await staff.getByLabel('密码').fill('a long enough password');
  await staff.getByRole('button', { name: '登录' }).click();
  await staff.getByText('当前用户：wang.fang', { exact: false }).waitFor();
  await staff.getByRole('button', { name: caseNumber, exact: false }).click();
  await staff.getByRole('heading', { level: 1 }).waitForText(caseNumber);
  await staff.getByText('电镀厂后门暗管排放绿色废水。').waitFor();

  // The photo is shown: the browser decoded what the server sends.
  const photoShown = await staff.waitForFunction(
    'the case photo to load',
    () => {
      const img = document.querySelector('ul.thumbnails.large img') as HTMLImageElement | null;
      return img && img.complete ? { width: img.naturalWidth, height: img.naturalHeight } : null;
    },
    [],
    { timeout: 30_000 },
  );
  expect(photoShown.width, 'the photo decodes in the console').toBeGreaterThan(0);

  // The voice clip plays (muted, so no autoplay policy stands in the way): its time moves on.
  const playback = await staff.evaluate(async (mime: string) => {
    const audio = document.querySelector('ul.thumbnails.large audio') as HTMLAudioElement | null;
    if (!audio) return { played: false, detail: 'no <audio> on the case page' };
    audio.muted = true;
    const canPlay = audio.canPlayType(mime);
    try {
      await audio.play();
    } catch (error) {
      return { played: false, detail: `play() refused: ${error}; canPlayType("${mime}") = "${canPlay}"` };
    }
    const deadline = Date.now() + 10_000;
    while (audio.currentTime === 0 && !audio.error && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const detail = `currentTime ${audio.currentTime}, error ${audio.error?.code ?? 'none'} ${audio.error?.message ?? ''}, canPlayType("${mime}") = "${canPlay}"`;
    return { played: audio.currentTime > 0 && !audio.error, detail };
  }, sent.draft.voice_clips[0].mime as string);
  expect(playback.played, `the voice clip plays: ${playback.detail}`).toBe(true);
});
