#!/usr/bin/env bash
# Computes the miIO known-answer vectors in test_packet.py with openssl, md5sum and xxd only,
# independently of the project's code. Usage: tests/miot/known_answers.sh TOKEN DID STAMP PAYLOAD
set -euo pipefail
token=$1 did=$2 stamp=$3 payload=$4
key=$(printf '%s' "$token" | xxd -r -p | md5sum | cut -c1-32)
iv=$( (printf '%s' "$key"; printf '%s' "$token") | xxd -r -p | md5sum | cut -c1-32)
cipher=$(printf '%s' "$payload" | openssl enc -aes-128-cbc -K "$key" -iv "$iv" | xxd -p | tr -d '\n')
length=$(printf '%04x' $((32 + ${#cipher} / 2)))
prefix="2131${length}00000000$(printf '%08x' "$did")$(printf '%08x' "$stamp")"
checksum=$(printf '%s%s%s' "$prefix" "$token" "$cipher" | xxd -r -p | md5sum | cut -c1-32)
echo "key=$key"
echo "iv=$iv"
echo "packet=$prefix$checksum$cipher"
