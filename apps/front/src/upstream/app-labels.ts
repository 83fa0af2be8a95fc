import type { AppName } from '@repo/contracts';

/** How the pages name each app in a sentence ("Payment is not answering."). */
export const APP_LABELS: Record<AppName, string> = {
  front: 'The shop front',
  'svc-a': 'svc-a',
  'svc-b': 'svc-b',
  cart: 'The cart',
  order: 'The order service',
  stock: 'Stock',
  payment: 'Payment',
};
