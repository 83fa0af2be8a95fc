import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { FrontConfig } from '../config';

export interface StaticFile {
  body: Buffer;
  contentType: string;
  etag: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

/**
 * The built pages and scripts, read once at start-up: a handful of small files, served from memory by name,
 * so no request path ever reaches the file system.
 */
@Injectable()
export class StaticFiles implements OnModuleInit {
  private readonly logger = new Logger(StaticFiles.name);
  private readonly files = new Map<string, StaticFile>();

  constructor(private readonly config: FrontConfig) {}

  onModuleInit(): void {
    const dir = this.config.publicDir;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      throw new Error(`the front's pages are missing: ${dir} does not exist (run: npx nx build front)`);
    }
    for (const name of names) {
      const contentType = TYPES[path.extname(name)];
      if (!contentType) continue;
      const body = readFileSync(path.join(dir, name));
      this.files.set(name, { body, contentType, etag: `"${createHash('sha1').update(body).digest('base64url')}"` });
    }
    this.logger.log(`serving ${this.files.size} files from ${dir}`);
  }

  get(name: string): StaticFile | undefined {
    return this.files.get(name);
  }
}
