// Page objects of the citizen app for the WebKit and Firefox suites: what a
// person does (open the app, file a report, look at My reports), each step
// found by role and accessible name, in Chinese (the app's first language).
// When the app shows an error instead of what the step waits for, the step
// fails with the app's own words, so a failure says what went wrong.
import { join } from 'node:path';
import { readOutbox, readSyncMachine, type StoredReport } from '../../fixtures/outbox';
import type { Locator, Screen } from './screen';

export const PHOTOS = join(__dirname, '..', '..', 'fixtures', 'photos');
export const photo = (name: string) => join(PHOTOS, name);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class CitizenApp {
  constructor(
    readonly screen: Screen,
    /** The origin the phone uses (the gate's address). */
    readonly origin: string,
  ) {}

  /** Opens a page of the app and waits for its main heading. */
  async open(path = '/'): Promise<void> {
    await this.screen.goto(this.origin + path);
    await this.screen.getByRole('heading', { level: 1 }).waitFor({ timeout: 30_000 });
  }

  /**
   * Waits until the service worker controls the page: from then on the app
   * opens with no network (it claims the page once its precache is in).
   */
  async waitForServiceWorker(): Promise<void> {
    await this.screen.waitForFunction(
      'the service worker to control the page',
      () => navigator.serviceWorker?.controller != null,
      [],
      { timeout: 30_000 },
    );
  }

  nav(): Locator {
    return this.screen.getByRole('navigation', { name: '主导航' });
  }

  async goTo(link: '首页' | '我要举报' | '我的举报' | '环保知识' | '举报渠道'): Promise<void> {
    await this.nav().getByRole('link', { name: link }).click();
  }

  async reload(): Promise<void> {
    await this.screen.reload();
    await this.screen.getByRole('heading', { level: 1 }).waitFor({ timeout: 30_000 });
  }

  /** The outbox as stored in IndexedDB (fixtures/outbox.ts). */
  async storedReports(): Promise<StoredReport[]> {
    return this.screen.evaluate(readOutbox);
  }

  async storedSyncMachine(): Promise<any> {
    return this.screen.evaluate(readSyncMachine);
  }

  /** The alerts on screen now (an error the app shows), as text. */
  async alerts(): Promise<string[]> {
    return this.screen.evaluate(() =>
      Array.from(document.querySelectorAll('[role=alert]'))
        .map((el) => (el.textContent ?? '').replace(/\s+/g, ' ').trim())
        .filter((text) => text.length > 0),
    );
  }

  /**
   * Waits until `done` finds something, failing at once with the app's
   * message if an alert appears first.
   */
  async waitUnlessAlert(what: string, done: Locator, timeout: number): Promise<void> {
    const deadline = Date.now() + timeout;
    for (;;) {
      if ((await done.count().catch(() => 0)) > 0) return;
      const alerts = await this.alerts().catch(() => []);
      if (alerts.length > 0) throw new Error(`${what}: the app shows ${JSON.stringify(alerts)}`);
      if (Date.now() > deadline) {
        const status = await this.screen
          .evaluate(() =>
            Array.from(document.querySelectorAll('[role=status], .save-status'))
              .map((el) => (el.textContent ?? '').replace(/\s+/g, ' ').trim())
              .filter((text) => text.length > 0),
          )
          .catch(() => []);
        try {
          await done.waitFor({ timeout: 0 });
        } catch (error) {
          throw new Error(`${what}: ${(error as Error).message}; the page's status lines: ${JSON.stringify(status)}`);
        }
      }
      await sleep(200);
    }
  }

  form(): ReportForm {
    return new ReportForm(this);
  }

  sendNow(): Locator {
    return this.screen.getByRole('button', { name: '立即发送' });
  }
}

export interface NewReport {
  category: string;
  description: string;
  address: string;
  photos?: string[];
  /** Record a voice clip of about this long (ms). */
  voiceMs?: number;
}

export class ReportForm {
  constructor(private readonly app: CitizenApp) {}

  private get screen(): Screen {
    return this.app.screen;
  }

  async open(): Promise<void> {
    await this.app.goTo('我要举报');
    await this.screen.getByRole('heading', { level: 1, name: '我要举报' }).waitFor();
    await this.screen.getByRole('button', { name: '提交，联网后自动发送' }).waitFor();
  }

  async chooseCategory(name: string): Promise<void> {
    await this.screen.getByRole('radio', { name }).check();
  }

  async describe(text: string): Promise<void> {
    await this.screen.getByRole('textbox', { name: '现场描述' }).fill(text);
  }

  /** Picks photos as the file chooser would, and waits until each is in the form (or the app's error). */
  async addPhotos(paths: string[]): Promise<void> {
    const before = await this.screen.getByRole('img', { name: /^照片 \d+$/ }).count();
    await this.screen.getByLabel('拍照或选择照片').setInputFiles(paths);
    const last = this.screen.getByRole('img', { name: `照片 ${before + paths.length}` });
    await this.app.waitUnlessAlert(`adding ${paths.length} photo(s)`, last, 90_000);
  }

  /** Records a voice clip with the browser's fake microphone. */
  async recordVoice(ms: number): Promise<void> {
    await this.screen.getByRole('button', { name: '开始录音' }).click();
    await this.app.waitUnlessAlert('starting to record', this.screen.getByRole('timer', { name: '正在录音' }), 15_000);
    await sleep(ms);
    await this.screen.getByRole('button', { name: '停止录音' }).click();
    await this.app.waitUnlessAlert('keeping the clip', this.screen.getByRole('button', { name: '删除录音 1' }), 15_000);
  }

  async address(text: string): Promise<void> {
    await this.screen.getByRole('textbox', { name: '地址或地标' }).fill(text);
  }

  /** The time seen, filled in by the app with now. */
  async seenAt(): Promise<string> {
    return this.screen.getByLabel('发现时间').inputValue();
  }

  /** Queues the report; the app then shows it, titled with its category. */
  async queue(category: string): Promise<void> {
    await this.screen.getByRole('button', { name: '提交，联网后自动发送' }).click();
    await this.app.waitUnlessAlert(
      'queueing the report',
      this.screen.getByRole('heading', { level: 1, name: category }),
      15_000,
    );
  }

  /** Fills the whole form and queues it. */
  async file(report: NewReport): Promise<void> {
    await this.open();
    await this.chooseCategory(report.category);
    await this.describe(report.description);
    // Text first, then media (see citizen.spec.ts: typing after media work
    // has hung in WebKitWebDriver).
    await this.address(report.address);
    if (report.photos) await this.addPhotos(report.photos);
    if (report.voiceMs) await this.recordVoice(report.voiceMs);
    await this.queue(report.category);
  }
}
