/**
 * FORMS on generated pages: a strip of labels along a row, each over its own value (a payslip's or an
 * invoice's header), is a pair per label; what stands under the values decides whether it is a
 * table's headings, the next strip of a form's header, or the end of the strip.
 */
import { forms, word } from '../support/form-blocks';

describe('a strip of labels, each over its own value', () => {
  /** Words at the given lefts on one line, each as wide as its text. */
  const spaced = (top: number, ...items: [string, number][]) => ({
    words: items.map(([text, left]) => word(text, left, top, text.length * 0.007)),
  });
  const labels: [string, number][] = [
    ['CO.', 0.165],
    ['FILE', 0.21],
    ['DEPT.', 0.263],
    ['CLOCK', 0.316],
    ['NUMBER', 0.368],
  ];
  const values: [string, number][] = [
    ['ABC', 0.165],
    ['126543', 0.211],
    ['123456', 0.264],
    ['12345', 0.316],
    ['00000000', 0.367],
  ];
  const strip = {
    'CO.': 'ABC',
    FILE: '126543',
    'DEPT.': '123456',
    CLOCK: '12345',
    NUMBER: '00000000',
  };

  test('a payslip header strip pairs each label with the value under it, however OCR splits the lines', () => {
    expect(forms({ lines: [spaced(0.035, ...labels), spaced(0.05, ...values)] })).toEqual(strip);
    // The company's name printed under it, across its columns at a word's space, is not its row.
    const named = [spaced(0.075, ['ANY', 0.167], ['COMPANY', 0.192], ['CORP.', 0.248])];
    expect(forms({ lines: [spaced(0.035, ...labels), spaced(0.05, ...values), ...named] })).toEqual(strip);
    const split = {
      lines: [
        spaced(0.035, ...labels.slice(0, 3)),
        spaced(0.035, ...labels.slice(3)),
        spaced(0.05, ...values.slice(0, 1)),
        spaced(0.05, ...values.slice(1, 4)),
        spaced(0.05, ...values.slice(4)),
      ],
    };
    expect(forms(split)).toEqual(strip);
  });

  test("a table's headings over rows of values, a value's words a space apart, and words are no strip", () => {
    const table = {
      lines: [
        spaced(0.3, ['Item', 0.1], ['Qty', 0.3], ['Price', 0.4]),
        spaced(0.316, ['A100', 0.1], ['3', 0.3], ['1.20', 0.4]),
        spaced(0.332, ['B200', 0.1], ['2', 0.3], ['0.80', 0.4]),
      ],
    };
    expect(forms(table)).toEqual({});
    // One value in groups of figures a word space apart: one key, one value.
    const grouped = {
      lines: [spaced(0.3, ['Acct', 0.1], ['No', 0.132]), spaced(0.316, ['1234', 0.1], ['5678', 0.1315])],
    };
    expect(forms(grouped)).toEqual({ 'Acct No': '1234 5678' });
    // A label over two values (the values' gap under its word): one key over the whole line.
    const wide = {
      lines: [spaced(0.3, ['Account', 0.1], ['Number', 0.162]), spaced(0.316, ['1234', 0.1], ['5678', 0.14])],
    };
    expect(forms(wide)).toEqual({ 'Account Number': '1234 5678' });
    // A value with no label over it: the labels are one key over the whole line.
    const more = {
      lines: [
        spaced(0.3, ['Unit', 0.1], ['Code', 0.2]),
        spaced(0.316, ['12', 0.1], ['34', 0.2], ['56', 0.3]),
      ],
    };
    expect(forms(more)).toEqual({ 'Unit Code': '12 34 56' });
    const named = {
      lines: [spaced(0.3, ['Given', 0.1], ['Family', 0.2]), spaced(0.316, ['Jane', 0.1], ['Doe', 0.2])],
    };
    // Words under words, however far apart, are a heading over a line of text, not values.
    expect(forms(named)).toEqual({});
  });

  test('an invoice row of headings over one row of values: a pair each, a description going on under its value', () => {
    const page = {
      lines: [
        spaced(0.395, ['Hrs/Qty', 0.088]),
        spaced(0.395, ['Service', 0.172]),
        spaced(0.395, ['Rate/Price', 0.583]),
        spaced(0.395, ['Adjust', 0.738]),
        // "Sub" stands over no figure: it goes with "Total".
        spaced(0.395, ['Sub', 0.847], ['Total', 0.877]),
        // The values a header bar's padding under their headings, the description a little higher.
        spaced(0.428, ['Web', 0.172], ['Design', 0.197]),
        spaced(0.434, ['1.00', 0.101]),
        spaced(0.434, ['$85.00', 0.61]),
        spaced(0.434, ['0.00%', 0.742]),
        spaced(0.434, ['$85.00', 0.87]),
        spaced(0.441, ['Phase', 0.172], ['2', 0.212], ['of', 0.222], ['3', 0.239]),
        // The totals under the table, each with its own label: fields of their own.
        spaced(0.47, ['Sub', 0.667], ['Total', 0.689]),
        spaced(0.47, ['$85.00', 0.87]),
        spaced(0.52, ['Tax', 0.705]),
        spaced(0.52, ['$8.50', 0.877]),
        // Far under it all, figures in two of its columns: not the table's next row.
        spaced(0.6, ['12.00', 0.61]),
        spaced(0.6, ['3.00', 0.87]),
      ],
    };
    const found = forms(page);
    expect(found).toMatchObject({
      'Hrs/Qty': '1.00',
      Service: 'Web Design Phase 2 of 3',
      'Rate/Price': '$85.00',
      Adjust: '0.00%',
      'Sub Total': '$85.00',
    });
    expect(found['Tax']).toBe('$8.50');
  });

  test('rows of boxes: each strip of labels pairs with its own values; a column of figures is no field; far figures are not its rows', () => {
    const boxes = {
      lines: [
        spaced(0.1, ['Employee', 0.1], ['Check', 0.25], ['Pay', 0.4]),
        spaced(0.115, ['E-1001', 0.1], ['004512', 0.25], ['01/15/2024', 0.4]),
        spaced(0.14, ['Hours', 0.1], ['Gross', 0.25], ['Net', 0.4]),
        spaced(0.155, ['80.00', 0.1], ['2,400.00', 0.25], ['1,850.00', 0.4]),
        // An address right under the values, across their columns: not a table's next row.
        spaced(0.17, ['12', 0.1], ['Main', 0.118], ['Street', 0.151], ['Springfield', 0.198]),
      ],
    };
    expect(forms(boxes)).toEqual({
      Employee: 'E-1001',
      Check: '004512',
      Pay: '01/15/2024',
      Hours: '80.00',
      Gross: '2,400.00',
      Net: '1,850.00',
    });
    const column = {
      lines: [
        spaced(0.1, ['Ref', 0.1], ['Amount', 0.25]),
        spaced(0.115, ['R-1', 0.1], ['10.00', 0.25]),
        spaced(0.13, ['20.00', 0.25]),
      ],
    };
    expect(forms(column)).toEqual({ Ref: 'R-1' });
    // Figures in two of its columns far under the values (a page's next block) are no table's row.
    const far = {
      lines: [
        spaced(0.1, ['Ref', 0.1], ['Amount', 0.25]),
        spaced(0.115, ['R-1', 0.1], ['10.00', 0.25]),
        spaced(0.2, ['7', 0.1], ['20.00', 0.25]),
      ],
    };
    expect(forms(far)).toMatchObject({ Ref: 'R-1', Amount: '10.00' });
  });

  test("a table's column of row labels under a word value: the strip heads a table and pairs nothing", () => {
    const page = {
      lines: [
        spaced(0.252, ['Information', 0.578]),
        spaced(0.252, ['this', 0.757], ['period', 0.787]),
        spaced(0.252, ['total', 0.857], ['to', 0.897], ['date', 0.915]),
        spaced(0.268, ['Group', 0.577], ['Term', 0.62], ['Life', 0.655]),
        spaced(0.268, ['0.51', 0.803]),
        spaced(0.268, ['27.00', 0.905]),
        spaced(0.283, ['Loan', 0.577], ['Amt', 0.612], ['Paid', 0.642]),
        spaced(0.283, ['840.00', 0.897]),
      ],
    };
    const found = forms(page);
    expect(found['Information']).toBeUndefined();
    expect(found['this period']).toBeUndefined();
  });

  test('under the values: Key: lines and addresses end the rows of a strip; the rows of a statement pair nothing', () => {
    const cells = (top: number, items: [string, number][]) =>
      items.map(([t, left]) => spaced(top, [t, left]));
    const header = [
      ...cells(0.1, [
        ['Invoice', 0.1],
        ['Customer', 0.5],
      ]),
      ...cells(0.116, [
        ['INV-1001', 0.1],
        ['C-552', 0.5],
      ]),
    ];
    // "Key:" lines close under it are not its rows, OCR reading its row as one line or in pieces.
    const oneLine = [
      spaced(0.1, ['Invoice', 0.1], ['Customer', 0.5]),
      spaced(0.116, ['INV-1001', 0.1], ['C-552', 0.5]),
    ];
    const keys = [
      spaced(0.14, ['SSN:', 0.1], ['XXX-XX-1234', 0.14]),
      spaced(0.14, ['Pay:', 0.5], ['01/15', 0.54]),
    ];
    for (const lines of [header, oneLine])
      expect(forms({ lines: [...lines, ...keys] })).toMatchObject({ Invoice: 'INV-1001', Customer: 'C-552' });
    // Nor is an address under each column (words under figures), or a note further down.
    const dated = [
      spaced(0.1, ['Date', 0.1]),
      spaced(0.1, ['Customer', 0.5]),
      spaced(0.116, ['01/02/2024', 0.1]),
      spaced(0.116, ['C-552', 0.5]),
    ];
    const addressed = {
      lines: [
        ...dated,
        spaced(0.14, ['12', 0.1], ['Main', 0.12], ['St', 0.155]),
        spaced(0.14, ['99', 0.5], ['Dock', 0.52], ['Rd', 0.555]),
      ],
    };
    expect(forms(addressed)).toMatchObject({ Date: '01/02/2024', Customer: 'C-552' });
    const noted = { lines: [...dated, spaced(0.16, ['Please', 0.1], ['remit', 0.15])] };
    expect(forms(noted)).toMatchObject({ Date: '01/02/2024', Customer: 'C-552' });
    // A heading in capitals over an address block closed by a "Key:" line heads no strip.
    const offices = {
      lines: [
        { words: [word('NORTH', 0.05, 0.1, 0.1), word('OFFICE', 0.16, 0.1, 0.12)] },
        { words: [word('SOUTH', 0.5, 0.1, 0.1), word('OFFICE', 0.61, 0.1, 0.12)] },
        {
          words: [
            word('3330', 0.05, 0.116, 0.05),
            word('Flamingo', 0.11, 0.116, 0.08),
            word('Rd', 0.2, 0.116, 0.03),
          ],
        },
        {
          words: [
            word('2527', 0.5, 0.116, 0.05),
            word('Carson', 0.56, 0.116, 0.07),
            word('St', 0.64, 0.116, 0.03),
          ],
        },
        spaced(0.132, ['Telephone:', 0.05], ['486-1404', 0.13]),
        spaced(0.132, ['Fax:', 0.5], ['684-0730', 0.54]),
      ],
    };
    expect(forms(offices)).toEqual({ 'Telephone:': '486-1404', 'Fax:': '684-0730' });
    // A statement's rows, each read as one line, a date a little apart from its description.
    const row = (top: number, date: string, text: string, amount: string) => ({
      words: [
        word(date, 0.1, top, 0.035),
        ...text.split(' ').map((t, i) => word(t, 0.145 + i * 0.06, top, 0.05)),
        word(amount, 0.5, top, 0.04),
      ],
    });
    const statement = {
      lines: [
        { words: [word('Date', 0.1, 0.3, 0.03), word('Description', 0.145, 0.3, 0.08)] },
        spaced(0.3, ['Amount', 0.5]),
        row(0.316, '01/02', 'POS COFFEE', '4.50'),
        row(0.332, '01/03', 'ATM CASH', '40.00'),
        row(0.348, '01/04', 'PAYROLL IN', '1,200.00'),
      ],
    };
    const found = forms(statement);
    expect(found['Date']).toBeUndefined();
    expect(found['Amount']).toBeUndefined();
  });

  test('a heading printed over two lines is one label; a title set apart over the strip is none', () => {
    const values = spaced(0.13, ['01/15/2024', 0.1], ['004512', 0.25], ['1,850.00', 0.4]);
    const twoLines = {
      lines: [
        spaced(0.1, ['Pay', 0.1], ['Check', 0.25], ['Net', 0.4]),
        spaced(0.113, ['Period', 0.1], ['Number', 0.25], ['Pay', 0.4]),
        values,
      ],
    };
    expect(forms(twoLines)).toEqual({
      'Pay Period': '01/15/2024',
      'Check Number': '004512',
      'Net Pay': '1,850.00',
    });
    const titled = {
      lines: [
        spaced(0.08, ['PAYMENT', 0.1], ['DETAILS', 0.25]),
        spaced(0.113, ['Date', 0.1], ['Number', 0.25], ['Net', 0.4]),
        values,
      ],
    };
    expect(forms(titled)).toMatchObject({ Date: '01/15/2024', Number: '004512', Net: '1,850.00' });
    // A line close over the strip with a word over no label is no heading's first line.
    const noted = {
      lines: [spaced(0.1, ['Note', 0.02], ['Issue', 0.1]), ...titled.lines.slice(1)],
    };
    expect(forms(noted)).toMatchObject({ Date: '01/15/2024', Number: '004512', Net: '1,850.00' });
  });

  test("a tall box on the strip's row (a signature) does not reach values far under its print", () => {
    const page = {
      lines: [
        spaced(0.873, ['SAMPLE', 0.187]),
        // A signature written across the printed label: its word is four times the print's height.
        {
          words: [
            word('Signature', 0.55, 0.862, 0.1, 0.05),
            word('AUTHORIZED', 0.54, 0.9, 0.07, 0.012),
            word('SIGNATURE', 0.62, 0.9, 0.07, 0.012),
          ],
        },
        spaced(0.957, ['001379', 0.19], ['122000496', 0.6]),
      ],
    };
    expect(forms(page)).toEqual({});
  });

  test('a name in large print over its address line is one key, no strip of labels', () => {
    // A letterhead: each word of the bank's name stands over a piece of the address, two with figures.
    const page = {
      lines: [
        {
          words: [
            word('FIRST', 0.07, 0.05, 0.06, 0.02),
            word('RIVER', 0.14, 0.05, 0.06, 0.02),
            word('BANK', 0.21, 0.05, 0.05, 0.02),
          ],
        },
        spaced(
          0.075,
          ['PO', 0.07],
          ['Box', 0.086],
          ['4410,', 0.103],
          ['Troy,', 0.15],
          ['NY', 0.19],
          ['12180', 0.215],
        ),
      ],
    };
    expect(forms(page)).toEqual({ 'FIRST RIVER BANK': 'PO Box 4410, Troy, NY 12180' });
  });

  test("labels' word boxes taller than the values' by their descenders are still a strip", () => {
    // "Pay Frequency" has descenders its figures lack: its boxes measure 1.31 times theirs in one font.
    const page = {
      lines: [
        {
          words: [
            word('Policy', 0.1, 0.1, 0.05, 0.0157),
            word('Type', 0.155, 0.1, 0.04, 0.0157),
            word('Pay', 0.3, 0.1, 0.03, 0.0157),
            word('Frequency', 0.335, 0.1, 0.08, 0.0157),
          ],
        },
        spaced(0.12, ['1003', 0.1], ['2024', 0.3]),
      ],
    };
    expect(forms(page)).toEqual({ 'Policy Type': '1003', 'Pay Frequency': '2024' });
  });
});
