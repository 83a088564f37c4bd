import type { AdminSection } from './admin-section.js';
import AlertsSection from './alerts/AlertsSection.svelte';
import AccountSection from './account/AccountSection.svelte';
import SessionsSection from './account/SessionsSection.svelte';
import AuditSection from './audit/AuditSection.svelte';
import HeldSection from './held/HeldSection.svelte';
import PotsSection from './pots/PotsSection.svelte';
import SecretsSection from './secrets/SecretsSection.svelte';
import UsersSection from './users/UsersSection.svelte';

/** The sections of the admin area, in the order of its menu: a new section is one line here. */
export const ADMIN_SECTIONS: readonly AdminSection[] = [
  { id: 'pots', label: 'adminPots', component: PotsSection },
  { id: 'alerts', label: 'adminAlerts', component: AlertsSection },
  { id: 'users', label: 'adminUsers', component: UsersSection },
  { id: 'audit', label: 'adminAudit', component: AuditSection },
  { id: 'held', label: 'adminHeld', component: HeldSection },
  { id: 'secrets', label: 'adminSecrets', component: SecretsSection },
  { id: 'account', label: 'adminAccount', component: AccountSection, everyone: true },
  { id: 'sessions', label: 'adminSessions', component: SessionsSection, everyone: true },
];
