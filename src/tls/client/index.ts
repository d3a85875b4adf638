/** The TLS client: `connect` (s_client as a function) and what it reports. */
export {
  connect,
  expectationFailure,
  openConnection,
  type ConnectionSummary,
  type OpenConnection,
  type ReconnectSummary,
} from './connect.js';
export type {
  ExchangeSummary,
  PipeSummary,
  RenegotiationSummary,
  TlsConnection,
} from './connection.js';
export {
  DEFAULT_CONNECT_TIMEOUT_MS,
  TLS_VERSIONS,
  decodeSendText,
  parseExpectPattern,
  parseTlsVersion,
  type ConnectOptions,
  type TlsVersion,
} from './options.js';
export type { OcspSingleResponse, OcspSummary } from './ocsp.js';
export type { PeerCertificateSummary } from './peer-chain.js';
export { SESSION_PEM_LABEL, describeSession, type SessionSummary } from './session.js';
export type { HandshakeSummary } from './summary.js';
export { connectionTree, type ConnectionTreeOptions } from './summary-tree.js';
export { formatAddress, parseTarget, type Target } from './target.js';
