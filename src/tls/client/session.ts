import { InputError } from '../../errors.js';
import { decodePem, encodePem, looksLikePem, readDerHeader, type DerHeader } from '../../io/pem.js';
import { readInputFile } from '../../io/read-input.js';

/** The PEM label openssl s_client -sess_out writes: the same DER as node:tls's getSession(). */
export const SESSION_PEM_LABEL = 'SSL SESSION PARAMETERS';

/** What a serialized session (OpenSSL's SSL_SESSION, ssl/ssl_asn1.c) says about itself. */
export interface SessionSummary {
  protocol: string | null;
  /** Hex; for TLS 1.3 (and tickets) OpenSSL derives it from the ticket. */
  id: string | null;
  /** A session ticket (RFC 5077, RFC 8446 §4.6.1) the client can offer. */
  ticket: { bytes: number; lifetimeHintSeconds: number | null } | null;
  /** The SNI name the session belongs to. */
  servername: string | null;
}

/** SSL_SESSION_ASN1 field tags: [6] tlsext_hostname, [9] tick_lifetime_hint, [10] tlsext_tick. */
const Field = {
  hostname: 0xa6,
  ticketLifetimeHint: 0xa9,
  ticket: 0xaa,
} as const;

const PROTOCOLS: Record<number, string> = {
  0x0301: 'TLSv1',
  0x0302: 'TLSv1.1',
  0x0303: 'TLSv1.2',
  0x0304: 'TLSv1.3',
};

/**
 * Reads the fields worth showing from a session's DER. These are Node's (OpenSSL's) own bytes,
 * or a session file: anything unexpected gives nulls rather than an error.
 */
export function describeSession(der: Buffer): SessionSummary {
  const summary: SessionSummary = { protocol: null, id: null, ticket: null, servername: null };
  const outer = readDerHeader(der);
  if (!outer || outer.tag !== 0x30 || outer.end > der.length) return summary;
  const fields = childrenOf(der, outer);
  // SEQUENCE { version, ssl_version, cipher, session_id, master_key, [0]…[18] OPTIONAL }
  const [, sslVersion, , sessionId] = fields;
  if (sslVersion?.tag === 0x02) summary.protocol = PROTOCOLS[integerOf(der, sslVersion)] ?? null;
  if (sessionId?.tag === 0x04 && sessionId.contentLength > 0) {
    summary.id = contentOf(der, sessionId).toString('hex');
  }
  const explicit = (tag: number) => {
    const field = fields.find((candidate) => candidate.tag === tag);
    return field ? childrenOf(der, field)[0] : undefined;
  };
  const ticket = explicit(Field.ticket);
  if (ticket) {
    const hint = explicit(Field.ticketLifetimeHint);
    summary.ticket = {
      bytes: ticket.contentLength,
      lifetimeHintSeconds: hint ? integerOf(der, hint) : null,
    };
  }
  const hostname = explicit(Field.hostname);
  if (hostname) summary.servername = contentOf(der, hostname).toString('utf8');
  return summary;
}

/** A session as openssl writes it with -sess_out. */
export function encodeSessionPem(der: Buffer): string {
  return encodePem(SESSION_PEM_LABEL, der);
}

/** Reads a session file: PEM (ours or openssl s_client -sess_out) or raw DER. */
export async function readSessionFile(path: string): Promise<Buffer> {
  const data = await readInputFile(path);
  if (!looksLikePem(data)) {
    if (readDerHeader(data)?.end !== data.length) {
      throw new InputError(`${path} is not a TLS session (PEM or DER)`, {
        hint: 'give a file written by --sess-out or openssl s_client -sess_out',
      });
    }
    return data;
  }
  const block = decodePem(data.toString('utf8'), path).find(
    (candidate) => candidate.label === SESSION_PEM_LABEL,
  );
  if (!block) {
    throw new InputError(`${path} holds no ${SESSION_PEM_LABEL} block`, {
      hint: 'give a file written by --sess-out or openssl s_client -sess_out',
    });
  }
  return block.der;
}

function childrenOf(data: Buffer, parent: DerHeader): DerHeader[] {
  const found: DerHeader[] = [];
  for (let offset = parent.contentStart; offset < parent.end;) {
    const child = readDerHeader(data, offset);
    if (!child || child.end > parent.end) break;
    found.push(child);
    offset = child.end;
  }
  return found;
}

function contentOf(data: Buffer, element: DerHeader): Buffer {
  return data.subarray(element.contentStart, element.end);
}

function integerOf(data: Buffer, element: DerHeader): number {
  return contentOf(data, element).reduce((value, octet) => value * 0x100 + octet, 0);
}
