#!/usr/bin/env bash
# Starts or stops a throwaway Orthanc PACS on loopback for the PACS tests (a ctest fixture):
# never a system service; its configuration, storage and index live in DIR and are removed on
# stop. Ports are chosen free at start and written to DIR/ports.env for the tests:
#   ORTHANC_HTTP_PORT, ORTHANC_DICOM_PORT, DELINEO_SCP_PORT (our C-MOVE destination)
# A second Orthanc speaks only DICOM TLS, with a CA and server certificate made here by the
# openssl CLI (DIR/tls/ca.crt is the CA to trust): ORTHANC_TLS_DICOM_PORT.
# Usage: orthanc-fixture.sh start|stop DIR
set -euo pipefail
action=$1
dir=$2

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {  # a port nobody listens on, from a range clear of the usual services
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 40000))
    if ! listening "$p" && [[ " ${taken:-} " != *" $p "* ]]; then
      taken="${taken:-} $p"
      echo "$p"
      return 0
    fi
  done
  echo "no free port found" >&2
  return 1
}

stop_tls() {
  if [ -f "$dir/tls/orthanc.pid" ]; then
    pid=$(cat "$dir/tls/orthanc.pid")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    fi
  fi
  rm -rf "$dir/tls"
}

# After start(): the TLS-only Orthanc, its port appended to ports.env.
start_tls() {
  command -v openssl >/dev/null || { echo "openssl not installed: no TLS PACS" >&2; return 0; }
  stop_tls
  local t="$dir/tls"
  mkdir -p "$t/storage"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$t/ca.key" -out "$t/ca.crt" -days 2 \
    -subj "/CN=Delineo test CA" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -keyout "$t/server.key" -out "$t/server.csr" -subj "/CN=127.0.0.1" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > "$t/ext.cnf"
  openssl x509 -req -in "$t/server.csr" -CA "$t/ca.crt" -CAkey "$t/ca.key" -CAcreateserial -out "$t/server.crt" \
    -days 2 -extfile "$t/ext.cnf" 2>/dev/null
  taken=" $(sed 's/.*=//' "$dir/ports.env" | tr '\n' ' ')"
  local http dicom
  http=$(free_port); dicom=$(free_port)
  cat > "$t/orthanc.json" <<EOF
{
  "Name" : "DelineoTestTlsPacs",
  "StorageDirectory" : "$t/storage",
  "IndexDirectory" : "$t/storage",
  "Plugins" : [],
  "HttpPort" : $http,
  "RemoteAccessAllowed" : false,
  "AuthenticationEnabled" : false,
  "DicomAet" : "ORTHANC",
  "DicomPort" : $dicom,
  "DicomCheckCalledAet" : true,
  "DicomAlwaysAllowEcho" : true,
  "DicomAlwaysAllowStore" : true,
  "DicomAlwaysAllowFind" : true,
  "DicomAlwaysAllowGet" : true,
  "DicomTlsEnabled" : true,
  "DicomTlsCertificate" : "$t/server.crt",
  "DicomTlsPrivateKey" : "$t/server.key",
  "DicomTlsTrustedCertificates" : "$t/ca.crt",
  "DicomTlsRemoteCertificateRequired" : false,
  "DicomScuTimeout" : 10,
  "SaveJobs" : false,
  "HttpTimeout" : 10
}
EOF
  Orthanc "$t/orthanc.json" > "$t/orthanc.log" 2>&1 &
  echo $! > "$t/orthanc.pid"
  for _ in $(seq 1 300); do
    if curl -sf "http://127.0.0.1:$http/system" >/dev/null 2>&1 && listening "$dicom"; then
      echo "ORTHANC_TLS_DICOM_PORT=$dicom" >> "$dir/ports.env"
      echo "TLS Orthanc up: DICOM TLS $dicom (CA $t/ca.crt)"
      return 0
    fi
    kill -0 "$(cat "$t/orthanc.pid")" 2>/dev/null || break
    sleep 0.1
  done
  echo "the TLS Orthanc did not start; log:" >&2
  tail -n 20 "$t/orthanc.log" >&2 || true
  stop_tls
  exit 1
}

stop() {
  stop_tls
  if [ -f "$dir/orthanc.pid" ]; then
    pid=$(cat "$dir/orthanc.pid")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    fi
    rm -f "$dir/orthanc.pid"
  fi
  rm -rf "$dir/storage"
}

start() {
  command -v Orthanc >/dev/null || { echo "Orthanc is not installed (scripts/setup.sh installs it)" >&2; exit 1; }
  stop
  mkdir -p "$dir/storage"
  for attempt in 1 2 3; do
    taken=""
    http=$(free_port); dicom=$(free_port); scp=$(free_port)
    cat > "$dir/orthanc.json" <<EOF
{
  "Name" : "DelineoTestPacs",
  "StorageDirectory" : "$dir/storage",
  "IndexDirectory" : "$dir/storage",
  "Plugins" : [],
  "HttpPort" : $http,
  "RemoteAccessAllowed" : false,
  "AuthenticationEnabled" : false,
  "DicomAet" : "ORTHANC",
  "DicomPort" : $dicom,
  "DicomCheckCalledAet" : true,
  "DicomModalities" : { "delineo" : [ "DELINEO", "127.0.0.1", $scp ] },
  "DicomAlwaysAllowEcho" : true,
  "DicomAlwaysAllowStore" : true,
  "DicomAlwaysAllowFind" : true,
  "DicomAlwaysAllowGet" : true,
  "DicomAlwaysAllowMove" : true,
  "DicomScuTimeout" : 10,
  "StableAge" : 1,
  "SaveJobs" : false,
  "ConcurrentJobs" : 1,
  "HttpTimeout" : 10
}
EOF
    Orthanc "$dir/orthanc.json" > "$dir/orthanc.log" 2>&1 &
    echo $! > "$dir/orthanc.pid"
    for _ in $(seq 1 300); do  # up to 30 s: start-up on a busy 2-core machine
      if curl -sf "http://127.0.0.1:$http/system" >/dev/null 2>&1 && listening "$dicom"; then
        printf 'ORTHANC_HTTP_PORT=%s\nORTHANC_DICOM_PORT=%s\nDELINEO_SCP_PORT=%s\n' "$http" "$dicom" "$scp" \
          > "$dir/ports.env"
        echo "Orthanc up: HTTP $http, DICOM $dicom (AE ORTHANC); our SCP port $scp (AE DELINEO)"
        return 0
      fi
      kill -0 "$(cat "$dir/orthanc.pid")" 2>/dev/null || break  # exited: port taken meanwhile?
      sleep 0.1
    done
    echo "Orthanc did not start (attempt $attempt); log:" >&2
    tail -n 20 "$dir/orthanc.log" >&2 || true
    stop
    mkdir -p "$dir/storage"
  done
  exit 1
}

case "$action" in
  start) start; start_tls ;;
  stop) stop; echo "Orthanc stopped" ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
