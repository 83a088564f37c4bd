import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request as httpsRequest } from 'node:https';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startCommand, type RunningProcess } from './processes.js';
import { makeTempDir } from './temp-dir.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';
export const NGINX_SITE_FILE = path.join(ROOT, 'deploy/nginx.conf');
/** The site's name in deploy/nginx.conf, which the test certificate is made for. */
export const SITE_NAME = 'potwatch.example.org';

export interface RunningNginx extends RunningProcess {
  /** https://127.0.0.1:<port>, answering as SITE_NAME with a certificate made for the test. */
  url: string;
  /** http://127.0.0.1:<port>, the plain-HTTP server of the file. */
  plainUrl: string;
  /** Trusts the test certificate and names the site, for node:https requests. */
  agent: Agent;
  certificate: string;
}

export interface HttpsAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET (or HEAD) through nginx, as a browser of the site sends it. */
export function getThrough(nginx: RunningNginx, urlPath: string, headers: Record<string, string> = {}, method = 'GET'): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    httpsRequest(`${nginx.url}${urlPath}`, { method, agent: nginx.agent, headers: { Host: SITE_NAME, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

/**
 * Debian's nginx running deploy/nginx.conf on loopback in front of `originPort`: the file as
 * shipped, with only its ports, certificate and cache paths replaced, inside a minimal main
 * configuration like Debian's own (which includes sites in its `http` block).
 */
export async function startNginx(originPort: number): Promise<RunningNginx> {
  if (!existsSync(NGINX)) {
    throw new Error(`${NGINX} is missing: install Debian's nginx package (apt-get install nginx), as .ci/run does`);
  }
  const temp = makeTempDir('potwatch-nginx-');
  // nginx's workers run as an unprivileged user when started by root: they must reach the folder.
  chmodSync(temp.dir, 0o755);
  const [httpsPort, httpPort] = [await freePort(), await freePort()];
  const certificate = path.join(temp.dir, 'fullchain.pem');
  const key = path.join(temp.dir, 'privkey.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', `/CN=${SITE_NAME}`, '-addext', `subjectAltName=DNS:${SITE_NAME}`, '-keyout', key, '-out', certificate,
  ], { stdio: 'ignore' });

  const site = siteForTest(readFileSync(NGINX_SITE_FILE, 'utf8'), {
    'listen 443 ssl http2;': `listen 127.0.0.1:${httpsPort} ssl http2;`,
    'listen 80;': `listen 127.0.0.1:${httpPort};`,
    'server 127.0.0.1:3000;': `server 127.0.0.1:${originPort};`,
    '/var/cache/nginx/potwatch': path.join(temp.dir, 'cache'),
    [`/etc/letsencrypt/live/${SITE_NAME}/fullchain.pem`]: certificate,
    [`/etc/letsencrypt/live/${SITE_NAME}/privkey.pem`]: key,
    '/var/www/html': path.join(temp.dir, 'www'),
  });
  writeFileSync(path.join(temp.dir, 'potwatch.conf'), site);
  const temporary = (name: string) => `${name}_temp_path ${path.join(temp.dir, name)};`;
  writeFileSync(
    path.join(temp.dir, 'nginx.conf'),
    [
      `pid ${path.join(temp.dir, 'nginx.pid')};`,
      // At this level nginx says when its workers start: the sign that it is ready.
      'error_log stderr notice;',
      process.getuid?.() === 0 ? 'user nobody nogroup;' : '',
      'worker_processes 1;',
      'worker_rlimit_nofile 8192;',
      'events { worker_connections 4096; }',
      'http {',
      '  include /etc/nginx/mime.types;',
      `  access_log ${path.join(temp.dir, 'access.log')};`,
      `  client_body_temp_path ${path.join(temp.dir, 'body')};`,
      `  ${temporary('proxy')}`,
      `  ${temporary('fastcgi')}`,
      `  ${temporary('uwsgi')}`,
      `  ${temporary('scgi')}`,
      `  include ${path.join(temp.dir, 'potwatch.conf')};`,
      '}',
      '',
    ].join('\n'),
  );
  const config = ['-p', temp.dir, '-c', path.join(temp.dir, 'nginx.conf')];
  execFileSync(NGINX, [...config, '-t', '-q'], { stdio: 'pipe' });
  const started = await startCommand(NGINX, [...config, '-g', 'daemon off;'], {}, /start worker process/, 10_000);
  const agent = new Agent({ keepAlive: true, maxSockets: 64, ca: readFileSync(certificate), servername: SITE_NAME });
  const running: RunningNginx = {
    url: `https://127.0.0.1:${httpsPort}`,
    plainUrl: `http://127.0.0.1:${httpPort}`,
    agent,
    certificate: readFileSync(certificate, 'utf8'),
    output: started.output,
    stop: async () => {
      agent.destroy();
      await started.stop();
      temp.remove();
    },
  };
  await waitUntilAnswering(running);
  return running;
}

/** The site file with `replacements` made, each of which must be found. */
function siteForTest(site: string, replacements: Record<string, string>): string {
  let text = site.replace(/^\s*listen \[::\].*\n/gm, '');
  for (const [from, to] of Object.entries(replacements)) {
    if (!text.includes(from)) throw new Error(`deploy/nginx.conf no longer contains "${from}"`);
    text = text.replaceAll(from, to);
  }
  return text;
}

async function waitUntilAnswering(nginx: RunningNginx): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await getThrough(nginx, '/healthz');
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`nginx did not answer: ${(error as Error).message}\n${nginx.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
