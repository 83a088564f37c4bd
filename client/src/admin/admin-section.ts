import type { Component } from 'svelte';
import type { AdminMessageKey } from './admin-messages.js';

/** What every section of the admin area receives: the item of its address (`/admin/<section>/<item>`), if any. */
export interface SectionProps {
  item: string | undefined;
}

export interface AdminSection {
  /** The section's part of the address: `/admin/<id>`. */
  id: string;
  label: AdminMessageKey;
  component: Component<SectionProps>;
  /**
   * Open to every signed-in account, moderators and accounts that must still set up a second
   * factor included (their own account); other sections are for admins.
   */
  everyone?: true;
}
