import { randomBytes } from 'node:crypto';
import { printable } from './coded-reply.js';
import type { StarttlsDialogue } from './protocol.js';

const TLS_NAMESPACE = 'urn:ietf:params:xml:ns:xmpp-tls';
const STREAMS_NAMESPACE = 'http://etherx.jabber.org/streams';
/** Stream headers and feature lists are short; a server's features fit easily. */
const MAX_ELEMENT_BYTES = 16 * 1024;

/**
 * XMPP STARTTLS, RFC 6120 §5.4: the client opens a stream, the server answers with its own header
 * and features listing <starttls/>, the client sends <starttls/>, the server <proceed/>. Quotes
 * are single, as openssl s_client looks for exactly `<starttls xmlns='…'`.
 */
export const xmpp: StarttlsDialogue = {
  label: 'XMPP',

  async accept(dialogue, hostname) {
    const header = await dialogue.readUntil(
      /<stream:stream\b[^>]*>/,
      MAX_ELEMENT_BYTES,
      'a stream header',
    );
    const namespace =
      /\sxmlns=['"](jabber:(?:client|server))['"]/.exec(header)?.[1] ?? 'jabber:client';
    const domain = /\sto=['"]([^'"<>&]+)['"]/.exec(header)?.[1] ?? hostname;
    await dialogue.send(
      `<?xml version='1.0'?><stream:stream xmlns='${namespace}' xmlns:stream='${STREAMS_NAMESPACE}' ` +
        `id='${randomBytes(8).toString('hex')}' from='${domain}' version='1.0'>` +
        `<stream:features><starttls xmlns='${TLS_NAMESPACE}'><required/></starttls></stream:features>`,
    );
    const request = await dialogue.readUntil(
      /<starttls\b[^>]*(?:\/>|>\s*<\/starttls>)|<\/stream:stream>/,
      MAX_ELEMENT_BYTES,
      'a <starttls/> request',
    );
    if (request.endsWith('</stream:stream>')) {
      throw dialogue.error('the client closed the stream before STARTTLS');
    }
    return `<proceed xmlns='${TLS_NAMESPACE}'/>`;
  },

  async request(dialogue, hostname) {
    await dialogue.send(
      `<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='${STREAMS_NAMESPACE}' ` +
        `to='${hostname}' version='1.0'>`,
    );
    const features = await dialogue.readUntil(
      /<\/stream:features>|<stream:features\s*\/>|<\/stream:error>|<\/stream:stream>/,
      MAX_ELEMENT_BYTES,
      'stream features',
    );
    const streamError = /<stream:error>\s*<([\w-]+)/.exec(features)?.[1];
    if (streamError || features.endsWith('</stream:stream>')) {
      throw dialogue.error(`the server closed the stream (${streamError ?? 'no reason given'})`);
    }
    if (!new RegExp(`<starttls\\s+xmlns=['"]${TLS_NAMESPACE}['"]`).test(features)) {
      throw dialogue.error('the server does not offer STARTTLS in its stream features');
    }
    await dialogue.send(`<starttls xmlns='${TLS_NAMESPACE}'/>`);
    const answer = await dialogue.readUntil(
      /<proceed\b[^>]*(?:\/>|>\s*<\/proceed>)|<failure\b[^>]*>/,
      MAX_ELEMENT_BYTES,
      'an answer to <starttls/>',
    );
    if (!/<proceed\b/.test(answer)) {
      throw dialogue.error(
        `the server answered <starttls/> with ${printable(answer.slice(answer.lastIndexOf('<')))}`,
      );
    }
  },
};
