#!/usr/bin/env bash
# Creates, once, what compose.yaml needs and must not be in Git:
#   .env                the PostgreSQL password (and a place for TRAME_* overrides)
#   secrets/master.key  Trame's master key: 32 random bytes, base64url without
#                       padding, the format Trame writes itself
# Existing files are never overwritten: the master key encrypts the signing
# keys in the database, and a new one cannot open them.
set -euo pipefail
cd "$(dirname "$0")"
umask 077

if [ ! -e .env ]; then
  # Hex: nothing to percent-encode in TRAME_DATABASE_URL.
  printf 'POSTGRES_PASSWORD=%s\n# TRAME_PUBLIC_URL=https://login.example.fr\n# TRAME_TRUSTED_PROXIES=172.16.0.0/12\n# TRAME_SMTP_URL=smtps://user:password@smtp.example.fr\n' \
    "$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')" > .env
  echo "wrote .env"
else
  echo ".env exists, left alone"
fi

mkdir -p secrets
if [ ! -e secrets/master.key ]; then
  head -c 32 /dev/urandom | basenc --base64url | tr -d '=\n' > secrets/master.key
  echo >> secrets/master.key
  echo "wrote secrets/master.key: back it up with the database backups"
else
  echo "secrets/master.key exists, left alone"
fi

# Compose bind-mounts file secrets as they are on the host: the container's
# user (uid 10001) must be able to read the file. Trame warns when the file
# is readable by others, so prefer owning it over widening the mode.
if [ "$(id -u)" -eq 0 ]; then
  chown 10001:10001 secrets/master.key
  chmod 0600 secrets/master.key
else
  echo "not root: run 'sudo chown 10001:10001 $(pwd)/secrets/master.key'" >&2
  echo "(or chmod 0644 it, and Trame will log a warning about its mode)" >&2
fi
