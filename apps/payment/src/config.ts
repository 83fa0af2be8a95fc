import { intFromEnv } from '@repo/nest-dapr';

/** Payment's settings, from the environment; the defaults are what `npm start` runs. */
export class PaymentConfig {
  /** `PAYMENT_LIMIT` (default 50000): a payment over this total fails, which makes the saga compensate. */
  readonly paymentLimit: number;
  /** `DEMO_SUBSCRIPTION_MODE`: see stock; `declarative` (default) or `programmatic`. */
  readonly demoSubscription: 'declarative' | 'programmatic';

  constructor(env: NodeJS.ProcessEnv) {
    this.paymentLimit = intFromEnv(env, 'PAYMENT_LIMIT', 50_000);
    const mode = env['DEMO_SUBSCRIPTION_MODE'] ?? 'declarative';
    if (mode !== 'declarative' && mode !== 'programmatic') throw new Error(`DEMO_SUBSCRIPTION_MODE must be declarative or programmatic, got '${mode}'`);
    this.demoSubscription = mode;
  }
}

export const paymentConfigProvider = { provide: PaymentConfig, useFactory: (): PaymentConfig => new PaymentConfig(process.env) };
