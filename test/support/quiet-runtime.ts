// The workflow project's workers log errors only (not every state change of every worker).
import { Runtime } from '@temporalio/worker';
import { quietLogger } from './quiet-logs';

Runtime.install({ logger: quietLogger });
