/*
 * The points benchmark's report (evaluate.ts): outcomes overall and by kind of figure, what sits
 * around it, font, degradation and print size, the commonest wrong changes, and examples. The texts
 * printed are the generated figures and OCR's readings of them, nothing from a real document.
 */
import { outcomes, sizes, type Counts, type Found, type Outcome, type Scored } from './match';
import { degradations } from './pages';

const short: Record<Outcome, string> = {
  'unchanged right': 'ok',
  'unchanged wrong (marks only)': 'miss',
  'unchanged wrong (other)': 'other',
  'changed right': 'fixed',
  'correct->wrong': 'broke',
  'wrong->other wrong': 'w->w',
};

type Tally = Record<Outcome, number>;
type Table = Record<string, Tally & { n: number }>;

function tally(rows: readonly Scored[]): Tally {
  const c = Object.fromEntries(outcomes.map((o) => [o, 0])) as Tally;
  for (const r of rows) c[r.outcome]++;
  return c;
}

const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)}%` : '-');
const wrongChanges = (c: Tally) => c['correct->wrong'] + c['wrong->other wrong'];

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    groups.set(k, [...(groups.get(k) ?? []), row]);
  }
  return groups;
}

export interface ReportOptions {
  /** What was scored: the live number-points.ts or a file given with --impl. */
  impl: string;
  /** Examples of each kind of change. */
  examples: number;
  /** Words OCR read with other digits, spread over all of them. */
  misreads: number;
}

/** The report as lines, and its figures for the JSON file. */
export function report(counts: Counts, found: Found, options: ReportOptions) {
  const { scored } = found;
  const out: string[] = [];
  const print = (s = '') => out.push(s);
  const total = tally(scored);
  print(
    `pages ${counts.pages}; truth tokens ${counts.truthTokens}; OCR words with digits ${counts.ocrDigitWords}`,
  );
  print(
    `considered ${counts.considered} (matched, same digits); unreadable ${counts.unreadable} (other digits); ` +
      `unmatched ${counts.unmatched} (no truth token under them; withPoints changed ${counts.unmatchedChanged})`,
  );
  print(
    `truth tokens no OCR word matched ${counts.truthUnseen}; considered words whose sign/$/()/% differ from truth ` +
      `(affixes not scored, text compared first digit to last) ${counts.affixDiffers}; ` +
      `affixes changed by withPoints ${counts.affixChanged}`,
  );
  print(`impl: ${options.impl}`);
  print(
    `figure-shaped (withPoints' own /figure/ test) among considered: ${scored.filter((s) => s.figureShaped).length}`,
  );
  print();
  for (const o of outcomes)
    print(`  ${o.padEnd(30)} ${String(total[o]).padStart(6)}  ${pct(total[o], counts.considered)}`);
  const wrong = wrongChanges(total);
  print(
    `  ${'changed wrong (total)'.padEnd(30)} ${String(wrong).padStart(6)}  ${pct(wrong, counts.considered)}`,
  );
  print(`  net words made right: ${total['changed right'] - total['correct->wrong']}`);

  const table = (title: string, key: (s: Scored) => string, order?: readonly string[]): Table => {
    const groups = groupBy(scored, key);
    const keys = order ? order.filter((k) => groups.has(k)) : [...groups.keys()].sort();
    print();
    print(
      `${title.padEnd(22)}${'n'.padStart(6)}${outcomes.map((o) => short[o].padStart(7)).join('')}   (wrong changes %)`,
    );
    const result: Table = {};
    for (const k of keys) {
      const rows = groups.get(k)!;
      const c = tally(rows);
      result[k] = { n: rows.length, ...c };
      const cells = outcomes.map((o) => String(c[o]).padStart(7)).join('');
      print(
        `${k.padEnd(22)}${String(rows.length).padStart(6)}${cells}   ${pct(wrongChanges(c), rows.length)}`,
      );
    }
    return result;
  };
  print();
  print('columns: ok=unchanged right, miss=unchanged wrong (marks only), other=unchanged wrong (not marks),');
  print('         fixed=changed right, broke=correct->wrong, w->w=wrong->differently wrong');
  const tables = {
    category: table('category', (s) => s.cat),
    context: table('context', (s) => s.context),
    style: table('font', (s) => s.style),
    degradation: table('degradation', (s) => s.degradation, degradations),
    size: table('x-height at OCR', (s) => s.size, sizes),
    figureShaped: table('figure-shaped?', (s) => (s.figureShaped ? 'figure-shaped' : 'not')),
  };

  const patterns = [
    ...groupBy(
      scored.filter((s) => s.pattern),
      (s) => `${s.pattern} [${s.cat}${s.context !== 'plain' ? `, ${s.context}` : ''}]`,
    ).entries(),
  ].sort((a, b) => b[1].length - a[1].length);
  print();
  print(
    `wrong-change patterns (${patterns.length}; top 20): count  pattern  e.g. page: truth | before -> after`,
  );
  for (const [k, rows] of patterns.slice(0, 20)) {
    const e = rows[0]!;
    print(`  ${String(rows.length).padStart(4)}  ${k}`);
    print(`        e.g. ${e.page}: ${e.full.truth} | ${e.full.before} -> ${e.full.after}`);
  }
  for (const o of [
    'correct->wrong',
    'wrong->other wrong',
    'changed right',
    'unchanged wrong (marks only)',
  ] as const) {
    const rows = scored.filter((s) => s.outcome === o);
    print();
    print(`examples: ${o} (${rows.length})`);
    for (const e of examples(rows, options.examples)) {
      const { truth, before, after } = e.full;
      print(
        `  ${e.page.padEnd(18)} truth ${truth.padEnd(16)} before ${before.padEnd(16)} after ${after.padEnd(16)} ` +
          `${e.cat}/${e.context}/${e.style}/${e.degradation}/x=${e.xHeight}`,
      );
    }
  }
  if (found.strays.length > 0) {
    print();
    print(`changes to words with no truth under them (${found.strays.length}; up to ${options.examples}):`);
    for (const u of found.strays.slice(0, options.examples)) print(`  ${u.page}: ${u.before} -> ${u.after}`);
  }
  if (options.misreads > 0) {
    const step = Math.max(1, Math.floor(found.misreads.length / options.misreads));
    print();
    print(`unreadable samples (every ${step}th):`);
    for (let i = 0; i < found.misreads.length; i += step) {
      const u = found.misreads[i]!;
      print(`  ${u.page}: truth ${u.truth} read ${u.read}`);
    }
  }
  return {
    lines: out,
    total,
    tables,
    patterns: patterns.map(([pattern, rows]) => ({ pattern, count: rows.length, example: rows[0]!.full })),
  };
}

/** Up to `n` of the rows, one of each pattern and kind of figure first, so they show the variety. */
export function examples(rows: readonly Scored[], n: number): Scored[] {
  const seen = new Set<string>();
  const first = rows.filter((r) => {
    const k = `${r.pattern}${r.cat}`;
    return !seen.has(k) && seen.add(k);
  });
  return [...first, ...rows.filter((r) => !first.includes(r))].slice(0, n);
}
