import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pinoHttp, { Options } from 'pino-http';
import { requestLogOptions } from './request-log';

/** The options before `service` became a base binding: the request line must keep every field it had. */
const customPropsOptions = (level: 'info'): Options => ({
  level,
  redact: ['req.headers.authorization', 'req.headers.cookie'],
  customProps: () => ({ service: 'ecf-api' }),
});

/** Serves one request through pino-http with these options and returns the lines it wrote. */
async function linesFor(options: Options, status: number): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const log = pinoHttp(options, destination);
  const server: Server = createServer((req, res) => {
    log(req, res);
    res.statusCode = status;
    res.setHeader('Content-Type', 'application/json');
    res.end('{}');
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  try {
    const { port } = server.address() as AddressInfo;
    await fetch(`http://127.0.0.1:${port}/participants/abc?limit=5`, { headers: { Authorization: 'Bearer secret-key', Cookie: 'session=secret', 'Idempotency-Key': 'k-1' } });
    await new Promise((settled) => setTimeout(settled, 20));
  } finally {
    await new Promise((closed) => server.close(closed));
  }
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** What differs between two requests on their own: the instant, the duration, and each test server's port. */
const withoutTimes = ({ time: _time, responseTime: _responseTime, ...line }: Record<string, unknown>) => {
  const { remotePort: _port, headers, ...req } = line.req as Record<string, unknown>;
  const { host: _host, ...otherHeaders } = headers as Record<string, unknown>;
  return { ...line, req: { ...req, headers: otherHeaders } };
};

describe('the request log line', () => {
  it.each([200, 404, 500])('has every field it had with customProps, and the key and cookies redacted (status %i)', async (status) => {
    const [line] = await linesFor(requestLogOptions('info'), status);
    const [before] = await linesFor(customPropsOptions('info'), status);

    expect(withoutTimes(line)).toEqual(withoutTimes(before));
    expect(Object.keys(line).sort()).toEqual(Object.keys(before).sort());
    expect(line).toMatchObject({
      service: 'ecf-api',
      pid: process.pid,
      msg: status === 500 ? 'request errored' : 'request completed',
      req: { method: 'GET', url: '/participants/abc?limit=5', headers: { authorization: '[Redacted]', cookie: '[Redacted]', 'idempotency-key': 'k-1' } },
      res: { statusCode: status },
      responseTime: expect.any(Number),
    });
    expect(JSON.stringify(line)).not.toContain('secret');
  });

  it('is not written below its level, and a warning inside a request still carries the request', async () => {
    expect(await linesFor(requestLogOptions('warn'), 200)).toEqual([]);
    const lines: string[] = [];
    const log = pinoHttp(
      requestLogOptions('warn'),
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    );
    const server = createServer((req, res) => {
      log(req, res);
      req.log.warn('inside the request');
      res.end();
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/me`, { headers: { Authorization: 'Bearer secret-key' } });
    await new Promise((closed) => server.close(closed));
    expect(JSON.parse(lines[0])).toMatchObject({ level: 40, service: 'ecf-api', msg: 'inside the request', req: { url: '/me', headers: { authorization: '[Redacted]' } } });
  });
});
