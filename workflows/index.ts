// The workflows the worker bundles.
export { documentWorkflow } from './document-workflow';
export { textractQuotaWorkflow } from './textract-quota';
