// Sync benchmark: 50 queued reports with 3 photos of about 300 KB each, sent
// by the app to a local server, against the same bytes sent with curl in the
// same run; and the bytes on the wire against the payload.
//
// - The outbox: one report filed through the form with the network cut
//   (photos chosen so the app's own JPEGs are about 300 KB:
//   iphone_hdr_YES.jpg twice and scripts/bench-data/photo-300k.jpg), then
//   cloned 49 times inside the page's IndexedDB: fresh report, medium and
//   receipt, the same photo bytes (and SHA-256), distinct queued_at; the
//   stored sync machine is dropped so the engine rebuilds it from the outbox.
// - The wire: a byte-counting TCP proxy (bench/proxy.ts) stands between
//   browser and server; the page is opened at its address. Wire bytes = TCP
//   payload both ways (HTTP heads and bodies, from the moment the network
//   returns until the last report is `sent`): health checks, creates, media,
//   the case lookups the app makes once a report is sent. Payload bytes =
//   the 150 media bodies + the 50 JSON create bodies, each counted once.
// - App time: from going online (context.setOffline(false), which fires the
//   `online` event that starts the engine) until every report is `sent` in
//   IndexedDB (polled in the page every 50 ms; polling every 500 ms gave the
//   same times). Twice, each in its own test, browser and server: with My
//   reports on screen (the list of the 50, redrawn as they go) and with the
//   empty report form on screen; the two differ by a factor of about 4.
// - curl: the same 200 requests (the app's create bodies with a new receipt
//   hash, under new report ids, and the same media files) in ONE curl
//   process, one after the other (`--next`: one connection reused), through
//   a proxy of its own so it pays the same extra hop. Timed from spawning
//   curl to its exit; three such runs (fresh ids each), the median counts
//   (a second or two each: one busy moment of the machine would swing one).
// - Where the time went (from the proxy's clock): the time inside requests
//   (first request byte in to last answer byte out) and outside them (the
//   client's own work between an answer and its next request), for both.
// Run it against the release server (scripts/bench: GW_SERVER_BIN =
// target/server/greenwatch-server); a debug server hashes slowly and makes
// curl look slow too.
// It fails only when something is not done (a report not sent, a file
// missing or different on the server, a curl answer not 2xx); never on a time.
import { spawn } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import { GreenWatchServer, DIST_A, expectControlledByServiceWorker } from '../fixtures/server';
import { CountingProxy, type Exchange } from './proxy';
import { median, record } from './results';

const REPORTS = 50;
const PHOTOS = [
  join(__dirname, '..', 'fixtures', 'photos', 'iphone_hdr_YES.jpg'),
  join(__dirname, '..', '..', 'scripts', 'bench-data', 'photo-300k.jpg'),
  join(__dirname, '..', 'fixtures', 'photos', 'iphone_hdr_YES.jpg'),
];
/** The target for bytes on the wire over payload bytes. */
const WIRE_TARGET = 1.05;
/** Each proxy reaches the server from its own loopback address (its own rate-limit bucket). */
const APP_SOURCE = '127.0.0.2';
const CURL_SOURCES = ['127.0.0.3', '127.0.0.4', '127.0.0.5'];
/** curl runs, one after the other (fresh report ids each); the median counts. */
const CURL_RUNS = CURL_SOURCES.length;

const MB = 1_000_000;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const sleep = (millis: number) => new Promise((done) => setTimeout(done, millis));

interface OutboxReport {
  id: string;
  state: string;
  photos: { id: string; bytes: number; sha256: string }[];
}

/** The outbox records (no blobs), read from the page's IndexedDB. */
async function outbox(page: Page): Promise<OutboxReport[]> {
  return page.evaluate(async () => {
    const db: IDBDatabase = await new Promise((resolve, reject) => {
      const request = indexedDB.open('greenwatch');
      request.onupgradeneeded = () => request.transaction!.abort();
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(new Error('the app has not created its database yet'));
    });
    const records: any[] = await new Promise((resolve, reject) => {
      const request = db.transaction('reports').objectStore('reports').getAll();
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    db.close();
    return records.filter((r) => r.state !== 'draft').map((r) => ({
      id: r.id,
      state: r.state,
      photos: r.draft.photos.map((p: any) => ({ id: p.id, bytes: p.bytes, sha256: p.sha256 })),
    }));
  });
}

/**
 * Clones the one queued report `copies` times in IndexedDB, in one
 * transaction: new report id (record and draft), new medium ids (and `media`
 * keys), a new receipt secret, the thumbnail copied, queued_at one
 * millisecond apart; and drops the stored sync machine, so the next run
 * rebuilds it from the outbox.
 */
async function cloneQueuedReport(page: Page, copies: number): Promise<void> {
  await page.evaluate(async (copies) => {
    const db: IDBDatabase = await new Promise((resolve, reject) => {
      const request = indexedDB.open('greenwatch');
      request.onupgradeneeded = () => request.transaction!.abort();
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(new Error('the app has not created its database yet'));
    });
    const done = (request: IDBRequest) =>
      new Promise<any>((resolve, reject) => {
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    const read = db.transaction(['reports', 'media', 'thumbnails'], 'readonly');
    const records: any[] = await done(read.objectStore('reports').getAll());
    const queued = records.filter((r) => r.state === 'queued');
    if (queued.length !== 1) throw new Error(`expected one queued report, found ${queued.length}`);
    const original = queued[0];
    // Each medium as stored (`{type, bytes}` since schema v4), copied as is.
    const blobs: any[] = [];
    for (const photo of original.draft.photos) blobs.push(await done(read.objectStore('media').get(photo.id)));
    const thumbnail: any = await done(read.objectStore('thumbnails').get(original.id));
    if (blobs.some((b) => b === undefined)) throw new Error('a photo of the filed report is not stored');

    const base64url = (bytes: Uint8Array) =>
      btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const tx = db.transaction(['reports', 'media', 'thumbnails', 'receipts', 'sync'], 'readwrite');
    for (let copy = 1; copy <= copies; copy++) {
      const clone = structuredClone(original);
      const id = crypto.randomUUID();
      clone.id = id;
      clone.draft.id = id;
      clone.queued_at = typeof original.queued_at === 'number' ? original.queued_at + copy : original.queued_at;
      clone.draft.photos.forEach((photo: any, index: number) => {
        photo.id = crypto.randomUUID();
        tx.objectStore('media').put(blobs[index], photo.id);
      });
      tx.objectStore('reports').put(clone);
      if (thumbnail) tx.objectStore('thumbnails').put(thumbnail, id);
      tx.objectStore('receipts').put(base64url(crypto.getRandomValues(new Uint8Array(32))), id);
    }
    tx.objectStore('sync').delete('machine');
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new Error('the clone transaction was aborted'));
    });
    db.close();
  }, copies);
}

/**
 * Polls the outbox every 50 ms until all `count` reports are `sent`; returns
 * Date.now() at that moment. Throws when a report needs attention.
 */
async function waitAllSent(page: Page, count: number): Promise<number> {
  return page.evaluate(async (count) => {
    const db: IDBDatabase = await new Promise((resolve, reject) => {
      const request = indexedDB.open('greenwatch');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    try {
      for (;;) {
        const states: string[] = await new Promise((resolve, reject) => {
          const request = db.transaction('reports').objectStore('reports').getAll();
          request.onsuccess = () =>
            resolve(request.result.map((r: any) => r.state).filter((state: string) => state !== 'draft'));
          request.onerror = () => reject(request.error);
        });
        if (states.includes('needs_attention')) throw new Error('a report needs attention: the app could not send it');
        if (states.length === count && states.every((s) => s === 'sent')) return Date.now();
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      db.close();
    }
  }, count);
}

/** Checks that the server holds each report's media, byte-identical. */
function expectMediaOnServer(server: GreenWatchServer, reports: OutboxReport[], who: string): void {
  const root = join(server.dataDir, 'media', 'reports');
  for (const report of reports) {
    const folder = join(root, report.id);
    expect(existsSync(folder), `${who}: media folder of ${report.id}`).toBe(true);
    expect(readdirSync(folder).sort(), `${who}: media of ${report.id}`).toEqual(report.photos.map((_, i) => String(i)));
    report.photos.forEach((photo, index) => {
      const file = join(folder, String(index));
      expect(statSync(file).size, `${who}: size of medium ${index} of ${report.id}`).toBe(photo.bytes);
      expect(sha256(readFileSync(file)), `${who}: SHA-256 of medium ${index} of ${report.id}`).toBe(photo.sha256);
    });
  }
}

/** Requests by kind: count, wire bytes (both ways), answers. */
function breakdown(exchanges: Exchange[]): string[] {
  const kinds = new Map<string, { count: number; bytes: number; statuses: Map<string, number> }>();
  for (const e of exchanges) {
    const kind = /^\/api\/v1\/reports\/[^/]+\/media\/\d+$/.test(e.path)
      ? `${e.method} media`
      : /^\/api\/v1\/reports\/[^/]+$/.test(e.path)
        ? `${e.method} create`
        : e.path.startsWith('/api/v1/cases/')
          ? `${e.method} case`
          : e.path.startsWith('/api/health')
            ? `${e.method} health`
            : `${e.method} ${e.path}`;
    const entry = kinds.get(kind) ?? { count: 0, bytes: 0, statuses: new Map() };
    entry.count++;
    entry.bytes += e.requestBytes + e.responseBytes;
    const status = String(e.status ?? 'no answer');
    entry.statuses.set(status, (entry.statuses.get(status) ?? 0) + 1);
    kinds.set(kind, entry);
  }
  return [...kinds].map(
    ([kind, e]) =>
      `${kind} x${e.count} (${[...e.statuses].map(([s, n]) => `${s}: ${n}`).join(', ')}), ${e.bytes.toLocaleString('en')} B`,
  );
}

/**
 * Where the time went, from the proxy's clock: in requests (first request
 * byte to last answer byte, as the proxy saw them: transfer + server) and
 * between them (the client's own work, and the way to the first request).
 */
function timeline(exchanges: Exchange[], started: number, seconds: number): string {
  const inRequests = exchanges.reduce((sum, e) => sum + ((e.answered ?? e.started) - e.started), 0);
  const gaps: number[] = [];
  for (let i = 1; i < exchanges.length; i++) {
    const previous = exchanges[i - 1].answered;
    if (previous !== null) gaps.push(exchanges[i].started - previous);
  }
  const first = exchanges.length ? exchanges[0].started - started : 0;
  const connections = new Set(exchanges.map((e) => e.connection)).size;
  return (
    `${exchanges.length} requests on ${connections} connection(s); ${(inRequests / 1000).toFixed(2)} s in requests, ` +
    `${(seconds - inRequests / 1000).toFixed(2)} s outside them (first request after ${Math.round(first)} ms, ` +
    `median gap between an answer and the next request ${gaps.length ? median(gaps).toFixed(1) : '-'} ms)`
  );
}

interface CurlRun {
  seconds: number;
  codes: string[];
  connects: number;
}

/** Runs curl with a config file; timed from spawn to exit. */
function runCurl(configPath: string): Promise<CurlRun> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('curl', ['--silent', '--show-error', '--config', configPath], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new Error('curl is not installed (scripts/bench installs it: setup_bench_load in scripts/setup.sh)')
          : error,
      ),
    );
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) return reject(new Error(`curl exited with ${code}: ${err}`));
      const lines = out.trim().split('\n');
      resolve({
        seconds,
        codes: lines.map((l) => l.split(' ')[0]),
        connects: lines.reduce((sum, l) => sum + Number(l.split(' ')[1] ?? 0), 0),
      });
    });
  });
}

/** A curl config value, quoted. */
const quoted = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * The screen the app shows while it sends: My reports (the list of the 50,
 * where sending is reported and "Send now" is), or the empty report form.
 */
const SCREENS = [
  {
    key: 'sync',
    name: 'My reports',
    open: async (page: Page) => {
      await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的举报' }).click();
      await expect(page.getByRole('heading', { level: 1, name: '我的举报' })).toBeVisible();
      await expect(page.getByRole('status').filter({ hasText: '现在连不上服务器' })).toBeVisible();
    },
  },
  {
    key: 'syncForm',
    name: 'the report form',
    open: async (page: Page) => {
      await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我要举报' }).click();
      await expect(page.getByRole('button', { name: '提交，联网后自动发送' })).toBeVisible();
    },
  },
] as const;

for (const screen of SCREENS) {
  test(`sync: 50 queued reports with 3 photos of ~300 KB, ${screen.name} on screen, app vs curl, wire vs payload`, async ({
    page,
    context,
  }) => {
    test.setTimeout(900_000);
    const server = await GreenWatchServer.start(DIST_A);
    const appProxy = await CountingProxy.start(server.url, APP_SOURCE);
    const work = mkdtempSync(join(tmpdir(), 'greenwatch-sync-bench-'));
    try {
      // One report filed through the form, offline.
      await page.goto(appProxy.url + '/');
      await expectControlledByServiceWorker(page);
      await context.setOffline(true);
      await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我要举报' }).click();
      await expect(page.getByRole('button', { name: '提交，联网后自动发送' })).toBeVisible();
      await page.getByRole('radio', { name: '河道或小微水体' }).check();
      await page.getByRole('textbox', { name: '现场描述' }).fill('夜里桥下排污口向河里排放黑色污水，河水发黑发臭。');
      await page.getByLabel('拍照或选择照片').setInputFiles(PHOTOS);
      await expect(page.getByRole('img', { name: `照片 ${PHOTOS.length}` })).toBeVisible({ timeout: 60_000 });
      await page.getByRole('textbox', { name: '地址或地标' }).fill('古塘街道三北大街桥下排污口');
      await page.getByRole('button', { name: '提交，联网后自动发送' }).click();
      await expect(page.getByRole('heading', { level: 1, name: '河道或小微水体' })).toBeVisible();
      await expect.poll(async () => (await outbox(page)).map((r) => r.state)).toEqual(['queued']);

      // 49 clones, then the app restarted (still offline) on the screen measured.
      await cloneQueuedReport(page, REPORTS - 1);
      await page.reload();
      await screen.open(page);
      const queued = await outbox(page);
      expect(queued).toHaveLength(REPORTS);
      expect(queued.every((r) => r.state === 'queued')).toBe(true);
      expect(new Set(queued.map((r) => r.id)).size).toBe(REPORTS);
      for (const report of queued) expect(report.photos).toHaveLength(PHOTOS.length);
      const photoSizes = queued[0].photos.map((p) => p.bytes);
      console.log(`app's photos: ${photoSizes.map((b) => b.toLocaleString('en')).join(', ')} bytes`);
      await sleep(1_000); // let the start-up run (offline) settle into its wait

      // The app sends: from going online to all 50 `sent`.
      appProxy.reset();
      const startedPerf = performance.now();
      const started = Date.now();
      await context.setOffline(false);
      const finished = await waitAllSent(page, REPORTS);
      const appSeconds = (finished - started) / 1000;
      // All of it measured at the end of the window (the case lookup of the
      // last report comes after it, and is left out).
      const appWire = appProxy.bytesUp + appProxy.bytesDown;
      const appUp = appProxy.bytesUp;
      const appDown = appProxy.bytesDown;
      const appExchanges = appProxy.exchanges.filter((e) => e.answered !== null);
      const appBreakdown = breakdown(appExchanges);
      const appTimeline = timeline(appExchanges, startedPerf, appSeconds);
      expectMediaOnServer(server, queued, 'app');
      expect(readdirSync(join(server.dataDir, 'media', 'reports'))).toHaveLength(REPORTS);

      // Payload: every medium once + every create body once (as the app sent it).
      const createBodies = new Map<string, Buffer>();
      for (const e of appExchanges) {
        const id = e.path.split('/').pop()!;
        if (e.body && !createBodies.has(id)) createBodies.set(id, e.body);
      }
      expect([...createBodies.keys()].sort(), 'a create body captured for each report').toEqual(
        queued.map((r) => r.id).sort(),
      );
      const mediaBytes = queued.reduce((sum, r) => sum + r.photos.reduce((s, p) => s + p.bytes, 0), 0);
      const createBytes = [...createBodies.values()].reduce((sum, b) => sum + b.length, 0);
      const payload = mediaBytes + createBytes;

      // curl, CURL_RUNS times (the median counts): the same bodies under new
      // ids and receipts, each run through a proxy of its own.
      const media = queued[0].photos.map((_, index) => {
        const path = join(work, `medium-${index}`);
        writeFileSync(path, readFileSync(join(server.dataDir, 'media', 'reports', queued[0].id, String(index))));
        return path;
      });
      const curlRuns: (CurlRun & { wire: number; timeline: string })[] = [];
      for (let run = 0; run < CURL_RUNS; run++) {
        const proxy = await CountingProxy.start(server.url, CURL_SOURCES[run]);
        try {
          const config: string[] = [];
          const curlReports: OutboxReport[] = [];
          const request = (url: string, type: string, file: string) =>
            config.push(
              `url = ${quoted(url)}`,
              'request = "PUT"',
              `header = ${quoted(`content-type: ${type}`)}`,
              'header = "Expect:"',
              `data-binary = ${quoted('@' + file)}`,
              'output = "/dev/null"',
              'write-out = "%{http_code} %{num_connects}\\n"',
              'next',
            );
          for (const report of queued) {
            const id = randomUUID();
            const original = createBodies.get(report.id)!.toString('utf8');
            const hash = createHash('sha256').update(randomBytes(32)).digest('hex');
            const body = original.replace(/"receipt_hash":"[0-9a-f]{64}"/, `"receipt_hash":"${hash}"`);
            expect(body, 'the create body carries a receipt_hash').not.toBe(original);
            const bodyPath = join(work, `create-${id}.json`);
            writeFileSync(bodyPath, body);
            request(`${proxy.url}/api/v1/reports/${id}`, 'application/json', bodyPath);
            report.photos.forEach((_, index) =>
              request(`${proxy.url}/api/v1/reports/${id}/media/${index}`, 'image/jpeg', media[index]),
            );
            curlReports.push({ ...report, id });
          }
          config.pop(); // no `next` after the last request
          const configPath = join(work, `curl-${run}.config`);
          writeFileSync(configPath, config.join('\n') + '\n');
          const curlStarted = performance.now();
          const result = await runCurl(configPath);
          const wire = proxy.bytesUp + proxy.bytesDown;
          expect(result.codes, 'curl requests answered').toHaveLength(REPORTS * (1 + PHOTOS.length));
          expect(result.codes.filter((c) => !c.startsWith('2')), 'curl answers other than 2xx').toEqual([]);
          expectMediaOnServer(server, curlReports, 'curl');
          curlRuns.push({ ...result, wire, timeline: timeline(proxy.exchanges, curlStarted, result.seconds) });
        } finally {
          await proxy.stop();
        }
      }
      const curlSeconds = median(curlRuns.map((r) => r.seconds));
      const curl = curlRuns.find((r) => r.seconds === curlSeconds) ?? curlRuns[0];

      const ratio = appSeconds / curlSeconds;
      const wireRatio = appWire / payload;
      const lines = [
        `sync of ${REPORTS} queued reports x ${PHOTOS.length} photos (${photoSizes
          .map((b) => `${Math.round(b / 1000)} KB`)
          .join(' + ')}) to a local server, through a byte-counting proxy, ${screen.name} on screen:`,
        `  reports ${REPORTS}, photos ${REPORTS * PHOTOS.length}, payload ${(payload / MB).toFixed(2)} MB ` +
          `(media ${mediaBytes.toLocaleString('en')} B + create bodies ${createBytes.toLocaleString('en')} B)`,
        `  app: ${appSeconds.toFixed(2)} s from online to all sent (${(payload / MB / appSeconds).toFixed(1)} MB/s)`,
        `    ${appTimeline}`,
        `  curl (same bodies, ${curl.codes.length} requests, one process, --next; median of ${CURL_RUNS}): ` +
          `${curlSeconds.toFixed(2)} s (${(payload / MB / curlSeconds).toFixed(1)} MB/s; runs ` +
          `${curlRuns.map((r) => r.seconds.toFixed(2)).join(', ')} s; curl opened ${curl.connects} connection(s))`,
        `    median run: ${curl.timeline}`,
        `  ratio app / curl: ${ratio.toFixed(2)}`,
        `  wire bytes (app, both ways, HTTP heads + bodies): ${appWire.toLocaleString('en')} ` +
          `(up ${appUp.toLocaleString('en')}, down ${appDown.toLocaleString('en')}); ` +
          `payload bytes: ${payload.toLocaleString('en')}`,
        `  wire / payload: ${wireRatio.toFixed(4)} (target <= ${WIRE_TARGET}: ${wireRatio <= WIRE_TARGET ? 'met' : 'NOT met'}); ` +
          `curl's: ${(curl.wire / payload).toFixed(4)}`,
        `  app requests (answered in the window): ${appBreakdown.join('; ')}`,
      ];
      console.log(lines.join('\n'));
      record(screen.key, lines);
    } finally {
      await context.setOffline(false).catch(() => undefined);
      await appProxy.stop();
      await server.dispose();
      rmSync(work, { recursive: true, force: true });
    }
  });
}
