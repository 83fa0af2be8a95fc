const MONEY = new Intl.NumberFormat('en', { style: 'currency', currency: 'JPY' });
const TIME = new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

/** Prices are whole yen, as in nautible. */
export function money(amount: number): string {
  return MONEY.format(amount);
}

export function time(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : TIME.format(date);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
