import type { AdminSection } from './admin-section.js';
import AlertsSection from './alerts/AlertsSection.svelte';
import PotsSection from './pots/PotsSection.svelte';

/** The sections of the admin area, in the order of its menu: a new section is one line here. */
export const ADMIN_SECTIONS: readonly AdminSection[] = [
  { id: 'pots', label: 'adminPots', component: PotsSection },
  { id: 'alerts', label: 'adminAlerts', component: AlertsSection },
];
