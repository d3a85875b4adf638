#!/bin/sh
# mkcert's nearest equivalent of templates/fixtures/standard.yaml, for the fixtures bench: a CA
# (made on first use, in CAROOT, never installed into a trust store), four servers, a client and
# the client again as PKCS#12. mkcert has no intermediate and no CRL. 6 mkcert processes.
# Usage: mkcert-fixtures.sh OUTDIR rsa|ec
set -eu
out=$1
case ${2:-rsa} in
  rsa) ecdsa='' ;;
  ec) ecdsa='-ecdsa' ;;
  *) echo "usage: $0 OUTDIR rsa|ec" >&2; exit 2 ;;
esac
mkdir -p "$out"
cd "$out"
export CAROOT="$PWD/ca"
mkcert $ecdsa -cert-file localhost.cert.pem -key-file localhost.key.pem localhost 127.0.0.1 ::1 2>/dev/null
mkcert $ecdsa -cert-file www.cert.pem -key-file www.key.pem www.example.test example.test 2>/dev/null
mkcert $ecdsa -cert-file wildcard.cert.pem -key-file wildcard.key.pem '*.apps.example.test' 2>/dev/null
mkcert $ecdsa -cert-file revoked.cert.pem -key-file revoked.key.pem revoked.example.test 2>/dev/null
mkcert $ecdsa -client -cert-file client.cert.pem -key-file client.key.pem client@example.test 2>/dev/null
mkcert $ecdsa -client -pkcs12 -p12-file client.p12 client@example.test 2>/dev/null
