import { CATALOGUES, Formats, pickLanguage, translate, translateParts, translatePlural } from './i18n';

describe('dashboard text and formats', () => {
  const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

  it('every catalogue has every message, with the same placeholders as the English one', () => {
    const english = CATALOGUES.en;
    for (const [lang, catalogue] of Object.entries(CATALOGUES)) {
      expect({ lang, keys: Object.keys(catalogue).sort() }).toEqual({
        lang,
        keys: Object.keys(english).sort(),
      });
      for (const [key, text] of Object.entries(english)) {
        const translated = catalogue[key as keyof typeof english];
        expect({ lang, key, names: placeholders(translated) }).toEqual({
          lang,
          key,
          names: placeholders(text),
        });
        expect(translated.trim()).not.toBe('');
      }
    }
  });

  it('picks the stored choice, else the first of the reader’s languages it has, else English', () => {
    expect(pickLanguage(['de-DE', 'fr-CA', 'en'], null)).toBe('fr');
    expect(pickLanguage(['fr-FR'], 'en')).toBe('en');
    expect(pickLanguage(['de', 'ar'], null)).toBe('en');
    expect(pickLanguage([], 'xx')).toBe('en');
  });

  it('fills placeholders, numbers in the reader’s locale (not the text’s language)', () => {
    expect(translate('fr', 'fr-FR', 'common.showing', { n: 1234 })).toBe(
      `${new Intl.NumberFormat('fr-FR').format(1234)} engagements affichés`,
    );
    expect(translate('fr', 'en-US', 'common.showing', { n: 1234 })).toBe('1,234 engagements affichés');
  });

  it('has every plural message in the forms each language needs, and picks the form by its rules', () => {
    const bases = Object.keys(CATALOGUES.en)
      .filter((key) => key.endsWith('#other'))
      .map((key) => key.slice(0, -'#other'.length));
    expect(bases.length).toBeGreaterThan(0);
    for (const [lang, catalogue] of Object.entries(CATALOGUES)) {
      const keys = Object.keys(catalogue);
      for (const base of bases) {
        // `#one` and `#other` everywhere (English and French have both); another form falls back to `#other`.
        expect({ lang, base, one: keys.includes(`${base}#one`) }).toEqual({ lang, base, one: true });
      }
      // Every form a message has is one its language's plural rules know.
      const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories as string[];
      for (const key of keys.filter((k) => k.includes('#'))) {
        expect({ lang, key, known: categories.includes(key.split('#').pop()!) }).toEqual({
          lang,
          key,
          known: true,
        });
      }
    }
    expect(translatePlural('en', 'en-US', 'pledge.importedEvents', 1)).toBe(
      '1 event of its history was imported',
    );
    expect(translatePlural('en', 'en-US', 'pledge.importedEvents', 0)).toBe(
      '0 events of its history were imported',
    );
    expect(translatePlural('en', 'en-US', 'pledge.importedEvents', 1204)).toBe(
      '1,204 events of its history were imported',
    );
    // French: 0 and 1 are singular; a million takes the "many" form, which falls back to the plural.
    expect(translatePlural('fr', 'en-US', 'pledge.importedEvents', 0)).toBe(
      '0 événement de son historique a été importé',
    );
    expect(translatePlural('fr', 'en-US', 'pledge.importedEvents', 1)).toBe(
      '1 événement de son historique a été importé',
    );
    expect(translatePlural('fr', 'en-US', 'pledge.importedEvents', 2)).toBe(
      '2 événements de son historique ont été importés',
    );
    expect(translatePlural('fr', 'en-US', 'pledge.importedEvents', 1e6)).toBe(
      '1,000,000 événements de son historique ont été importés',
    );
    expect(translatePlural('en', 'en-US', 'overview.imported', 1)).toBe('Pledge imported with its history');
    expect(translatePlural('fr', 'fr-FR', 'overview.imported', 3)).toBe(
      'Engagements importés avec leur historique',
    );
  });

  it('gives a message as parts, so a placeholder can be an element (a link) rather than text', () => {
    const link = { element: 'a' };
    expect(translateParts('en', 'en-US', 'pledge.importedFrom', { sources: link })).toEqual([
      'Imported from ',
      link,
    ]);
    expect(translateParts('fr', 'fr-FR', 'import.source', { source: link })).toEqual(['depuis ', link]);
    expect(translateParts('en', 'en-US', 'common.showing', { n: 1234 })).toEqual([
      'Showing ',
      '1,234',
      ' pledges',
    ]);
    // A placeholder not given stays as written (as translate leaves it).
    expect(translateParts('en', 'en-US', 'pledge.value', { target: 't1' })).toEqual([
      't1',
      ': ',
      '{value}',
      ' as of ',
      '{date}',
    ]);
  });

  it('lists items in the words of the text’s language, with each item’s place for a link', () => {
    expect(new Formats('en-US', 'en').list(['A', 'B', 'C'])).toBe('A, B, and C');
    expect(new Formats('en-US', 'fr').list(['A', 'B', 'C'])).toBe('A, B et C');
    expect(new Formats('fr-FR').list(['A'])).toBe('A');
    expect(new Formats('fr-FR', 'fr').listParts(['WSIS', 'Caucus'])).toEqual([
      { item: 0, value: 'WSIS' },
      { item: null, value: ' et ' },
      { item: 1, value: 'Caucus' },
    ]);
    expect(new Formats('en').listParts([])).toEqual([]);
  });

  it('formats money per currency, calendar dates as the date they name, and country names by code', () => {
    const en = new Formats('en-US');
    expect(en.money(2500000, 'KES')).toBe(
      new Intl.NumberFormat('en-US', { style: 'currency', currency: 'KES', minimumFractionDigits: 0 }).format(
        2500000,
      ),
    );
    expect(en.money(1234567.89, 'USD')).toBe('$1,234,567.89');
    expect(en.money(43000000, 'USD')).toBe('$43,000,000');
    // A date-only value is that calendar day wherever the reader is (no time-zone shift to the day before).
    expect(en.day('2030-12-31')).toBe('Dec 31, 2030');
    expect(en.country('KE')).toBe('Kenya');
    expect(new Formats('fr-FR').country('KE')).toBe('Kenya');
    expect(en.country('unspecified', 'Unspecified')).toBe('Unspecified');
    expect(en.instant(null)).toBe('—');
  });
});
