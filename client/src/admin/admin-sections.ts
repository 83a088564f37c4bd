import type { AdminMessageKey } from './admin-messages.js';
import type { Component } from 'svelte';

import PotsSection from './pots/PotsSection.svelte';

/** What every section of the admin area receives: the item of its address (`/admin/<section>/<item>`), if any. */
export interface SectionProps {
  item: string | undefined;
}

export interface AdminSection {
  /** The section's part of the address: `/admin/<id>`. */
  id: string;
  label: AdminMessageKey;
  component: Component<SectionProps>;
}

/** The sections of the admin area, in the order of its menu: a new section is one line here. */
export const ADMIN_SECTIONS: readonly AdminSection[] = [{ id: 'pots', label: 'adminPots', component: PotsSection }];
