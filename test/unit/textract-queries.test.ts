/**
 * QUERIES from page layout, on generated pages: answers that keep their figures and take the column
 * the question names, headings found past the rows above, and questions worded unlike their labels.
 */
import { assembleBlocks } from '@docket/local/textract/analysis';
import type { RecognisedPage } from '@docket/local/textract/blocks';
import { contentWords, stem } from '@docket/local/textract/queries';
import { line, word } from '../support/form-blocks';

/** The answer the local Textract gives `text` asked of one recognised page, if any. */
const answerOn = (page: RecognisedPage, text: string) =>
  assembleBlocks([page], { featureTypes: ['QUERIES'], queries: [{ text }] }, { withPage: true }).find(
    (b) => b.BlockType === 'QUERY_RESULT',
  )?.Text;

describe('query answers', () => {
  // A pay statement: headings over the figure columns, each figure its own line once split at gaps.
  const page = {
    lines: [
      line('Current', 0.5, 0.3),
      line('YTD', 0.7, 0.3),
      line('Gross Pay', 0.05, 0.32),
      { words: [word('$', 0.5, 0.32, 0.01), word('770.00', 0.515, 0.32)] },
      line('2,310.00', 0.7, 0.32),
      line('Hours Worked', 0.05, 0.34),
      line('1.6', 0.5, 0.34),
      line('186.7', 0.7, 0.34),
    ],
  };
  const ask = (text: string) => answerOn(page, text);

  test('the column the question names answers it, the first column otherwise; decimals stay', () => {
    expect(ask('What is the YTD gross pay?')).toBe('2,310.00');
    expect(ask('What is the current gross pay?')).toBe('$770.00');
    expect(ask('What is the gross pay?')).toBe('$770.00');
    expect(ask('How many hours worked YTD?')).toBe('186.7');
    expect(ask('How many hours worked?')).toBe('1.6');
  });

  // A statement's earnings table under its headings, a note in prose beside it, and its dates.
  const statement = {
    lines: [
      line('Period Ending:', 0.55, 0.09),
      line('04/30/2019', 0.75, 0.09),
      line('Pay Date:', 0.55, 0.11),
      line('04/29/2019', 0.75, 0.11),
      line('Earnings', 0.05, 0.2),
      line('rate', 0.2, 0.2),
      line('hours', 0.28, 0.2),
      line('this period', 0.36, 0.2),
      line('year to date', 0.5, 0.2),
      ...[
        ['Regular', '10.00', '40.00', '400.00', '1,200.00'],
        ['Overtime', '15.00', '14.00', '210.00', '630.00'],
        ['Holiday', '12.00', '16.00', '192.00', '480.00'],
      ].flatMap(([label, ...figures], row) => [
        line(label ?? '', 0.05, 0.22 + row * 0.02),
        ...figures.map((figure, column) =>
          line(figure, [0.2, 0.28, 0.36, 0.5][column] ?? 0, 0.22 + row * 0.02),
        ),
      ]),
      line('Gross Pay', 0.05, 0.3),
      line('$770.00', 0.36, 0.3),
      line('2,310.00', 0.5, 0.3),
      line('Net Pay', 0.05, 0.32),
      line('$644.66', 0.36, 0.32),
      // Prose naming "regular" right above a figure: a note, not the heading of that figure's column.
      line('EFFECTIVE THIS PAY PERIOD YOUR REGULAR', 0.36, 0.4),
      line('HOURLY RATE HAS BEEN CHANGED FROM $8.00', 0.36, 0.42),
    ],
  };
  const askStatement = (text: string) => answerOn(statement, text);

  test("a row's figure under its column's heading, past the rows above it; prose above a figure heads nothing", () => {
    expect(askStatement('What is the regular hourly rate?')).toBe('10.00');
    expect(askStatement('What is the holiday rate?')).toBe('12.00');
    expect(askStatement('How many overtime hours?')).toBe('14.00');
  });

  test('"YTD" and "current" name the columns headed "year to date" and "this period"', () => {
    expect(askStatement('What is the YTD gross pay?')).toBe('2,310.00');
    expect(askStatement('What is the current gross pay?')).toBe('$770.00');
    expect(askStatement('What is the holiday pay year to date?')).toBe('480.00');
  });

  test("another field's key on a label's row is neither a cell nor a heading", () => {
    const withHire = { lines: [...statement.lines, line('Date of Hire: 01/01/2015', 0.05, 0.11)] };
    expect(answerOn(withHire, 'What is the pay period end date?')).toBe('04/30/2019');
  });

  test('years head their columns; a filler in a row above does not stop the way up to the heading', () => {
    const accounts = {
      lines: [
        line('2024', 0.5, 0.1),
        line('2023', 0.65, 0.1),
        line('Revenue', 0.05, 0.12),
        line('1,000.00', 0.5, 0.12),
        line('900.00', 0.65, 0.12),
        line('Refunds', 0.05, 0.14),
        line('--', 0.5, 0.14),
        line('N/A', 0.65, 0.14),
        line('Net Revenue', 0.05, 0.16),
        line('1,000.00', 0.5, 0.16),
        line('850.00', 0.65, 0.16),
      ],
    };
    const answer = (text: string) => answerOn(accounts, text);
    expect(answer('What was revenue in 2023?')).toBe('900.00');
    expect(answer('What was the net revenue in 2023?')).toBe('850.00');
  });

  test('"No." and "#" say number; a "No" of a Yes/No column does not', () => {
    const invoice = {
      lines: [
        line('Invoice No: 10442', 0.05, 0.1),
        line('Account # 77-1200', 0.05, 0.12),
        line('Telephone No.: 555-0100', 0.05, 0.2),
        line('Yes', 0.6, 0.3),
        line('No', 0.7, 0.3),
        line('Number', 0.8, 0.3),
      ],
    };
    const answer = (text: string) => answerOn(invoice, text);
    expect(answer('What is the invoice number?')).toBe('10442');
    expect(answer('What is the telephone number?')).toBe('555-0100');
    expect(contentWords('Telephone No.:')).toEqual(['telephon', 'number']);
    expect(answer("What is the customer's account number?")).toBe('77-1200');
    expect(answer('What is the phone number?')).toBeUndefined();
  });

  test('a word and its inflections compare as one: plural, -ing, -ed, a final e', () => {
    expect(new Set(['date', 'dates', 'dated'].map(stem))).toEqual(new Set([stem('date')]));
    expect(new Set(['earn', 'earning', 'earnings'].map(stem))).toEqual(new Set([stem('earn')]));
    expect(new Set(['end', 'ending', 'ended', 'ends'].map(stem))).toEqual(new Set([stem('end')]));
    // Short words and words ending in -ss or -us keep their letters.
    expect(['gross', 'status', 'has', 'tax'].map(stem)).toEqual(['gross', 'status', 'has', 'tax']);
  });

  test("a label answers when it holds the question's telling words, inflected or not; else nothing does", () => {
    expect(askStatement('What is the pay period end date?')).toBe('04/30/2019');
    expect(askStatement('What is the pay date?')).toBe('04/29/2019');
    // The page has no start date: "Pay Date" shares the common words of the question, not "start".
    expect(askStatement('What is the pay period start date?')).toBeUndefined();
  });
});
