// The workflows the worker bundles.
import { setWorkflowOptions } from '@temporalio/workflow';
import { documentWorkflow } from './document-workflow';

// With Worker Versioning on, a waiting document moves to the new build (docs/deployment.md says why).
setWorkflowOptions({ versioningBehavior: 'AUTO_UPGRADE' }, documentWorkflow);

export { documentWorkflow };
