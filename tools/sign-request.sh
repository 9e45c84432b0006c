#!/usr/bin/env bash
# Sends a signed POST the way an integrator would, with curl and openssl only (the worked
# example for routes with request_signing; see README "Request signing").
#
#   tools/sign-request.sh HOST:PORT PATH KEY_ID SECRET BODY
set -euo pipefail
authority=$1 path=$2 key_id=$3 secret=$4 body=$5

date=$(LC_ALL=C date -u '+%a, %d %b %Y %H:%M:%S GMT')
digest="sha-256=:$(printf '%s' "$body" | openssl dgst -sha256 -binary | base64):"
signing_string=$(printf '(request-target): post %s\nhost: %s\ndate: %s\ncontent-digest: %s' "$path" "$authority" "$date" "$digest")
signature=$(printf '%s' "$signing_string" | openssl dgst -sha256 -hmac "$secret" -binary | base64)

curl -sS "http://$authority$path" \
  -H "Date: $date" \
  -H "Content-Digest: $digest" \
  -H "Signature: keyId=\"$key_id\",algorithm=\"hmac-sha256\",headers=\"(request-target) host date content-digest\",signature=\"$signature\"" \
  -H 'Content-Type: application/json' \
  --data-binary "$body"
