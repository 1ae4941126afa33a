#!/usr/bin/env bash
# HCL check: synthesizes every example with `cdktf synth --hcl`'s output mode (SYNTH_HCL_OUTPUT=true,
# what the CLI sets) and makes `terraform fmt` parse every stack's cdk.tf. fmt needs no providers,
# no state and no network; it exits non-zero on any syntax error. Usage: scripts/hcl-check.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d "${TMPDIR:-/tmp}/keycloak-ha-hcl.XXXXXX")
trap 'rm -rf "$out"' EXIT
command -v terraform >/dev/null || { echo "hcl-check: terraform is not on PATH"; exit 2; }
cd "$root"
npm run --silent build
failures=0 checked=0
for main in dist/examples/*/main.js; do
  example=$(basename "$(dirname "$main")")
  SYNTH_HCL_OUTPUT=true CDKTF_OUTDIR="$out/$example" node "$main" > "$out/$example.log" 2>&1 || { cat "$out/$example.log"; exit 1; }
  for tf in "$out/$example"/stacks/*/cdk.tf; do
    checked=$((checked + 1))
    if TF_CLI_CONFIG_FILE=/dev/null terraform fmt -no-color - < "$tf" > /dev/null 2> "$out/fmt.err"; then
      echo "hcl-check: ok   ${tf#"$out/"}"
    else
      failures=$((failures + 1))
      echo "hcl-check: FAIL ${tf#"$out/"}"
      head -40 "$out/fmt.err"
    fi
  done
done
[ "$checked" -gt 0 ] || { echo "hcl-check: no cdk.tf written"; exit 1; }
echo "hcl-check: $((checked - failures)) of $checked stacks parse"
[ "$failures" -eq 0 ]
