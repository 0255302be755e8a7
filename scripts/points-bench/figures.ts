/*
 * The figures the points benchmark prints on its pages (scripts/points-bench/pages.ts), drawn from a
 * seeded generator so every run prints the same ones. Besides money and grouped amounts, the kinds a
 * page mixes in are those whose points and commas are not decimal marks at all (dates, IP addresses,
 * European amounts, phone and account numbers): a mark put back in the wrong place there is as bad as
 * one left out of an amount.
 */

/** Mulberry32: a few lines, and seeded, which Math.random cannot be. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const weighted = <T extends string>(weights: Partial<Record<T, number>>): T => {
    const entries = Object.entries(weights) as [T, number][];
    let r = next() * entries.reduce((s, [, v]) => s + v, 0);
    for (const [k, v] of entries) if ((r -= v) < 0) return k;
    return entries[entries.length - 1]![0];
  };
  return { next, int, pick, weighted };
}
type Rng = ReturnType<typeof rng>;

export type Category = 'money' | 'integer' | 'id/phone' | 'date' | 'ip' | 'european' | 'grouped';

const group = (n: number, sep: string) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, sep);
export const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** One value of the category, as the words it prints as ("555 0123" is two). */
export function figureText(cat: Category, r: Rng): string[] {
  const cents = () => pad(r.int(0, 99), 2);
  // Half the amounts are under 100, where a lost point changes the most.
  const amount = (max: number) => (r.int(0, 1) ? r.int(1, 99) : r.int(1, max));
  switch (cat) {
    case 'money': {
      const kind = r.weighted({
        plain: 5,
        comma: 4,
        neg: 2,
        dollar: 2,
        paren: 1.5,
        pct: 1.5,
        dp: 1,
        plus: 0.5,
      });
      if (kind === 'plain') return [`${amount(999)}.${cents()}`];
      if (kind === 'comma') return [`${group(r.int(1000, r.int(0, 1) ? 9999 : 999999), ',')}.${cents()}`];
      if (kind === 'neg')
        return [`-${r.int(0, 1) ? amount(999) : group(r.int(1000, 99999), ',')}.${cents()}`];
      if (kind === 'dollar')
        return [`$${r.int(0, 1) ? amount(999) : group(r.int(1000, 9999999), ',')}.${cents()}`];
      if (kind === 'paren')
        return [`(${r.int(0, 1) ? amount(999) : group(r.int(1000, 99999), ',')}.${cents()})`];
      if (kind === 'pct') return [r.int(0, 1) ? `${r.int(1, 99)}%` : `${r.int(1, 99)}.${r.int(0, 9)}%`];
      if (kind === 'plus') return [`+${amount(999)}.${cents()}`];
      return [r.int(0, 1) ? `${r.int(0, 99)}.${r.int(0, 9)}` : `${r.int(0, 9)}.${pad(r.int(0, 999), 3)}`];
    }
    case 'integer': {
      const kind = r.weighted({ small: 4, year: 2, qty: 3, id: 2, hundreds: 2 });
      if (kind === 'small') return [String(r.int(1, 99))];
      if (kind === 'year') return [String(r.int(1990, 2030))];
      if (kind === 'qty') return [String(r.int(1, 999))];
      if (kind === 'hundreds') return [String(r.int(10, 99) * 100)];
      return [String(r.int(1000, 999999))];
    }
    case 'grouped':
      return [group(r.int(0, 1) ? r.int(1000, 99999) : r.int(1_000_000, 99_999_999), ',')];
    case 'id/phone': {
      const kind = r.weighted({ phone7: 2, uk: 2, intl: 1, acct: 2, sort: 1, card: 1, ref: 1, dashed: 1 });
      if (kind === 'phone7') return [String(r.int(200, 999)), pad(r.int(0, 9999), 4)];
      if (kind === 'uk') return [`020-${r.int(7000, 8999)}-${pad(r.int(0, 9999), 4)}`];
      if (kind === 'intl') return ['+44', '20', String(r.int(7000, 8999)), pad(r.int(0, 9999), 4)];
      if (kind === 'acct') return [pad(r.int(0, 99999999), 8)];
      if (kind === 'sort')
        return [`${pad(r.int(10, 99), 2)}-${pad(r.int(0, 99), 2)}-${pad(r.int(0, 99), 2)}`];
      if (kind === 'card') return [0, 1, 2, 3].map(() => pad(r.int(0, 9999), 4));
      if (kind === 'dashed') return [`${r.int(200, 999)}-${pad(r.int(0, 9999), 4)}`];
      return [pad(r.int(0, 99999999), r.pick([6, 9, 10]))];
    }
    case 'date': {
      const [d, m, y] = [r.int(1, 28), r.int(1, 12), r.int(1990, 2030)];
      const kind = r.weighted({ slash: 2, iso: 2, dot: 3, short: 2, time: 1 });
      if (kind === 'slash') return [`${pad(d, 2)}/${pad(m, 2)}/${y}`];
      if (kind === 'iso') return [`${y}-${pad(m, 2)}-${pad(d, 2)}`];
      if (kind === 'dot') return [`${pad(d, 2)}.${pad(m, 2)}.${y}`];
      if (kind === 'short') return [`${d}.${m}.${pad(y % 100, 2)}`];
      return [`${pad(r.int(0, 23), 2)}:${pad(r.int(0, 59), 2)}`];
    }
    case 'ip':
      return [
        r.pick([
          `192.168.${r.int(0, 9)}.${r.int(1, 254)}`,
          `10.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`,
          `172.${r.int(16, 31)}.${r.int(0, 255)}.${r.int(1, 254)}`,
          `${r.int(1, 223)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`,
        ]),
      ];
    case 'european': {
      const kind = r.weighted({ dec: 3, grouped: 3, int: 2, neg: 1 });
      if (kind === 'dec') return [`${amount(999)},${cents()}`];
      if (kind === 'grouped') return [`${group(r.int(1000, 9999999), '.')},${cents()}`];
      if (kind === 'int') return [group(r.int(1000, 99999999), '.')];
      return [`-${amount(999)},${cents()}`];
    }
  }
}
