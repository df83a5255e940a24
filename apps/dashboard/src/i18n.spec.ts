import { CATALOGUES, Formats, pickLanguage, translate } from './i18n';

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
