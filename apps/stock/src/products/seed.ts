import type { Product } from '@repo/contracts';

/** The demo catalogue. `100` is the article's product id; `104` costs enough to trip the default payment limit twice over. */
export const SEED_PRODUCTS: readonly Product[] = [
  { productId: '100', name: 'Dapr sticker pack', price: 300, quantity: 100, reserved: 0 },
  { productId: '101', name: 'Sidecar mug', price: 1200, quantity: 50, reserved: 0 },
  { productId: '102', name: 'Saga T-shirt', price: 3500, quantity: 30, reserved: 0 },
  { productId: '103', name: 'Monorepo hoodie', price: 6800, quantity: 20, reserved: 0 },
  { productId: '104', name: 'Limited edition keyboard', price: 48000, quantity: 5, reserved: 0 },
  { productId: '105', name: 'Kubernetes poster', price: 800, quantity: 10, reserved: 0 },
];
