import { csvField, toCsv } from './csv';

describe('dashboard CSV', () => {
  it('is RFC 4180: CRLF line ends, fields with a comma, quote or line break quoted, quotes doubled', () => {
    expect(
      toCsv(
        ['Group', 'Pledges'],
        [
          ['Secretaria de Inclusão Digital, Brasil', 3],
          ['The "Alliance"', 0],
          ['two\nlines', null],
        ],
      ),
    ).toBe(
      'Group,Pledges\r\n"Secretaria de Inclusão Digital, Brasil",3\r\n"The ""Alliance""",0\r\n"two\nlines",\r\n',
    );
  });

  it('neutralises text a spreadsheet would run as a formula, and writes numbers plainly', () => {
    expect(csvField('=HYPERLINK("http://evil")')).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField(-5)).toBe('-5');
    expect(csvField(1234567.5)).toBe('1234567.5');
    expect(csvField(Number.NaN)).toBe('');
  });
});
