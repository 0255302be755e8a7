/*
 * The review desk's document view, in the browser: draws a box around every field on the page image
 * (those that need review in red, the others on hover), edits a value in place, approves or rejects
 * through the JSON API, and binds the keyboard shortcuts the page lists. The server renders the HTML;
 * this script only adds behaviour. Served as a module from this origin (the CSP allows nothing else).
 * Part 3 of 3: compiled with desk-api.ts (calls to the API) and desk-claim.ts (the reviewer's claim)
 * into one desk.js, the one script the page loads.
 */

class DocumentView {
  private readonly id: string;
  private readonly pages: number;
  private readonly base: string;
  private fields: Field[] = [];
  /** The fields to review, in page and reading order: what j/k and Tab walk through. */
  private queue: Field[] = [];
  private current = -1;
  private page = 1;
  /** New values by field id, not yet sent. */
  private readonly edits = new Map<string, string>();
  private readonly accepted = new Set<string>();
  private readonly claim: DocumentClaim;
  private busy = false;
  private done = false;

  private readonly image = element<HTMLImageElement>('page-image');
  private readonly boxes = element<HTMLDivElement>('boxes');
  private readonly editor = element<HTMLInputElement>('editor');
  private readonly list = element<HTMLOListElement>('review-fields');
  private readonly message = element<HTMLParagraphElement>('message');
  private readonly rejectForm = element<HTMLFormElement>('reject-form');
  private readonly rejectReason = element<HTMLTextAreaElement>('reject-reason');

  constructor(body: HTMLElement) {
    this.id = body.dataset.documentId ?? '';
    this.pages = Math.max(1, Number(body.dataset.pages ?? '1'));
    // Relative to the page's <base href>: the API may be served under a path.
    this.base = `documents/${encodeURIComponent(this.id)}`;
    this.claim = new DocumentClaim(this.base);
  }

  async start(): Promise<void> {
    this.bind();
    const loaded = this.showPage(1);
    // The claim is not waited for: the reviewer can look while it is taken (actions say if it is not).
    const claimed = this.claim.take();
    const fields = await call('GET', `${this.base}/fields`);
    if (fields.status !== 200) {
      this.say(`The fields could not be read: ${messageOf(fields)}`);
    } else {
      this.fields = (fields.body.fields as Field[] | undefined) ?? [];
      this.queue = this.fields
        .filter((f) => f.needsReview)
        .sort(
          (a, b) =>
            a.page - b.page ||
            (a.box?.top ?? 0) - (b.box?.top ?? 0) ||
            (a.box?.left ?? 0) - (b.box?.left ?? 0),
        );
      this.renderList();
    }
    await loaded;
    this.drawBoxes();
    // The view is usable: page 1 is shown with its boxes (tests and the benchmark wait for this).
    document.body.dataset.ready = 'true';
    performance.mark('desk-ready');
    if (this.queue.length > 0) this.select(0);
    await claimed;
  }

  private bind(): void {
    element('prev-page').addEventListener('click', () => void this.turn(-1));
    element('next-page').addEventListener('click', () => void this.turn(1));
    element('approve').addEventListener('click', () => void this.approve());
    element('reject').addEventListener('click', () => this.askReason());
    element('reject-cancel').addEventListener('click', () => {
      this.rejectForm.hidden = true;
    });
    this.rejectForm.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.reject(this.rejectReason.value.trim());
    });
    this.editor.addEventListener('keydown', (event) => this.onEditorKey(event));
    document.addEventListener('keydown', (event) => this.onKey(event));
    // Working counts as activity: the lease (the profile's claimIdle) is renewed while the reviewer
    // types or clicks, not only when corrections are sent.
    for (const kind of ['keydown', 'pointerdown'] as const) {
      document.addEventListener(kind, () => this.claim.renew(), { passive: true });
    }
    window.addEventListener('pagehide', () => this.claim.release());
    document.addEventListener('click', (event) => this.claim.onLinkClick(event));
  }

  // ── pages and boxes ──────────────────────────────────────────────────────────────────────────

  private showPage(n: number): Promise<void> {
    this.page = n;
    element('page-label').textContent = `page ${n} of ${this.pages}`;
    element<HTMLButtonElement>('prev-page').disabled = n <= 1;
    element<HTMLButtonElement>('next-page').disabled = n >= this.pages;
    this.boxes.replaceChildren();
    this.editor.hidden = true;
    return new Promise((resolve) => {
      const done = () => {
        this.image.removeEventListener('load', done);
        this.image.removeEventListener('error', failed);
        resolve();
      };
      const failed = () => {
        this.say(`Page ${n} could not be shown.`);
        done();
      };
      this.image.addEventListener('load', done);
      this.image.addEventListener('error', failed);
      this.image.alt = `page ${n} of the document`;
      this.image.src = `${this.base}/pages/${n}`;
    });
  }

  private async turn(delta: number): Promise<void> {
    const n = this.page + delta;
    if (n < 1 || n > this.pages) return;
    await this.showPage(n);
    this.drawBoxes();
  }

  private drawBoxes(): void {
    const boxes = this.fields
      .filter((f) => f.page === this.page && f.box)
      .map((f) => {
        const div = document.createElement('div');
        const box = f.box!;
        div.className = `box${f.needsReview ? ' review' : ''}${this.accepted.has(f.id) ? ' accepted' : ''}`;
        div.dataset.fieldId = f.id;
        div.title = `${f.name} · ${f.confidence.toFixed(1)}%`;
        div.style.left = percent(box.left);
        div.style.top = percent(box.top);
        div.style.width = percent(box.width);
        div.style.height = percent(box.height);
        // Only the fields under review are edited here: the workflow accepts corrections of the
        // fields it routed (and a few others it summarised), so an edit elsewhere could be refused
        // and hold up the approval. Other boxes show their name and confidence on hover.
        div.addEventListener('click', () => {
          const i = this.queue.indexOf(f);
          if (i >= 0) this.select(i);
        });
        return div;
      });
    this.boxes.replaceChildren(...boxes);
    this.highlight();
  }

  // ── the fields to review ─────────────────────────────────────────────────────────────────────

  private renderList(): void {
    const items = this.queue.map((f, i) => {
      const li = document.createElement('li');
      li.dataset.fieldId = f.id;
      if (this.accepted.has(f.id)) li.classList.add('accepted');
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = f.name || '(no label)';
      const why = document.createElement('span');
      why.className = 'why';
      why.textContent = ` ${f.reasons.join(', ').toLowerCase().replace(/_/g, ' ')} · ${f.confidence.toFixed(1)}% (needs ${f.threshold ?? '?'}) · page ${f.page}`;
      const value = document.createElement('span');
      value.className = 'value';
      value.textContent = this.edits.get(f.id) ?? f.value;
      li.append(name, why, value);
      li.addEventListener('click', () => this.select(i));
      return li;
    });
    if (items.length === 0) {
      const li = document.createElement('li');
      li.textContent = 'No field is marked: the document was routed here for another reason.';
      items.push(li);
    }
    this.list.replaceChildren(...items);
    this.highlight();
  }

  private highlight(): void {
    const id = this.queue[this.current]?.id;
    for (const el of document.querySelectorAll<HTMLElement>('[data-field-id]')) {
      el.classList.toggle('current', el.dataset.fieldId === id);
    }
  }

  private select(i: number): void {
    const field = this.queue[i];
    if (!field) return;
    this.current = i;
    this.editField(field);
  }

  /** Opens the in-place editor under the field's box (on its page). */
  private editField(field: Field): void {
    const open = () => {
      this.highlight();
      const box = field.box;
      if (!box) {
        this.editor.hidden = true;
        this.say(`${field.name} has no place on the page; edit it in the list.`);
        return;
      }
      this.editor.style.left = percent(box.left);
      this.editor.style.top = percent(Math.min(box.top + box.height, 0.97));
      this.editor.style.width = `max(180px, ${percent(box.width)})`;
      this.editor.value = this.edits.get(field.id) ?? field.value;
      this.editor.dataset.fieldId = field.id;
      this.editor.hidden = false;
      this.editor.focus();
      this.editor.select();
    };
    if (field.page !== this.page) {
      void this.showPage(field.page).then(() => {
        this.drawBoxes();
        open();
      });
    } else {
      open();
    }
  }

  private editing(): Field | undefined {
    const id = this.editor.dataset.fieldId;
    return this.editor.hidden ? undefined : this.fields.find((f) => f.id === id);
  }

  /** Keeps what the editor holds as the field's pending value. */
  private keepEdit(): void {
    const field = this.editing();
    if (!field) return;
    if (this.editor.value !== field.value) this.edits.set(field.id, this.editor.value);
    else this.edits.delete(field.id);
  }

  private onEditorKey(event: KeyboardEvent): void {
    const field = this.editing();
    if (!field) return;
    if (event.key === 'Enter') {
      event.preventDefault();
      this.keepEdit();
      this.accepted.add(field.id);
      this.renderList();
      this.drawBoxes();
      this.move(1, true);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      this.edits.delete(field.id);
      this.accepted.delete(field.id);
      this.editor.value = field.value;
      this.editor.hidden = true;
      this.editor.blur();
      this.renderList();
    } else if (event.key === 'Tab') {
      event.preventDefault();
      this.keepEdit();
      this.renderList();
      this.move(event.shiftKey ? -1 : 1, false);
    }
  }

  /** The next (or previous) field to review; after the last accepted one, focus leaves the editor. */
  private move(delta: number, afterAccept: boolean): void {
    const next = this.current + delta;
    if (next >= 0 && next < this.queue.length) {
      this.select(next);
      return;
    }
    if (afterAccept) {
      this.editor.hidden = true;
      this.editor.blur();
      this.say('Every field is reviewed: a approves, r rejects.');
    }
  }

  private onKey(event: KeyboardEvent): void {
    const target = event.target as HTMLElement | null;
    // Typing, a focused button (Enter presses it) and the open reject form keep their keys.
    if (target && ['INPUT', 'TEXTAREA', 'BUTTON', 'A'].includes(target.tagName)) return;
    if (!this.rejectForm.hidden) return;
    if (event.ctrlKey || event.metaKey || event.altKey || this.done) return;
    const keys: Record<string, () => void> = {
      j: () => this.select(Math.min(this.current + 1, this.queue.length - 1)),
      k: () => this.select(Math.max(this.current - 1, 0)),
      Tab: () =>
        this.select(
          event.shiftKey ? Math.max(this.current - 1, 0) : Math.min(this.current + 1, this.queue.length - 1),
        ),
      Enter: () => this.select(Math.max(this.current, 0)),
      a: () => void this.approve(),
      r: () => this.askReason(),
      ArrowLeft: () => void this.turn(-1),
      ArrowRight: () => void this.turn(1),
    };
    const action = keys[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  }

  // ── decisions ────────────────────────────────────────────────────────────────────────────────

  private async approve(): Promise<void> {
    if (this.busy || this.done) return;
    this.keepEdit();
    this.busy = true;
    try {
      if (this.edits.size > 0) {
        this.say('Saving corrections…');
        const fields = Object.fromEntries(this.edits);
        const corrected = await call('POST', `${this.base}/review`, { action: 'correct', fields });
        if (corrected.status !== 200) {
          this.say(`The corrections were refused: ${messageOf(corrected)}`);
          return;
        }
        for (const field of this.fields) {
          const value = this.edits.get(field.id);
          if (value !== undefined) field.value = value;
        }
        this.edits.clear();
      }
      this.say('Approving…');
      const approved = await call('POST', `${this.base}/review`, { action: 'approve' });
      if (approved.status !== 200) {
        this.say(`The approval was refused: ${messageOf(approved)}`);
        return;
      }
      // A profile's critical fields need approvals from two reviewers: the state says how many.
      const state = await call('GET', this.base);
      const needed = typeof state.body.approvalsNeeded === 'number' ? state.body.approvalsNeeded : 1;
      const given = Array.isArray(state.body.approvals) ? state.body.approvals.length : needed;
      this.finish(
        given < needed
          ? "Approved: your approval is recorded; the document waits for another reviewer's approval."
          : 'Approved: the output is being written.',
      );
    } finally {
      this.busy = false;
    }
  }

  private askReason(): void {
    if (this.done) return;
    this.rejectForm.hidden = false;
    this.rejectReason.focus();
  }

  private async reject(reason: string): Promise<void> {
    if (this.busy || this.done || !reason) return;
    this.busy = true;
    try {
      const rejected = await call('POST', `${this.base}/review`, { action: 'reject', reason });
      if (rejected.status !== 200) {
        this.say(`The rejection was refused: ${messageOf(rejected)}`);
        return;
      }
      this.rejectForm.hidden = true;
      this.finish('Rejected.');
    } finally {
      this.busy = false;
    }
  }

  private finish(text: string): void {
    this.done = true;
    this.claim.ended = true;
    this.editor.hidden = true;
    element('status').textContent = text;
    for (const id of ['approve', 'reject']) element<HTMLButtonElement>(id).disabled = true;
    this.say(text);
    const back = document.createElement('a');
    back.href = 'desk';
    back.textContent = ' Back to the queue';
    this.message.append(back);
    document.body.dataset.decided = 'true';
  }

  private say(text: string): void {
    this.message.textContent = text;
  }
}

if (document.body.dataset.view === 'document') {
  void new DocumentView(document.body).start();
}
