import type { AlertCreated, AlertDeliveryView, AlertView } from '../../../shared/alerts.js';
import { moderatorRequest } from '../dashboard/session.svelte.js';

/** The alerts API, in the signed-in admin's name. */
export const alertsApi = {
  list: () => moderatorRequest<{ alerts: AlertView[] }>('GET', '/api/alerts').then((answer) => answer.alerts),
  create: (alert: Record<string, unknown>) => moderatorRequest<AlertCreated>('POST', '/api/alerts', alert),
  remove: (alertId: number) => moderatorRequest<unknown>('DELETE', `/api/alerts/${alertId}`),
  test: (alertId: number) => moderatorRequest<{ delivery: string }>('POST', `/api/alerts/${alertId}/test`),
  retry: (alertId: number) => moderatorRequest<{ retried: number }>('POST', `/api/alerts/${alertId}/retry`),
  deliveries: (alertId: number) =>
    moderatorRequest<{ deliveries: AlertDeliveryView[] }>('GET', `/api/alerts/${alertId}/deliveries`).then((answer) => answer.deliveries),
};
