/**
 * FORMS on generated pages: what is a value under its label. A value keeps the pieces OCR split off
 * it on its row; a heading's paragraph and a paragraph's lines are no label over a value; long labels
 * over one line and short labels over an address block keep their values.
 */
import { forms, line, word } from '../support/form-blocks';

describe('values under their labels', () => {
  test('a value under its label keeps the pieces OCR split off it on its row, within the label column', () => {
    const page = {
      lines: [
        line('Home Phone', 0.061, 0.547),
        line('Day Phone', 0.326, 0.547),
        { words: [word('(', 0.065, 0.561, 0.006)] },
        { words: [word(')', 0.103, 0.561, 0.006)] },
        { words: [word('414-2285', 0.14, 0.56, 0.07)] },
        { words: [word('(', 0.33, 0.561, 0.006)] },
        { words: [word(')', 0.368, 0.561, 0.006)] },
        { words: [word('122-3453', 0.413, 0.562, 0.055)] },
      ],
    };
    expect(forms(page)).toEqual({ 'Home Phone': '( ) 414-2285', 'Day Phone': '( ) 122-3453' });
    // A figure of the column to the left on the value's row is not the value's piece.
    const columns = {
      lines: [
        line('Amount Due', 0.5, 0.2),
        { words: [word('7.50', 0.43, 0.216, 0.05)] },
        { words: [word('$12.00', 0.5, 0.216, 0.06)] },
      ],
    };
    expect(forms(columns)).toMatchObject({ 'Amount Due': '$12.00' });
    // A heading over a row of column headings is no label over a value, however the row is split.
    const history = {
      lines: [
        line('Employment History', 0.05, 0.3),
        line('Start Date', 0.05, 0.316),
        line('End Date', 0.2, 0.316),
        line('Employer', 0.35, 0.316),
        line('Position Held', 0.45, 0.316),
      ],
    };
    expect(forms(history)).toEqual({});
  });

  test('a heading over a paragraph, and the lines of a paragraph, are no label over its value', () => {
    const page = {
      lines: [
        line('Important Notes', 0.5, 0.3),
        line('EFFECTIVE THIS PAY PERIOD YOUR REGULAR', 0.5, 0.316),
        line('HOURLY RATE HAS BEEN CHANGED FROM $8.00', 0.5, 0.332),
        line('TO $10.00 PER HOUR.', 0.5, 0.348),
        line('WE WILL BE STARTING OUR FUND', 0.05, 0.5),
        line('DRIVE SOON AND LOOK FORWARD TO YOUR', 0.05, 0.516),
        line('PARTICIPATION 2024', 0.05, 0.532),
      ],
    };
    expect(forms(page)).toEqual({});
    // The lines of a heading's paragraph are no labels of the lines under them either.
    const notes = {
      lines: [
        line('Important Notes', 0.05, 0.7),
        line('EFFECTIVE THIS PAY PERIOD YOUR REGULAR RATE', 0.05, 0.716),
        line('HAS CHANGED FROM $8.00', 0.05, 0.732),
        line('TO $10.00 PER HOUR.', 0.05, 0.748),
      ],
    };
    expect(forms(notes)).toEqual({});
    // A line breaking off after "your" goes on under it: no label.
    const thanks = { lines: [line('WE THANK YOU ALL FOR YOUR', 0.05, 0.8), line('2024 GIFTS', 0.05, 0.816)] };
    expect(forms(thanks)).toEqual({});
    // A sentence under a line is no value of it.
    const note = {
      lines: [
        line('Excluded from federal taxable wages', 0.05, 0.6),
        line('Your federal wages this period are $386.15', 0.05, 0.616),
      ],
    };
    expect(forms(note)).toEqual({});
  });

  test('long labels over one line, short labels over an address block, and values with a label beside them pair', () => {
    const page = {
      lines: [
        line('Name of employer or business address', 0.05, 0.1),
        line('Acme Tools Ltd, 12 High St, Springfield', 0.05, 0.116),
        line('Customer Address', 0.05, 0.2),
        line('Unit 7, Acme Tools Ltd', 0.05, 0.216),
        line('1200 North High Street Suite 400', 0.05, 0.232),
        line('Springfield IL 62704', 0.05, 0.248),
        line('Total', 0.6, 0.1),
        { words: [word('1,200.00', 0.6, 0.116, 0.07)] },
        { words: [word('USD', 0.7, 0.116, 0.04)] },
      ],
    };
    expect(forms(page)).toEqual({
      'Name of employer or business address': 'Acme Tools Ltd, 12 High St, Springfield',
      'Customer Address': 'Unit 7, Acme Tools Ltd 1200 North High Street Suite 400 Springfield IL 62704',
      Total: '1,200.00',
    });
    // A label in large print over a value in the same print, on a page of fine print, is still a label.
    const fine = {
      lines: [
        line('AMOUNT DUE', 0.5, 0.1, 0.02),
        line('$1,234.56', 0.5, 0.125, 0.02),
        ...[0.3, 0.31, 0.32, 0.33, 0.34, 0.35, 0.36, 0.37].map((top) =>
          line('terms and conditions apply', 0.05, top, 0.006),
        ),
      ],
    };
    expect(forms(fine)).toEqual({ 'AMOUNT DUE': '$1,234.56' });
  });

  test('a label with a figure on its row has its value there, not the line under it', () => {
    // A totals block, and a statement's row over the next: "Tax (8.25%)" has a figure in it, so it
    // would read as "Subtotal"'s value under it; each label's value is the amount on its own row,
    // however far across the table it stands.
    const page = {
      lines: [
        line('Subtotal', 0.55, 0.5),
        { words: [word('$315.50', 0.8, 0.5, 0.07)] },
        { words: [word('Tax', 0.55, 0.516), word('(8.25%)', 0.59, 0.516, 0.07)] },
        { words: [word('$26.03', 0.8, 0.516, 0.07)] },
        line('Beginning Balance', 0.05, 0.7),
        { words: [word('4,312.55', 0.85, 0.7, 0.08)] },
        { words: [word('POS', 0.05, 0.716), word('PURCHASE', 0.12, 0.716), word('#221', 0.19, 0.716)] },
        { words: [word('86.12', 0.6, 0.716, 0.05)] },
        { words: [word('4,226.43', 0.85, 0.716, 0.08)] },
      ],
    };
    const found = forms(page);
    expect(found).toMatchObject({ Subtotal: '$315.50', 'Tax (8.25%)': '$26.03' });
    expect(found['Beginning Balance']).not.toBe('POS PURCHASE #221');
  });

  test('a question under a blank "Key:" is the form\'s next item, not the key\'s value', () => {
    const box = (left: number) => ({
      box: { left, top: 0.232, width: 0.014, height: 0.011 },
      selected: false,
      confidence: 97,
    });
    // "Phone: ______" with the rule read as part of its box, over "Do you smoke?  ☐ Yes  ☐ No".
    const page = {
      lines: [
        { words: [word('Phone:', 0.05, 0.2, 0.06, 0.02)] },
        line('Fax:', 0.5, 0.2),
        { words: ['Do', 'you', 'have', 'any', 'allergies?'].map((t, i) => word(t, 0.05 + i * 0.07, 0.232)) },
        line('Yes', 0.5, 0.232),
        line('No', 0.6, 0.232),
      ],
      selections: [box(0.48), box(0.58)],
    };
    expect(forms(page)).toEqual({ 'Phone:': '', 'Fax:': '', Yes: 'NOT_SELECTED', No: 'NOT_SELECTED' });
  });

  test("a figure on a label's row alone, or a rate ending its value, leaves the value under it", () => {
    const page = {
      lines: [
        // A phone number at the far right of the label's row; the line under has nothing beside it.
        line('Customer Address', 0.05, 0.1),
        { words: [word('(555)', 0.75, 0.1, 0.05), word('123-4567', 0.81, 0.1, 0.08)] },
        line('42 Elm Street', 0.05, 0.116),
        // A value ending in a rate is a value, not a label.
        line('Interest Rate', 0.05, 0.3),
        { words: [word('Fixed', 0.05, 0.316), word('4.5%', 0.12, 0.316, 0.04)] },
      ],
    };
    expect(forms(page)).toMatchObject({ 'Customer Address': '42 Elm Street', 'Interest Rate': 'Fixed 4.5%' });
  });

  test('a question with no boxes to answer it is the value of the key over it', () => {
    const page = {
      lines: [
        { words: [word('Security', 0.05, 0.2), word('Question:', 0.12, 0.2)] },
        line('What is your favourite colour?', 0.05, 0.216),
      ],
    };
    expect(forms(page)).toEqual({ 'Security Question:': 'What is your favourite colour?' });
  });

  test('keys in a column take the values right-aligned in a column far across from them', () => {
    const key = (text: string, top: number) => ({
      words: text.split(' ').map((t, i) => word(t, 0.55 + i * 0.075, top, 0.07)),
    });
    // Each value ends at 0.93; the keys end near 0.7, 16 or more of their heights before the values.
    const value = (text: string, top: number) => ({
      words: [word(text, 0.93 - text.length * 0.009, top, text.length * 0.009)],
    });
    const page = {
      lines: [
        key('Statement Date:', 0.15),
        value('03/31/2024', 0.15),
        key('Customer ID:', 0.168),
        value('C-5512', 0.168),
        key('Page:', 0.186),
        value('1 of 3', 0.186),
        key('Closing Balance:', 0.204),
        value('$4,210.55', 0.204),
        // A table's headings and rows under the column of keys.
        line('Date', 0.55, 0.222),
        line('Description', 0.65, 0.222),
        line('Amount', 0.85, 0.222),
        line('03/02', 0.55, 0.238),
        line('Opening balance', 0.65, 0.238),
        line('4,000.00', 0.85, 0.238),
        line('03/04', 0.55, 0.254),
        line('Deposit', 0.65, 0.254),
        line('250.00', 0.85, 0.254),
        // A key with its value under it keeps it, whatever stands far across its row.
        key('Patient:', 0.3),
        line('Maria Lopez', 0.55, 0.316),
        value('Room 204', 0.3),
        key('Doctor:', 0.35),
        line('Dr. A. Chen', 0.55, 0.366),
        value('Ward 12', 0.35),
        // A key alone with a figure far across it, lined up with nothing, keeps its value blank.
        key('Signature:', 0.5),
        value('0042', 0.5),
      ],
    };
    expect(forms(page)).toMatchObject({
      'Statement Date:': '03/31/2024',
      'Customer ID:': 'C-5512',
      'Page:': '1 of 3',
      'Closing Balance:': '$4,210.55',
      'Patient:': 'Maria Lopez',
      'Doctor:': 'Dr. A. Chen',
      'Signature:': '',
    });
  });

  test("a 'Key:' address block keeps its name lines up to the figures closing it, and no label after", () => {
    const page = {
      lines: [
        line('Ship To:', 0.5, 0.25),
        line('Brightline Manufacturing Ltd', 0.5, 0.266),
        line('Receiving Dock B', 0.5, 0.282),
        line('Leeds LS10 1AB', 0.5, 0.298),
        // No figure closes the lines after "Jane Doe": "Occupation" is the next field's label.
        line('Contact:', 0.05, 0.25),
        line('Jane Doe', 0.05, 0.266),
        line('Occupation', 0.05, 0.282),
        line('Engineer', 0.05, 0.298),
        // A label over a line of figures is the next field, whatever figures follow it.
        line('Recipient:', 0.05, 0.5),
        line('Maria Lopez', 0.05, 0.516),
        line('Policy Number', 0.05, 0.532),
        line('PN 554 2201', 0.05, 0.548),
        line('Claim Reference', 0.05, 0.564),
        line('Main Street 12', 0.05, 0.58),
        // A town over its postcode closes an address, as a line with a word and a figure does.
        line('Bill To:', 0.55, 0.5),
        line('Acme Trading Ltd', 0.55, 0.516),
        line('Harbour Street', 0.55, 0.532),
        line('Manchester', 0.55, 0.548),
        line('M1 4BT', 0.55, 0.564),
      ],
    };
    expect(forms(page)).toMatchObject({
      'Ship To:': 'Brightline Manufacturing Ltd Receiving Dock B Leeds LS10 1AB',
      'Contact:': 'Jane Doe',
      'Recipient:': 'Maria Lopez',
      'Policy Number': 'PN 554 2201',
      'Bill To:': 'Acme Trading Ltd Harbour Street Manchester M1 4BT',
    });
  });
});
