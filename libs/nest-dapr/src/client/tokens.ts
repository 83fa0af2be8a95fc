/** Injection token of the resolved `DaprClientOptions`. */
export const DAPR_CLIENT_OPTIONS = Symbol('DAPR_CLIENT_OPTIONS');
