#!/usr/bin/env bash
# Runs the integration guide (docs/integration-guide.md) the way a host developer follows it, so
# that a guide that drifts from the code fails here.
#
#   run_guide.sh SOURCE_DIR GUIDE.md WORK_DIR SANDBOX_BIN   (GUIDE.md relative to SOURCE_DIR)
#
# What runs: every fenced block that opens with ```sh, in the order of the guide, as one bash
# script (`set -euo pipefail`), so that what one block sets (the sandbox's PCSCLITE_CSOCK_NAME,
# a shell function) holds in the next, as in the reader's terminal. The commands run as written,
# from the top of the source tree (the guide's paths are relative to it: scripts/demo.sh,
# build/bin/...). The first failing command fails the test and names its line in the guide.
#
# Not run: a block whose line just before the opening fence is
#     <!-- guide-test: skip -->
# (GUI programs that wait for a person, commands that rerun a test). The comment is invisible in
# the rendered guide; the text around such a block says what it does. Other fences (```json,
# ```c, ``` without a language) are never run; a shell fence the test would silently pass over
# (```bash, ```shell, ```console, or an indented ```sh) is an error: write it as ```sh.
#
# The surroundings, so that runs do not meet and nothing is installed behind the guide's back:
#   - a private, empty /tmp (its own mount namespace): the guide's /tmp/sb and /tmp files are
#     this run's alone, and several runs (or a developer's own /tmp/sb) do not collide;
#   - apt-get and apt fail: scripts/demo.sh installs only missing packages, and in a tree where
#     the tests run, nothing is missing; the test never installs anything;
#   - PCSCLITE_CSOCK_NAME, LD_LIBRARY_PATH and PKG_CONFIG_PATH are unset: the guide sets what it needs.
# The build commands of the guide (scripts/demo.sh configures and builds three targets; §2 builds
# the samples) run as written: in the built tree they find nothing to do. Needs root (the sandbox);
# without root: exit 77 (skipped).
set -euo pipefail
src=$1 guide=$2 work=$3 sandbox=$4
case "$work/" in /tmp/*) echo "WORK_DIR must not be under /tmp: the guide runs with a /tmp of its own" >&2; exit 2 ;; esac
if [ "$(id -u)" -ne 0 ]; then
  echo "needs root for the sandbox's namespaces: skipped"
  exit 77
fi
rm -rf "$work"
mkdir -p "$work/no-apt"
cd "$src"   # GUIDE.md may be relative to it, as the failure lines name it

# The guide's sh blocks as one script. Every block line keeps its guide line number: the ERR trap
# reports "guide line N" from LINENO and the block's offset.
script=$work/guide.sh
awk -v guide="$guide" '
  function emit(line) { print line; emitted++ }
  BEGIN {
    emit("guide_failed() {  # status line: the failing command, or the block-level call of the function it failed in")
    emit("  [ \"$BASH_SUBSHELL\" -eq 0 ] || return 0  # a pipeline'"'"'s part: the pipeline itself reports")
    emit("  local n=$2; [ ${#FUNCNAME[@]} -le 1 ] || n=${BASH_LINENO[${#FUNCNAME[@]}-2]}")
    emit("  n=$((n + guide_offset))")
    emit("  echo \"FAIL: $guide_file:$n: exit status $1: $(sed -n \"${n}p\" \"$guide_file\")\" >&2")
    emit("  exit \"$1\"")
    emit("}")
    emit("trap '\''guide_failed $? $LINENO'\'' ERR")
    emit("set -Eeuo pipefail")
    emit("guide_file=" guide)
  }
  /^<!-- guide-test: skip -->[[:space:]]*$/ { skip_next = NR + 1; next }
  !in_block && (/^```(bash|shell|console|zsh)/ || /^[[:space:]]+```(sh|bash|shell|console)/) {
    print guide ":" NR ": a shell block the test would not run; open it with ```sh at the start of the line" > "/dev/stderr"
    bad = 1
  }
  !in_block && /^```sh[[:space:]]*$/ {
    in_block = 1
    skipping = NR == skip_next
    if (skipping) { emit("echo \"== " guide ":" NR ": skipped\""); next }
    blocks++
    emit("echo \"== " guide ":" NR "\"")
    # The next script line is the block'"'"'s first line, guide line NR + 1.
    emit("guide_offset=" (NR + 1) - (emitted + 2))
    next
  }
  in_block && /^```[[:space:]]*$/ { in_block = 0; next }
  in_block && !skipping { emit($0) }
  END {
    if (bad) exit 1
    if (in_block) { print "unterminated block in " guide > "/dev/stderr"; exit 1 }
    if (blocks == 0) { print "no sh block in " guide > "/dev/stderr"; exit 1 }
    emit("echo \"== the guide ran to its end (" blocks " blocks)\"")
  }
' "$guide" >"$script"

for tool in apt-get apt; do
  printf '#!/bin/sh\necho "%s $*: the guide test installs nothing: install the packages first (scripts/demo.sh, outside the test)" >&2\nexit 1\n' \
    "$tool" >"$work/no-apt/$tool"
  chmod +x "$work/no-apt/$tool"
done

# In the private /tmp: the script, then every sandbox the guide left running goes down (the
# guide's own last block downs its sandbox; this is for a failure half-way).
runner=$work/in-namespace.sh
cat >"$runner" <<'EOF'
set -uo pipefail
src=$1 script=$2 sandbox=$3
mount -t tmpfs -o mode=1777 onshi-guide-tmp /tmp
cd "$src"
bash "$script"
status=$?
for pid in /tmp/*/sandbox.pid; do
  [ -e "$pid" ] && "$sandbox" down --dir "$(dirname "$pid")" >/dev/null 2>&1
done
exit $status
EOF
env -u PCSCLITE_CSOCK_NAME -u LD_LIBRARY_PATH -u PKG_CONFIG_PATH PATH="$work/no-apt:$PATH" \
  unshare --mount --propagation private -- bash "$runner" "$src" "$script" "$sandbox"
