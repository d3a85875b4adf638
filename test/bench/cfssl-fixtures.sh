#!/bin/sh
# cfssl's nearest equivalent of templates/fixtures/standard.yaml, for the fixtures bench: a root
# CA, an intermediate signed by it, four servers, two clients and the intermediate's CRL
# revoking one server. cfssl writes no PKCS#12. 10 cfssl processes (each piped to cfssljson).
# Usage: cfssl-fixtures.sh OUTDIR rsa|ec
set -eu
out=$1
case ${2:-rsa} in
  rsa) key='{"algo": "rsa", "size": 2048}' ;;
  ec) key='{"algo": "ecdsa", "size": 256}' ;;
  *) echo "usage: $0 OUTDIR rsa|ec" >&2; exit 2 ;;
esac
mkdir -p "$out"
cd "$out"

cat > config.json <<'JSON'
{
  "signing": {
    "default": { "expiry": "87600h" },
    "profiles": {
      "intermediate": {
        "expiry": "131400h",
        "usages": ["cert sign", "crl sign"],
        "ca_constraint": { "is_ca": true, "max_path_len": 0, "max_path_len_zero": true }
      },
      "server": { "expiry": "87600h", "usages": ["digital signature", "key encipherment", "server auth"] },
      "client": { "expiry": "87600h", "usages": ["digital signature", "key encipherment", "client auth"] },
      "peer": { "expiry": "87600h", "usages": ["digital signature", "key encipherment", "server auth", "client auth"] }
    }
  }
}
JSON
csr() { # CN, hosts (a JSON list)
  printf '{"CN": "%s", "hosts": %s, "key": %s, "names": [{"O": "tlskit fixtures"}]}\n' "$1" "$2" "$key"
}
csr 'tlskit Test Root CA' '[]' > root-ca.json
csr 'tlskit Test Intermediate CA' '[]' > intermediate-ca.json

cfssl gencert -initca root-ca.json 2>/dev/null | cfssljson -bare root-ca
cfssl genkey intermediate-ca.json 2>/dev/null | cfssljson -bare intermediate-ca
cfssl sign -ca root-ca.pem -ca-key root-ca-key.pem -config config.json -profile intermediate \
  intermediate-ca.csr 2>/dev/null | cfssljson -bare intermediate-ca

leaf() { # name, profile, CN, hosts
  csr "$3" "$4" > "$1.json"
  cfssl gencert -ca intermediate-ca.pem -ca-key intermediate-ca-key.pem -config config.json \
    -profile "$2" "$1.json" 2>/dev/null | cfssljson -bare "$1"
}
leaf localhost server localhost '["localhost", "127.0.0.1", "::1"]'
leaf www server www.example.test '["www.example.test", "example.test"]'
leaf wildcard server '*.apps.example.test' '["*.apps.example.test"]'
leaf revoked server revoked.example.test '["revoked.example.test"]'
leaf client client client '["client@example.test"]'
leaf peer peer peer.example.test '["peer.example.test"]'

serial=$(cfssl certinfo -cert revoked.pem 2>/dev/null | sed -n 's/.*"serial_number": "\([0-9]*\)".*/\1/p')
echo "$serial" > revoked-serials.txt
cfssl gencrl revoked-serials.txt intermediate-ca.pem intermediate-ca-key.pem 2>/dev/null \
  | base64 -d > intermediate-ca.crl.der
