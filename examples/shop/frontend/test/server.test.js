// The frontend against a real stand-in backend on a random port: node --test test/
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { URL } from 'node:url';
import { createServer } from '../server.js';

const PRODUCTS = [{ id: 1, name: 'teapot', price: 12.5 }];
const seen = [];

async function listen(server) {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${server.address().port}`;
}

/** GET with node:http (no fetch: the same code on Node 18 and later). */
function get(base, path) {
  return new Promise((resolve, reject) => {
    http
      .get(new URL(path, base), (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'] ?? '', body }));
      })
      .on('error', reject);
  });
}

describe('frontend', () => {
  const backend = http.createServer((req, res) => {
    seen.push({ method: req.method, url: req.url, host: req.headers.host });
    if (new URL(req.url, 'http://backend').pathname === '/api/products') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(PRODUCTS));
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"detail":"Not Found"}');
  });
  let backendUrl = '';
  let base = '';
  let frontend;
  let orphan;
  let orphanBase = '';

  before(async () => {
    backendUrl = await listen(backend);
    frontend = createServer({ backendUrl, timeoutMs: 2_000 });
    base = await listen(frontend);
    // a frontend whose backend is gone: a port that was free a moment ago
    const gone = http.createServer();
    const goneUrl = await listen(gone);
    gone.close();
    orphan = createServer({ backendUrl: goneUrl, timeoutMs: 2_000 });
    orphanBase = await listen(orphan);
  });
  after(() => {
    for (const s of [frontend, orphan, backend]) {
      s.closeAllConnections();
      s.close();
    }
  });

  it('answers /health without the backend', async () => {
    assert.deepEqual(await get(orphanBase, '/health'), { status: 200, type: 'text/plain; charset=utf-8', body: 'ok\n' });
  });

  it('serves the page on /', async () => {
    const r = await get(base, '/');
    assert.equal(r.status, 200);
    assert.equal(r.type, 'text/html; charset=utf-8');
    assert.equal(r.body, readFileSync(new URL('../app/index.html', import.meta.url), 'utf8'));
  });

  it("forwards /api/* to the backend and returns its answer", async () => {
    const r = await get(base, '/api/products?sort=name');
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(r.body), PRODUCTS);
    const last = seen.at(-1);
    assert.equal(last.url, '/api/products?sort=name');
    assert.equal(last.host, new URL(backendUrl).host);
  });

  it("passes the backend's errors through", async () => {
    const r = await get(base, '/api/nope');
    assert.equal(r.status, 404);
    assert.equal(r.body, '{"detail":"Not Found"}');
  });

  it('answers 502 when the backend is unreachable', async () => {
    const r = await get(orphanBase, '/api/products');
    assert.equal(r.status, 502);
    assert.equal(JSON.parse(r.body).error, 'backend unavailable');
  });

  it('answers 404 elsewhere', async () => {
    assert.equal((await get(base, '/nope')).status, 404);
  });
});
