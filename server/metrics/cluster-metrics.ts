import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';
import type { MetricsSource } from './metrics.js';

const REQUEST = 'potwatch:metrics-request';
const ANSWER = 'potwatch:metrics-answer';
const ANSWER_TIMEOUT_MS = 5000;

interface MetricsMessage {
  type?: string;
  id?: number;
  text?: string;
  error?: string;
}

/**
 * /metrics of a cluster worker: the primary gathers the metrics of every worker (counters and
 * gauges summed, statuses as their maximum), so that a scrape through the load balancer sees
 * the whole machine whichever worker answers.
 */
export class ClusterMetricsSource implements MetricsSource {
  readonly contentType = AggregatorRegistry.PROMETHEUS_CONTENT_TYPE;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (text: string) => void; reject: (error: Error) => void }>();

  constructor(registry: Registry) {
    AggregatorRegistry.setRegistries([registry]);
    // Constructing one is what makes prom-client answer the primary's requests in a worker.
    new AggregatorRegistry();
    process.on('message', (message: MetricsMessage) => {
      if (message?.type !== ANSWER || message.id === undefined) return;
      const waiter = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      if (message.error !== undefined) waiter?.reject(new Error(message.error));
      else waiter?.resolve(message.text ?? '');
    });
  }

  text(): Promise<string> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error('the cluster primary did not answer with the metrics'));
      }, ANSWER_TIMEOUT_MS);
      this.waiting.set(id, {
        resolve: (text) => {
          clearTimeout(timer);
          resolve(text);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      process.send?.({ type: REQUEST, id });
    });
  }
}

/** In the cluster primary: answers the workers' metrics requests. */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker: Worker, message: MetricsMessage) => {
    if (message?.type !== REQUEST) return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: ANSWER, id: message.id, text }),
      (error: Error) => worker.send({ type: ANSWER, id: message.id, error: error.message }),
    );
  });
}
