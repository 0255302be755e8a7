/**
 * FORMS from page layout, on generated pages: key/value pairs in colon, above and spacing layouts
 * with values over two lines. Checkbox labels are in textract-checkbox-labels.test.ts, tick states in
 * textract-ticks.test.ts, query answers in textract-queries.test.ts.
 */
import { assembleBlocks } from '@docket/local/textract/analysis';
import { formPairs as pairsOf, forms, line, word } from '../support/form-blocks';

describe('key/value pairs from layout', () => {
  /** Every pair in the order the page's blocks list them, so a second pair for one key shows. */
  const formPairs = (page: Parameters<typeof forms>[0]) =>
    pairsOf(assembleBlocks([page], { featureTypes: ['FORMS'], queries: [] }, { withPage: true }));

  test('two colon keys on one line each get their own value', () => {
    const page = {
      lines: [
        {
          words: [
            word('Telephone:', 0.05, 0.1),
            word('(702)', 0.12, 0.1),
            word('486-1404', 0.19, 0.1),
            word('Fax:', 0.4, 0.1),
            word('(702)', 0.47, 0.1),
            word('486-1441', 0.54, 0.1),
          ],
        },
      ],
    };
    expect(forms(page)).toEqual({ 'Telephone:': '(702) 486-1404', 'Fax:': '(702) 486-1441' });
  });

  test("the second key of a line starts after the value's widest gap, with only one other gap to compare", () => {
    const page = {
      lines: [
        {
          words: [
            word('Name:', 0.05, 0.1),
            word('ALEJANDRO', 0.14, 0.1, 0.2),
            word('Last', 0.37, 0.1, 0.03),
            word('Name:', 0.405, 0.1, 0.045),
            word('ROSALEZ', 0.46, 0.1, 0.16),
          ],
        },
      ],
    };
    expect(forms(page)).toEqual({ 'Name:': 'ALEJANDRO', 'Last Name:': 'ROSALEZ' });
    // A wide gap inside the value and one space before a one-word key: the value keeps its words.
    const spaced = {
      lines: [
        {
          words: [
            word('Name:', 0.05, 0.3),
            word('ALEJANDRO', 0.14, 0.3, 0.2),
            word('ROSALEZ', 0.4, 0.3, 0.16),
            word('Sex:', 0.565, 0.3, 0.04),
            word('M', 0.62, 0.3, 0.02),
          ],
        },
      ],
    };
    expect(forms(spaced)).toEqual({ 'Name:': 'ALEJANDRO ROSALEZ', 'Sex:': 'M' });
  });

  test('labels above their values in a row of boxed fields, and a value over two lines', () => {
    const page = {
      lines: [
        line('Home Address', 0.05, 0.3),
        line('Zip Code', 0.6, 0.3),
        line('Telephone', 0.8, 0.3),
        line('742 Evergreen Terrace', 0.05, 0.316),
        line('Apartment 12B', 0.05, 0.331),
        line('62701', 0.6, 0.316),
        line('555-0100', 0.8, 0.316),
      ],
    };
    expect(forms(page)).toEqual({
      'Home Address': '742 Evergreen Terrace Apartment 12B',
      'Zip Code': '62701',
      Telephone: '555-0100',
    });
  });

  test("a label may end in an abbreviation's full stop; a sentence beside a figure is no label", () => {
    const page = {
      lines: [
        line('Social Security No.', 0.5, 0.3),
        line('987-65-4321', 0.75, 0.3),
        line('Thanks for your order.', 0.05, 0.6),
        line('$12.00', 0.4, 0.6),
        line('Answer yes or no.', 0.05, 0.7),
        line('2 pages', 0.4, 0.7),
      ],
    };
    expect(forms(page)).toEqual({ 'Social Security No.': '987-65-4321' });
  });

  test("a shop's name in large print over its phone number is a title, not the number's label", () => {
    const page = {
      lines: [
        line('MEGA MART', 0.3, 0.03, 0.04),
        line('800-555-0100', 0.35, 0.075),
        line('Store Phone', 0.05, 0.3),
        line('800-555-0199', 0.05, 0.315),
        // A heading in large print over a line of the text.
        line('Delivery Terms', 0.05, 0.5, 0.025),
        line('Orders ship in 3 days', 0.05, 0.53),
      ],
    };
    expect(forms(page)).toEqual({ 'Store Phone': '800-555-0199' });
  });

  test('a question ending its line in a colon is a key with the answer under it; a paragraph under one is not', () => {
    const page = {
      lines: [
        line('List the names of household members who are legal residents of the United States:', 0.05, 0.3),
        line('Jane Doe', 0.05, 0.315),
        // The last line of a paragraph that happens to end in a colon, and what follows it.
        line('By signing below you confirm that the information you have given to the', 0.05, 0.5),
        line('Agency is true and that you will tell us of any change in the following:', 0.05, 0.515),
        line('Your income or your address', 0.05, 0.53),
        // A short key, then a sentence ending in a colon after it: one pair, no second key in it.
        line('Note: All Applicants under the age of 18 must also answer:', 0.05, 0.7),
        line('Parent or guardian name', 0.05, 0.75),
      ],
    };
    expect(formPairs(page)).toEqual([
      ['List the names of household members who are legal residents of the United States:', 'Jane Doe'],
      ['Note:', 'All Applicants under the age of 18 must also answer:'],
    ]);
  });

  test('words beside blank keys: a value parted by OCR is whole, a next row is no label over a value', () => {
    const page = {
      lines: [
        line('Name:', 0.05, 0.3),
        line('JOHN SMITH', 0.14, 0.3),
        line('Phone:', 0.05, 0.315),
        line('555-0100', 0.14, 0.315),
        line('Spouse:', 0.05, 0.5),
        line('Mary', 0.14, 0.5),
        line('Ann Smith', 0.23, 0.5),
      ],
    };
    expect(forms(page)).toEqual({ 'Name:': 'JOHN SMITH', 'Phone:': '555-0100', 'Spouse:': 'Mary Ann Smith' });
  });

  test("a cell over the cell under it in an unruled table's column is no label over its value", () => {
    const xs = [0.05, 0.16, 0.27, 0.45, 0.63];
    const rows = [
      ['Start Date', 'End Date', 'Employer Name', 'Position Held', 'Reason'],
      ['1/15/2009', '6/30/2011', 'Any Company', 'Assistant Baker', 'Relocated'],
      ['7/1/2011', '8/10/2013', 'Best Corp.', 'Baker', 'Promotion'],
      ['8/15/2013', '9/1/2016', 'Example Corp.', 'Head Baker', 'Closed'],
    ];
    const page = {
      lines: rows.flatMap((row, r) => row.map((text, c) => line(text, xs[c] ?? 0, 0.5 + r * 0.02))),
    };
    const keys = formPairs(page).map(([key]) => key);
    expect(keys).not.toContain('Any Company');
    expect(keys).not.toContain('Best Corp.');
    // Rows of headings over their values, in columns as a table's: every heading keeps its value.
    const header = [
      ['Invoice Number', 'Invoice Date', 'Due Date'],
      ['INV-1042', '03/01/2024', '03/31/2024'],
      ['Account', 'Order Number', 'Terms'],
      ['AC-77', 'PO-5531', 'Net 30'],
    ];
    const invoice = {
      lines: header.flatMap((row, r) =>
        row.map((text, c) => line(text, [0.05, 0.38, 0.7][c] ?? 0, 0.1 + r * 0.03)),
      ),
    };
    expect(forms(invoice)).toEqual({
      'Invoice Number': 'INV-1042',
      'Invoice Date': '03/01/2024',
      'Due Date': '03/31/2024',
      Account: 'AC-77',
      'Order Number': 'PO-5531',
      Terms: 'Net 30',
    });
  });

  test('an e-mail address under its label is its value, lower-case as it is', () => {
    const page = {
      lines: [
        line('Home Phone', 0.05, 0.5),
        line('E-mail Address', 0.5, 0.5),
        line('414-2285', 0.1, 0.513),
        line('johndoe@example.com', 0.55, 0.513),
        // A sentence running on to the address is no label of it.
        line('Please send your completed form to', 0.05, 0.7),
        line('forms@example.gov', 0.05, 0.713),
      ],
    };
    expect(forms(page)).toEqual({ 'Home Phone': '414-2285', 'E-mail Address': 'johndoe@example.com' });
  });

  test('a label with its value across a gap; a label over the next label, or over prose, is no pair', () => {
    const page = {
      lines: [
        line('Invoice Date', 0.05, 0.5),
        line('January 25, 2016', 0.4, 0.5),
        line('Employer Name', 0.05, 0.6),
        line('Employer Address', 0.05, 0.616),
        line('Notes', 0.05, 0.7),
        line('please return this form by mail', 0.05, 0.716),
      ],
    };
    expect(forms(page)).toEqual({ 'Invoice Date': 'January 25, 2016' });
  });

  test('a colon key with nothing after it takes the figure across a gap on its row, not another column', () => {
    const box = (left: number, top: number) => ({
      box: { left, top, width: 0.014, height: 0.011 },
      selected: false,
      confidence: 97,
    });
    const page = {
      lines: [
        // The phone number as OCR splits it, "(" apart from ") 314-8888", across a gap from its key,
        // and the next question's boxes under the key: the key keeps its value.
        line('Telephone No.:', 0.05, 0.3),
        { words: [word('(', 0.24, 0.3, 0.01)] },
        { words: [word(')', 0.28, 0.3, 0.01), word('314-8888', 0.3, 0.3)] },
        line('Section 8', 0.16, 0.32),
        // A key whose line ends at its colon, with another column's label on its row and a box
        // under that column: a key with no value, not the question the box answers.
        line('Landlord Name:', 0.05, 0.5),
        line('Date', 0.55, 0.5),
        line('Own', 0.62, 0.52),
        // Another column's field far across the row is not the value of "Bill To:", which is under it.
        line('Bill To:', 0.05, 0.7),
        line('Invoice # 1001', 0.6, 0.7),
        line('Acme Corp', 0.05, 0.716),
      ],
      selections: [box(0.14, 0.32), box(0.6, 0.52)],
    };
    expect(formPairs(page)).toEqual([
      ['Section 8', 'NOT_SELECTED'],
      ['Own', 'NOT_SELECTED'],
      ['Telephone No.:', '( ) 314-8888'],
      ['Landlord Name:', ''],
      ['Bill To:', 'Acme Corp'],
      ['Invoice #', '1001'],
    ]);
  });

  test('a colon key with nothing after it takes a word filled in just beside it, not one far across the row', () => {
    const page = {
      lines: [
        // A name filled in beside its key (by hand, in larger print, so OCR reads it as a line apart).
        line('Relationship to Patient:', 0.05, 0.3),
        line('BROTHER', 0.29, 0.298, 0.018),
        // Seven of the key's heights away, wordy: another column's label, not this key's value.
        line('Emergency Contact:', 0.05, 0.5),
        line('Signature', 0.27, 0.5),
      ],
    };
    expect(formPairs(page)).toEqual([
      ['Relationship to Patient:', 'BROTHER'],
      ['Emergency Contact:', ''],
    ]);
  });

  test("a word beside a blank key is no value when it is the next column's label, a hint, or a second line", () => {
    const page = {
      lines: [
        // "Date of Birth" four of the key's heights across, over its own value.
        line('Name:', 0.05, 0.3),
        line('Date of Birth', 0.16, 0.3),
        line('01/02/1980', 0.16, 0.315),
        // One word filled in beside the key, then another column's label further along the row.
        line('Relationship:', 0.05, 0.5),
        line('BROTHER', 0.16, 0.5),
        line('Home Phone', 0.26, 0.5),
        line('555-0100', 0.26, 0.515),
        // A hint in brackets beside a blank key.
        line('Signature:', 0.05, 0.7),
        line('(sign in ink)', 0.17, 0.7),
      ],
    };
    expect(forms(page)).toEqual({
      'Name:': '',
      'Date of Birth': '01/02/1980',
      'Relationship:': 'BROTHER',
      'Home Phone': '555-0100',
      'Signature:': '',
    });
  });

  test('a label with figures in two columns beside it is a table row, not a pair; one figure is its value', () => {
    const page = {
      lines: [
        line('Regular', 0.05, 0.3),
        line('10.00', 0.2, 0.3),
        line('32.00', 0.3, 0.3),
        line('320.00', 0.4, 0.3),
        line('Medicare Tax', 0.05, 0.33),
        line('-6.56', 0.3, 0.33),
        line('167.22', 0.4, 0.33),
        line('Sick Hrs', 0.6, 0.3),
        line('16.00', 0.75, 0.3),
        // A figure, then another field: two columns of fields, not a table.
        line('Invoice No', 0.05, 0.5),
        line('1234', 0.25, 0.5),
        line('Due Date', 0.45, 0.5),
        line('January 25, 2016', 0.6, 0.5),
        // A figure beside its label, and a figure of another column far across the row.
        line('Account', 0.05, 0.6),
        line('123456', 0.16, 0.6),
        line('01/02/2024', 0.8, 0.6),
      ],
    };
    expect(formPairs(page)).toEqual([
      ['Sick Hrs', '16.00'],
      ['Invoice No', '1234'],
      ['Due Date', 'January 25, 2016'],
      ['Account', '123456'],
    ]);
  });

  test('an address block closed by its e-mail is one value; short lines of prose after a colon are none', () => {
    const page = {
      lines: [
        line('From:', 0.05, 0.15),
        line('DEMO - Sliced Invoices', 0.05, 0.165),
        line('Suite 5A-1204', 0.05, 0.18),
        line('123 Somewhere Street', 0.05, 0.195),
        line('Your City AZ 12345', 0.05, 0.21),
        line('admin@example.com', 0.05, 0.225),
        line('Notes:', 0.05, 0.5),
        line('Payment due within 30 days.', 0.05, 0.515),
        line('A 1.5% monthly charge applies', 0.05, 0.53),
        line('to balances over 30 days.', 0.05, 0.545),
      ],
    };
    expect(formPairs(page)).toEqual([
      [
        'From:',
        'DEMO - Sliced Invoices Suite 5A-1204 123 Somewhere Street Your City AZ 12345 admin@example.com',
      ],
    ]);
  });
});
