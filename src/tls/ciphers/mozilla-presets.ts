import { createSecureContext } from 'node:tls';
import { RefusedError } from '../../errors.js';

/**
 * Mozilla's server-side TLS recommendations as data, from ssl-config.mozilla.org's
 * guidelines/6.0.json (modern, intermediate) and guidelines/5.8.json (old: 6.0 removed it;
 * 5.8 is the last version with an old profile, unchanged since 5.7).
 */
export const MOZILLA_PRESETS = ['modern', 'intermediate', 'old'] as const;
export type MozillaPresetName = (typeof MOZILLA_PRESETS)[number];

export interface MozillaGuideline {
  name: MozillaPresetName;
  /** The guidelines version the lists come from. */
  guidelines: string;
  /** True for `old`, which Mozilla no longer recommends at all. */
  withdrawn: boolean;
  tlsVersions: string[];
  /** TLS 1.3 suites, IANA names (OpenSSL's -ciphersuites). */
  ciphersuites: string[];
  /** TLS 1.2 and older suites, OpenSSL names (OpenSSL's -cipher), in Mozilla's order. */
  ciphers: string[];
  /** Key-exchange groups, OpenSSL names, in preference order. */
  groups: string[];
  certificateTypes: string[];
  /** Size of a DH group for DHE suites, if the profile has any. */
  dhParamSize: number | null;
  /** Whether the server's order wins (Node: honorCipherOrder). */
  serverPreferredOrder: boolean;
  oldestClients: string[];
}

/** A guideline made ready for node:tls on this machine. */
export interface MozillaPreset extends MozillaGuideline {
  /** For `tls.createServer({minVersion})`. */
  minVersion: string;
  /** For `tls.createServer({ciphers})`: TLS 1.3 and TLS 1.2 suites in one string, as Node takes. */
  cipherString: string;
  /** For `tls.createServer({ecdhCurve})`: the groups this Node's OpenSSL has. */
  ecdhCurve: string;
  /** Groups of the guideline that this Node's OpenSSL lacks (X25519MLKEM768 before OpenSSL 3.5). */
  unsupportedGroups: string[];
  /** What to know before using it. */
  notes: string[];
}

/** A guideline's TLS 1.3 and TLS 1.2 suites as one node:tls cipher string (nothing probed). */
export function mozillaCipherString(name: MozillaPresetName): string {
  const guideline = GUIDELINES[name];
  return [...guideline.ciphersuites, ...guideline.ciphers].join(':');
}

/**
 * One of Mozilla's profiles, ready to paste into node:tls. `old` is refused without `allowWeak`:
 * it needs TLS 1.0 and 3DES, and Mozilla withdrew it in guidelines 6.0.
 */
export function mozillaPreset(
  name: MozillaPresetName,
  options: { allowWeak?: boolean } = {},
): MozillaPreset {
  const guideline = GUIDELINES[name];
  if (guideline.withdrawn && !options.allowWeak) {
    throw new RefusedError(
      `Mozilla withdrew the "${name}" profile in guidelines 6.0 (it needs TLS 1.0 and 3DES)`,
      { hint: 'use --preset intermediate, or add --allow-weak to see the 5.8 "old" profile' },
    );
  }
  const supported = guideline.groups.filter(groupSupported);
  const minVersion = guideline.tlsVersions[0] as string;
  const notes: string[] = [];
  // OpenSSL 3 signs TLS 1.0/1.1 handshakes with SHA-1, which security level 1 forbids.
  const legacyProtocols = minVersion === 'TLSv1' || minVersion === 'TLSv1.1';
  if (legacyProtocols) notes.push('TLS 1.0 and 1.1 need @SECLEVEL=0 in OpenSSL 3 (appended)');
  if (guideline.withdrawn) notes.push(`withdrawn by Mozilla: guidelines ${guideline.guidelines}`);
  if (guideline.dhParamSize !== null && guideline.ciphers.some((name) => name.startsWith('DHE'))) {
    notes.push(`DHE suites need a dhparam of ${guideline.dhParamSize} bits (tlskit dhparam)`);
  }
  return {
    ...guideline,
    minVersion,
    cipherString: mozillaCipherString(name) + (legacyProtocols ? ':@SECLEVEL=0' : ''),
    ecdhCurve: supported.join(':'),
    unsupportedGroups: guideline.groups.filter((group) => !supported.includes(group)),
    notes,
  };
}

const TLS13_SUITES = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
];

const GUIDELINES: Record<MozillaPresetName, MozillaGuideline> = {
  modern: {
    name: 'modern',
    guidelines: '6.0',
    withdrawn: false,
    tlsVersions: ['TLSv1.3'],
    ciphersuites: TLS13_SUITES,
    ciphers: [],
    groups: ['X25519MLKEM768', 'X25519', 'prime256v1', 'secp384r1'],
    certificateTypes: ['ecdsa'],
    dhParamSize: null,
    serverPreferredOrder: false,
    oldestClients: [
      'Firefox 63',
      'Android 10.0',
      'Chrome 70',
      'Edge 75',
      'Java 11',
      'OpenSSL 1.1.1',
      'Opera 57',
      'Safari 12.1',
    ],
  },
  intermediate: {
    name: 'intermediate',
    guidelines: '6.0',
    withdrawn: false,
    tlsVersions: ['TLSv1.2', 'TLSv1.3'],
    ciphersuites: TLS13_SUITES,
    ciphers: [
      'ECDHE-ECDSA-AES128-GCM-SHA256',
      'ECDHE-RSA-AES128-GCM-SHA256',
      'ECDHE-ECDSA-AES256-GCM-SHA384',
      'ECDHE-RSA-AES256-GCM-SHA384',
      'ECDHE-ECDSA-CHACHA20-POLY1305',
      'ECDHE-RSA-CHACHA20-POLY1305',
    ],
    groups: ['X25519MLKEM768', 'X25519', 'prime256v1', 'secp384r1'],
    certificateTypes: ['ecdsa', 'rsa'],
    dhParamSize: 2048,
    serverPreferredOrder: false,
    oldestClients: [
      'Firefox 31.3.0',
      'Android 4.4.2',
      'Chrome 49',
      'Edge 15 on Windows 10',
      'IE 11 on Windows 10',
      'Java 8u161',
      'OpenSSL 1.0.1l',
      'Opera 20',
      'Safari 9',
    ],
  },
  old: {
    name: 'old',
    guidelines: '5.8',
    withdrawn: true,
    tlsVersions: ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'],
    ciphersuites: TLS13_SUITES,
    ciphers: [
      'ECDHE-ECDSA-AES128-GCM-SHA256',
      'ECDHE-RSA-AES128-GCM-SHA256',
      'ECDHE-ECDSA-AES256-GCM-SHA384',
      'ECDHE-RSA-AES256-GCM-SHA384',
      'ECDHE-ECDSA-CHACHA20-POLY1305',
      'ECDHE-RSA-CHACHA20-POLY1305',
      'DHE-RSA-AES128-GCM-SHA256',
      'DHE-RSA-AES256-GCM-SHA384',
      'DHE-RSA-CHACHA20-POLY1305',
      'ECDHE-ECDSA-AES128-SHA256',
      'ECDHE-RSA-AES128-SHA256',
      'ECDHE-ECDSA-AES128-SHA',
      'ECDHE-RSA-AES128-SHA',
      'ECDHE-ECDSA-AES256-SHA384',
      'ECDHE-RSA-AES256-SHA384',
      'ECDHE-ECDSA-AES256-SHA',
      'ECDHE-RSA-AES256-SHA',
      'DHE-RSA-AES128-SHA256',
      'DHE-RSA-AES256-SHA256',
      'AES128-GCM-SHA256',
      'AES256-GCM-SHA384',
      'AES128-SHA256',
      'AES256-SHA256',
      'AES128-SHA',
      'AES256-SHA',
      'DES-CBC3-SHA',
    ],
    groups: ['X25519', 'prime256v1', 'secp384r1'],
    certificateTypes: ['rsa'],
    dhParamSize: 1024,
    serverPreferredOrder: true,
    oldestClients: [
      'Firefox 1',
      'Android 2.3',
      'Chrome 1',
      'Edge 12',
      'IE8 on Windows XP',
      'Java 6',
      'OpenSSL 0.9.8',
      'Opera 5',
      'Safari 1',
    ],
  },
};

/** Whether this Node's OpenSSL knows a key-exchange group, by asking it. */
function groupSupported(group: string): boolean {
  try {
    createSecureContext({ ecdhCurve: group });
    return true;
  } catch {
    return false;
  }
}
