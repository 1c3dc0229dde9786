#!/bin/sh
# Stores root's credential (bcrypt of $COMMON_SECURITY_DEFAULTROOTPASSWORD) in etcd if, and only
# if, no root credential exists yet: an etcd transaction guarded by "key was never created", so a
# restarted or replaced container never changes a password set earlier (or through the API).
# Talks to etcd's JSON gateway (/v3/kv/txn) with curl; keys and values are base64 there.
set -eu

endpoint="${ETCD_ENDPOINTS:-localhost:2379}"
endpoint="${endpoint%%,*}"
case "$endpoint" in http://* | https://*) ;; *) endpoint="http://$endpoint" ;; esac
root_path="${ETCD_ROOTPATH:-by-dev}"
key="$root_path/meta/root-coord/credential/users/root"

# htpasswd writes bcrypt as $2y$; Milvus (Go's bcrypt) writes the same algorithm as $2a$.
hash="$(printf '%s' "$COMMON_SECURITY_DEFAULTROOTPASSWORD" | htpasswd -niB -C 10 root | cut -d: -f2- | sed 's/^\$2y\$/$2a$/')"
b64() { printf '%s' "$1" | base64 -w0; }
value="{\"encrypted_password\":\"$hash\"}"
body="{\"compare\":[{\"key\":\"$(b64 "$key")\",\"target\":\"CREATE\",\"result\":\"EQUAL\",\"create_revision\":\"0\"}],\
\"success\":[{\"request_put\":{\"key\":\"$(b64 "$key")\",\"value\":\"$(b64 "$value")\"}}]}"

# etcd may still be starting (the component starts it first, but not necessarily healthy yet).
tries=0
until answer="$(curl -fsS -X POST --data-binary "$body" "$endpoint/v3/kv/txn" 2>&1)"; do
    tries=$((tries + 1))
    if [ "$tries" -ge 60 ]; then
        echo "seed-root-password: etcd at $endpoint not reachable: $answer" >&2
        exit 1
    fi
    sleep 1
done
case "$answer" in
*'"succeeded":true'*) echo "seed-root-password: root password set from COMMON_SECURITY_DEFAULTROOTPASSWORD" >&2 ;;
*) echo "seed-root-password: root credential already exists; left unchanged" >&2 ;;
esac
