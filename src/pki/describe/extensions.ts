import { AsnParser } from '@peculiar/asn1-schema';
import {
  AuthorityInfoAccessSyntax,
  AuthorityKeyIdentifier,
  BasicConstraints,
  CertificatePolicies,
  CRLDistributionPoints,
  ExtendedKeyUsage,
  GeneralNames,
  InhibitAnyPolicy,
  InvalidityDate,
  IssuingDistributionPoint,
  KeyUsage,
  NameConstraints,
  PolicyConstraints,
  PolicyMappings,
  SubjectKeyIdentifier,
  UserNotice,
  type DistributionPointName,
  type Extension,
  type GeneralName,
  type GeneralSubtrees,
} from '@peculiar/asn1-x509';
import type { TreeNode } from '../../render/text-tree.js';
import { DerTag, expectElement, integerOf, readChildren, readElement } from './der.js';
import { colonHex, hexOf } from './format.js';
import { describeGeneralName, generalNameText, type GeneralNameDescription } from './names.js';

/** One X.509 extension as JSON. `value`'s shape depends on `name` (documented per codec below). */
export interface ExtensionDescription {
  oid: string;
  /** OpenSSL-style short name (`basicConstraints`), or the OID when tlskit does not know it. */
  name: string;
  critical: boolean;
  value: unknown;
  /** Present (true) when the extension's value could not be decoded; `value` is then `{der}`. */
  malformed?: true;
}

/** Decodes every extension; one that cannot be decoded is kept as hex and flagged, not fatal. */
export function describeExtensions(
  extensions: readonly Extension[] | undefined,
): ExtensionDescription[] {
  return Array.from(extensions ?? [], describeExtension);
}

export function describeExtension(extension: Extension): ExtensionDescription {
  const oid = extension.extnID;
  const der = new Uint8Array(extension.extnValue.buffer);
  const codec = CODECS.get(oid);
  const base = { oid, name: codec?.name ?? oid, critical: extension.critical };
  if (!codec) return { ...base, value: { der: hexOf(der) } };
  try {
    return { ...base, value: codec.decode(der) };
  } catch {
    return { ...base, value: { der: hexOf(der) }, malformed: true };
  }
}

/** The extension as a tree node: a human title, `(critical)`, and its value in words. */
export function extensionTree(extension: ExtensionDescription): TreeNode {
  const codec = CODECS.get(extension.oid);
  const title = (codec?.title ?? extension.oid) + (extension.critical ? ' (critical)' : '');
  if (!codec || extension.malformed) {
    const { der } = extension.value as { der: string };
    if (extension.malformed)
      return { label: title, value: `malformed, ${hexPreview(der)}`, tone: 'bad' };
    return { label: title, value: unknownValueText(der) };
  }
  return { label: title, ...codec.render(extension.value) };
}

/** Values of extended key usage, by name where the purpose is well known. */
export function keyPurposeName(oid: string): string {
  return KEY_PURPOSES[oid] ?? oid;
}

interface Codec {
  oid: string;
  name: string;
  title: string;
  decode(der: Uint8Array): unknown;
  render(value: unknown): Pick<TreeNode, 'value' | 'children' | 'tone'>;
}

/** Ties a decoder to its renderer with one value type, then forgets the type for the registry. */
function codec<T>(spec: {
  oid: string;
  name: string;
  title: string;
  decode(der: Uint8Array): T;
  render(value: T): Pick<TreeNode, 'value' | 'children' | 'tone'>;
}): Codec {
  return spec as Codec;
}

/** Long lists (a certificate with 100 SANs) read better one per line; short ones inline. */
const INLINE_LIST_MAX = 3;

function listNode(items: readonly string[]): Pick<TreeNode, 'value' | 'children'> {
  if (items.length <= INLINE_LIST_MAX) return { value: items.join(', ') || '(empty)' };
  return { children: items.map((item) => ({ label: item })) };
}

function generalNames(names: readonly GeneralName[] | undefined): GeneralNameDescription[] {
  return Array.from(names ?? [], describeGeneralName);
}

function generalNamesText(names: readonly GeneralNameDescription[]): string[] {
  return names.map(generalNameText);
}

// basicConstraints: {ca: boolean, pathLen: number | null}
const basicConstraints = codec({
  oid: '2.5.29.19',
  name: 'basicConstraints',
  title: 'Basic constraints',
  decode(der) {
    const value = AsnParser.parse(der, BasicConstraints);
    return { ca: value.cA, pathLen: value.pathLenConstraint ?? null };
  },
  render({ ca, pathLen }) {
    if (!ca) return { value: 'not a CA' };
    return { value: pathLen === null ? 'CA' : `CA, path length ${pathLen}` };
  },
});

const KEY_USAGE_TITLES: Record<string, string> = {
  digitalSignature: 'Digital Signature',
  nonRepudiation: 'Non Repudiation',
  keyEncipherment: 'Key Encipherment',
  dataEncipherment: 'Data Encipherment',
  keyAgreement: 'Key Agreement',
  keyCertSign: 'Certificate Sign',
  crlSign: 'CRL Sign',
  encipherOnly: 'Encipher Only',
  decipherOnly: 'Decipher Only',
};

// keyUsage: ['digitalSignature', 'keyEncipherment', …] (RFC 5280 bit names)
const keyUsage = codec({
  oid: '2.5.29.15',
  name: 'keyUsage',
  title: 'Key usage',
  decode(der) {
    // KEY_USAGE_TITLES lists the bits in order (RFC 5280 4.2.1.3), as openssl prints them.
    return inBitOrder(AsnParser.parse(der, KeyUsage).toJSON(), Object.keys(KEY_USAGE_TITLES));
  },
  render: (usages) => ({
    value: usages.map((usage) => KEY_USAGE_TITLES[usage] ?? usage).join(', '),
  }),
});

const KEY_PURPOSES: Record<string, string> = {
  '2.5.29.37.0': 'anyExtendedKeyUsage',
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '1.3.6.1.4.1.311.10.3.3': 'msSGC',
  '2.16.840.1.113730.4.1': 'nsSGC',
};

// extendedKeyUsage: ['serverAuth', 'clientAuth', '1.2.3.4' …] (OID when not well known)
const extendedKeyUsage = codec({
  oid: '2.5.29.37',
  name: 'extendedKeyUsage',
  title: 'Extended key usage',
  decode: (der) => Array.from(AsnParser.parse(der, ExtendedKeyUsage), keyPurposeName),
  render: (purposes) => ({ value: purposes.join(', ') }),
});

// subjectAltName, issuerAltName, certificateIssuer: [{type: 'dns', value: 'example.com'}, …]
function generalNamesCodec(oid: string, name: string, title: string): Codec {
  return codec({
    oid,
    name,
    title,
    decode: (der) => generalNames(AsnParser.parse(der, GeneralNames)),
    render: (names) => listNode(generalNamesText(names)),
  });
}

// subjectKeyIdentifier: hex
const subjectKeyIdentifier = codec({
  oid: '2.5.29.14',
  name: 'subjectKeyIdentifier',
  title: 'Subject key identifier',
  decode: (der) => hexOf(AsnParser.parse(der, SubjectKeyIdentifier).buffer),
  render: (hex) => ({ value: colonHex(hex) }),
});

// authorityKeyIdentifier: {keyIdentifier: hex | null, issuer: GeneralName[] | null, serialNumber: hex | null}
const authorityKeyIdentifier = codec({
  oid: '2.5.29.35',
  name: 'authorityKeyIdentifier',
  title: 'Authority key identifier',
  decode(der) {
    const value = AsnParser.parse(der, AuthorityKeyIdentifier);
    return {
      keyIdentifier: value.keyIdentifier ? hexOf(value.keyIdentifier.buffer) : null,
      issuer: value.authorityCertIssuer ? generalNames(value.authorityCertIssuer) : null,
      serialNumber: value.authorityCertSerialNumber ? hexOf(value.authorityCertSerialNumber) : null,
    };
  },
  render({ keyIdentifier, issuer, serialNumber }) {
    const children: TreeNode[] = [];
    if (issuer) children.push({ label: 'Issuer', value: generalNamesText(issuer).join(', ') });
    if (serialNumber) children.push({ label: 'Serial number', value: colonHex(serialNumber) });
    const value = keyIdentifier ? colonHex(keyIdentifier) : undefined;
    return children.length ? { value, children } : { value: value ?? '(empty)' };
  },
});

const ACCESS_METHODS: Record<string, string> = {
  '1.3.6.1.5.5.7.48.1': 'OCSP',
  '1.3.6.1.5.5.7.48.2': 'caIssuers',
  '1.3.6.1.5.5.7.48.3': 'timeStamping',
  '1.3.6.1.5.5.7.48.5': 'caRepository',
};

const ACCESS_METHOD_TITLES: Record<string, string> = {
  OCSP: 'OCSP',
  caIssuers: 'CA issuers',
  timeStamping: 'Time stamping',
  caRepository: 'CA repository',
};

// authorityInfoAccess, subjectInfoAccess: [{method: 'OCSP' | 'caIssuers' | OID, location: GeneralName}]
function accessCodec(oid: string, name: string, title: string): Codec {
  return codec({
    oid,
    name,
    title,
    decode: (der) =>
      Array.from(AsnParser.parse(der, AuthorityInfoAccessSyntax), (access) => ({
        method: ACCESS_METHODS[access.accessMethod] ?? access.accessMethod,
        location: describeGeneralName(access.accessLocation),
      })),
    render: (accesses) => ({
      children: accesses.map(({ method, location }) => ({
        label: ACCESS_METHOD_TITLES[method] ?? method,
        value: location.type === 'uri' ? location.value : generalNameText(location),
      })),
    }),
  });
}

/** ReasonFlags (RFC 5280 4.2.1.13) in bit order. */
const REASON_FLAGS = [
  'unused',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'privilegeWithdrawn',
  'aACompromise',
];

/** Named bits in the order the standard numbers them (the parser's order is not). */
function inBitOrder(names: readonly string[], order: readonly string[]): string[] {
  return order.filter((name) => names.includes(name));
}

interface DistributionPointDescription {
  names: GeneralNameDescription[];
  reasons: string[] | null;
  crlIssuer: GeneralNameDescription[] | null;
}

function distributionPointNames(
  point: DistributionPointName | undefined,
): GeneralNameDescription[] {
  if (point?.fullName) return generalNames(point.fullName);
  // A name relative to the CRL issuer is rare; show it as a directory-name fragment.
  const relative = point?.nameRelativeToCRLIssuer;
  if (!relative) return [];
  return Array.from(relative, (attribute) => ({
    type: 'dirName' as const,
    value: `${attribute.type}=${attribute.value.toString()}`,
  }));
}

// crlDistributionPoints, freshestCRL: [{names: GeneralName[], reasons: string[] | null, crlIssuer: GeneralName[] | null}]
function distributionPointsCodec(oid: string, name: string, title: string): Codec {
  return codec({
    oid,
    name,
    title,
    decode: (der): DistributionPointDescription[] =>
      Array.from(AsnParser.parse(der, CRLDistributionPoints), (point) => ({
        names: distributionPointNames(point.distributionPoint),
        reasons: point.reasons ? inBitOrder(point.reasons.toJSON(), REASON_FLAGS) : null,
        crlIssuer: point.cRLIssuer ? generalNames(point.cRLIssuer) : null,
      })),
    render(points) {
      const simple = points.every((point) => !point.reasons && !point.crlIssuer);
      const texts = points.flatMap((point) => point.names.map(locationText));
      if (simple) return listNode(texts);
      return {
        children: points.map((point, index) => ({
          label: `Point ${index + 1}`,
          value: point.names.map(locationText).join(', '),
          children: [
            ...(point.reasons ? [{ label: 'Reasons', value: point.reasons.join(', ') }] : []),
            ...(point.crlIssuer
              ? [{ label: 'CRL issuer', value: generalNamesText(point.crlIssuer).join(', ') }]
              : []),
          ],
        })),
      };
    },
  });
}

/** A URI is the usual location: show it bare; anything else with its type prefix. */
function locationText(name: GeneralNameDescription): string {
  return name.type === 'uri' ? name.value : generalNameText(name);
}

const POLICY_NAMES: Record<string, string> = {
  '2.5.29.32.0': 'anyPolicy',
  '2.23.140.1.1': 'extendedValidation',
  '2.23.140.1.2.1': 'domainValidated',
  '2.23.140.1.2.2': 'organizationValidated',
  '2.23.140.1.2.3': 'individualValidated',
};

const ID_QT_CPS = '1.3.6.1.5.5.7.2.1';
const ID_QT_UNOTICE = '1.3.6.1.5.5.7.2.2';

// certificatePolicies: [{oid, name: string | null, cps: string[], notices: string[]}]
const certificatePolicies = codec({
  oid: '2.5.29.32',
  name: 'certificatePolicies',
  title: 'Certificate policies',
  decode: (der) =>
    Array.from(AsnParser.parse(der, CertificatePolicies), (policy) => {
      const qualifiers = policy.policyQualifiers ?? [];
      const cps = qualifiers
        .filter((qualifier) => qualifier.policyQualifierId === ID_QT_CPS)
        .map((qualifier) => ia5Text(new Uint8Array(qualifier.qualifier)));
      const notices = qualifiers
        .filter((qualifier) => qualifier.policyQualifierId === ID_QT_UNOTICE)
        .map((qualifier) => userNoticeText(new Uint8Array(qualifier.qualifier)));
      return {
        oid: policy.policyIdentifier,
        name: POLICY_NAMES[policy.policyIdentifier] ?? null,
        cps,
        notices,
      };
    }),
  render: (policies) => ({
    children: policies.map((policy) => ({
      label: policy.name ? `${policy.oid} (${policy.name})` : policy.oid,
      children: [
        ...policy.cps.map((uri) => ({ label: 'CPS', value: uri })),
        ...policy.notices.map((text) => ({ label: 'User notice', value: text })),
      ],
    })),
  }),
});

function ia5Text(der: Uint8Array): string {
  return Buffer.from(readElement(der).content).toString('latin1');
}

function userNoticeText(der: Uint8Array): string {
  const notice = AsnParser.parse(der, UserNotice);
  return notice.explicitText?.toString() ?? notice.noticeRef?.organization.toString() ?? '';
}

// policyMappings: [{issuerDomainPolicy: OID, subjectDomainPolicy: OID}]
const policyMappings = codec({
  oid: '2.5.29.33',
  name: 'policyMappings',
  title: 'Policy mappings',
  decode: (der) =>
    Array.from(AsnParser.parse(der, PolicyMappings), (mapping) => ({
      issuerDomainPolicy: mapping.issuerDomainPolicy,
      subjectDomainPolicy: mapping.subjectDomainPolicy,
    })),
  render: (mappings) =>
    listNode(
      mappings.map((mapping) => `${mapping.issuerDomainPolicy} → ${mapping.subjectDomainPolicy}`),
    ),
});

// policyConstraints: {requireExplicitPolicy: number | null, inhibitPolicyMapping: number | null}
const policyConstraints = codec({
  oid: '2.5.29.36',
  name: 'policyConstraints',
  title: 'Policy constraints',
  decode(der) {
    const value = AsnParser.parse(der, PolicyConstraints);
    return {
      requireExplicitPolicy: value.requireExplicitPolicy
        ? integerOf(value.requireExplicitPolicy)
        : null,
      inhibitPolicyMapping: value.inhibitPolicyMapping
        ? integerOf(value.inhibitPolicyMapping)
        : null,
    };
  },
  render: ({ requireExplicitPolicy, inhibitPolicyMapping }) => ({
    value: [
      requireExplicitPolicy === null
        ? ''
        : `require explicit policy after ${requireExplicitPolicy}`,
      inhibitPolicyMapping === null ? '' : `inhibit policy mapping after ${inhibitPolicyMapping}`,
    ]
      .filter(Boolean)
      .join(', '),
  }),
});

// inhibitAnyPolicy: number of certificates after which anyPolicy stops counting
const inhibitAnyPolicy = codec({
  oid: '2.5.29.54',
  name: 'inhibitAnyPolicy',
  title: 'Inhibit anyPolicy',
  decode: (der) => integerOf(AsnParser.parse(der, InhibitAnyPolicy).value),
  render: (skipCerts) => ({ value: `after ${skipCerts} more certificates` }),
});

function subtrees(trees: GeneralSubtrees | undefined): GeneralNameDescription[] {
  return Array.from(trees ?? [], (tree) => describeGeneralName(tree.base));
}

// nameConstraints: {permitted: GeneralName[], excluded: GeneralName[]}
const nameConstraints = codec({
  oid: '2.5.29.30',
  name: 'nameConstraints',
  title: 'Name constraints',
  decode(der) {
    const value = AsnParser.parse(der, NameConstraints);
    return {
      permitted: subtrees(value.permittedSubtrees),
      excluded: subtrees(value.excludedSubtrees),
    };
  },
  render: ({ permitted, excluded }) => ({
    children: [
      ...(permitted.length
        ? [{ label: 'Permitted', value: generalNamesText(permitted).join(', ') }]
        : []),
      ...(excluded.length
        ? [{ label: 'Excluded', value: generalNamesText(excluded).join(', ') }]
        : []),
    ],
  }),
});

/** TLS extension numbers a certificate can require (RFC 7633). */
const TLS_FEATURES: Record<number, string> = { 5: 'status_request', 17: 'status_request_v2' };

// tlsFeature: ['status_request', …] (number when unknown)
const tlsFeature = codec({
  oid: '1.3.6.1.5.5.7.1.24',
  name: 'tlsFeature',
  title: 'TLS feature',
  decode: (der) =>
    readChildren(expectElement(der, DerTag.sequence).content).map((element) => {
      if (element.tag !== DerTag.integer) throw new RangeError('TLS feature is not an INTEGER');
      const number = integerOf(element.content);
      return TLS_FEATURES[number] ?? number;
    }),
  render: (features) => ({
    value: features
      .map((feature) =>
        feature === 'status_request' ? 'status_request (OCSP must-staple)' : String(feature),
      )
      .join(', '),
  }),
});

// ctPrecertificatePoison: null (RFC 6962: marks a precertificate, never a usable certificate)
const ctPoison = codec({
  oid: '1.3.6.1.4.1.11129.2.4.3',
  name: 'ctPrecertificatePoison',
  title: 'CT precertificate poison',
  decode: () => null,
  render: () => ({ value: 'this is a precertificate, not a usable certificate', tone: 'warning' }),
});

// ctPrecertificateScts: [{version, logId: hex, timestamp: ISO}] (RFC 6962 3.3)
const ctScts = codec({
  oid: '1.3.6.1.4.1.11129.2.4.2',
  name: 'ctPrecertificateScts',
  title: 'CT signed certificate timestamps',
  decode: (der) => decodeSctList(expectElement(der, DerTag.octetString).content),
  render: (scts) => ({
    children: scts.map((sct) => ({ label: sct.timestamp, value: `log ${colonHex(sct.logId)}` })),
  }),
});

interface SctDescription {
  version: number;
  logId: string;
  timestamp: string;
}

/** A TLS-encoded SignedCertificateTimestampList: 2-byte lengths, each SCT bounded by its own. */
function decodeSctList(data: Uint8Array): SctDescription[] {
  const view = Buffer.from(data);
  const total = view.readUInt16BE(0);
  if (total + 2 !== view.length) throw new RangeError('SCT list length does not match');
  const scts: SctDescription[] = [];
  for (let offset = 2; offset < view.length;) {
    const length = view.readUInt16BE(offset);
    const sct = view.subarray(offset + 2, offset + 2 + length);
    if (sct.length !== length || length < 41) throw new RangeError('SCT is truncated');
    scts.push({
      version: sct.readUInt8(0),
      logId: sct.subarray(1, 33).toString('hex'),
      timestamp: new Date(Number(sct.readBigUInt64BE(33))).toISOString(),
    });
    offset += 2 + length;
  }
  return scts;
}

// crlNumber, deltaCrlIndicator: decimal string (CRL numbers run to 20 octets, past a JS number)
function crlNumberCodec(oid: string, name: string, title: string): Codec {
  return codec({
    oid,
    name,
    title,
    decode: (der) =>
      BigInt(`0x${hexOf(expectElement(der, DerTag.integer).content) || '0'}`).toString(),
    render: (number) => ({ value: number }),
  });
}

const CRL_REASONS = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'unused',
  'removeFromCRL',
  'privilegeWithdrawn',
  'aACompromise',
];

// crlReason: 'keyCompromise' … (RFC 5280 5.3.1)
const crlReason = codec({
  oid: '2.5.29.21',
  name: 'crlReason',
  title: 'Reason',
  decode(der) {
    const code = integerOf(expectElement(der, DerTag.enumerated).content);
    return CRL_REASONS[code] ?? String(code);
  },
  render: (reason) => ({ value: reason }),
});

// invalidityDate: ISO time
const invalidityDate = codec({
  oid: '2.5.29.24',
  name: 'invalidityDate',
  title: 'Invalidity date',
  decode: (der) => AsnParser.parse(der, InvalidityDate).value.toISOString(),
  render: (iso) => ({ value: iso }),
});

// issuingDistributionPoint: {names: GeneralName[], onlyUserCerts, onlyCaCerts, indirectCrl}
const issuingDistributionPoint = codec({
  oid: '2.5.29.28',
  name: 'issuingDistributionPoint',
  title: 'Issuing distribution point',
  decode(der) {
    const value = AsnParser.parse(der, IssuingDistributionPoint);
    return {
      names: distributionPointNames(value.distributionPoint),
      onlyUserCerts: value.onlyContainsUserCerts,
      onlyCaCerts: value.onlyContainsCACerts,
      indirectCrl: value.indirectCRL,
    };
  },
  render: ({ names, onlyUserCerts, onlyCaCerts, indirectCrl }) => ({
    value: [
      ...names.map(locationText),
      ...(onlyUserCerts ? ['only end-entity certificates'] : []),
      ...(onlyCaCerts ? ['only CA certificates'] : []),
      ...(indirectCrl ? ['indirect CRL'] : []),
    ].join(', '),
  }),
});

// nsComment: text
const netscapeComment = codec({
  oid: '2.16.840.1.113730.1.13',
  name: 'nsComment',
  title: 'Netscape comment',
  decode: ia5Text,
  render: (text) => ({ value: text }),
});

const CODECS = new Map<string, Codec>(
  [
    basicConstraints,
    keyUsage,
    extendedKeyUsage,
    generalNamesCodec('2.5.29.17', 'subjectAltName', 'Subject alternative names'),
    generalNamesCodec('2.5.29.18', 'issuerAltName', 'Issuer alternative names'),
    generalNamesCodec('2.5.29.29', 'certificateIssuer', 'Certificate issuer'),
    subjectKeyIdentifier,
    authorityKeyIdentifier,
    accessCodec('1.3.6.1.5.5.7.1.1', 'authorityInfoAccess', 'Authority information access'),
    accessCodec('1.3.6.1.5.5.7.1.11', 'subjectInfoAccess', 'Subject information access'),
    distributionPointsCodec('2.5.29.31', 'crlDistributionPoints', 'CRL distribution points'),
    distributionPointsCodec('2.5.29.46', 'freshestCRL', 'Freshest CRL'),
    certificatePolicies,
    policyMappings,
    policyConstraints,
    inhibitAnyPolicy,
    nameConstraints,
    tlsFeature,
    ctPoison,
    ctScts,
    crlNumberCodec('2.5.29.20', 'crlNumber', 'CRL number'),
    crlNumberCodec('2.5.29.27', 'deltaCrlIndicator', 'Delta CRL indicator'),
    crlReason,
    invalidityDate,
    issuingDistributionPoint,
    netscapeComment,
  ].map((entry) => [entry.oid, entry]),
);

/** DER string types whose text is worth showing in an unknown extension. */
const STRING_TAGS = new Set([0x0c, 0x13, 0x16]);

/** An unknown extension that holds a single string (UTF8, Printable, IA5) shows it quoted. */
function unknownValueText(hex: string): string {
  try {
    const der = Buffer.from(hex, 'hex');
    const element = readElement(der);
    if (STRING_TAGS.has(element.tag) && element.end === der.length) {
      return JSON.stringify(Buffer.from(element.content).toString('utf8'));
    }
  } catch {
    // Not a single well-formed element: fall back to hex.
  }
  return hexPreview(hex);
}

/** Unknown extensions: their size and first bytes, enough to recognise, never a wall of hex. */
const HEX_PREVIEW_BYTES = 32;

function hexPreview(hex: string): string {
  const bytes = hex.length / 2;
  const shown = colonHex(hex.slice(0, HEX_PREVIEW_BYTES * 2));
  return `${bytes} bytes: ${shown}${bytes > HEX_PREVIEW_BYTES ? ':…' : ''}`;
}
