import { readDerHeader } from '../../io/pem.js';
import type { PlainDialogue } from './plain-dialogue.js';
import type { StarttlsDialogue } from './protocol.js';

/** RFC 4511 §4.14: the StartTLS extended operation's name. */
const STARTTLS_OID = '1.3.6.1.4.1.1466.20037';

/** BER tags of the LDAPMessage parts involved (RFC 4511 §4.1.1, §4.12). */
const Tag = {
  sequence: 0x30,
  integer: 0x02,
  enumerated: 0x0a,
  octetString: 0x04,
  /** [APPLICATION 23] ExtendedRequest, constructed. */
  extendedRequest: 0x77,
  /** [APPLICATION 24] ExtendedResponse, constructed. */
  extendedResponse: 0x78,
  /** ExtendedRequest's requestName [0]. */
  requestName: 0x80,
  /** ExtendedResponse's responseName [10]. */
  responseName: 0x8a,
} as const;

const SUCCESS = 0;
/** Result codes a StartTLS refusal carries (RFC 4511 Appendix A, §4.14.2). */
const RESULT_NAMES: Record<number, string> = {
  1: 'operationsError',
  2: 'protocolError',
  52: 'unavailable',
  53: 'unwillingToPerform',
};
/** A StartTLS request or response is about 40 bytes; a referral or message adds a little. */
const MAX_MESSAGE_BYTES = 4096;
/** BER allows up to 126 length octets; four cover any message here (OpenLDAP uses four). */
const MAX_LENGTH_OCTETS = 4;

interface Element {
  tag: number;
  content: Buffer;
}

/** LDAP StartTLS, RFC 4511 §4.14: ExtendedRequest with the StartTLS OID, ExtendedResponse success. */
export const ldap: StarttlsDialogue = {
  label: 'LDAP',

  async accept(dialogue) {
    const [messageId, operation] = await readMessage(dialogue, 'client');
    if (operation.tag !== Tag.extendedRequest) {
      throw dialogue.error(
        `the client sent LDAP operation [APPLICATION ${operation.tag & 0x1f}] before StartTLS`,
      );
    }
    const name = childrenOf(dialogue, operation.content, 'client').find(
      (child) => child.tag === Tag.requestName,
    );
    if (name?.content.toString('latin1') !== STARTTLS_OID) {
      throw dialogue.error(`the client sent an extended operation other than StartTLS`);
    }
    return encodeMessage(
      messageId.content,
      encode(
        Tag.extendedResponse,
        encode(Tag.enumerated, Buffer.from([SUCCESS])),
        encode(Tag.octetString),
        encode(Tag.octetString),
        encode(Tag.responseName, Buffer.from(STARTTLS_OID, 'latin1')),
      ),
    );
  },

  async request(dialogue) {
    await dialogue.send(
      encodeMessage(
        Buffer.from([1]),
        encode(Tag.extendedRequest, encode(Tag.requestName, Buffer.from(STARTTLS_OID, 'latin1'))),
      ),
    );
    const [, operation] = await readMessage(dialogue, 'server');
    const [result] = childrenOf(dialogue, operation.content, 'server');
    if (operation.tag !== Tag.extendedResponse || result?.tag !== Tag.enumerated) {
      throw dialogue.error('the server did not answer with an ExtendedResponse');
    }
    const code = result.content.reduce((value, octet) => value * 0x100 + octet, 0);
    if (code !== SUCCESS) {
      const name = RESULT_NAMES[code];
      throw dialogue.error(
        `the server refused StartTLS: result code ${code}${name ? ` (${name})` : ''}`,
      );
    }
  },
};

/** One LDAPMessage: SEQUENCE { messageID INTEGER, protocolOp, … }, read to its exact length. */
async function readMessage(dialogue: PlainDialogue, side: string): Promise<[Element, Element]> {
  const [tag = 0, first = 0] = await dialogue.readBytes(2);
  if (tag !== Tag.sequence) {
    throw dialogue.error(`the ${side} sent 0x${tag.toString(16)}, not an LDAP message`);
  }
  let length = first;
  if (first & 0x80) {
    const octets = first & 0x7f;
    // 0x80 alone is BER's indefinite length, which RFC 4511 §5.1 forbids.
    if (octets === 0 || octets > MAX_LENGTH_OCTETS) {
      throw dialogue.error(`the ${side} sent an LDAP message with an unusable length`);
    }
    length = (await dialogue.readBytes(octets)).reduce((value, octet) => value * 0x100 + octet, 0);
  }
  if (length > MAX_MESSAGE_BYTES) {
    throw dialogue.error(`the ${side} sent an LDAP message of ${length} bytes`);
  }
  const [messageId, operation] = childrenOf(dialogue, await dialogue.readBytes(length), side);
  if (messageId?.tag !== Tag.integer || !operation) {
    throw dialogue.error(`the ${side} sent a malformed LDAP message`);
  }
  return [messageId, operation];
}

function childrenOf(dialogue: PlainDialogue, content: Buffer, side: string): Element[] {
  const children: Element[] = [];
  for (let offset = 0; offset < content.length;) {
    const header = readDerHeader(content, offset);
    if (!header || header.end > content.length) {
      throw dialogue.error(`the ${side} sent a malformed LDAP message`);
    }
    children.push({
      tag: header.tag,
      content: content.subarray(header.contentStart, header.end),
    });
    offset = header.end;
  }
  return children;
}

function encodeMessage(messageId: Buffer, operation: Buffer): Buffer {
  return encode(Tag.sequence, encode(Tag.integer, messageId), operation);
}

/** A tag, a definite length (short form below 128, else 0x81/0x82), and the contents. */
function encode(tag: number, ...parts: Buffer[]): Buffer {
  const content = Buffer.concat(parts);
  const length =
    content.length < 0x80
      ? [content.length]
      : content.length < 0x100
        ? [0x81, content.length]
        : [0x82, content.length >> 8, content.length & 0xff];
  return Buffer.concat([Buffer.from([tag, ...length]), content]);
}
