/** Stock's settings, from the environment; the defaults are what `npm start` runs. */
export class StockConfig {
  /** `STOCK_SEED` (default true): put the demo catalogue in the store when it has none. */
  readonly seedProducts: boolean;
  /**
   * `DEMO_SUBSCRIPTION_MODE`: `declarative` (default) when a `Subscription` file routes the article's `order`
   * topic here, `programmatic` when this app lists it in `/dapr/subscribe` instead (remove the file then).
   */
  readonly demoSubscription: 'declarative' | 'programmatic';

  constructor(env: NodeJS.ProcessEnv) {
    this.seedProducts = env['STOCK_SEED'] !== 'false';
    const mode = env['DEMO_SUBSCRIPTION_MODE'] ?? 'declarative';
    if (mode !== 'declarative' && mode !== 'programmatic') throw new Error(`DEMO_SUBSCRIPTION_MODE must be declarative or programmatic, got '${mode}'`);
    this.demoSubscription = mode;
  }
}

export const stockConfigProvider = { provide: StockConfig, useFactory: (): StockConfig => new StockConfig(process.env) };
