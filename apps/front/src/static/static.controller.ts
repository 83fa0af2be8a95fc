import { Controller, Get, Headers, NotFoundException, Param, Res } from '@nestjs/common';
import { StaticFiles, type StaticFile } from './static-files';

interface Response {
  status(code: number): Response;
  setHeader(name: string, value: string): void;
  send(body?: Buffer): void;
}

/** Pages allow only their own scripts, styles and API: no inline code, nothing from elsewhere. */
const PAGE_SECURITY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** The storefront at `/`, the operations page at `/operations`, and their scripts and styles under `/assets/`. */
@Controller()
export class StaticController {
  constructor(private readonly files: StaticFiles) {}

  @Get()
  storefront(@Headers('if-none-match') ifNoneMatch: string | undefined, @Res() res: Response): void {
    this.send(res, 'index.html', ifNoneMatch);
  }

  @Get('operations')
  operations(@Headers('if-none-match') ifNoneMatch: string | undefined, @Res() res: Response): void {
    this.send(res, 'operations.html', ifNoneMatch);
  }

  @Get('assets/:name')
  asset(@Param('name') name: string, @Headers('if-none-match') ifNoneMatch: string | undefined, @Res() res: Response): void {
    if (name.endsWith('.html')) throw new NotFoundException();
    this.send(res, name, ifNoneMatch);
  }

  private send(res: Response, name: string, ifNoneMatch: string | undefined): void {
    const file: StaticFile | undefined = this.files.get(name);
    if (!file) throw new NotFoundException(`no file ${name}`);
    res.setHeader('content-type', file.contentType);
    res.setHeader('etag', file.etag);
    // Revalidate every time: a rebuild is seen at once, and an unchanged file costs a 304.
    res.setHeader('cache-control', 'no-cache');
    res.setHeader('x-content-type-options', 'nosniff');
    if (name.endsWith('.html')) res.setHeader('content-security-policy', PAGE_SECURITY);
    if (ifNoneMatch === file.etag) return void res.status(304).send();
    res.status(200).send(file.body);
  }
}
