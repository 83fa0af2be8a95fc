/**
 * Who is shopping. The front has no login: each browser gets its own shopper id, kept in localStorage (so two
 * tabs share one cart), and `?user=<id>` picks another one, e.g. to look at a cart from a second browser.
 */
const KEY = 'dapr-shop.shopper';

export function currentShopper(): string {
  const fromUrl = new URLSearchParams(location.search).get('user')?.trim();
  if (fromUrl) {
    localStorage.setItem(KEY, fromUrl);
    return fromUrl;
  }
  const stored = localStorage.getItem(KEY);
  if (stored) return stored;
  // getRandomValues works on plain http too (randomUUID needs a secure context).
  const fresh = `shopper-${Array.from(crypto.getRandomValues(new Uint8Array(4)), (b) => b.toString(16).padStart(2, '0')).join('')}`;
  localStorage.setItem(KEY, fresh);
  return fresh;
}

export function switchShopper(id: string): void {
  localStorage.setItem(KEY, id);
  const url = new URL(location.href);
  url.searchParams.set('user', id);
  location.assign(url.toString());
}
