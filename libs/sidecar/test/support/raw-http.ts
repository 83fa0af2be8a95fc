import { request, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * Sends bytes exactly as given over a fresh TCP connection and reads until the server closes it (send
 * `Connection: close`, or something the server refuses). For requests no HTTP client would agree to send:
 * bad methods, CR/LF, raw `..`.
 */
export function rawExchange(port: number, bytes: string | Buffer, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no close from 127.0.0.1:${port} within ${timeoutMs} ms; got: ${Buffer.concat(chunks).toString('latin1').slice(0, 200)}`));
    }, timeoutMs);
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', () => undefined); // a reset after the response is still an answer
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
    // No half-close: Node's server drops a request whose client has half-closed before the answer is ready.
    socket.write(bytes);
  });
}

/** The status code of the first response in a raw exchange, or 0 when the server closed without answering. */
export function statusOf(raw: string): number {
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(raw);
  return m ? Number(m[1]) : 0;
}

export interface UploadOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Total bytes to send, written in 64 KiB chunks with back-pressure. */
  size: number;
  /** true: Transfer-Encoding chunked; false: Content-Length. */
  chunked: boolean;
}

/**
 * Uploads `size` bytes and resolves with the response, even when the server answers (413) and closes before
 * the upload is done: the response is what the test is about, a broken pipe afterwards is not.
 */
export function upload(url: string, opts: UploadOptions): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/octet-stream', ...opts.headers };
    if (!opts.chunked) headers['content-length'] = String(opts.size);
    const req = request(url, { method: opts.method ?? 'POST', headers, agent: false });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('error', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    const pump = () => {
      while (sent < opts.size && !answered && !req.destroyed) {
        const n = Math.min(chunk.length, opts.size - sent);
        sent += n;
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
          req.once('drain', pump);
          return;
        }
      }
      if (!req.destroyed) req.end();
    };
    pump();
  });
}

/** A process's resident memory (VmRSS) and its peak (VmHWM), in bytes, from /proc. */
export function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)![1]) * 1024;
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}
