/**
 * Expense field types from labels, as AnalyzeExpense names them: a label's words decide its type
 * ("Sub Total" → SUBTOTAL, "Invoice Date" → INVOICE_RECEIPT_DATE), in order, the most specific first.
 */
import type { Block, ExpenseDetection, ExpenseField } from '@aws-sdk/client-textract';
import { boxOf, geometry, unionBox } from '../blocks';

const summaryTypes: [RegExp, string][] = [
  [/\b(amount|balance|total)\s+due\b|\bplease pay\b/i, 'AMOUNT_DUE'],
  [/\bsub\s*-?\s*total\b/i, 'SUBTOTAL'],
  [/\b(tax|vat|gst|hst)\b/i, 'TAX'],
  [/\bdiscount\b/i, 'DISCOUNT'],
  [/\b(tip|gratuity)\b/i, 'GRATUITY'],
  [/\b(paid|tend(ered)?|cash|change)\b/i, 'AMOUNT_PAID'],
  [/\btotal\b/i, 'TOTAL'],
  [/\bdue\s+date\b|\bpayment\s+due\b/i, 'DUE_DATE'],
  [/\border\s+date\b/i, 'ORDER_DATE'],
  [/\b(invoice|receipt|bill)\s*(no\.?|number|#|id)\b/i, 'INVOICE_RECEIPT_ID'],
  [/\b(invoice|receipt)?\s*date\b/i, 'INVOICE_RECEIPT_DATE'],
  [/\b(p\.?\s?o\.?|purchase\s+order)\s*(no\.?|number|#)?\b/i, 'PO_NUMBER'],
  [/\baccount\s*(no\.?|number|#)\b/i, 'ACCOUNT_NUMBER'],
  [/\bterms\b/i, 'PAYMENT_TERMS'],
  [/\b(phone|tel)\b/i, 'VENDOR_PHONE'],
  [/\b(bill\s+to|customer)\b/i, 'RECEIVER_NAME'],
];

const itemTypes: [RegExp, string][] = [
  [/\b(unit\s*price|rate|price\s*each|each)\b/i, 'UNIT_PRICE'],
  [/\b(qty|quantity|hrs|hours|units?)\b/i, 'QUANTITY'],
  [/\b(code|sku|part|upc)\b/i, 'PRODUCT_CODE'],
  [/\b(amount|total|price|line\s*total|cost)\b/i, 'PRICE'],
  [/\b(desc(ription)?|item|service|product|article|details?)\b/i, 'ITEM'],
];

/** The summary type a label names; OTHER when it names none. */
export function summaryType(label: string): string {
  return summaryTypes.find(([re]) => re.test(label))?.[1] ?? 'OTHER';
}

/** The line-item type a column header names, when it names one. */
export function itemType(header: string): string | undefined {
  return itemTypes.find(([re]) => re.test(header))?.[1];
}

/** A figure: an amount, a count, a rate. */
export const amountLike = /^[\s$€£¥(+-]*\d[\d\s.,]*\)?\s*[a-z%]{0,3}$/i;

function mean(words: readonly Block[]): number {
  return words.length === 0 ? 0 : words.reduce((s, w) => s + (w.Confidence ?? 0), 0) / words.length;
}

/** An ExpenseDetection for some words, or undefined for none. */
export function detection(words: readonly Block[]): ExpenseDetection | undefined {
  if (words.length === 0) return undefined;
  return {
    Text: words.map((w) => w.Text ?? '').join(' '),
    Geometry: geometry(unionBox(words.map(boxOf))),
    Confidence: mean(words),
  };
}

/** An ExpenseField with a type, optional label and value words. */
export function expenseField(
  type: string,
  label: readonly Block[],
  value: readonly Block[],
  page: number,
  confidence = 80,
): ExpenseField {
  const labelDetection = detection(label);
  const valueDetection = detection(value) ?? { Text: '', Confidence: 0 };
  return {
    Type: { Text: type, Confidence: confidence },
    ...(labelDetection ? { LabelDetection: labelDetection } : {}),
    ValueDetection: valueDetection,
    PageNumber: page,
    ...currency(valueDetection.Text ?? ''),
  };
}

/** The currency an amount is written in, when its symbol shows it. */
function currency(text: string): Pick<ExpenseField, 'Currency'> {
  const code = text.includes('$')
    ? 'USD'
    : text.includes('€')
      ? 'EUR'
      : text.includes('£')
        ? 'GBP'
        : undefined;
  return code ? { Currency: { Code: code, Confidence: 80 } } : {};
}
