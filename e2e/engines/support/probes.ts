// What a browser engine offers of the APIs GreenWatch uses, asked in the
// page itself: each probe tries the real call (storing a Blob, recording a
// clip, encoding a JPEG...) rather than only testing that a name exists.
// Used by gaps.probe.ts (the engine-gap inventory, printed, never a pass or
// fail) in WebKit and Firefox, in the WebDriver session and in a normal one.

/** One line of the inventory. */
export interface ProbeResult {
  api: string;
  /** true: works as the app needs it; false: missing or failing. */
  ok: boolean;
  detail: string;
}

/**
 * Runs in the page (self-contained: it is serialised). `jpegBase64` is a
 * real phone photo stored 600x450 with EXIF orientation 6 (portrait_6.jpg).
 */
export async function probeEngine(jpegBase64: string): Promise<ProbeResult[]> {
  const results: ProbeResult[] = [];
  const say = (api: string, ok: boolean, detail: string) => {
    results.push({ api, ok, detail });
    // A page running the probe on its own reports each step (gaps.probe.ts).
    (globalThis as any).__probeStep?.({ api, ok, detail });
  };
  const why = (error: unknown) =>
    error instanceof Error || (typeof DOMException !== 'undefined' && error instanceof DOMException)
      ? `${(error as Error).name}: ${(error as Error).message}`
      : String(error);
  // Each probe gets 15 s: a permission prompt nobody answers must not hang the rest.
  const attempt = async (api: string, run: () => Promise<[boolean, string]>) => {
    try {
      const [ok, detail] = await Promise.race([
        run(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer within 15 s')), 15_000)),
      ]);
      say(api, ok, detail);
    } catch (error) {
      say(api, false, why(error));
    }
  };
  const jpeg = Uint8Array.from(atob(jpegBase64), (c) => c.charCodeAt(0));
  const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);
  // By brand, not instanceof: Firefox runs WebDriver scripts in a sandbox
  // whose ArrayBuffer is not the page's.
  const is = (value: unknown, brand: string) => Object.prototype.toString.call(value) === `[object ${brand}]`;

  say('user agent', true, navigator.userAgent);
  say('isSecureContext', window.isSecureContext, String(window.isSecureContext));

  // IndexedDB: what the outbox stores, in a database of its own.
  const idb = (request: IDBRequest | IDBOpenDBRequest) =>
    new Promise<any>((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  const name = 'greenwatch-engine-probe';
  await idb(indexedDB.deleteDatabase(name)).catch(() => undefined);
  const open = indexedDB.open(name, 1);
  open.onupgradeneeded = () => open.result.createObjectStore('things');
  let db: IDBDatabase | null = null;
  try {
    db = await idb(open);
  } catch (error) {
    say('IndexedDB open', false, why(error));
  }
  const roundTrip = async (api: string, value: unknown, read: (stored: any) => Promise<Uint8Array | null>) => {
    await attempt(api, async () => {
      if (!db) return [false, 'no database'];
      const tx = db.transaction('things', 'readwrite');
      let putError: DOMException | null = null;
      const done = new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onabort = () => reject(putError ?? tx.error ?? new Error('transaction aborted'));
      });
      const put = tx.objectStore('things').put(value, api);
      put.onerror = () => (putError = put.error);
      await done;
      const stored = await idb(db.transaction('things').objectStore('things').get(api));
      const bytes = await read(stored);
      if (!bytes) return [false, `read back as ${Object.prototype.toString.call(stored)}`];
      return [sameBytes(bytes, jpeg), `stored and read back ${bytes.length} bytes, ${sameBytes(bytes, jpeg) ? 'identical' : 'DIFFERENT'}`];
    });
  };
  const blobBytes = async (stored: any) =>
    stored instanceof Blob ? new Uint8Array(await stored.arrayBuffer()) : null;
  await roundTrip('IndexedDB: Blob', new Blob([jpeg], { type: 'image/jpeg' }), blobBytes);
  await roundTrip('IndexedDB: File', new File([jpeg], 'photo.jpg', { type: 'image/jpeg' }), blobBytes);
  await roundTrip('IndexedDB: Blob inside a record', { id: 'x', blob: new Blob([jpeg], { type: 'image/jpeg' }) }, async (s) =>
    s && s.blob instanceof Blob ? new Uint8Array(await s.blob.arrayBuffer()) : null,
  );
  await roundTrip('IndexedDB: ArrayBuffer', jpeg.slice().buffer, async (s) => (is(s, 'ArrayBuffer') ? new Uint8Array(s) : null));
  await roundTrip('IndexedDB: Uint8Array', jpeg.slice(), async (s) => (is(s, 'Uint8Array') ? new Uint8Array(s) : null));
  await roundTrip(
    'IndexedDB: { type, bytes: ArrayBuffer } record',
    { type: 'image/jpeg', bytes: jpeg.slice().buffer },
    async (s) => (s && is(s.bytes, 'ArrayBuffer') ? new Uint8Array(s.bytes) : null),
  );
  db?.close();
  await idb(indexedDB.deleteDatabase(name)).catch(() => undefined);

  // Storage: the figure shown in My reports, and the persistence request.
  await attempt('navigator.storage', async () => ['storage' in navigator, 'storage' in navigator ? 'present' : 'missing']);
  await attempt('navigator.storage.estimate()', async () => {
    if (!navigator.storage?.estimate) return [false, 'missing'];
    const estimate = await navigator.storage.estimate();
    return [true, `usage ${estimate.usage}, quota ${estimate.quota}`];
  });
  await attempt('navigator.storage.persist()', async () => {
    if (!navigator.storage?.persist) return [false, 'missing'];
    const granted = await navigator.storage.persist();
    const persisted = await navigator.storage.persisted();
    return [true, `persist() → ${granted}, persisted() → ${persisted}`];
  });

  // Service worker and Background Sync.
  await attempt('service worker', async () => {
    if (!('serviceWorker' in navigator)) return [false, 'navigator.serviceWorker missing'];
    const registration = await Promise.race([
      navigator.serviceWorker.ready,
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 10_000)),
    ]);
    if (!registration) return [false, 'no registration became ready within 10 s'];
    return [true, `ready; this page controlled: ${navigator.serviceWorker.controller !== null}`];
  });
  await attempt('Background Sync (SyncManager)', async () => {
    const present = 'SyncManager' in window;
    const registration = 'serviceWorker' in navigator ? await navigator.serviceWorker.getRegistration() : undefined;
    const sync = registration && (registration as any).sync;
    if (!present || !sync) return [false, `SyncManager ${present ? 'present' : 'missing'}, registration.sync ${sync ? 'present' : 'missing'}`];
    await sync.register('greenwatch-engine-probe');
    return [true, 'registered a tag'];
  });

  // Web Locks: one sender across tabs.
  await attempt('Web Locks (navigator.locks)', async () => {
    const locks = (navigator as any).locks;
    if (!locks) return [false, 'missing'];
    const value = await locks.request('greenwatch-engine-probe', async () => 42);
    return [value === 42, `request ran its callback: ${value === 42}`];
  });

  // SHA-256 of the media.
  await attempt('crypto.subtle.digest (SHA-256)', async () => {
    if (!crypto.subtle) return [false, `crypto.subtle missing (isSecureContext ${window.isSecureContext})`];
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode('abc')));
    const hex = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
    return [hex === 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', 'digest of "abc" correct'];
  });

  // The photo pipeline: decode with EXIF orientation, draw, encode.
  const photo = new Blob([jpeg], { type: 'image/jpeg' });
  await attempt('createImageBitmap(blob, { imageOrientation: "from-image" })', async () => {
    const bitmap = await createImageBitmap(photo, { imageOrientation: 'from-image' } as ImageBitmapOptions);
    const upright = bitmap.width === 450 && bitmap.height === 600;
    const detail = `${bitmap.width}x${bitmap.height} (stored 600x450, EXIF orientation 6: upright is 450x600)`;
    bitmap.close();
    return [upright, detail];
  });
  await attempt('createImageBitmap(blob) (no options)', async () => {
    const bitmap = await createImageBitmap(photo);
    const detail = `${bitmap.width}x${bitmap.height}`;
    bitmap.close();
    return [true, detail];
  });
  await attempt('createImageBitmap resizeWidth/resizeHeight/resizeQuality', async () => {
    const bitmap = await createImageBitmap(photo, { resizeWidth: 96, resizeHeight: 128, resizeQuality: 'medium' });
    const detail = `${bitmap.width}x${bitmap.height} (asked 96x128)`;
    const ok = bitmap.width === 96 && bitmap.height === 128;
    bitmap.close();
    return [ok, detail];
  });
  await attempt('OffscreenCanvas 2d', async () => {
    if (typeof OffscreenCanvas === 'undefined') return [false, 'OffscreenCanvas missing'];
    const context = new OffscreenCanvas(16, 16).getContext('2d');
    return [context !== null, context ? 'getContext("2d") works' : 'getContext("2d") is null'];
  });
  await attempt('OffscreenCanvas.convertToBlob (image/jpeg, 0.8)', async () => {
    if (typeof OffscreenCanvas === 'undefined') return [false, 'OffscreenCanvas missing'];
    const canvas = new OffscreenCanvas(64, 48);
    const context = canvas.getContext('2d')!;
    context.fillStyle = '#2a6';
    context.fillRect(0, 0, 64, 48);
    if (typeof (canvas as any).convertToBlob !== 'function') return [false, 'convertToBlob missing'];
    const blob: Blob = await (canvas as any).convertToBlob({ type: 'image/jpeg', quality: 0.8 });
    return [blob.type === 'image/jpeg', `${blob.type}, ${blob.size} bytes`];
  });
  await attempt('HTMLCanvasElement.toBlob (image/jpeg, 0.8)', async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 64;
    canvas.height = 48;
    canvas.getContext('2d')!.fillRect(0, 0, 64, 48);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.8));
    return [blob?.type === 'image/jpeg', blob ? `${blob.type}, ${blob.size} bytes` : 'null'];
  });
  await attempt('IndexedDB: Blob from OffscreenCanvas.convertToBlob', async () => {
    if (typeof OffscreenCanvas === 'undefined') return [false, 'OffscreenCanvas missing'];
    const canvas = new OffscreenCanvas(64, 48);
    canvas.getContext('2d')!.fillRect(0, 0, 64, 48);
    const blob: Blob = await (canvas as any).convertToBlob({ type: 'image/jpeg', quality: 0.8 });
    await idb(indexedDB.deleteDatabase(name + '-canvas')).catch(() => undefined);
    const open2 = indexedDB.open(name + '-canvas', 1);
    open2.onupgradeneeded = () => open2.result.createObjectStore('things');
    const db2: IDBDatabase = await idb(open2);
    try {
      const tx = db2.transaction('things', 'readwrite');
      let putError: DOMException | null = null;
      const done = new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onabort = () => reject(putError ?? tx.error ?? new Error('transaction aborted'));
      });
      const put = tx.objectStore('things').put(blob, 'canvas');
      put.onerror = () => (putError = put.error);
      await done;
      return [true, `stored ${blob.size} bytes`];
    } finally {
      db2.close();
      indexedDB.deleteDatabase(name + '-canvas');
    }
  });

  // Voice clips.
  await attempt('MediaRecorder', async () => ['MediaRecorder' in window, 'MediaRecorder' in window ? 'present' : 'missing']);
  for (const type of ['audio/webm;codecs=opus', 'audio/webm', 'audio/mp4', 'audio/mp4;codecs=mp4a.40.2', 'audio/ogg;codecs=opus', 'audio/ogg']) {
    await attempt(`MediaRecorder.isTypeSupported("${type}")`, async () => {
      if (!('MediaRecorder' in window)) return [false, 'MediaRecorder missing'];
      const supported = MediaRecorder.isTypeSupported(type);
      return [supported, String(supported)];
    });
  }
  await attempt('getUserMedia({ audio }) + 1 s MediaRecorder clip', async () => {
    if (!navigator.mediaDevices?.getUserMedia) return [false, 'navigator.mediaDevices.getUserMedia missing'];
    const stream = await Promise.race([
      navigator.mediaDevices.getUserMedia({ audio: true }),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer within 10 s (a permission prompt?)')), 10_000)),
    ]);
    if (!('MediaRecorder' in window)) {
      stream.getTracks().forEach((t) => t.stop());
      return [false, 'microphone opened, MediaRecorder missing'];
    }
    const recorder = new MediaRecorder(stream);
    const chunks: Blob[] = [];
    recorder.ondataavailable = (event) => event.data.size && chunks.push(event.data);
    const stopped = new Promise<void>((resolve, reject) => {
      recorder.onstop = () => resolve();
      recorder.onerror = (event: any) => reject(event.error ?? new Error('MediaRecorder error'));
    });
    recorder.start();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    recorder.stop();
    await Promise.race([stopped, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('never stopped')), 10_000))]);
    stream.getTracks().forEach((t) => t.stop());
    const blob = new Blob(chunks, { type: recorder.mimeType });
    return [blob.size > 0, `recorded ${blob.size} bytes as "${recorder.mimeType}"`];
  });
  for (const [type, label] of [
    ['audio/webm; codecs="opus"', 'WebM/Opus'],
    ['audio/ogg; codecs="opus"', 'Ogg/Opus'],
    ['audio/mp4; codecs="mp4a.40.2"', 'MP4/AAC'],
  ]) {
    await attempt(`<audio> canPlayType ${label}`, async () => {
      const answer = document.createElement('audio').canPlayType(type);
      return [answer !== '', answer === '' ? 'no' : answer];
    });
  }

  // Other calls the app makes.
  await attempt('navigator.geolocation', async () => ['geolocation' in navigator, 'geolocation' in navigator ? 'present' : 'missing']);
  await attempt('navigator.clipboard.writeText', async () => {
    const present = typeof navigator.clipboard?.writeText === 'function';
    return [present, present ? 'present' : 'missing'];
  });
  await attempt('AbortController / AbortSignal.timeout', async () => {
    const timeout = typeof (AbortSignal as any).timeout === 'function';
    return [typeof AbortController === 'function', `AbortController present; AbortSignal.timeout ${timeout ? 'present' : 'missing'}`];
  });
  await attempt('Blob.arrayBuffer', async () => {
    const bytes = new Uint8Array(await new Blob([jpeg]).arrayBuffer());
    return [sameBytes(bytes, jpeg), 'works'];
  });
  await attempt('performance.mark / measure', async () => {
    performance.mark('greenwatch-probe-start');
    const measure = performance.measure('greenwatch-probe', 'greenwatch-probe-start');
    return [measure !== undefined, measure ? 'measure returns an entry' : 'measure returns undefined (old API)'];
  });
  await attempt('CSS :has()', async () => [CSS.supports('selector(:has(a))'), String(CSS.supports('selector(:has(a))'))]);
  return results;
}
