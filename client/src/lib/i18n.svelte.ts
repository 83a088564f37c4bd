export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

const en = {
  tagline: 'Live totals of crowdfunding pots in the news',
  pots: 'Pots',
  loading: 'Loading…',
  noPots: 'No pot is tracked yet.',
  loadFailed: 'Could not load the data. Retrying…',
  potNotFound: 'There is no such pot.',
  allPots: 'All pots',
  raised: 'Raised',
  contributors: 'Contributors',
  averageGift: 'Average gift',
  lastHour: 'Last hour',
  perHourContributors: '{count} contributors',
  goalProgress: '{percent} of the {goal} goal',
  live: 'Live',
  stale: 'Stale',
  paused: 'Paused',
  lastReadingAt: 'Last reading {time}',
  noReadingYet: 'No reading yet',
  reconnecting: 'Connection lost, reconnecting…',
  range: 'Time range',
  range1h: '1 hour',
  range24h: '24 hours',
  rangeAll: 'All',
  chartLabel: 'Amount raised and contributors over time',
  chartAmount: 'Amount raised',
  chartContributors: 'Contributors',
  replayNotice:
    'Replay of historical figures ({period}), sped up {speed}×. These are not live data; the minute-by-minute detail is reconstructed.',
  downloadCsv: 'Download CSV',
  language: 'Français',
  languageLabel: 'Afficher en français',
  dataCredit: 'Data: {platform}, via Potwatch',
  viaPotwatch: 'Data via Potwatch',
  flaggedIntervals: 'Flagged intervals',
  flagRange: '{range}: {reason}',
  flagResolved: 'resolved',
  flagDraft: 'draft',
  reasonTooRegular: 'Too regular',
  reasonNightSurge: 'Night surge',
  reasonCatchUpJump: 'Catch-up jump',
  reasonIdenticalGifts: 'Identical gifts',
  reasonDuplicateNames: 'Duplicate names or messages',
  reasonSourceError: 'Source error',
  reasonOther: 'Other',
  signIn: 'Sign in',
  signOut: 'Sign out',
  signedInAs: 'Signed in as {name} ({role})',
  roleModerator: 'moderator',
  roleAdmin: 'admin',
  userName: 'Name',
  password: 'Password',
  cancel: 'Cancel',
  signInFailed: 'Wrong name or password.',
  signInThrottled: 'Too many failed attempts. Try again in {seconds} s.',
  signInError: 'Could not sign in. Try again.',
  signInCode: 'Code',
  signInCodeHint: 'Enter the 6-digit code of your authenticator app, or one of your recovery codes.',
  signInConfirmCode: 'Confirm',
  signInWrongCode: 'This code is wrong or was used already.',
  signInDisabled: 'This account is disabled. Ask an admin.',
  signInWithPasskey: 'Sign in with a passkey',
  signInPasskeyCancelled: 'The passkey was not used. Try again, or sign in with your password.',
  account: 'My account',
  setUpSecondFactor: 'Set up a second factor to continue',
  sessionEnded: 'Your session has ended. Sign in again.',
  moderation: 'Moderation',
  dragToSelect: 'Drag across the chart to select an interval, or type the times below.',
  newFlag: 'New flag',
  editFlag: 'Edit flag',
  flagFrom: 'From',
  flagTo: 'To',
  flagReason: 'Reason',
  flagNote: 'Note (moderators only)',
  flagPublic: 'Public: shade it on every chart',
  save: 'Save',
  edit: 'Edit',
  resolve: 'Resolve',
  reopen: 'Reopen',
  publish: 'Publish',
  unpublish: 'Make draft',
  deleteFlag: 'Delete',
  confirmDeleteFlag: 'Delete this flag? This cannot be undone.',
  noFlags: 'No flag on this pot yet.',
  flagSaveFailed: 'Could not save: {message}',
  suggestions: 'Suggestions',
  suggestionsHint: 'Intervals this pot’s own history makes unusual. Each says what was seen, not what it means: you decide.',
  noSuggestions: 'No suggestion waiting.',
  kindTooRegular: 'Too regular',
  kindNightSurge: 'Night surge',
  kindFreezeCatchUp: 'Freeze, then catch-up (backlog)',
  kindSuddenJump: 'Sudden jump',
  kindIdenticalGifts: 'Identical small gifts',
  kindDuplicateNames: 'Repeated names or messages',
  suggestionScore: 'surprise {score}',
  showOnChart: 'Show on chart',
  makeFlag: 'Make it a flag',
  dismiss: 'Dismiss',
  flagBy: 'by {name}',
  flagPublishedState: 'published',
  replayShort: 'Replay of historical figures, sped up {speed}×',
  frameTitle: '{title}: live chart (Potwatch)',
  announcement: '{amount} raised from {contributors} contributors, as of {time}',
  figuresTable: 'Figures as a table',
  figuresCaption: 'Latest readings, newest first',
  time: 'Time',
  embedTitle: 'Embed this chart',
  embedIntro: 'Paste this code into an article: the chart stays live and sizes itself.',
  embedOEmbed: 'Publishing tools that speak oEmbed can also embed this page from its address.',
  embedTheme: 'Theme',
  embedLanguage: 'Language',
  embedReaderSetting: 'Reader’s setting',
  themeLight: 'Light',
  themeDark: 'Dark',
  embedShowTitle: 'Title',
  embedShowCounters: 'Counters',
  embedHeight: 'Chart height (pixels)',
  embedAccent: 'Curve colour',
  embedAccentDefault: 'Theme colour',
  embedAccentContrast: 'Too pale on this background for the axis labels to be read easily (contrast under 4.5:1).',
  embedTimeZone: 'Time zone',
  embedTimeZoneInvalid: 'Not a known time zone: the reader’s own will be used.',
  embedCode: 'Code to paste',
  embedCopy: 'Copy the code',
  embedCopied: 'Copied.',
  embedPreview: 'Preview',
  admin: 'Admin',
  contributionsTitle: 'Recent contributions',
  contributionsHint: 'As the pot’s page or webhook listed them; for moderators only.',
  noContributions: 'No contribution stored for this pot.',
  anonymousGift: 'no name',
} as const;

export type MessageKey = keyof typeof en;

const fr: Record<MessageKey, string> = {
  tagline: 'Les totaux en direct des cagnottes qui font l’actualité',
  pots: 'Cagnottes',
  loading: 'Chargement…',
  noPots: 'Aucune cagnotte n’est suivie pour l’instant.',
  loadFailed: 'Impossible de charger les données. Nouvel essai…',
  potNotFound: 'Cette cagnotte n’existe pas.',
  allPots: 'Toutes les cagnottes',
  raised: 'Collecté',
  contributors: 'Participants',
  averageGift: 'Don moyen',
  lastHour: 'Dernière heure',
  perHourContributors: '{count} participants',
  goalProgress: '{percent} de l’objectif de {goal}',
  live: 'En direct',
  stale: 'Données en retard',
  paused: 'En pause',
  lastReadingAt: 'Dernier relevé {time}',
  noReadingYet: 'Aucun relevé pour l’instant',
  reconnecting: 'Connexion perdue, reconnexion…',
  range: 'Période',
  range1h: '1 heure',
  range24h: '24 heures',
  rangeAll: 'Tout',
  chartLabel: 'Montant collecté et participants au fil du temps',
  chartAmount: 'Montant collecté',
  chartContributors: 'Participants',
  replayNotice:
    'Rediffusion de chiffres historiques ({period}), accélérée {speed}×. Ce ne sont pas des données en direct ; le détail minute par minute est reconstitué.',
  downloadCsv: 'Télécharger le CSV',
  language: 'English',
  languageLabel: 'Show in English',
  dataCredit: 'Données : {platform}, via Potwatch',
  viaPotwatch: 'Données via Potwatch',
  flaggedIntervals: 'Intervalles signalés',
  flagRange: '{range} : {reason}',
  flagResolved: 'résolu',
  flagDraft: 'brouillon',
  reasonTooRegular: 'Trop régulier',
  reasonNightSurge: 'Hausse nocturne',
  reasonCatchUpJump: 'Saut de rattrapage',
  reasonIdenticalGifts: 'Dons identiques',
  reasonDuplicateNames: 'Noms ou messages en double',
  reasonSourceError: 'Erreur de la source',
  reasonOther: 'Autre',
  signIn: 'Se connecter',
  signOut: 'Se déconnecter',
  signedInAs: 'Connecté : {name} ({role})',
  roleModerator: 'modération',
  roleAdmin: 'administration',
  userName: 'Nom',
  password: 'Mot de passe',
  cancel: 'Annuler',
  signInFailed: 'Nom ou mot de passe incorrect.',
  signInThrottled: 'Trop d’essais infructueux. Réessayez dans {seconds} s.',
  signInError: 'Connexion impossible. Réessayez.',
  signInCode: 'Code',
  signInCodeHint: 'Saisissez le code à 6 chiffres de votre application d’authentification, ou l’un de vos codes de secours.',
  signInConfirmCode: 'Valider',
  signInWrongCode: 'Ce code est faux ou a déjà servi.',
  signInDisabled: 'Ce compte est désactivé. Adressez-vous à un admin.',
  signInWithPasskey: 'Se connecter avec une clé d’accès',
  signInPasskeyCancelled: 'La clé d’accès n’a pas été utilisée. Réessayez, ou connectez-vous avec votre mot de passe.',
  account: 'Mon compte',
  setUpSecondFactor: 'Configurez un second facteur pour continuer',
  sessionEnded: 'Votre session a pris fin. Reconnectez-vous.',
  moderation: 'Modération',
  dragToSelect: 'Faites glisser sur le graphique pour choisir un intervalle, ou saisissez les heures ci-dessous.',
  newFlag: 'Nouveau signalement',
  editFlag: 'Modifier le signalement',
  flagFrom: 'Début',
  flagTo: 'Fin',
  flagReason: 'Motif',
  flagNote: 'Note (réservée à la modération)',
  flagPublic: 'Public : l’afficher sur tous les graphiques',
  save: 'Enregistrer',
  edit: 'Modifier',
  resolve: 'Marquer résolu',
  reopen: 'Rouvrir',
  publish: 'Publier',
  unpublish: 'Repasser en brouillon',
  deleteFlag: 'Supprimer',
  confirmDeleteFlag: 'Supprimer ce signalement ? C’est définitif.',
  noFlags: 'Aucun signalement sur cette cagnotte.',
  flagSaveFailed: 'Enregistrement impossible : {message}',
  suggestions: 'Suggestions',
  suggestionsHint: 'Intervalles que l’historique de cette cagnotte rend inhabituels. Chacun dit ce qui a été observé, pas ce que cela signifie : à vous de décider.',
  noSuggestions: 'Aucune suggestion en attente.',
  kindTooRegular: 'Trop régulier',
  kindNightSurge: 'Hausse nocturne',
  kindFreezeCatchUp: 'Gel puis rattrapage (file d’attente)',
  kindSuddenJump: 'Saut soudain',
  kindIdenticalGifts: 'Petits dons identiques',
  kindDuplicateNames: 'Noms ou messages répétés',
  suggestionScore: 'surprise {score}',
  showOnChart: 'Voir sur le graphique',
  makeFlag: 'En faire un signalement',
  dismiss: 'Écarter',
  flagBy: 'par {name}',
  flagPublishedState: 'publié',
  replayShort: 'Rediffusion de chiffres historiques, accélérée {speed}×',
  frameTitle: '{title} : graphique en direct (Potwatch)',
  announcement: '{amount} collectés auprès de {contributors} participants, à {time}',
  figuresTable: 'Les chiffres en tableau',
  figuresCaption: 'Derniers relevés, du plus récent au plus ancien',
  time: 'Heure',
  embedTitle: 'Intégrer ce graphique',
  embedIntro: 'Collez ce code dans un article : le graphique reste en direct et s’ajuste à son contenu.',
  embedOEmbed: 'Les outils de publication compatibles oEmbed peuvent aussi intégrer cette page à partir de son adresse.',
  embedTheme: 'Thème',
  embedLanguage: 'Langue',
  embedReaderSetting: 'Réglage du lecteur',
  themeLight: 'Clair',
  themeDark: 'Sombre',
  embedShowTitle: 'Titre',
  embedShowCounters: 'Compteurs',
  embedHeight: 'Hauteur du graphique (pixels)',
  embedAccent: 'Couleur de la courbe',
  embedAccentDefault: 'Couleur du thème',
  embedAccentContrast: 'Trop peu contrastée sur ce fond pour que les graduations se lisent bien (contraste inférieur à 4,5:1).',
  embedTimeZone: 'Fuseau horaire',
  embedTimeZoneInvalid: 'Fuseau horaire inconnu : celui du lecteur sera utilisé.',
  embedCode: 'Code à coller',
  embedCopy: 'Copier le code',
  embedCopied: 'Copié.',
  embedPreview: 'Aperçu',
  admin: 'Admin',
  contributionsTitle: 'Contributions récentes',
  contributionsHint: 'Telles que la page ou le webhook de la cagnotte les a listées ; pour les modérateurs seulement.',
  noContributions: 'Aucune contribution enregistrée pour cette cagnotte.',
  anonymousGift: 'sans nom',
};

const MESSAGES: Record<Language, Record<MessageKey, string>> = { en, fr };
const STORAGE_KEY = 'potwatch-lang';

function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The stored choice, else the browser's first language we speak, else English. */
export function preferredLanguage(): Language {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isLanguage(stored)) return stored;
  } catch {
    // Storage can be blocked (third-party iframes, privacy modes); fall back to the browser.
  }
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.slice(0, 2).toLowerCase();
    if (isLanguage(base)) return base;
  }
  return 'en';
}

export const i18n = $state({ lang: 'en' as Language });

export function setLanguage(lang: Language, remember = true): void {
  i18n.lang = lang;
  document.documentElement.lang = lang;
  if (!remember) return;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Not remembered, still applied.
  }
}

/** The message in the current language, with `{name}` placeholders filled in. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  return fill(MESSAGES[i18n.lang][key], params);
}

/** A message template with its `{name}` placeholders filled in. */
export function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

/** BCP 47 tag for Intl formatting: the browser's own regional variant when it speaks the language. */
export function locale(): string {
  const browser = navigator.language;
  if (browser.toLowerCase().startsWith(i18n.lang)) return browser;
  return i18n.lang === 'fr' ? 'fr-FR' : 'en-GB';
}
