import type { IncomingMessage, ServerResponse } from 'node:http';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string | undefined>;
  query: URLSearchParams;
}

export type Handler = (ctx: RequestContext) => Promise<void> | void;

export interface Route {
  methods: ('GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH')[];
  path: string;
  handler: Handler;
}
