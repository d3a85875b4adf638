import { isIP } from 'node:net';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  Extension,
  GeneralName,
  GeneralSubtree,
  GeneralSubtrees,
  id_ce_nameConstraints,
  Name,
  NameConstraints,
} from '@peculiar/asn1-x509';
import { InputError, messageOf, RefusedError } from '../../errors.js';
import type { CertificateDetails } from '../certificate.js';
import { decodeName } from '../name.js';
import { parseSan, type SubjectAltName } from '../san.js';

/** The name forms tlskit writes into name constraints (RFC 5280 §4.2.1.10). */
export type ConstraintType = 'dns' | 'ip' | 'email' | 'uri';

/** One subtree, as `--permit`/`--exclude` give it: `DNS:.example.test`, `IP:10.0.0.0/8`. */
export interface NameConstraint {
  type: ConstraintType;
  /** Normalised: lower-case domains, IP networks as address/prefix with no host bits. */
  value: string;
}

export interface NameConstraintSet {
  permitted: NameConstraint[];
  excluded: NameConstraint[];
}

/** The names a new certificate will carry, which every CA above it must allow. */
export interface CandidateNames {
  subject: Name;
  sans: readonly SubjectAltName[];
  /** The subjectAltName holds kinds tlskit cannot check (otherName, registeredID…). */
  hasUncheckableSans?: boolean;
}

/** Where a set of constraints comes from, for messages: a CA certificate or the CA's config. */
export interface ConstraintSource {
  description: string;
  constraints: SubtreeSet;
}

/**
 * Parses `DNS:name`, `IP:address/prefix`, `email:mailbox|domain|.domain` or `URI:host|.host`
 * (openssl's nameConstraints spelling, any case). A leading dot means "subdomains only" for DNS
 * and URI hosts, as OpenSSL matches; a DNS name without one covers the name and its subdomains.
 */
export function parseNameConstraint(text: string, flag = '--permit'): NameConstraint {
  const match = /^(dns|ip|email|uri):(.+)$/is.exec(text.trim());
  if (!match) {
    throw new InputError(`${flag} "${text}" is not a name constraint`, {
      hint: 'write DNS:.example.test, IP:10.0.0.0/8, email:example.test or URI:.example.test',
    });
  }
  const type = (match[1] as string).toLowerCase() as ConstraintType;
  const value = match[2] as string;
  try {
    return { type, value: NORMALISERS[type](value) };
  } catch (error) {
    throw new InputError(`${flag} "${text}": ${messageOf(error)}`, {
      hint: 'write DNS:.example.test, IP:10.0.0.0/8, email:example.test or URI:.example.test',
      cause: error,
    });
  }
}

/** `DNS:.example.test`: the text parseNameConstraint reads back. */
export function formatNameConstraint(constraint: NameConstraint): string {
  return `${PREFIXES[constraint.type]}:${constraint.value}`;
}

/** The nameConstraints extension; RFC 5280 §4.2.1.10: conforming CAs MUST mark it critical. */
export function encodeNameConstraints(set: NameConstraintSet): Extension {
  const subtrees = (list: NameConstraint[]) =>
    list.length === 0
      ? undefined
      : new GeneralSubtrees(list.map((item) => new GeneralSubtree({ base: generalNameOf(item) })));
  const value = new NameConstraints({
    permittedSubtrees: subtrees(set.permitted),
    excludedSubtrees: subtrees(set.excluded),
  });
  return new Extension({
    extnID: id_ce_nameConstraints,
    critical: true,
    extnValue: new OctetString(AsnConvert.serialize(value)),
  });
}

/** The constraints a CA certificate carries, or undefined when it has none. */
export function nameConstraintsOf(ca: CertificateDetails): ConstraintSource | undefined {
  const found = ca.certificate.tbsCertificate.extensions?.find(
    (extension) => extension.extnID === id_ce_nameConstraints,
  );
  if (!found) return undefined;
  let value: NameConstraints;
  try {
    value = AsnConvert.parse(found.extnValue.buffer, NameConstraints);
  } catch (error) {
    throw new InputError(`${ca.source}: malformed nameConstraints extension`, { cause: error });
  }
  const subtrees = (list: GeneralSubtrees | undefined) =>
    Array.from(list ?? [], (subtree) => subtreeOf(subtree.base));
  return {
    description: ca.source,
    constraints: {
      permitted: subtrees(value.permittedSubtrees),
      excluded: subtrees(value.excludedSubtrees),
    },
  };
}

/** Constraints from the CA's own config: a policy it applies on top of its certificate's. */
export function constraintSourceOf(set: NameConstraintSet, description: string): ConstraintSource {
  return {
    description,
    constraints: {
      permitted: set.permitted.map((item) => subtreeOf(generalNameOf(item))),
      excluded: set.excluded.map((item) => subtreeOf(generalNameOf(item))),
    },
  };
}

/**
 * Refuses a certificate whose names any source forbids, matching as OpenSSL's
 * NAME_CONSTRAINTS_check does: every subjectAltName, every emailAddress in the subject, the
 * subject itself against directoryName subtrees, and — when there is no DNS SAN — a common name
 * that looks like a host name against DNS subtrees. Within one name form, a name must fall in
 * some permitted subtree (if there are any of that form) and in no excluded one.
 */
export function checkNameConstraints(
  sources: readonly ConstraintSource[],
  candidate: CandidateNames,
): void {
  const active = sources.filter(
    (source) => source.constraints.permitted.length + source.constraints.excluded.length > 0,
  );
  if (active.length === 0) return;
  if (candidate.hasUncheckableSans) {
    throw new RefusedError(
      'the request has subjectAltName kinds whose name constraints tlskit cannot check',
      { hint: 'use DNS, IP, email and URI names only under a name-constrained CA' },
    );
  }
  const names = namesToCheck(candidate);
  for (const source of active) {
    for (const name of names) checkName(name, source);
  }
}

/**
 * Refuses a subtree for a subordinate CA that lies outside what the sources permit: it could
 * never be used, so asking for it is a mistake.
 */
export function checkSubtreesWithin(
  sources: readonly ConstraintSource[],
  requested: readonly NameConstraint[],
): void {
  for (const item of requested) {
    for (const source of sources) {
      const sameForm = source.constraints.permitted.filter((subtree) => subtree.type === item.type);
      if (sameForm.length > 0 && !sameForm.some((subtree) => subtreeWithin(item, subtree))) {
        throw new RefusedError(
          `${formatNameConstraint(item)} lies outside the names ${source.description} permits ` +
            `(${sameForm.map(formatSubtree).join(', ')})`,
          { hint: 'permit a part of what the parent CA permits' },
        );
      }
    }
  }
}

// ---- names and subtrees ---------------------------------------------------------------------

type Subtree =
  | { type: 'dns' | 'email' | 'uri'; base: string }
  | { type: 'ip'; address: Buffer; prefix: number }
  | { type: 'dirName'; rdns: Buffer[] }
  | { type: 'other'; text: string };

interface SubtreeSet {
  permitted: Subtree[];
  excluded: Subtree[];
}

type CheckedName =
  | { type: 'dns' | 'email' | 'uri'; value: string; label: string }
  | { type: 'ip'; address: Buffer; label: string }
  | { type: 'dirName'; rdns: Buffer[]; label: string };

const PREFIXES: Record<ConstraintType, string> = {
  dns: 'DNS',
  ip: 'IP',
  email: 'email',
  uri: 'URI',
};

const NORMALISERS: Record<ConstraintType, (value: string) => string> = {
  dns: (value) => dotted(value, (name) => parseSan(`DNS:${name}`).value),
  uri: (value) => dotted(value, (name) => parseSan(`DNS:${name}`).value),
  email: (value) => {
    if (value.includes('@')) return parseSan(`email:${value}`).value;
    return dotted(value, (name) => parseSan(`DNS:${name}`).value);
  },
  ip: normaliseNetwork,
};

const EMAIL_ADDRESS_OID = '1.2.840.113549.1.9.1';
const COMMON_NAME_OID = '2.5.4.3';

function dotted(value: string, normalise: (name: string) => string): string {
  if (value.includes('*')) throw new Error('wildcards have no meaning in a constraint');
  return value.startsWith('.') ? `.${normalise(value.slice(1))}` : normalise(value);
}

function normaliseNetwork(value: string): string {
  const [address = '', prefixText, ...rest] = value.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) throw new Error('not an IP address or network');
  const bits = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (!/^\d+$/.test(prefixText ?? String(bits)) || prefix > bits) {
    throw new Error(`the prefix length must be 0 to ${bits}`);
  }
  const bytes = addressBytes(address);
  if (
    !maskBytes(prefix, bytes.length).every((mask, index) => ((bytes[index] ?? 0) & ~mask) === 0)
  ) {
    throw new Error('the address has bits set beyond the prefix');
  }
  return `${parseSan(`IP:${address}`).value}/${prefix}`;
}

function generalNameOf(item: NameConstraint): GeneralName {
  switch (item.type) {
    case 'dns':
      return new GeneralName({ dNSName: item.value });
    case 'email':
      return new GeneralName({ rfc822Name: item.value });
    case 'uri':
      return new GeneralName({ uniformResourceIdentifier: item.value });
    case 'ip':
      return new GeneralName({ iPAddress: item.value });
  }
}

function subtreeOf(name: GeneralName): Subtree {
  if (name.dNSName !== undefined) return { type: 'dns', base: name.dNSName };
  if (name.rfc822Name !== undefined) return { type: 'email', base: name.rfc822Name };
  if (name.uniformResourceIdentifier !== undefined) {
    return { type: 'uri', base: name.uniformResourceIdentifier };
  }
  if (name.iPAddress !== undefined) return ipSubtreeOf(name.iPAddress);
  if (name.directoryName !== undefined) {
    return { type: 'dirName', rdns: rdnsOf(name.directoryName) };
  }
  return { type: 'other', text: 'a name form tlskit does not check' };
}

/** asn1-x509 turns an 8- or 32-octet address+mask into "address/prefix". */
function ipSubtreeOf(text: string): Subtree {
  const [address = '', prefix] = text.split('/');
  if (isIP(address) === 0 || prefix === undefined) return { type: 'other', text };
  return { type: 'ip', address: addressBytes(address), prefix: Number(prefix) };
}

function namesToCheck(candidate: CandidateNames): CheckedName[] {
  const names: CheckedName[] = candidate.sans.map((san) =>
    san.type === 'ip'
      ? { type: 'ip', address: addressBytes(san.value), label: `IP:${san.value}` }
      : { type: san.type, value: san.value, label: `${PREFIXES[san.type]}:${san.value}` },
  );
  const dn = decodeName(candidate.subject);
  names.push({ type: 'dirName', rdns: rdnsOf(candidate.subject), label: 'the subject' });
  for (const attribute of dn.flat()) {
    if (attribute.oid === EMAIL_ADDRESS_OID) {
      names.push({
        type: 'email',
        value: attribute.value,
        label: `emailAddress ${attribute.value}`,
      });
    }
  }
  if (!candidate.sans.some((san) => san.type === 'dns')) {
    for (const attribute of dn.flat()) {
      if (attribute.oid === COMMON_NAME_OID && looksLikeHostName(attribute.value)) {
        names.push({ type: 'dns', value: attribute.value, label: `CN=${attribute.value}` });
      }
    }
  }
  return names;
}

/** OpenSSL checks a CN against DNS constraints only when it reads as a dotted host name. */
function looksLikeHostName(value: string): boolean {
  return value.includes('.') && /^(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+\.?$/.test(value);
}

function checkName(name: CheckedName, source: ConstraintSource): void {
  const { permitted, excluded } = source.constraints;
  const excludedBy = excluded.find((subtree) => matches(name, subtree));
  if (excludedBy) {
    throw new RefusedError(
      `${name.label} is excluded by ${source.description} (${formatSubtree(excludedBy)})`,
      { hint: 'the CA may not issue for this name' },
    );
  }
  const sameForm = permitted.filter((subtree) => subtree.type === name.type);
  if (sameForm.length > 0 && !sameForm.some((subtree) => matches(name, subtree))) {
    throw new RefusedError(
      `${name.label} is outside the names ${source.description} permits ` +
        `(${sameForm.map(formatSubtree).join(', ')})`,
      { hint: 'the CA may issue only for names inside its permitted subtrees' },
    );
  }
}

/** OpenSSL's nc_match for one name against one subtree of the same form. */
function matches(name: CheckedName, subtree: Subtree): boolean {
  if (name.type !== subtree.type) return false;
  switch (name.type) {
    case 'dns':
      return matchesDns(name.value, (subtree as { base: string }).base);
    case 'email':
      return matchesEmail(name.value, (subtree as { base: string }).base);
    case 'uri':
      return matchesUri(name.value, (subtree as { base: string }).base);
    case 'ip': {
      const network = subtree as { address: Buffer; prefix: number };
      return inNetwork(name.address, network.address, network.prefix);
    }
    case 'dirName': {
      const base = (subtree as { rdns: Buffer[] }).rdns;
      return base.length <= name.rdns.length && base.every((rdn, i) => rdn.equals(name.rdns[i]!));
    }
  }
}

/**
 * nc_dns: the base matches the name itself and any name with more labels on the left; a base
 * with a leading dot matches only names with more labels. An empty base matches everything.
 */
function matchesDns(name: string, base: string): boolean {
  const host = name.toLowerCase();
  const suffix = base.toLowerCase();
  if (suffix === '') return true;
  if (host === suffix) return true;
  return host.endsWith(suffix.startsWith('.') ? suffix : `.${suffix}`);
}

/** nc_email: a mailbox matches exactly; `.domain` matches subdomains; `domain` the host itself. */
function matchesEmail(address: string, base: string): boolean {
  const at = address.lastIndexOf('@');
  if (at < 0) return false;
  const local = address.slice(0, at);
  const domain = address.slice(at + 1).toLowerCase();
  if (base.includes('@')) {
    const baseAt = base.lastIndexOf('@');
    return base.slice(0, baseAt) === local && base.slice(baseAt + 1).toLowerCase() === domain;
  }
  const lower = base.toLowerCase();
  return lower.startsWith('.') ? domain.endsWith(lower) : domain === lower;
}

/** nc_uri: the URI's host, with the same rules as email domains. */
function matchesUri(uri: string, base: string): boolean {
  let host: string;
  try {
    host = new URL(uri).hostname.toLowerCase();
  } catch {
    return false;
  }
  const lower = base.toLowerCase();
  return lower.startsWith('.') ? host.endsWith(lower) : host === lower;
}

function inNetwork(address: Buffer, network: Buffer, prefix: number): boolean {
  if (address.length !== network.length) return false;
  const mask = maskBytes(prefix, network.length);
  return mask.every(
    (byte, index) => ((address[index] ?? 0) & byte) === ((network[index] ?? 0) & byte),
  );
}

/** A requested subtree lies inside a parent's subtree of the same form. */
function subtreeWithin(item: NameConstraint, subtree: Subtree): boolean {
  if (item.type === 'ip') {
    if (subtree.type !== 'ip') return false;
    const [address = '', prefix = '0'] = item.value.split('/');
    return (
      Number(prefix) >= subtree.prefix &&
      inNetwork(addressBytes(address), subtree.address, subtree.prefix)
    );
  }
  return matches(probeNameOf(item), subtree);
}

/**
 * A name that stands for a whole DNS, email or URI subtree: a dotted base (subdomains only)
 * gets a fresh left-most label, which a parent subtree matches exactly when it covers them all.
 */
function probeNameOf(item: NameConstraint): CheckedName {
  const label = formatNameConstraint(item);
  const host = (base: string) => (base.startsWith('.') ? `probe${base}` : base);
  switch (item.type) {
    case 'dns':
      return { type: 'dns', value: host(item.value), label };
    case 'uri':
      return { type: 'uri', value: `https://${host(item.value)}/`, label };
    default:
      return {
        type: 'email',
        value: item.value.includes('@') ? item.value : `probe@${host(item.value)}`,
        label,
      };
  }
}

function formatSubtree(subtree: Subtree): string {
  switch (subtree.type) {
    case 'dns':
      return `DNS:${subtree.base}`;
    case 'email':
      return `email:${subtree.base}`;
    case 'uri':
      return `URI:${subtree.base}`;
    case 'ip':
      return `IP:${formatAddress(subtree.address)}/${subtree.prefix}`;
    case 'dirName':
      return 'a directory name';
    case 'other':
      return subtree.text;
  }
}

function addressBytes(address: string): Buffer {
  if (isIP(address) === 4) return Buffer.from(address.split('.').map(Number));
  const url = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const [head = '', tail] = url.split('::');
  const groups = (text: string) => (text === '' ? [] : text.split(':'));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const zeros = Array<string>(8 - left.length - right.length).fill('0');
  const all = tail === undefined ? left : [...left, ...zeros, ...right];
  return Buffer.from(
    all.flatMap((group) => [parseInt(group, 16) >> 8, parseInt(group, 16) & 0xff]),
  );
}

function formatAddress(bytes: Buffer): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(i * 2).toString(16));
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

function maskBytes(prefix: number, length: number): number[] {
  return Array.from({ length }, (_, index) => {
    const bits = Math.max(0, Math.min(8, prefix - index * 8));
    return (0xff << (8 - bits)) & 0xff;
  });
}

function rdnsOf(name: Name): Buffer[] {
  return Array.from(name, (rdn) => Buffer.from(AsnConvert.serialize(rdn)));
}
