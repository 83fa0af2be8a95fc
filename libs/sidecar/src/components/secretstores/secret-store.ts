/** The secrets building block. A single-valued store returns `{ [name]: value }` for one secret. */
export interface SecretStore {
  getSecret(name: string, metadata: Record<string, string>): Promise<Record<string, string>>;
  bulkGetSecret(metadata: Record<string, string>): Promise<Record<string, Record<string, string>>>;
  close?(): Promise<void>;
}

export class SecretNotFoundError extends Error {
  constructor(name: string) {
    super(`secret ${name} not found`);
    this.name = 'SecretNotFoundError';
  }
}
