/**
 * Text and formats for the reader. Every visible string comes from a catalogue below (English and French
 * shipped; the six UN languages are the aim: a new language is one more catalogue with the same keys, which the
 * unit test checks). Numbers, dates and currencies use the reader's own locale through Intl, whatever the
 * language of the text.
 */
export type Lang = 'en' | 'fr';
export const LANGUAGES: { code: Lang; name: string }[] = [
  { code: 'en', name: 'English' },
  { code: 'fr', name: 'Français' },
];

const en = {
  'app.title': 'Pledge ledger',
  'app.subtitle': 'Closing the digital gender divide: public accountability dashboard',
  'app.skip': 'Skip to content',
  'app.language': 'Language',
  'nav.label': 'Main',
  'nav.overview': 'Overview',
  'nav.countries': 'By country',
  'nav.actors': 'By actor',
  'nav.actions': 'By action',
  'nav.pledges': 'Pledges',
  'common.loading': 'Loading…',
  'chart.label': '{name}: {value}',
  'filter.actor': 'Actor: {name}',
  'filter.remove': 'Remove this filter',
  'common.error': 'Could not load this page: {message}',
  'common.retry': 'Try again',
  'common.none': 'None',
  'common.all': 'All',
  'common.rawJson': 'Raw JSON',
  'common.downloadCsv': 'Download CSV of this table',
  'common.apply': 'Apply filters',
  'common.clear': 'Clear filters',
  'common.filters': 'Filters',
  'common.next': 'Next page',
  'common.first': 'First page',
  'common.showing': 'Showing {n} pledges',
  'common.chartOf': 'Chart: {title}. The same figures are in the table.',
  'fresh.label': 'Freshness',
  'fresh.computedAt': 'Computed at {time}',
  'fresh.watermark': 'Reflects every event recorded up to {time} ({n} events applied)',
  'fresh.log': 'Transparency log: {n} entries, signed checkpoint of {m}',
  'fresh.source.snapshot': 'From the compiled snapshot, valid until {time}',
  'fresh.source.computed': 'Computed for this request',
  'fresh.readAt': 'Read from the event store at {time}',
  'live.connected': 'Live: new events appear as they are recorded',
  'live.connecting': 'Connecting to live updates…',
  'live.offline': 'Live updates interrupted, reconnecting…',
  'live.recent': 'Latest events',
  'live.empty': 'No events yet.',
  'live.announce': 'New event: {type}',
  'status.active': 'Active',
  'status.lapsed': 'Lapsed',
  'status.fulfilled': 'Fulfilled',
  'status.withdrawn': 'Withdrawn',
  'verification.confirmed': 'Confirmed',
  'verification.disputed': 'Disputed',
  'verification.unverified': 'Unverified',
  'overview.heading': 'Overview',
  'overview.pledges': 'Pledges',
  'overview.byStatus': 'Pledges by status',
  'overview.verification': 'Verification status',
  'overview.targets': 'Targets',
  'overview.wateredDown': 'Watered-down pledges',
  'overview.wateredDownHelp':
    'Pledges whose targets were lowered, deadlines postponed or scope narrowed by an amendment',
  'overview.commitments': 'Financial commitments per currency',
  'overview.commitmentsHelp': 'Amounts are never added across currencies.',
  'overview.map': 'Pledges by country',
  'overview.mapHelp': 'Pledges naming each country (regional and global pledges are not on the map).',
  'targets.total': 'Targets',
  'targets.reached': 'Reached',
  'targets.onTrack': 'On track',
  'targets.offTrack': 'Off track',
  'targets.noProgress': 'No progress reported',
  'targets.overdue': 'Overdue',
  'table.group': 'Group',
  'table.pledges': 'Pledges',
  'table.wateredDown': 'Watered down',
  'table.commitments': 'Commitments',
  'table.currency': 'Currency',
  'table.amount': 'Amount',
  'table.pledgesWith': 'Pledges',
  'table.title': 'Pledge',
  'table.actor': 'Actor',
  'table.status': 'Status',
  'table.verification': 'Verification',
  'table.submitted': 'Submitted',
  'report.country': 'Pledges by country',
  'report.actor': 'Pledges by actor',
  'report.action': 'Pledges by action',
  'report.framework': 'Framework: {name}',
  'report.chart': 'Pledges by status, {n} largest groups',
  'filter.status': 'Status',
  'filter.actorType': 'Actor type',
  'filter.country': 'Country (ISO code)',
  'filter.region': 'Region',
  'filter.framework': 'Framework',
  'filter.action': 'Action',
  'filter.submittedFrom': 'Submitted from',
  'filter.submittedTo': 'Submitted to',
  'filter.provenance': 'Provenance',
  'provenance.imported': 'Imported',
  'provenance.direct': 'Direct',
  'table.provenance': 'Provenance',
  'table.imported': 'Imported',
  'overview.imported#one': 'Pledge imported with its history',
  'overview.imported#other': 'Pledges imported with their history',
  'overview.importedHelp':
    'Pledges made elsewhere and brought into the ledger with their history; each imported event names its source.',
  'import.badge': 'Imported',
  'import.source': 'from {source}',
  'import.retrieved': 'source retrieved {date}',
  'import.row': 'row {row}',
  'import.originalAuthor': 'originally by {name}',
  'import.importer': 'imported by {name}',
  'pledge.importedFrom': 'Imported from {sources}',
  'pledge.importedEvents#one': '{n} event of its history was imported',
  'pledge.importedEvents#other': '{n} events of its history were imported',
  'pledge.happened': 'happened {time}',
  'pledges.heading': 'Pledges',
  'pledges.empty': 'No pledge matches these filters.',
  'pledge.heading': 'Pledge',
  'pledge.by': 'by {actor}',
  'pledge.scope': 'Scope',
  'pledge.global': 'Global',
  'pledge.actions': 'Actions',
  'pledge.targets': 'Targets and progress',
  'pledge.target': '{indicator}: from {baseline} to {target} {unit} by {deadline}',
  'pledge.latest': 'Latest: {value} {unit} as of {date}',
  'pledge.noProgress': 'No progress reported yet.',
  'pledge.progressChart': 'Progress on {indicator}',
  'pledge.baseline': 'baseline',
  'pledge.targetLine': 'target',
  'pledge.timeline': 'Timeline',
  'pledge.integrity': 'Integrity',
  'pledge.chainValid': 'Hash chain intact: {n} events checked, each hash recomputed from its content.',
  'pledge.chainBroken': 'Hash chain BROKEN: {problem}',
  'pledge.headHash': 'Head hash:',
  'pledge.rawLinks': 'Raw JSON:',
  'pledge.chainMismatch':
    'The integrity check covered {n} events but the history has {m}: reload the page; if it stays, the two answers disagree.',
  'fresh.summaryAsOf': 'Summary reflects the events up to the one recorded at {time}',
  'pledge.logIndexes': 'Positions in the signed transparency log: {list}',
  'pledge.wateredDown': 'Watered down',
  'pledge.recorded': 'recorded {time}',
  'pledge.byPrincipal': 'by {name}',
  'pledge.diffField': 'Field',
  'pledge.diffBefore': 'Before',
  'pledge.diffAfter': 'After',
  'pledge.reason': 'Reason: {reason}',
  'pledge.note': 'Note: {note}',
  'pledge.value': '{target}: {value} as of {date}',
  'pledge.correction': 'Report {report} corrected to {value} as of {date}',
  'pledge.commitment': 'Financial commitment',
  'event.PledgeSubmitted': 'Submitted',
  'event.ProgressReported': 'Progress reported',
  'event.ProgressCorrected': 'Progress corrected',
  'event.PledgeAmended': 'Amended',
  'event.VerificationRecorded': 'Verification',
  'event.PledgeWithdrawn': 'Withdrawn',
  'event.PledgeFulfilled': 'Fulfilled',
  'event.OrganisationRegistered': 'Organisation registered',
  'event.VerifierRegistered': 'Verifier registered',
  'event.other': 'Event {type}',
  'water.target-lowered': 'target lowered for {target}: {from} → {to}',
  'water.deadline-postponed': 'deadline postponed for {target}: {from} → {to}',
  'water.target-dropped': 'target {target} dropped (was {from})',
  'water.financial-commitment-cut': 'financial commitment cut: {from} → {to}',
  'water.currency-changed': 'currency of the commitment changed: {from} → {to}',
  'water.other': '{kind} ({target})',
  'actorType.government': 'Government',
  'actorType.private-sector': 'Private sector',
  'actorType.civil-society': 'Civil society',
  'actorType.international-organisation': 'International organisation',
  'actorType.academia': 'Academia',
  'actorType.multi-stakeholder': 'Multi-stakeholder partnership',
  'actor.heading': 'Actor',
  'actor.pledges': 'Pledges of this actor',
  'actor.registered': 'Registered {time}',
  'actor.type': 'Type',
  'actor.country': 'Country',
  'notFound.heading': 'Page not found',
  'notFound.back': 'Back to the overview',
};

export type MessageKey = keyof typeof en;

/**
 * A message with plural forms: `<key>#other` and `<key>#one` in every catalogue, and any other form a language
 * has (Intl.PluralRules categories: zero, two, few, many) where its catalogue needs it; a form a catalogue lacks
 * falls back to its `#other`.
 */
export type PluralKey = { [K in MessageKey]: K extends `${infer Base}#other` ? Base : never }[MessageKey];

const fr: Record<MessageKey, string> = {
  'app.title': 'Registre des engagements',
  'app.subtitle': 'Réduire la fracture numérique entre les genres : tableau de bord public de redevabilité',
  'app.skip': 'Aller au contenu',
  'app.language': 'Langue',
  'nav.label': 'Principal',
  'nav.overview': "Vue d'ensemble",
  'nav.countries': 'Par pays',
  'nav.actors': 'Par acteur',
  'nav.actions': 'Par action',
  'nav.pledges': 'Engagements',
  'common.loading': 'Chargement…',
  'chart.label': '{name} : {value}',
  'filter.actor': 'Acteur : {name}',
  'filter.remove': 'Retirer ce filtre',
  'common.error': 'Impossible de charger cette page : {message}',
  'common.retry': 'Réessayer',
  'common.none': 'Aucun',
  'common.all': 'Tous',
  'common.rawJson': 'JSON brut',
  'common.downloadCsv': 'Télécharger ce tableau en CSV',
  'common.apply': 'Appliquer les filtres',
  'common.clear': 'Effacer les filtres',
  'common.filters': 'Filtres',
  'common.next': 'Page suivante',
  'common.first': 'Première page',
  'common.showing': '{n} engagements affichés',
  'common.chartOf': 'Graphique : {title}. Les mêmes chiffres figurent dans le tableau.',
  'fresh.label': 'Fraîcheur',
  'fresh.computedAt': 'Calculé le {time}',
  'fresh.watermark': "Reflète tous les événements enregistrés jusqu'au {time} ({n} événements appliqués)",
  'fresh.log': 'Journal de transparence : {n} entrées, point de contrôle signé de {m}',
  'fresh.source.snapshot': "Issu de l'instantané compilé, valable jusqu'au {time}",
  'fresh.source.computed': 'Calculé pour cette requête',
  'fresh.readAt': 'Lu dans le magasin d’événements le {time}',
  'live.connected': 'En direct : les nouveaux événements apparaissent dès leur enregistrement',
  'live.connecting': 'Connexion aux mises à jour en direct…',
  'live.offline': 'Mises à jour en direct interrompues, reconnexion…',
  'live.recent': 'Derniers événements',
  'live.empty': "Aucun événement pour l'instant.",
  'live.announce': 'Nouvel événement : {type}',
  'status.active': 'Actif',
  'status.lapsed': 'Caduc',
  'status.fulfilled': 'Tenu',
  'status.withdrawn': 'Retiré',
  'verification.confirmed': 'Confirmé',
  'verification.disputed': 'Contesté',
  'verification.unverified': 'Non vérifié',
  'overview.heading': "Vue d'ensemble",
  'overview.pledges': 'Engagements',
  'overview.byStatus': 'Engagements par statut',
  'overview.verification': 'État de la vérification',
  'overview.targets': 'Cibles',
  'overview.wateredDown': 'Engagements affaiblis',
  'overview.wateredDownHelp':
    "Engagements qu'une modification a réduits ou retardés : cible abaissée ou abandonnée, échéance reportée, engagement financier réduit ou changé de devise",
  'overview.commitments': 'Engagements financiers par devise',
  'overview.commitmentsHelp': 'Les montants ne sont jamais additionnés entre devises.',
  'overview.map': 'Engagements par pays',
  'overview.mapHelp':
    'Engagements nommant chaque pays (les engagements régionaux et mondiaux ne figurent pas sur la carte).',
  'targets.total': 'Cibles',
  'targets.reached': 'Atteintes',
  'targets.onTrack': 'En bonne voie',
  'targets.offTrack': 'En retard',
  'targets.noProgress': 'Aucun progrès déclaré',
  'targets.overdue': 'Échéance dépassée',
  'table.group': 'Groupe',
  'table.pledges': 'Engagements',
  'table.wateredDown': 'Affaiblis',
  'table.commitments': 'Engagements financiers',
  'table.currency': 'Devise',
  'table.amount': 'Montant',
  'table.pledgesWith': 'Engagements',
  'table.title': 'Engagement',
  'table.actor': 'Acteur',
  'table.status': 'Statut',
  'table.verification': 'Vérification',
  'table.submitted': 'Soumis le',
  'report.country': 'Engagements par pays',
  'report.actor': 'Engagements par acteur',
  'report.action': 'Engagements par action',
  'report.framework': 'Cadre : {name}',
  'report.chart': 'Engagements par statut, les {n} groupes les plus grands',
  'filter.status': 'Statut',
  'filter.actorType': "Type d'acteur",
  'filter.country': 'Pays (code ISO)',
  'filter.region': 'Région',
  'filter.framework': 'Cadre',
  'filter.action': 'Action',
  'filter.submittedFrom': 'Soumis depuis le',
  'filter.submittedTo': "Soumis jusqu'au",
  'filter.provenance': 'Provenance',
  'provenance.imported': 'Importé',
  'provenance.direct': 'Direct',
  'table.provenance': 'Provenance',
  'table.imported': 'Importés',
  'overview.imported#one': 'Engagement importé avec son historique',
  'overview.imported#other': 'Engagements importés avec leur historique',
  'overview.importedHelp':
    'Engagements pris ailleurs et versés au registre avec leur historique ; chaque événement importé indique sa source.',
  'import.badge': 'Importé',
  'import.source': 'depuis {source}',
  'import.retrieved': 'source consultée le {date}',
  'import.row': 'ligne {row}',
  'import.originalAuthor': 'à l’origine par {name}',
  'import.importer': 'importé par {name}',
  'pledge.importedFrom': 'Importé depuis {sources}',
  'pledge.importedEvents#one': '{n} événement de son historique a été importé',
  'pledge.importedEvents#other': '{n} événements de son historique ont été importés',
  'pledge.happened': 's’est produit le {time}',
  'pledges.heading': 'Engagements',
  'pledges.empty': 'Aucun engagement ne correspond à ces filtres.',
  'pledge.heading': 'Engagement',
  'pledge.by': 'par {actor}',
  'pledge.scope': 'Portée',
  'pledge.global': 'Mondiale',
  'pledge.actions': 'Actions',
  'pledge.targets': 'Cibles et progrès',
  'pledge.target': "{indicator} : de {baseline} à {target} {unit} d'ici le {deadline}",
  'pledge.latest': 'Dernière valeur : {value} {unit} au {date}',
  'pledge.noProgress': 'Aucun progrès déclaré pour le moment.',
  'pledge.progressChart': 'Progrès : {indicator}',
  'pledge.baseline': 'référence',
  'pledge.targetLine': 'cible',
  'pledge.timeline': 'Chronologie',
  'pledge.integrity': 'Intégrité',
  'pledge.chainValid':
    'Chaîne de hachage intacte : {n} événements vérifiés, chaque empreinte recalculée à partir de son contenu.',
  'pledge.chainBroken': 'Chaîne de hachage ROMPUE : {problem}',
  'pledge.headHash': 'Empreinte de tête :',
  'pledge.rawLinks': 'JSON brut :',
  'pledge.chainMismatch':
    "Le contrôle d'intégrité a porté sur {n} événements mais l'historique en compte {m} : rechargez la page ; si cela persiste, les deux réponses divergent.",
  'fresh.summaryAsOf': "Le résumé reflète les événements jusqu'à celui enregistré le {time}",
  'pledge.logIndexes': 'Positions dans le journal de transparence signé : {list}',
  'pledge.wateredDown': 'Affaibli',
  'pledge.recorded': 'enregistré le {time}',
  'pledge.byPrincipal': 'par {name}',
  'pledge.diffField': 'Champ',
  'pledge.diffBefore': 'Avant',
  'pledge.diffAfter': 'Après',
  'pledge.reason': 'Motif : {reason}',
  'pledge.note': 'Note : {note}',
  'pledge.value': '{target} : {value} au {date}',
  'pledge.correction': 'Rapport {report} corrigé à {value} au {date}',
  'pledge.commitment': 'Engagement financier',
  'event.PledgeSubmitted': 'Soumis',
  'event.ProgressReported': 'Progrès déclaré',
  'event.ProgressCorrected': 'Progrès corrigé',
  'event.PledgeAmended': 'Modifié',
  'event.VerificationRecorded': 'Vérification',
  'event.PledgeWithdrawn': 'Retiré',
  'event.PledgeFulfilled': 'Tenu',
  'event.OrganisationRegistered': 'Organisation enregistrée',
  'event.VerifierRegistered': 'Vérificateur enregistré',
  'event.other': 'Événement {type}',
  'water.target-lowered': 'cible abaissée pour {target} : {from} → {to}',
  'water.deadline-postponed': 'échéance reportée pour {target} : {from} → {to}',
  'water.target-dropped': 'cible {target} abandonnée (était {from})',
  'water.financial-commitment-cut': 'engagement financier réduit : {from} → {to}',
  'water.currency-changed': "devise de l'engagement changée : {from} → {to}",
  'water.other': '{kind} ({target})',
  'actorType.government': 'Gouvernement',
  'actorType.private-sector': 'Secteur privé',
  'actorType.civil-society': 'Société civile',
  'actorType.international-organisation': 'Organisation internationale',
  'actorType.academia': 'Monde universitaire',
  'actorType.multi-stakeholder': 'Partenariat multipartite',
  'actor.heading': 'Acteur',
  'actor.pledges': 'Engagements de cet acteur',
  'actor.registered': 'Enregistré le {time}',
  'actor.type': 'Type',
  'actor.country': 'Pays',
  'notFound.heading': 'Page introuvable',
  'notFound.back': "Retour à la vue d'ensemble",
};

export const CATALOGUES: Record<Lang, Record<MessageKey, string>> = { en, fr };

/** The language of the text: a choice made on the page, else the first of the reader's languages we have. */
export function pickLanguage(preferred: readonly string[], stored: string | null): Lang {
  if (stored === 'en' || stored === 'fr') return stored;
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'en' || base === 'fr') return base;
  }
  return 'en';
}

export type Params = Record<string, string | number>;

/** The message `key` in `lang`, `{name}` placeholders replaced (numbers formatted for `locale`). */
export function translate(lang: Lang, locale: string, key: MessageKey, params: Params = {}): string {
  const text = CATALOGUES[lang][key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? new Intl.NumberFormat(locale).format(value) : value;
  });
}

/**
 * The message `key` in the form for `n` (the plural rules of the text's language: French "0 engagement importé"
 * is singular), `{n}` and the other placeholders replaced.
 */
export function translatePlural(
  lang: Lang,
  locale: string,
  key: PluralKey,
  n: number,
  params: Params = {},
): string {
  const catalogue: Partial<Record<string, string>> = CATALOGUES[lang];
  const form = `${key}#${new Intl.PluralRules(lang).select(n)}`;
  const chosen = (catalogue[form] !== undefined ? form : `${key}#other`) as MessageKey;
  return translate(lang, locale, chosen, { n, ...params });
}

/**
 * The message `key` as its parts, in order: the text between placeholders, and each placeholder's value as given
 * (a link, say, which a string could not carry); numbers formatted for `locale`, an unknown placeholder kept.
 */
export function translateParts<T>(
  lang: Lang,
  locale: string,
  key: MessageKey,
  params: Record<string, string | number | T>,
): (string | T)[] {
  const text = CATALOGUES[lang][key] ?? en[key] ?? key;
  const parts: (string | T)[] = [];
  let at = 0;
  for (const match of text.matchAll(/\{(\w+)\}/g)) {
    if (match.index > at) parts.push(text.slice(at, match.index));
    const value = Object.prototype.hasOwnProperty.call(params, match[1]) ? params[match[1]] : match[0];
    parts.push(typeof value === 'number' ? new Intl.NumberFormat(locale).format(value) : value);
    at = match.index + match[0].length;
  }
  if (at < text.length) parts.push(text.slice(at));
  return parts;
}

/** Formatting for the reader's locale (not the text's language: a French text may be read in fr-CA). */
export class Formats {
  private readonly number: Intl.NumberFormat;
  private readonly dateTime: Intl.DateTimeFormat;
  private readonly date: Intl.DateTimeFormat;
  private readonly regions: Intl.DisplayNames | null;

  /** `textLang`: the language of the text, whose words a list is joined with (the locale's if not given). */
  constructor(
    readonly locale: string,
    private readonly textLang?: string,
  ) {
    this.number = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
    this.dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' });
    this.date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
    this.regions =
      typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames([locale], { type: 'region' }) : null;
  }

  num(value: number): string {
    return this.number.format(value);
  }

  money(amount: number, currency: string): string {
    try {
      // The currency's own minor digits when the amount has any (1,234,567.89), none when it is whole.
      return new Intl.NumberFormat(this.locale, {
        style: 'currency',
        currency,
        minimumFractionDigits: 0,
      }).format(amount);
    } catch {
      return `${this.number.format(amount)} ${currency}`;
    }
  }

  /** An instant (ISO 8601 with time) in the reader's time zone. */
  instant(iso: string | null | undefined): string {
    if (!iso) return '—';
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : this.dateTime.format(d);
  }

  /** A calendar date (YYYY-MM-DD, or the date of an instant), as the date it names. */
  day(iso: string | null | undefined): string {
    if (!iso) return '—';
    const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
    return Number.isNaN(d.getTime()) ? iso : this.date.format(d);
  }

  /** Items as a list ("a, b and c"), in the words of the text's language. */
  list(items: readonly string[]): string {
    return this.listParts(items)
      .map((part) => part.value)
      .join('');
  }

  /** The parts of such a list: each item (with its position) and the words between, to render items as links. */
  listParts(items: readonly string[]): ({ item: number; value: string } | { item: null; value: string })[] {
    let parts: { type: string; value: string }[];
    try {
      parts = new Intl.ListFormat(this.textLang ?? this.locale, { type: 'conjunction' }).formatToParts(items);
    } catch {
      parts = items.flatMap((value, i) => [
        ...(i > 0 ? [{ type: 'literal', value: ', ' }] : []),
        { type: 'element', value },
      ]);
    }
    let next = 0;
    return parts.map((part) =>
      part.type === 'element' ? { item: next++, value: part.value } : { item: null, value: part.value },
    );
  }

  /** A country's name in the reader's locale from its ISO 3166-1 alpha-2 code. */
  country(code: string, fallback?: string): string {
    if (!/^[A-Z]{2}$/.test(code)) return fallback ?? code;
    try {
      return this.regions?.of(code) ?? fallback ?? code;
    } catch {
      return fallback ?? code;
    }
  }
}
