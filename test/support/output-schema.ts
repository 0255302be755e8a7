// lib/output-schema.json as the tests use it: the parsed schema, and a real draft 2020-12 validator
// (Ajv with formats) that says what is wrong with a document.
import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** The parsed schema. */
export const outputSchema = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '..', '..', 'lib', 'output-schema.json'), 'utf8'),
) as Record<string, unknown>;

// Strict: an unknown keyword or a malformed schema fails compilation instead of being ignored. But
// `required` may name properties defined elsewhere: the status conditions require textract or
// duplicateOf, which the document's own `properties` define.
const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true, allowUnionTypes: true });
addFormats(ajv);
const validate = ajv.compile(outputSchema);

/** What makes `document` invalid against lib/output-schema.json, one line each; [] when it is valid. */
export function outputSchemaErrors(document: unknown): string[] {
  if (validate(document)) return [];
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`,
  );
}
