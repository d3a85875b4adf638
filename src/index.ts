/**
 * tlskit's public API: everything the commands do, for test suites and scripts to import.
 * The CLI is a thin layer over these functions.
 */

// Errors: one hierarchy, each with a stable `code` and the CLI's exit code.
export {
  CheckFailedError,
  ExitCode,
  FileExistsError,
  InputError,
  InternalError,
  InterruptedError,
  PeerError,
  RefusedError,
  TlskitError,
  UsageError,
  WrongPassphraseError,
  isTlskitError,
} from './errors.js';

// Files and secrets.
export {
  PUBLIC_FILE_MODE,
  SECRET_FILE_MODE,
  writeFileAtomic,
  writeFilesAtomic,
  type FileOutput,
  type FileWriter,
  type WriteOptions,
} from './io/atomic-write.js';
export { decodePem, encodePem, looksLikePem, type PemBlock } from './io/pem.js';
export {
  parsePassphraseSpec,
  resolvePassphrase,
  type PassphraseSources,
  type PassphraseSpec,
} from './io/passphrase.js';
export type { PassphraseProvider, Prompter } from './io/prompter.js';
export { readInputFile } from './io/read-input.js';

// Keys.
export {
  CURVES,
  KEY_TYPES,
  describeKey,
  encodePrivateKey,
  encodePublicKey,
  generateKeyPair,
  keysMatch,
  loadPrivateKey,
  loadPublicKey,
  publicKeyOf,
  type Curve,
  type KeyDescription,
  type KeyPair,
  type KeySpec,
  type KeyType,
  type LoadKeyOptions,
  type PrivateKeyEncoding,
} from './pki/keys.js';
export { keygen, type KeygenOptions, type KeygenResult } from './pki/keygen.js';
export {
  DIGESTS,
  signatureAlgorithmFor,
  type Digest,
  type SignatureAlgorithm,
} from './pki/signature-algorithm.js';

// Names, requests, certificates.
export {
  decodeName,
  encodeName,
  formatName,
  parseSubject,
  type DistinguishedName,
  type NameAttribute,
} from './pki/name.js';
export {
  decodeSubjectAltNames,
  encodeSubjectAltNames,
  parseSan,
  type SubjectAltName,
} from './pki/san.js';
export { createCsr, readCsr, type CertificateRequest, type CreateCsrOptions } from './pki/csr.js';
export { BUILT_IN_PROFILES, loadProfile, parseProfile, type Profile } from './pki/profile.js';
export {
  parseTimeSpec,
  resolveValidity,
  type ValidityPeriod,
  type ValidityRequest,
} from './pki/validity.js';
export { formatSerial, parseSerial, randomSerial } from './pki/serial.js';
export {
  fingerprint256Of,
  issueCertificate,
  readCertificate,
  type CertificateIssuer,
  type IssueCertificateOptions,
  type IssuedCertificate,
} from './pki/certificate.js';
export {
  signCertificateRequest,
  type SignOptions,
  type SignResult,
  type Signer,
} from './pki/sign.js';
export {
  inspectData,
  inspectFile,
  inspectionTree,
  type InspectOptions,
  type InspectResult,
  type InspectedObject,
} from './pki/describe/inspect.js';
export { renderTree, PLAIN_PALETTE, type Palette, type TreeNode } from './render/text-tree.js';

// A certificate authority in a folder (OpenSSL's ca format).
export { initCa, type CaInitOptions, type NewCaResult } from './pki/ca/init.js';
export { createIntermediateCa, type CaIntermediateOptions } from './pki/ca/intermediate.js';
export {
  issueFromCa,
  type CaIssueFiles,
  type CaIssueOptions,
  type CaIssueResult,
} from './pki/ca/issue.js';
export { revokeFromCa, type CaRevokeOptions, type CaRevokeResult } from './pki/ca/revoke.js';
export {
  buildCrl,
  generateCaCrl,
  type BuildCrlOptions,
  type BuiltCrl,
  type CaCrlOptions,
  type CaCrlResult,
} from './pki/ca/crl.js';
export { listCa, type CaListEntry, type CaListOptions, type CaListResult } from './pki/ca/list.js';
export { openCaFolder, loadCaKey, type CaFolder } from './pki/ca/ca-store.js';
export { REVOCATION_REASONS, type RevocationReason } from './pki/ca/revocation-reason.js';
export {
  checkNameConstraints,
  encodeNameConstraints,
  parseNameConstraint,
  type NameConstraint,
  type NameConstraintSet,
} from './pki/ca/name-constraints.js';

// PKCS#12.
export {
  exportPfx,
  PFX_FORMATS,
  type ExportPfxOptions,
  type ExportPfxResult,
  type PfxFormat,
} from './pki/pkcs12/pfx-export.js';
export { importPfx, type ImportPfxOptions, type ImportPfxResult } from './pki/pkcs12/pfx-import.js';
export { buildPfx, type BuildPfxOptions, type PfxEncryption } from './pki/pkcs12/pfx-build.js';
export { readPfx, type PfxContents, type ReadPfxOptions } from './pki/pkcs12/pfx-read.js';

// DH parameters.
export {
  DH_PARAMETERS_PEM_LABEL,
  decodeDhParameters,
  dhParametersPem,
  encodeDhParameters,
  readDhParametersFile,
  type DecodedDhParameters,
  type DhParameters,
} from './pki/dh/dh-params.js';
export {
  checkDhSize,
  ffdheParameters,
  generateDhParameters,
  type GenerateDhOptions,
  type GeneratedDhParameters,
} from './pki/dh/generate.js';
export { checkDhParameters, type DhCheck, type DhCheckResult } from './pki/dh/check.js';
export {
  FFDHE_GROUPS,
  ffdheGroup,
  type FfdheGroup,
  type FfdheGroupName,
} from './pki/dh/ffdhe-groups.js';

// Path validation, as openssl verify does it.
export {
  verifyCertificateFiles,
  NODE_ROOTS_SOURCE,
  type PathCertificate,
  type VerifyFilesOptions,
  type VerifyFilesResult,
} from './pki/verify/verify-files.js';
export {
  verifyChain,
  type ChainVerification,
  type VerifyChainOptions,
} from './pki/verify/verify-chain.js';
export {
  VERIFY_ERRORS,
  VerificationFailedError,
  type VerifyErrorCode,
  type VerifyFailure,
  type VerifyVerdict,
} from './pki/verify/verdict.js';
export { parseRevocationList, type RevocationList } from './pki/verify/crl-reader.js';
export type { VerifyPurpose } from './pki/verify/purpose.js';
export type { CrlCheckScope } from './pki/verify/revocation.js';

// A whole test PKI from one declarative spec.
export {
  checkFixtures,
  generateFixtures,
  type FixtureArtifact,
  type FixturesCheck,
  type FixturesResult,
  type GenerateFixturesOptions,
} from './fixtures/generate.js';
export { FIXTURE_PRESETS, presetPath, readFixtureSpecFile } from './fixtures/spec-file.js';
export { parseFixtureSpec, type FixtureNode, type FixtureSpec } from './fixtures/spec.js';
export { initFixtureSpec } from './fixtures/init.js';
export { opensslVerifyArguments } from './fixtures/readme.js';

// TLS.
export {
  connect,
  openConnection,
  type ConnectOptions,
  type ConnectionSummary,
  type HandshakeSummary,
  type OpenConnection,
  type ReconnectSummary,
  type TlsVersion,
} from './tls/client/index.js';
export { startServer, type ServerHandle } from './tls/server/start-server.js';
export type { IdentityInput, ServerOptions, SniInput } from './tls/server/options.js';
export type { ServerSummary } from './tls/server/summary.js';
export type { ServerEvent } from './tls/server/events.js';
export {
  cipherStringName,
  defaultCipherList,
  expandCipherString,
  nodeCipherList,
  type CipherList,
  type ListedCipherSuite,
} from './tls/ciphers/expand.js';
export { MOZILLA_PRESETS, mozillaPreset } from './tls/ciphers/mozilla-presets.js';
export {
  STARTTLS_PROTOCOLS,
  acceptStarttls,
  requestStarttls,
  type StarttlsOptions,
  type StarttlsProtocol,
} from './tls/starttls/index.js';
export {
  loopbackHandshake,
  type LoopbackHandshakeOptions,
  type LoopbackHandshakeResult,
} from './tls/loopback-handshake.js';
export { runDemo, type DemoOptions, type DemoResult, type DemoStep } from './demo.js';

// The scanner: its own ClientHellos, every suite a server accepts.
export { probe, SCANNERS, type ProbeOptions } from './probe/probe.js';
export {
  PROBE_REPORT_SCHEMA_VERSION,
  type CertificateChainReport,
  type CipherSuitesReport,
  type ExtrasReport,
  type KeyExchangeReport,
  type ProbeReport,
  type SuiteReport,
  type TargetReport,
} from './probe/report.js';
export { ProbeParseError } from './probe/wire/probe-parse-error.js';
