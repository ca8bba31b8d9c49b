#!/usr/bin/env bash
# Makes Debian's source packages reachable for apt-get source (build-deps.sh): adds deb-src
# entries mirroring the machine's Debian sources (bookworm, bookworm-updates, bookworm-security)
# when apt cannot find a source package yet, then refreshes the index.
set -euo pipefail
if apt-get source --print-uris -qq curl 2>/dev/null | grep -q '\.dsc'; then
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
# The machine's own Debian entries with Types: deb-src, so that a mirror or proxy it is set up
# with serves the sources too; the public Debian addresses when it has no deb822 sources file.
machine_sources=/etc/apt/sources.list.d/debian.sources
if [ -f "$machine_sources" ] && grep -q '^Types: deb$' "$machine_sources"; then
  sed 's/^Types: deb$/Types: deb-src/' "$machine_sources"
else
  cat <<'SOURCES'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
fi | $sudo tee /etc/apt/sources.list.d/onshi-deb-src.sources >/dev/null
$sudo apt-get update -qq
apt-get source --print-uris -qq curl 2>/dev/null | grep -q '\.dsc' || {
  echo "Debian source packages are not reachable (deb-src); cannot cross-build the Windows libraries" >&2
  exit 1
}
