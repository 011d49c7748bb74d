import type { IncomingHttpHeaders } from 'node:http';

/**
 * A node-style header object (lower-case names; a repeated header a list) read as a Fetch `Headers`
 * answers `get`: for webhooks received and store answers, without building a Fetch Headers for each.
 */
export class NodeHeaders {
  constructor(private readonly headers: IncomingHttpHeaders) {}

  get(name: string): string | null {
    const value = this.headers[name.toLowerCase()];
    // node joins repeated headers with ", " except a few (set-cookie) it keeps as a list; Headers joins them all.
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  }
}
