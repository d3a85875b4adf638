import {
  createServer as createHttp1Server,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import {
  createServer as createHttp2Server,
  type Http2ServerRequest,
  type Http2ServerResponse,
} from 'node:http2';
import type { TLSSocket } from 'node:tls';
import type { SecureConnectionDetails } from './events.js';

/** What the page at `/` and the JSON at `/json` say about the connection they came over. */
export interface ConnectionDescription {
  connection: number;
  worker: number | null;
  remoteAddress: string | null;
  remotePort: number | null;
  tls: SecureConnectionDetails;
  request: {
    method: string;
    path: string;
    /** `1.1` or `2.0`. */
    httpVersion: string;
    userAgent: string | null;
  };
}

export type ConnectionFacts = Omit<ConnectionDescription, 'request'>;

/** Serves one secure connection as HTTP; `facts` describe it (read once, at the handshake). */
export type HttpConnectionHandler = (socket: TLSSocket, facts: ConnectionFacts) => void;

/** Where the facts ride on the socket: http2 hands requests a proxy of it, which forwards this. */
const FACTS = Symbol('tlskit connection facts');

/**
 * A small HTTP responder for `serve --http`: HTTP/1.1, or HTTP/2 when ALPN chose h2, over the
 * sockets the TLS server hands it (node:http and node:http2 parse; nothing listens). Routes:
 * `GET /` an HTML page (JSON when the Accept header asks only for JSON), `GET /json` JSON,
 * HEAD likewise, anything else 404 or 405.
 */
export function createHttpMode(): HttpConnectionHandler {
  const http1 = createHttp1Server((request, response) => respond(request, response));
  const http2 = createHttp2Server((request, response) => respond(request, response));
  return (socket, facts) => {
    (socket as TLSSocket & { [FACTS]?: ConnectionFacts })[FACTS] = facts;
    (socket.alpnProtocol === 'h2' ? http2 : http1).emit('connection', socket);
  };
}

type AnyRequest = IncomingMessage | Http2ServerRequest;
type AnyResponse = ServerResponse | Http2ServerResponse;

function respond(request: AnyRequest, response: AnyResponse): void {
  const facts = (request.socket as unknown as { [FACTS]?: ConnectionFacts })[FACTS];
  const path = (request.url ?? '/').split('?', 1)[0] as string;
  const method = request.method ?? 'GET';
  if (!facts) return send(response, method, 500, 'text/plain', 'no connection facts\n');
  if (method !== 'GET' && method !== 'HEAD') {
    response.setHeader('allow', 'GET, HEAD');
    return send(response, method, 405, 'text/plain; charset=utf-8', 'only GET and HEAD\n');
  }
  const description: ConnectionDescription = {
    ...facts,
    request: {
      method,
      path,
      httpVersion: request.httpVersion,
      userAgent: request.headers['user-agent'] ?? null,
    },
  };
  if (path === '/json' || (path === '/' && wantsJsonOnly(request.headers.accept))) {
    const json = `${JSON.stringify(description, null, 2)}\n`;
    return send(response, method, 200, 'application/json', json);
  }
  if (path === '/')
    return send(response, method, 200, 'text/html; charset=utf-8', renderPage(description));
  return send(
    response,
    method,
    404,
    'text/plain; charset=utf-8',
    `${path} is not here: try / or /json\n`,
  );
}

function wantsJsonOnly(accept: string | undefined): boolean {
  return accept !== undefined && /application\/json/i.test(accept) && !/text\/html/i.test(accept);
}

function send(
  response: AnyResponse,
  method: string,
  status: number,
  type: string,
  body: string,
): void {
  const bytes = Buffer.from(body, 'utf8');
  response.statusCode = status;
  response.setHeader('content-type', type);
  response.setHeader('content-length', bytes.length);
  response.setHeader('cache-control', 'no-store');
  if (method === 'HEAD') response.end();
  else response.end(bytes);
}

/** The HTML page: the same facts as the JSON, as a table. */
function renderPage(description: ConnectionDescription): string {
  const { tls } = description;
  const peer = tls.peerCertificate;
  const rows: Array<[string, string]> = [
    ['Protocol', tls.protocol ?? 'unknown'],
    ['Cipher', `${tls.cipher} (${tls.cipherName})`],
    ['ALPN', tls.alpnProtocol ?? 'none'],
    ['SNI', tls.servername ?? 'none'],
    ['Resumed', tls.resumed ? 'yes' : 'no'],
    ['Server certificate', tls.certificateSubject ?? 'none'],
    ['Client certificate', peer ? `${peer.subject} (issuer ${peer.issuer})` : 'none'],
    [
      'Client authorized',
      tls.authorized ? 'yes' : `no${tls.authorizationError ? ` (${tls.authorizationError})` : ''}`,
    ],
    [
      'HTTP',
      `${description.request.httpVersion} ${description.request.method} ${description.request.path}`,
    ],
    ['Client', `${description.remoteAddress ?? '?'}:${description.remotePort ?? '?'}`],
    [
      'Connection',
      `#${description.connection}${description.worker === null ? '' : ` on worker ${description.worker}`}`,
    ],
  ];
  const table = rows
    .map(([name, value]) => `<tr><th>${escapeHtml(name)}</th><td>${escapeHtml(value)}</td></tr>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>tlskit serve: ${escapeHtml(tls.protocol ?? 'TLS')}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em}th{text-align:left;padding-right:1em}td{font-family:monospace}</style></head>
<body>
<h1>Your TLS connection</h1>
<table>
${table}
</table>
<p>The same as JSON: <a href="/json">/json</a></p>
</body>
</html>
`;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] as string);
}
