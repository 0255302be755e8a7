/**
 * FORMS on generated pages: a heading over a block of fields is not a key, a checkbox printed as a
 * ruled table's cell is not the value of the words in the next cell, and receipt fields marked with
 * "#" or a dash are pairs. Strips of labels over their values are in textract-forms-strips.test.ts.
 */
import { assembleBlocks } from '@docket/local/textract/analysis';
import { formPairs, forms, line, word } from '../support/form-blocks';

describe('headings are not keys', () => {
  test('a heading in capitals over an address and a "Telephone:" line pairs nothing with the address', () => {
    const page = {
      lines: [
        line('NORTH OFFICE', 0.05, 0.1),
        line('3330 Flamingo Road', 0.05, 0.116),
        { words: [word('Telephone:', 0.05, 0.132), word('486-1404', 0.12, 0.132)] },
        line('SOUTH OFFICE', 0.5, 0.1),
        line('2527 Carson Street', 0.5, 0.116),
        { words: [word('Fax:', 0.5, 0.132), word('684-0730', 0.57, 0.132)] },
      ],
    };
    const found = forms(page);
    expect(found['NORTH OFFICE']).toBeUndefined();
    expect(found['SOUTH OFFICE']).toBeUndefined();
    expect(found).toEqual({ 'Telephone:': '486-1404', 'Fax:': '684-0730' });
  });

  test('a heading in larger print is no key either; a label in the same print as its value still is', () => {
    const page = {
      lines: [
        line('Branch Office', 0.05, 0.1, 0.02),
        line('12 Main Street', 0.05, 0.124),
        { words: [word('Phone:', 0.05, 0.14), word('555-0100', 0.12, 0.14)] },
        line('Home Address', 0.5, 0.1),
        line('742 Evergreen Terrace', 0.5, 0.116),
        { words: [word('Phone:', 0.5, 0.132), word('555-0199', 0.57, 0.132)] },
      ],
    };
    const found = forms(page);
    expect(found['Branch Office']).toBeUndefined();
    expect(found['Home Address']).toBe('742 Evergreen Terrace');
  });
});

describe('column headings are not keys', () => {
  test('a heading over a column of figures pairs with none of them; over one figure it is its key', () => {
    const page = {
      lines: [
        line('Number', 0.7, 0.3),
        line('111-22-2333', 0.7, 0.316),
        line('444-55-5666', 0.7, 0.336),
        line('Zip Code', 0.2, 0.3),
        line('62701', 0.2, 0.316),
        line('Signature', 0.2, 0.336),
      ],
    };
    expect(forms(page)).toEqual({ 'Zip Code': '62701' });
  });
});

describe('checkboxes in table cells', () => {
  test('a box found as a ruled cell stands alone; the same box on its own takes the label beside it', () => {
    const box = (left: number, top: number, inTable: boolean) => ({
      box: { left, top, width: 0.04, height: 0.018 },
      selected: true,
      confidence: 95,
      ...(inTable ? { inTable } : {}),
    });
    const page = {
      lines: [line('44', 0.6, 0.3), line('Married', 0.6, 0.5)],
      selections: [box(0.68, 0.297, true), box(0.68, 0.497, false)],
    };
    const blocks = assembleBlocks([page], { featureTypes: ['FORMS'], queries: [] }, { withPage: true });
    expect(Object.fromEntries(formPairs(blocks))).toEqual({ Married: 'SELECTED' });
    expect(blocks.filter((b) => b.BlockType === 'SELECTION_ELEMENT')).toHaveLength(2);
  });
});

describe('fields marked the way receipts print them', () => {
  test('"ST# 1477", "APPROVAL #" with its figure across a gap, "# ITEMS SOLD 4" and "TRANS ID - code" are pairs', () => {
    const page = {
      lines: [
        line('ST# 1477', 0.02, 0.1),
        { words: [word('APPROVAL', 0.02, 0.12), word('#', 0.09, 0.12, 0.01)] },
        line('114801', 0.4, 0.12),
        line('# ITEMS SOLD 4', 0.02, 0.16),
        {
          words: [
            word('TRANS', 0.02, 0.14),
            word('ID', 0.09, 0.14),
            word('-', 0.16, 0.14, 0.01),
            word('25162678', 0.18, 0.14),
          ],
        },
      ],
    };
    expect(forms(page)).toEqual({
      'ST#': '1477',
      'APPROVAL #': '114801',
      '# ITEMS SOLD': '4',
      'TRANS ID': '25162678',
    });
    // A till's header line of several marked fields: a pair each.
    expect(forms({ lines: [line('ST# 1477 OP# 19280104 TE# 20 TR# 21772', 0.02, 0.1)] })).toEqual({
      'ST#': '1477',
      'OP#': '19280104',
      'TE#': '20',
      'TR#': '21772',
    });
    // A part ending in words is not one of them: the line is no row of fields.
    expect(forms({ lines: [line('ST# 1477 OP# 1928 Thank you', 0.02, 0.1)] })).toEqual({});
  });

  test('a "#" with no figure after it, or prose around a dash, is no pair', () => {
    const page = {
      lines: [
        line('ACCOUNT # VISA', 0.02, 0.1),
        line('Open 9 - 5 daily except Sundays', 0.02, 0.2),
        line('Order #2034', 0.02, 0.3),
        // A numbered heading or a count in prose is no field.
        line('# 2 Delivery', 0.02, 0.4),
        line('# Thank you for shopping with us 2 times', 0.02, 0.5),
        // Words after a dash are a heading's, not a code ("PAYMENT SERVICE - E" is one).
        line('Key - Values', 0.02, 0.6),
      ],
    };
    expect(forms(page)).toEqual({});
    expect(forms({ lines: [line('PAYMENT SERVICE - E', 0.02, 0.1)] })).toEqual({ 'PAYMENT SERVICE': 'E' });
    expect(forms({ lines: [line('CARD TYPE - VISA', 0.02, 0.1)] })).toEqual({ 'CARD TYPE': 'VISA' });
  });

  test("a title's second line in print twice the page's is no label over the line under it", () => {
    const page = {
      lines: [
        line('Test Document', 0.25, 0.22, 0.09),
        line('Page (1)', 0.2, 0.34, 0.046),
        ...[0.41, 0.47, 0.5, 0.56].map((top, i) => line(`Body line ${i + 1}`, 0.12, top, 0.028)),
      ],
    };
    expect(forms(page)['Test Document']).toBeUndefined();
  });
});
