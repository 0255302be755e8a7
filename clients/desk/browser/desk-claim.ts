/*
 * The desk's browser script, part 2 of 3 (compiled with desk-api.ts and desk.ts into one desk.js):
 * the reviewer's claim on the document shown: taken as the view opens, renewed on activity, given up
 * as the reviewer leaves.
 */

class DocumentClaim {
  /** Whether this view holds the claim. */
  held = false;
  /** Set once the document is decided: the claim is neither renewed nor released any more. */
  ended = false;
  /** The lease of the claim this view holds (ms since epoch), for renewing it while the reviewer works. */
  private lease?: { from: number; until: number };
  private renewing = false;

  /** `base` is the document's API path, relative to the page's <base href>. */
  constructor(private readonly base: string) {}

  async take(): Promise<void> {
    const claim = element('claim');
    const answer = await call('POST', `${this.base}/claim`, {});
    if (answer.status === 200) {
      this.held = true;
      // The claim route answers { status, claim: { reviewer, expiresAt, … } }.
      const expiresAt = (answer.body.claim as { expiresAt?: unknown } | undefined)?.expiresAt;
      const until = typeof expiresAt === 'string' ? ` until ${expiresAt.slice(11, 16)} UTC` : '';
      claim.textContent = `You hold this document${until}.`;
      this.lease =
        typeof expiresAt === 'string' ? { from: Date.now(), until: Date.parse(expiresAt) } : undefined;
    } else if (answer.status === 409) {
      // A renewal can find the lease lapsed and taken by someone else.
      this.held = false;
      this.lease = undefined;
      // Someone else holds it: say who, from the document's state (or as the page was rendered).
      const state = await call('GET', this.base);
      const held = { reviewer: claim.dataset.heldBy, expiresAt: claim.dataset.heldUntil };
      // A lapsed claim stays in the state (nothing wakes the workflow): only a live one holds.
      const shown = state.body.claim as { reviewer?: string; expiresAt?: string } | undefined;
      const live = shown?.expiresAt && Date.parse(shown.expiresAt) > Date.now() ? shown : undefined;
      const holder = live ?? (held.reviewer ? held : undefined);
      claim.textContent = holder?.reviewer
        ? `Held by ${holder.reviewer}${holder.expiresAt ? ` until ${holder.expiresAt.slice(11, 16)} UTC` : ''}: your actions may be refused.`
        : `Not claimed: ${messageOf(answer)}`;
      claim.dataset.heldBy = holder?.reviewer ?? '';
    } else if (answer.status === 404 || answer.status === 403) {
      // No claims here (or the document is gone, which the next action will say); an operator
      // looking at a document does not take it from reviewers (claims are a reviewer's).
      claim.textContent = '';
    } else {
      claim.textContent = `Not claimed: ${messageOf(answer)}`;
    }
  }

  /** Claims again (which extends the holder's lease) once half of it has passed, on activity. */
  renew(): void {
    if (!this.held || !this.lease || this.renewing || this.ended) return;
    if (Date.now() < this.lease.from + (this.lease.until - this.lease.from) / 2) return;
    this.renewing = true;
    void this.take().finally(() => {
      this.renewing = false;
    });
  }

  /**
   * Gives the claim up as the page goes away. A beacon outlives the page; its body is `{}` as JSON,
   * never an empty body labelled application/json, which fastify refuses.
   */
  release(): void {
    if (!this.held || this.ended) return;
    this.held = false;
    const body = new Blob([JSON.stringify({})], { type: 'application/json' });
    navigator.sendBeacon(`${this.base}/release`, body);
  }

  /**
   * Follows a link of this site after giving the claim up. The beacon of `pagehide` leaves only once
   * the next page has arrived, so the queue would still show the claim of the document just left.
   */
  onLinkClick(event: MouseEvent): void {
    const link = (event.target as Element | null)?.closest('a');
    if (!link || link.origin !== window.location.origin || !this.held || this.ended) return;
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    this.held = false;
    void call('POST', `${this.base}/release`, {}).finally(() => window.location.assign(link.href));
  }
}
