// A small HTTP reverse proxy in front of a plain-HTTP test registry that fails chosen requests: the
// first N matching requests get a 503 (or 429 with Retry-After, or a connection reset), the rest
// reach the real registry unchanged. The Host header is passed through, so the registry's upload
// Location URLs point back at the proxy and every request of a push goes through it.
// `immutableTags` makes it an immutable-tag registry: a manifest PUT to a tag that already exists is
// refused the way ECR or Harbor refuse it (IMMUTABLE_TAG_REFUSALS), whatever digest is pushed.
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface FaultPlan {
  /** how many matching requests fail (default 0) */
  failFirst: number;
  /** what a failure looks like (default 503) */
  fault?: { status: number; retryAfter?: string } | 'reset';
  /** which requests count (default: every request except GET /v2/) */
  match?: (method: string, path: string) => boolean;
  /** refuse a manifest PUT to a tag that already exists, like this registry (default: tags are mutable) */
  immutableTags?: keyof typeof IMMUTABLE_TAG_REFUSALS;
}

/**
 * How real immutable-tag registries refuse a manifest PUT to an existing tag (even with the same digest).
 * - ECR: HTTP 400, distribution error code TAG_INVALID; the message as clients print it ("tag invalid:
 *   The image tag '…' already exists in the '…' repository and cannot be overwritten because the
 *   repository is immutable.") in moby/buildkit#3776, aws/containers-roadmap#862, and with the code
 *   ("TAG_INVALID: The image tag '…' already exists …") in carvel-dev/imgpkg
 *   pkg/imgpkg/bundle/locations_configs.go. TAG_INVALID is HTTP 400 in distribution's errcode table.
 * - Harbor ≥ 2.0: HTTP 412 (PreconditionCode → http.StatusPreconditionFailed), code PRECONDITION,
 *   "Failed to process request due to '<repo>:<tag>' configured as immutable." in goharbor/harbor
 *   src/server/middleware/immutable/{pushmf,error}.go and src/server/error/error.go.
 */
export const IMMUTABLE_TAG_REFUSALS = {
  ecr: (repo: string, tag: string) => ({
    status: 400,
    body: {
      errors: [
        {
          code: 'TAG_INVALID',
          message: `The image tag '${tag}' already exists in the '${repo}' repository and cannot be overwritten because the repository is immutable.`,
        },
      ],
    },
  }),
  harbor: (repo: string, tag: string) => ({
    status: 412,
    body: {
      errors: [
        {
          code: 'PRECONDITION',
          message: `Failed to process request due to '${repo.split('/').slice(1).join('/') || repo}:${tag}' configured as immutable.`,
        },
      ],
    },
  }),
} as const;

const MANIFEST_BY_TAG = /^\/v2\/(.+)\/manifests\/([A-Za-z0-9_][A-Za-z0-9._-]{0,127})$/;

export interface FlakyProxy {
  host: string;
  url: string;
  /** every request seen: method, path, and whether it was failed (or refused: immutable tag) */
  log: { method: string; path: string; failed: boolean; refused?: boolean }[];
  failures(): number;
  /** manifest PUTs refused because the tag exists (immutableTags) */
  refusals(): { repo: string; tag: string }[];
  /** change the plan for the next requests (counts restart) */
  plan(p: FaultPlan): void;
  stop(): Promise<void>;
}

const defaultMatch = (method: string, path: string): boolean => !(method === 'GET' && path === '/v2/');

export async function startFlakyProxy(target: string, initial: FaultPlan = { failFirst: 0 }): Promise<FlakyProxy> {
  const t = new URL(target);
  let plan = initial;
  let matched = 0;
  let failed = 0;
  const log: FlakyProxy['log'] = [];
  const refused: { repo: string; tag: string }[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req: IncomingMessage, res) => {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0] as string;
    const counts = (plan.match ?? defaultMatch)(method, path);
    const fail = counts && matched++ < plan.failFirst;
    const entry: FlakyProxy['log'][number] = { method, path, failed: fail };
    log.push(entry);
    if (fail) {
      failed++;
      const f = plan.fault ?? { status: 503 };
      req.resume();
      if (f === 'reset') {
        req.socket.destroy();
        return;
      }
      res.writeHead(f.status, {
        'content-type': 'application/json',
        ...(f.retryAfter !== undefined ? { 'retry-after': f.retryAfter } : {}),
      });
      res.end(JSON.stringify({ errors: [{ code: 'UNAVAILABLE', message: 'injected fault (flaky-proxy)' }] }));
      return;
    }
    const immutable = method === 'PUT' ? plan.immutableTags : undefined;
    const tagPut = immutable ? MANIFEST_BY_TAG.exec(path) : null;
    if (!immutable || !tagPut) {
      forward(req, res);
      return;
    }
    // does the tag exist? (asked of the registry itself, with the client's credentials)
    const repo = tagPut[1] as string;
    const tag = tagPut[2] as string;
    req.pause();
    const head = request(
      {
        host: t.hostname,
        port: t.port,
        method: 'HEAD',
        path: `/v2/${repo}/manifests/${tag}`,
        headers: {
          accept:
            'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json',
          ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        },
      },
      (headRes) => {
        headRes.resume();
        if (headRes.statusCode !== 200) {
          forward(req, res);
          return;
        }
        const r = IMMUTABLE_TAG_REFUSALS[immutable](repo, tag);
        refused.push({ repo, tag });
        entry.refused = true;
        req.resume();
        res.writeHead(r.status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(r.body));
      },
    );
    head.on('error', () => res.destroy());
    head.end();
  });
  function forward(req: IncomingMessage, res: ServerResponse): void {
    const up = request(
      { host: t.hostname, port: t.port, method: req.method, path: req.url, headers: req.headers },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  }
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    log,
    failures: () => failed,
    refusals: () => [...refused],
    plan(p) {
      plan = p;
      matched = 0;
    },
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
