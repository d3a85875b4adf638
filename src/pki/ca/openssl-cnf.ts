import type { Profile } from '../profile.js';
import type { Digest } from '../signature-algorithm.js';

export interface OpensslCnfOptions {
  /** The CA folder's absolute path: `openssl ca` resolves paths from its working directory. */
  dir: string;
  certificateFile: string;
  keyFile: string;
  /** The CA key's digest; null for EdDSA keys, which hash internally. */
  digest: Digest | null;
  /** default_days: the default profile's lifetime, or the CA's override. */
  days: number;
  crlDays: number;
  /** Written first; its section is the default x509_extensions. */
  defaultProfile: Profile;
  /** More sections, for `openssl ca -extensions tlskit_NAME`. */
  otherProfiles: readonly Profile[];
  crlUrls: readonly string[];
  ocspUrls: readonly string[];
}

/** The section name for a profile: `tlskit_server`, `tlskit_server_client`… */
export function extensionSectionOf(profile: Profile): string {
  return `tlskit_${profile.name.replace(/[^A-Za-z0-9]+/g, '_')}`;
}

/**
 * An openssl.cnf for `openssl ca -config DIR/openssl.cnf`, over the same state files tlskit uses
 * (index.txt, serial, crlnumber, newcerts/), with one extensions section per profile.
 */
export function formatOpensslCnf(options: OpensslCnfOptions): string {
  const profiles = [
    options.defaultProfile,
    ...options.otherProfiles.filter((profile) => profile.name !== options.defaultProfile.name),
  ];
  const lines = [
    '# openssl ca configuration for this tlskit CA folder, written by `tlskit ca init`.',
    '# tlskit and openssl share the state files: index.txt, serial, crlnumber, newcerts/.',
    '#   openssl ca -config openssl.cnf -batch -in request.csr -out cert.pem [-passin pass:…]',
    '#   openssl ca -config openssl.cnf -extensions tlskit_client -in request.csr -out cert.pem',
    '#   openssl ca -config openssl.cnf -gencrl -out crl.pem',
    '# openssl ca takes no lock: do not run it while a tlskit ca command runs on this folder.',
    '# If you move the folder, change `dir` below.',
    '',
    '[ ca ]',
    'default_ca = tlskit_ca',
    '# OpenSSL 3.0 reads `preserve` from this section only: keep the subject exactly as requested,',
    "# as tlskit does (otherwise attributes the policy does not list are dropped, and it's reordered).",
    'preserve = yes',
    '',
    '[ tlskit_ca ]',
    `dir = ${escapeValue(options.dir)}`,
    'database = $dir/index.txt',
    'new_certs_dir = $dir/newcerts',
    `certificate = $dir/${escapeValue(options.certificateFile)}`,
    `private_key = $dir/${escapeValue(options.keyFile)}`,
    'serial = $dir/serial',
    'crlnumber = $dir/crlnumber',
    '# Random serials (159 bits), like tlskit (128 bits): never predictable, checked against the',
    '# database. tlskit keeps `serial` valid all the same: the last serial it issued plus one.',
    'rand_serial = yes',
    'unique_subject = no',
    `default_md = ${options.digest ?? 'default'}`,
    `default_days = ${options.days}`,
    `default_crl_days = ${options.crlDays}`,
    'policy = tlskit_policy',
    '# Only the requested subjectAltName matters; the profile sections set everything else.',
    'copy_extensions = copy',
    `x509_extensions = ${extensionSectionOf(options.defaultProfile)}`,
    'crl_extensions = tlskit_crl',
    'name_opt = ca_default',
    'cert_opt = ca_default',
    '',
    '[ tlskit_policy ]',
    ...POLICY_FIELDS.map((field) => `${field} = optional`),
    '',
    '[ tlskit_crl ]',
    'authorityKeyIdentifier = keyid:always',
  ];
  for (const profile of profiles) lines.push('', ...profileSection(profile, options));
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------

/** Every attribute openssl may meet in a request subject, so that none is refused. */
const POLICY_FIELDS = [
  'countryName',
  'stateOrProvinceName',
  'localityName',
  'organizationName',
  'organizationalUnitName',
  'commonName',
  'emailAddress',
];

function profileSection(profile: Profile, options: OpensslCnfOptions): string[] {
  const { ca, pathLength, critical } = profile.basicConstraints;
  const lines = [
    `[ ${extensionSectionOf(profile)} ]`,
    `# ${profile.description}`,
    `basicConstraints = ${[
      ...(critical ? ['critical'] : []),
      `CA:${ca ? 'TRUE' : 'FALSE'}`,
      ...(pathLength === undefined ? [] : [`pathlen:${pathLength}`]),
    ].join(', ')}`,
  ];
  if (profile.keyUsage) {
    // tlskit sets keyEncipherment for RSA keys only; openssl cannot tell the key type here, and
    // TLS with (EC)DHE needs only digitalSignature, so the section leaves it out.
    const usages = profile.keyUsage.usages.filter((usage) => usage !== 'keyEncipherment');
    lines.push(
      `keyUsage = ${[...(profile.keyUsage.critical ? ['critical'] : []), ...usages].join(', ')}`,
    );
  }
  if (profile.extendedKeyUsage) {
    const { critical: ekuCritical, purposes } = profile.extendedKeyUsage;
    lines.push(
      `extendedKeyUsage = ${[...(ekuCritical ? ['critical'] : []), ...purposes.map((p) => p.name)].join(', ')}`,
    );
  }
  lines.push('subjectKeyIdentifier = hash', 'authorityKeyIdentifier = keyid:always');
  if (options.crlUrls.length > 0) {
    lines.push(`crlDistributionPoints = ${options.crlUrls.map((url) => `URI:${url}`).join(', ')}`);
  }
  if (options.ocspUrls.length > 0) {
    lines.push(
      `authorityInfoAccess = ${options.ocspUrls.map((url) => `OCSP;URI:${url}`).join(', ')}`,
    );
  }
  return lines;
}

/** openssl.cnf expands `$` and treats `\` and `#` specially in values. */
function escapeValue(text: string): string {
  return text.replace(/[\\$#"]/g, (character) => `\\${character}`);
}
