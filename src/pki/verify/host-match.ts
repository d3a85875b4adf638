import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { UsageError } from '../../errors.js';
import type { ChainCertificate } from './chain-certificate.js';
import { stringValue } from './name-canon.js';

const COMMON_NAME_OID = '2.5.4.3';

/**
 * RFC 6125 host name matching as OpenSSL's X509_check_host does it with default flags (which
 * is also what Node's `checkServerIdentity` and `X509Certificate.checkHost` use): the DNS
 * subjectAltNames if there are any, otherwise each commonName; ASCII case-insensitive; a wildcard
 * only in the leftmost label of a name with at least two more labels (`*.example.com`, also
 * `w*.example.com` and `*w.example.com`), standing for exactly one non-empty label.
 */
export function matchesHost(certificate: ChainCertificate, host: string): boolean {
  const dnsNames = (certificate.subjectAltNames ?? []).filter((name) => name.kind === 'dns');
  if (dnsNames.length > 0) return dnsNames.some((name) => hostMatchesPattern(name.text, host));
  return certificate.subjectAttributes
    .filter((attribute) => attribute.oid === COMMON_NAME_OID)
    .some((attribute) =>
      hostMatchesPattern(stringValue(attribute.tag, attribute.value) ?? '', host),
    );
}

/** X509_check_ip: an iPAddress subjectAltName with exactly these octets (no commonName). */
export function matchesIp(certificate: ChainCertificate, address: Uint8Array): boolean {
  return (certificate.subjectAltNames ?? []).some(
    (name) => name.kind === 'ip' && Buffer.from(name.bytes).equals(Buffer.from(address)),
  );
}

/**
 * One certificate name (`pattern`) against a host name. A host starting with a dot stands for
 * any name below it (OpenSSL's sub-domain form: `.example.com` matches `www.example.com`).
 */
export function hostMatchesPattern(pattern: string, host: string): boolean {
  if (pattern.includes('\0')) return false;
  if (host.length > 1 && host.startsWith('.')) {
    return equalIgnoringAsciiCase(pattern.slice(Math.max(0, pattern.length - host.length)), host);
  }
  const star = validWildcard(pattern);
  if (star < 0) return equalIgnoringAsciiCase(pattern, host);
  return wildcardMatches(pattern.slice(0, star), pattern.slice(star + 1), host);
}

/**
 * A host name from the command line, checked and in the form certificates hold it: an
 * internationalised name becomes its A-labels (punycode), as RFC 6125 §6.4.2 wants.
 */
export function parseHostName(text: string): string {
  if (isIP(text)) {
    throw new UsageError(`--host ${text} is an IP address`, { hint: `use --ip ${text}` });
  }
  // eslint-disable-next-line no-control-regex
  const ascii = /^[\x00-\x7f]*$/.test(text) ? text : domainToASCII(text);
  if (ascii === '' || /[\0\s/]/.test(ascii)) {
    throw new UsageError(`--host "${text}" is not a host name`, {
      hint: 'give a DNS name such as www.example.com',
    });
  }
  return ascii;
}

/** The octets of an IPv4 or IPv6 address from the command line. */
export function parseIpAddress(text: string): Uint8Array {
  const version = isIP(text);
  if (version === 4) return Uint8Array.from(text.split('.').map(Number));
  if (version === 6 && !text.includes('%')) {
    const url = new URL(`http://[${text}]/`).hostname.slice(1, -1);
    return ipv6Octets(url);
  }
  throw new UsageError(`--ip "${text}" is not an IP address`, {
    hint: 'give an IPv4 (192.0.2.1) or IPv6 (2001:db8::1) address',
  });
}

/** Address octets as text: dotted IPv4, or IPv6 in RFC 5952 form. */
export function formatIpAddress(octets: Uint8Array): string {
  if (octets.length === 4) return octets.join('.');
  const groups = Array.from({ length: octets.length / 2 }, (_, index) =>
    (((octets[2 * index] as number) << 8) | (octets[2 * index + 1] as number)).toString(16),
  );
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

// ---------------------------------------------------------------------------------------------

/**
 * valid_star: the index of the one `*` if `pattern` is a usable wildcard, else -1. The star
 * must be in the first label, at its start or end (`f*o` is not a wildcard), not in an IDNA
 * label, and followed by at least two dots; labels must not start or end with a hyphen.
 */
function validWildcard(pattern: string): number {
  let star = -1;
  let atLabelStart = true;
  let idnaLabel = false;
  let afterHyphen = false;
  let dots = 0;
  for (let index = 0; index < pattern.length; index++) {
    const character = pattern[index] as string;
    if (character === '*') {
      const atEnd = index === pattern.length - 1 || pattern[index + 1] === '.';
      if (star >= 0 || idnaLabel || dots > 0) return -1;
      if (!atLabelStart && !atEnd) return -1;
      star = index;
      atLabelStart = false;
    } else if (/[A-Za-z0-9]/.test(character)) {
      if (atLabelStart && pattern.slice(index, index + 4).toLowerCase() === 'xn--')
        idnaLabel = true;
      atLabelStart = false;
      afterHyphen = false;
    } else if (character === '.') {
      if (atLabelStart || afterHyphen) return -1;
      atLabelStart = true;
      idnaLabel = false;
      dots++;
    } else if (character === '-') {
      if (atLabelStart) return -1;
      afterHyphen = true;
    } else {
      return -1;
    }
  }
  if (atLabelStart || afterHyphen || dots < 2) return -1;
  return star;
}

/** wildcard_match: prefix and suffix fixed, the star one or more letters, digits or hyphens. */
function wildcardMatches(prefix: string, suffix: string, host: string): boolean {
  if (host.length < prefix.length + suffix.length) return false;
  if (!equalIgnoringAsciiCase(prefix, host.slice(0, prefix.length))) return false;
  const wildcardEnd = host.length - suffix.length;
  if (!equalIgnoringAsciiCase(host.slice(wildcardEnd), suffix)) return false;
  const covered = host.slice(prefix.length, wildcardEnd);
  const wholeLabel = prefix.length === 0 && suffix.startsWith('.');
  if (wholeLabel && covered.length === 0) return false;
  // A-labels match only a wildcard that is a whole label.
  if (!wholeLabel && host.slice(0, 4).toLowerCase() === 'xn--') return false;
  if (covered === '*') return true;
  return /^[A-Za-z0-9-]*$/.test(covered);
}

function equalIgnoringAsciiCase(left: string, right: string): boolean {
  const fold = (text: string) => text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
  return left.length === right.length && fold(left) === fold(right);
}

function ipv6Octets(text: string): Uint8Array {
  const [head = '', tail = ''] = text.includes('::') ? text.split('::') : [text, ''];
  const groupsOf = (part: string) => (part === '' ? [] : part.split(':'));
  const expand = (groups: string[]) =>
    groups.flatMap((group) => {
      if (group.includes('.')) return group.split('.').map(Number);
      const value = Number.parseInt(group, 16);
      return [value >> 8, value & 0xff];
    });
  const left = expand(groupsOf(head));
  const right = expand(groupsOf(tail));
  const zeros = new Array<number>(16 - left.length - right.length).fill(0);
  return Uint8Array.from([...left, ...zeros, ...right]);
}
