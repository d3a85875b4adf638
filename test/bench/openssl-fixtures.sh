#!/bin/sh
# The openssl equivalent of templates/fixtures/standard.yaml, for the fixtures bench: a root CA,
# an intermediate, four servers (one revoked), two clients, a PKCS#12 bundle and the
# intermediate's CRL, with chains made by cat. 18 openssl processes.
# Usage: openssl-fixtures.sh OUTDIR rsa|ec
set -eu
out=$1
case ${2:-rsa} in
  rsa) newkey='-newkey rsa:2048' ;;
  ec) newkey='-newkey ec -pkeyopt ec_paramgen_curve:P-256' ;;
  *) echo "usage: $0 OUTDIR rsa|ec" >&2; exit 2 ;;
esac
mkdir -p "$out"
cd "$out"

cat > ext.cnf <<'CNF'
[intermediate]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, digitalSignature, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[localhost]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1
[www]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.example.test, DNS:example.test
[wildcard]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:*.apps.example.test
[revoked]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:revoked.example.test
[client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
subjectAltName = email:client@example.test
[peer]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = DNS:peer.example.test
CNF

cat > ca.cnf <<'CNF'
[ca]
default_ca = intermediate
[intermediate]
database = index.txt
certificate = intermediate-ca.cert.pem
private_key = intermediate-ca.key.pem
crlnumber = crlnumber
default_md = sha256
default_crl_days = 5475
CNF
: > index.txt
echo 01 > crlnumber

# 1: the root CA, key and self-signed certificate in one process.
openssl req -x509 $newkey -nodes -keyout root-ca.key.pem -out root-ca.cert.pem -days 7300 \
  -subj '/O=tlskit fixtures/CN=tlskit Test Root CA' \
  -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign' \
  2>/dev/null

# 2-3: the intermediate.
openssl req -new $newkey -nodes -keyout intermediate-ca.key.pem -out intermediate-ca.csr \
  -subj '/O=tlskit fixtures/CN=tlskit Test Intermediate CA' 2>/dev/null
openssl x509 -req -in intermediate-ca.csr -CA root-ca.cert.pem -CAkey root-ca.key.pem \
  -set_serial 0x1000 -days 5475 -extfile ext.cnf -extensions intermediate \
  -out intermediate-ca.cert.pem 2>/dev/null
cat root-ca.cert.pem > intermediate-ca.chain.pem
cat intermediate-ca.cert.pem root-ca.cert.pem > intermediate-ca.fullchain.pem

# 4-15: servers and clients, two processes each (key and request, then certificate).
serial=4096
for leaf in localhost:/CN=localhost www:/CN=www.example.test wildcard:/CN=*.apps.example.test \
  revoked:/CN=revoked.example.test client:/CN=client peer:/CN=peer.example.test; do
  name=${leaf%%:*}
  serial=$((serial + 1))
  openssl req -new $newkey -nodes -keyout "$name.key.pem" -out "$name.csr" \
    -subj "${leaf#*:}" 2>/dev/null
  openssl x509 -req -in "$name.csr" -CA intermediate-ca.cert.pem \
    -CAkey intermediate-ca.key.pem -set_serial "$serial" -days 3650 -extfile ext.cnf \
    -extensions "$name" -out "$name.cert.pem" 2>/dev/null
  cat intermediate-ca.cert.pem root-ca.cert.pem > "$name.chain.pem"
  cat "$name.cert.pem" "$name.chain.pem" > "$name.fullchain.pem"
done

# 16: the client as PKCS#12.
openssl pkcs12 -export -inkey client.key.pem -in client.cert.pem -certfile client.chain.pem \
  -name client -passout pass:tlskit -out client.p12

# 17-18: revoke one server, then the CRL.
openssl ca -config ca.cnf -revoke revoked.cert.pem -crl_reason keyCompromise 2>/dev/null
openssl ca -config ca.cnf -gencrl -out intermediate-ca.crl.pem 2>/dev/null

rm -f ./*.csr
