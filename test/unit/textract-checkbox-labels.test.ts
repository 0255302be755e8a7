/**
 * Checkboxes' labels under FORMS on generated pages: a box takes the label on the side it is printed,
 * and a word ending in a colon ends a label (the question the boxes answer is no option's label).
 */
import { forms, line, word } from '../support/form-blocks';

describe('the label a checkbox takes', () => {
  test('a checkbox takes the label on the side it is printed: "☐ Yes" and "No ☐"', () => {
    const box = (left: number, selected: boolean) => ({
      box: { left, top: 0.2, width: 0.014, height: 0.011 },
      selected,
      confidence: 97,
    });
    const page = {
      lines: [line('Yes', 0.12, 0.2), line('Maybe', 0.3, 0.2), line('Married', 0.6, 0.2)],
      // "☐ Yes    Maybe ☑    Married ☐"
      selections: [box(0.1, false), box(0.37, true), box(0.67, false)],
    };
    expect(forms(page)).toEqual({ Yes: 'NOT_SELECTED', Maybe: 'SELECTED', Married: 'NOT_SELECTED' });
  });

  test("the question before a row of boxes is no part of an option's label, on either side", () => {
    const box = (left: number, top: number, selected: boolean) => ({
      box: { left, top, width: 0.014, height: 0.011 },
      selected,
      confidence: 97,
    });
    // "Marital Status: ☑ Single ☐ Married", the question ending just before the first box, and
    // "Preferred contact:  Email ☐  Phone ☑", each option's label before its box.
    const page = {
      lines: [
        { words: [word('Marital', 0.05, 0.2), word('Status:', 0.118, 0.2)] },
        line('Single', 0.206, 0.2),
        line('Married', 0.306, 0.2),
        { words: [word('Preferred', 0.05, 0.3), word('contact:', 0.115, 0.3)] },
        line('Email', 0.19, 0.3),
        line('Phone', 0.3, 0.3),
      ],
      selections: [
        box(0.18, 0.2, true),
        box(0.28, 0.2, false),
        box(0.252, 0.3, false),
        box(0.362, 0.3, true),
      ],
    };
    expect(forms(page)).toEqual({
      Single: 'SELECTED',
      Married: 'NOT_SELECTED',
      Email: 'NOT_SELECTED',
      Phone: 'SELECTED',
    });
  });

  test("a colon label next to its box is the box's own; after the box, a colon ends the option's label", () => {
    const box = (left: number, top: number, selected = false) => ({
      box: { left, top, width: 0.014, height: 0.011 },
      selected,
      confidence: 97,
    });
    // "Sex:  Male: ☐  Female: ☑", "Smoker: ☑" and "☐ Other: please identify" (Textract's key on the
    // corpus form is "Other").
    const page = {
      lines: [
        line('Sex:', 0.05, 0.2),
        line('Male:', 0.12, 0.2),
        line('Female:', 0.23, 0.2),
        line('Smoker:', 0.05, 0.4),
        { words: [word('Other:', 0.07, 0.6), word('please', 0.14, 0.6), word('identify', 0.21, 0.6)] },
      ],
      selections: [box(0.185, 0.2), box(0.295, 0.2, true), box(0.115, 0.4, true), box(0.05, 0.6)],
    };
    expect(forms(page)).toEqual({
      'Male:': 'NOT_SELECTED',
      'Female:': 'SELECTED',
      'Smoker:': 'SELECTED',
      'Other:': 'NOT_SELECTED',
    });
  });
});
