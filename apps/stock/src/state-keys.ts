/** Keys in the `stock-store` state store (daprd prefixes them with the app id). */
export const PRODUCT_INDEX_KEY = 'products';
export const productKey = (productId: string): string => `product:${productId}`;
export const allocationKey = (requestId: string): string => `allocation:${requestId}`;
