/** The languages Potwatch speaks: the dashboard's, and the alerts'. */
export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];
