import { Agent, request } from 'node:http';
import { signBody, SIGNATURE_HEADER } from '../../server/ingest/webhook.js';

export const BENCH_SECRET = 'bench-webhook-secret-0123456789';

export interface WebhookAnswer {
  status: number;
  body: string;
}

/** Posts signed webhook bodies to one pot over kept-alive loopback connections. */
export class WebhookClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private readonly url: URL;

  constructor(baseUrl: string, potId: string, private readonly secret = BENCH_SECRET) {
    this.url = new URL(`/api/pots/${potId}/readings`, baseUrl);
  }

  /**
   * Posts a body; once more if a kept-alive connection was closed by the server just as it was
   * reused (the server closes idle ones after 5 s), as Node's documentation advises.
   */
  post(body: string): Promise<WebhookAnswer> {
    return this.send(body).catch((error: NodeJS.ErrnoException & { reusedSocket?: boolean }) => {
      if (error.reusedSocket && error.code === 'ECONNRESET') return this.send(body);
      throw error;
    });
  }

  private send(body: string): Promise<WebhookAnswer> {
    return new Promise((resolve, reject) => {
      const req = request(
        this.url,
        {
          method: 'POST',
          agent: this.agent,
          headers: {
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(body),
            [SIGNATURE_HEADER]: signBody(body, this.secret),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', (error) => reject(Object.assign(error, { reusedSocket: req.reusedSocket })));
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export function benchPot(id: string) {
  return { id, title: `Benchmark pot ${id}`, currency: 'EUR', source: { kind: 'webhook', secret: BENCH_SECRET } };
}
