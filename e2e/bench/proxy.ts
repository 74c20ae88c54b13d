// A byte-counting TCP proxy for the sync benchmark (bench/sync.bench.ts):
// it forwards every connection to the server unchanged and counts the bytes
// crossing it in each direction (TCP payload: HTTP/1.1 request and response
// heads and bodies; not TCP/IP framing). It also reads the HTTP/1.1 streams
// as they pass (without changing them) to list the requests and their
// answers, and to keep the JSON bodies of report creates.
//
// Each proxy connects to the server from its own loopback address
// (`sourceAddress`, e.g. 127.0.0.2): the server's per-client rate limit then
// gives the browser and curl a bucket each, as two phones would have.
import * as net from 'node:net';

/** One HTTP exchange seen through the proxy. */
export interface Exchange {
  method: string;
  path: string;
  status: number | null;
  /** Request head + body bytes, response head + body bytes. */
  requestBytes: number;
  responseBytes: number;
  requestBodyBytes: number;
  /** Kept for `PUT /api/v1/reports/{id}` (the create body); null otherwise. */
  body: Buffer | null;
  /** Which TCP connection (numbered by the proxy) carried it. */
  connection: number;
  /** performance.now() (ms) at the request's first byte, and at its answer's last. */
  started: number;
  answered: number | null;
}

interface Message {
  startLine: string;
  headers: Map<string, string>;
  headBytes: number;
  bodyBytes: number;
  body: Buffer | null;
}

const CREATE_PATH = /^\/api\/v1\/reports\/[0-9a-f-]+$/i;

/**
 * Splits one direction of an HTTP/1.1 connection into messages (Content-Length
 * or chunked bodies). Requests: a body only with Content-Length or chunked.
 * Responses: no body for 1xx/204/304; else Content-Length, chunked, or up to
 * the connection's end (then not reported).
 */
class HttpReader {
  private buffer = Buffer.alloc(0);
  private current: Message | null = null;
  private remaining = 0;
  private chunked: 'size' | 'data' | 'data-crlf' | 'trailers' | null = null;
  private keep = false;
  private parts: Buffer[] = [];
  private broken = false;

  constructor(
    private readonly isResponse: boolean,
    private readonly keepBody: (startLine: string) => boolean,
    private readonly onMessage: (message: Message) => void,
  ) {}

  push(chunk: Buffer): void {
    if (this.broken) return;
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    while (this.step()) {
      /* keep going */
    }
  }

  private take(count: number): Buffer {
    const taken = this.buffer.subarray(0, count);
    this.buffer = this.buffer.subarray(count);
    return taken;
  }

  private body(bytes: Buffer): void {
    this.current!.bodyBytes += bytes.length;
    if (this.keep) this.parts.push(Buffer.from(bytes));
  }

  private finish(): void {
    const message = this.current!;
    if (this.keep) message.body = Buffer.concat(this.parts);
    this.current = null;
    this.chunked = null;
    this.parts = [];
    this.onMessage(message);
  }

  private line(): string | null {
    const end = this.buffer.indexOf('\r\n');
    if (end < 0) return null;
    const line = this.take(end + 2).toString('latin1');
    this.current!.bodyBytes += end + 2;
    return line.slice(0, -2);
  }

  /** One step of parsing; false when it needs more bytes. */
  private step(): boolean {
    if (!this.current) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return false;
      const head = this.take(end + 4).toString('latin1');
      const [startLine, ...lines] = head.slice(0, -4).split('\r\n');
      const headers = new Map<string, string>();
      for (const line of lines) {
        const colon = line.indexOf(':');
        if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
      this.current = { startLine, headers, headBytes: end + 4, bodyBytes: 0, body: null };
      this.keep = this.keepBody(startLine);
      const status = this.isResponse ? Number(startLine.split(' ')[1]) : 0;
      if (this.isResponse && (status < 200 || status === 204 || status === 304)) {
        this.finish();
        return true;
      }
      if (/chunked/i.test(headers.get('transfer-encoding') ?? '')) {
        this.chunked = 'size';
      } else if (headers.has('content-length')) {
        this.remaining = Number(headers.get('content-length'));
      } else if (this.isResponse) {
        // Delimited by the end of the connection: not followed any further.
        this.broken = true;
        return false;
      } else {
        this.remaining = 0;
      }
      if (!this.chunked && this.remaining === 0) this.finish();
      return true;
    }
    if (this.chunked === 'size') {
      const before = this.current.bodyBytes;
      const line = this.line();
      if (line === null) return false;
      this.current.bodyBytes = before + line.length + 2;
      const size = parseInt(line.split(';')[0], 16);
      if (size === 0) {
        this.chunked = 'trailers';
      } else {
        this.remaining = size;
        this.chunked = 'data';
      }
      return true;
    }
    if (this.chunked === 'trailers') {
      const line = this.line();
      if (line === null) return false;
      if (line === '') this.finish();
      return true;
    }
    if (this.chunked === 'data-crlf') {
      if (this.buffer.length < 2) return false;
      this.take(2);
      this.current.bodyBytes += 2;
      this.chunked = 'size';
      return true;
    }
    // Content-Length body, or a chunk's data.
    if (this.buffer.length === 0) return false;
    const part = this.take(Math.min(this.remaining, this.buffer.length));
    this.remaining -= part.length;
    this.body(part);
    if (this.remaining > 0) return false;
    if (this.chunked === 'data') this.chunked = 'data-crlf';
    else this.finish();
    return true;
  }
}

export class CountingProxy {
  /** Bytes from the client to the server, and back, since the last reset. */
  bytesUp = 0;
  bytesDown = 0;
  /** The exchanges whose request started since the last reset. */
  exchanges: Exchange[] = [];
  /** TCP connections opened since the last reset. */
  connections = 0;
  private connectionCount = 0;
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    private readonly server: net.Server,
    readonly url: string,
  ) {}

  /** Listens on 127.0.0.1 (a free port) and forwards to `target` from `sourceAddress`. */
  static async start(target: string, sourceAddress: string): Promise<CountingProxy> {
    const { hostname, port } = new URL(target);
    let proxy: CountingProxy;
    const server = net.createServer((client) => proxy.accept(client, hostname, Number(port), sourceAddress));
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    const address = server.address() as net.AddressInfo;
    proxy = new CountingProxy(server, `http://127.0.0.1:${address.port}`);
    return proxy;
  }

  /** Forgets everything counted so far (open connections stay, and count on). */
  reset(): void {
    this.bytesUp = 0;
    this.bytesDown = 0;
    this.exchanges = [];
    this.connections = 0;
  }

  private accept(client: net.Socket, host: string, port: number, localAddress: string): void {
    this.connections++;
    const connection = ++this.connectionCount;
    const upstream = net.connect({ host, port, localAddress });
    this.sockets.add(client).add(upstream);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    // Requests waiting for their answer (HTTP/1.1 without pipelining: in order).
    const waiting: Exchange[] = [];
    // When the request being read began (its first byte reached the proxy).
    let requestStarted: number | null = null;
    const requests = new HttpReader(
      false,
      (startLine) => {
        const [method, path] = startLine.split(' ');
        return method === 'PUT' && CREATE_PATH.test(path);
      },
      (message) => {
        const [method, path] = message.startLine.split(' ');
        const exchange: Exchange = {
          method,
          path,
          status: null,
          requestBytes: message.headBytes + message.bodyBytes,
          responseBytes: 0,
          requestBodyBytes: message.bodyBytes,
          body: message.body,
          connection,
          started: requestStarted ?? performance.now(),
          answered: null,
        };
        requestStarted = null;
        waiting.push(exchange);
        this.exchanges.push(exchange);
      },
    );
    const responses = new HttpReader(
      true,
      () => false,
      (message) => {
        const status = Number(message.startLine.split(' ')[1]);
        if (status < 200) return; // 100 Continue: the answer is still to come
        const exchange = waiting.shift();
        if (!exchange) return;
        exchange.status = status;
        exchange.responseBytes = message.headBytes + message.bodyBytes;
        exchange.answered = performance.now();
      },
    );
    client.on('data', (chunk: Buffer) => {
      this.bytesUp += chunk.length;
      requestStarted ??= performance.now();
      requests.push(chunk);
      if (!upstream.write(chunk)) client.pause();
    });
    upstream.on('data', (chunk: Buffer) => {
      this.bytesDown += chunk.length;
      responses.push(chunk);
      if (!client.write(chunk)) upstream.pause();
    });
    upstream.on('drain', () => client.resume());
    client.on('drain', () => upstream.resume());
    const close = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((closed) => this.server.close(() => closed()));
  }
}
