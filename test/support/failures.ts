// What a promise that should fail failed with: the tests assert on the failure itself.
import { ApplicationFailure } from '@temporalio/common';

/** The ApplicationFailure `promise` rejects with; anything else (or success) fails the test. */
export async function applicationFailure(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await promise.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );
  if (!(err instanceof ApplicationFailure)) throw err;
  return err;
}
