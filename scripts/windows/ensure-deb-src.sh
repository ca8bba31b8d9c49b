#!/usr/bin/env bash
# Makes Debian's source packages reachable for apt-get source (build-deps.sh): when apt cannot
# find a source package yet, adds a deb-src twin of every binary entry the machine's own apt
# sources already have, then refreshes the index.
#
# The entries are derived, never written out here: the twins use the same archive (mirror, proxy
# or snapshot), suites, components and keyring as the machine's `deb` entries, so the repository
# names no package mirror and follows whichever one the machine is set up with. Both formats are
# read: deb822 stanzas (*.sources: the same stanza with `Types: deb-src`) and one-line entries
# (sources.list, *.list: the same line starting with `deb-src`). Disabled stanzas (Enabled: no)
# and entries that already have a deb-src twin are left out. Fails, saying so, when the machine
# has no `deb` entry at all.
set -euo pipefail
if apt-get source --print-uris -qq curl 2>/dev/null | grep -q '\.dsc'; then
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo

# Where this machine's apt looks (normally /etc/apt/sources.list and /etc/apt/sources.list.d/).
eval "$(apt-config shell SOURCE_LIST Dir::Etc::sourcelist/f SOURCE_PARTS Dir::Etc::sourceparts/d)"
own_sources=${SOURCE_PARTS%/}/onshi-deb-src.sources
own_list=${SOURCE_PARTS%/}/onshi-deb-src.list

deb822_files=() oneline_files=()
[ -f "$SOURCE_LIST" ] && oneline_files+=("$SOURCE_LIST")
for f in "${SOURCE_PARTS%/}"/*.sources; do
  [ -f "$f" ] && [ "$f" != "$own_sources" ] && deb822_files+=("$f")
done
for f in "${SOURCE_PARTS%/}"/*.list; do
  [ -f "$f" ] && [ "$f" != "$own_list" ] && oneline_files+=("$f")
done

# deb822: every enabled stanza whose Types has deb but not deb-src, with Types: deb-src.
# Field names are case-insensitive; continuation lines (e.g. an inline Signed-By key) are kept.
stanzas=""
if [ "${#deb822_files[@]}" -gt 0 ]; then
  stanzas=$(awk '
    function flush() {
      if (n > 0 && has_deb && !has_src && enabled) {
        if (printed) print ""
        for (i = 1; i <= n; i++) print (i == types_at ? "Types: deb-src" : line[i])
        printed = 1
      }
      n = 0; has_deb = 0; has_src = 0; enabled = 1; types_at = 0
    }
    BEGIN { n = 0; enabled = 1 }
    FNR == 1 { flush() }
    /^[ \t]*$/ { flush(); next }
    /^#/ { next }
    {
      line[++n] = $0
      if (tolower($0) ~ /^types:/) {
        types_at = n
        split(substr($0, 7), t, /[ \t]+/)
        for (k in t) { if (t[k] == "deb") has_deb = 1; if (t[k] == "deb-src") has_src = 1 }
      }
      if (tolower($0) ~ /^enabled:[ \t]*no[ \t]*$/) enabled = 0
    }
    END { flush() }' "${deb822_files[@]}")
fi

# One-line entries: "deb [options] uri suite components" -> the same with deb-src, unless the
# machine already lists that deb-src line.
lines=""
if [ "${#oneline_files[@]}" -gt 0 ]; then
  lines=$(awk '
    { sub(/#.*/, ""); sub(/^[ \t]+/, ""); sub(/[ \t]+$/, ""); gsub(/[ \t]+/, " ") }
    /^deb-src / { have[$0] = 1; next }
    /^deb / { want[++n] = "deb-src " substr($0, 5) }
    END { for (i = 1; i <= n; i++) if (!(want[i] in have)) print want[i] }' "${oneline_files[@]}")
fi

if [ -z "$stanzas" ] && [ -z "$lines" ]; then
  echo "ensure-deb-src: this machine's apt sources ($SOURCE_LIST, ${SOURCE_PARTS%/}/*.sources," \
       "*.list) have no enabled 'deb' entry without a deb-src twin to derive one from;" \
       "set up the Debian archive this machine uses (deb, or deb-src directly), then run this again" >&2
  exit 1
fi
header="# Written by onshi's scripts/windows/ensure-deb-src.sh: deb-src twins of this machine's own entries."
if [ -n "$stanzas" ]; then
  printf '%s\n%s\n' "$header" "$stanzas" | $sudo tee "$own_sources" >/dev/null
fi
if [ -n "$lines" ]; then
  printf '%s\n%s\n' "$header" "$lines" | $sudo tee "$own_list" >/dev/null
fi
# An archive without sources only draws a notice from apt; a hard failure is reported below.
$sudo apt-get update -qq || echo "ensure-deb-src: apt-get update reported errors (see above)" >&2
apt-get source --print-uris -qq curl 2>/dev/null | grep -q '\.dsc' || {
  echo "Debian source packages are not reachable (deb-src); cannot cross-build the Windows libraries" >&2
  exit 1
}
