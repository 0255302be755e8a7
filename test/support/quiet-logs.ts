// Unit and workflow tests print only errors: a passing run is quiet, a failing one shows
// what went wrong.
import type { Info } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';

export const quietLogger = new DefaultLogger('ERROR');

/** MockActivityEnvironment whose activity logs below WARN are dropped. */
export function quietActivityEnvironment(info?: Partial<Info>): MockActivityEnvironment {
  return new MockActivityEnvironment(info, { logger: quietLogger });
}
