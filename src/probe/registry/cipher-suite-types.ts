/** The shape of one row of the cipher-suite table (cipher-suite-table.ts, generated). */

/** Key exchange: `DHE`/`ECDHE` are ephemeral (forward secret); `any` is TLS 1.3 (always ephemeral). */
export type KeyExchange =
  | 'NULL'
  | 'RSA'
  | 'DH'
  | 'DHE'
  | 'ECDH'
  | 'ECDHE'
  | 'KRB5'
  | 'PSK'
  | 'DHE_PSK'
  | 'RSA_PSK'
  | 'ECDHE_PSK'
  | 'SRP'
  | 'ECCPWD'
  | 'GOST'
  | 'any';

/** Server authentication; `anon` means none at all. */
export type Authentication =
  'NULL' | 'RSA' | 'DSS' | 'ECDSA' | 'anon' | 'KRB5' | 'PSK' | 'SRP' | 'ECCPWD' | 'GOST' | 'any';

export type CipherMode =
  'none' | 'stream' | 'CBC' | 'GCM' | 'CCM' | 'CCM_8' | 'POLY1305' | 'AEAD' | 'CTR' | 'CNT' | 'MGM';

/** The record MAC; `AEAD` when the cipher authenticates itself. */
export type MessageAuthentication =
  'NULL' | 'MD5' | 'SHA1' | 'SHA256' | 'SHA384' | 'SM3' | 'GOST' | 'AEAD';

export type SuiteVersion = 'SSLv3' | 'TLS1.0' | 'TLS1.1' | 'TLS1.2' | 'TLS1.3';

export interface CipherSuiteRow {
  id: number;
  /** The IANA name (`TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256`), or the conventional one when IANA has none. */
  name: string;
  /** OpenSSL's name (`ECDHE-RSA-AES128-GCM-SHA256`), when OpenSSL ever had the suite. */
  openssl: string | null;
  /** The versions the suite is defined for (a scan still offers a suite to any version from minVersion up to TLS 1.2). */
  minVersion: SuiteVersion;
  maxVersion: SuiteVersion;
  kx: KeyExchange;
  au: Authentication;
  /** Cipher family: `AES`, `CHACHA20`, `3DES`, `RC4`, `NULL`… */
  enc: string;
  mode: CipherMode;
  /** Key bits (168 for 3DES, as OpenSSL counts; 40 or 56 for export ciphers). */
  bits: number;
  mac: MessageAuthentication;
  /** An export-grade suite (deliberately weakened for 1990s US export rules). */
  export: boolean;
  /** Assigned in the IANA registry; false for code points only deployed in the wild. */
  iana: boolean;
  /** The IANA registry's "Recommended" column. */
  recommended: boolean;
}
