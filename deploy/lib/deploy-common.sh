# Shared by the deploy scripts (sourced, not run): the files a profile needs shipped, the submit-time
# Spark settings, and --dry-run printing. Each function prints one item per line.

DEPLOY_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_ROOT="$(cd "$DEPLOY_DIR/.." && pwd)"

die() {
  echo "$(basename "$0"): $*" >&2
  exit 2
}

# The profile and, depth first, every file it includes. --files and gcloud --files land all of them in
# one flat directory, so an include must name a file beside the including one.
profile_files() {
  local profile="$1" dir inc
  [[ -f "$profile" ]] || die "profile not found: $profile"
  echo "$profile"
  dir="$(dirname "$profile")"
  while read -r inc; do
    [[ -n "$inc" ]] || continue
    [[ "$inc" != */* ]] || die "$profile includes \"$inc\": deploy paths flatten files into one directory, so keep included files beside the profile"
    profile_files "$dir/$inc"
  done < <(sed -n -E 's/^[[:space:]]*include[[:space:]]+(required\()?(file\()?"([^"]+)".*/\3/p' "$profile")
}

# key=value lines of a Spark properties file, without comments and blank lines.
properties() {
  grep -v -E '^[[:space:]]*(#|$)' "$1"
}

# Runs the command, or with DRY_RUN=true prints it, one word per line (as the process would get them).
run_or_print() {
  if [[ "${DRY_RUN:-false}" == true ]]; then
    printf '%s\n' "$@"
  else
    exec "$@"
  fi
}
