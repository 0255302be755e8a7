// The AWS SDK's logger middleware runs its sensitive-data filter over every request and response
// (a walk of the whole shape: every Block of a Textract page) even when the logger does nothing with
// it; on the throughput benchmark that walk was 4 % of the worker's CPU. docket never logs through
// the SDK (no document text in logs), so its clients run without that middleware.

/** The part of an AWS SDK v3 client this needs. */
interface WithMiddlewareStack {
  middlewareStack: { remove(toRemove: string): boolean };
}

/** Returns `client` with the SDK's logger middleware removed: the SDK logs nothing and filters nothing. */
export function unlogged<C extends WithMiddlewareStack>(client: C): C {
  client.middlewareStack.remove('loggerMiddleware');
  return client;
}
