#!/usr/bin/env bash
# Consumer test: packs the library, installs the tarball into a scratch cdktf app outside the
# repository (dependencies at the lockfile's versions, offline from npm's cache), writes the
# README's quickstart there verbatim and runs `cdktf synth` with the CLI, as a team's IaC repo would.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/keycloak-ha-consumer.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

version_of() { node -p "require('$root/package-lock.json').packages['node_modules/$1'].version"; }

cd "$root"
tarball=$(npm pack --silent --pack-destination "$scratch" | tail -1)

cd "$scratch"
cat > package.json <<JSON
{ "name": "identity-infra", "version": "1.0.0", "private": true }
JSON
npm install --offline --no-audit --no-fund --loglevel=error \
  "./$tarball" \
  "cdktf@$(version_of cdktf)" "cdktf-cli@$(version_of cdktf-cli)" "constructs@$(version_of constructs)" \
  "@cdktf/provider-aws@$(version_of @cdktf/provider-aws)" "@cdktf/provider-kubernetes@$(version_of @cdktf/provider-kubernetes)" \
  "typescript@$(version_of typescript)" "@types/node@$(version_of @types/node)"

# The quickstart: the first ```ts block after the "## Quickstart" heading of the README.
awk '/^## Quickstart/{q=1} q&&/^```ts/{f=1;next} f&&/^```/{exit} f' "$root/README.md" > main.ts
[ -s main.ts ] || { echo "consumer-test: no quickstart found in README.md"; exit 1; }
cat > tsconfig.json <<JSON
{ "compilerOptions": { "target": "ES2022", "module": "commonjs", "strict": true, "skipLibCheck": true, "types": ["node"] } }
JSON
cat > cdktf.json <<JSON
{ "language": "typescript", "app": "npx tsc && node main.js", "sendCrashReports": "false" }
JSON

CHECKPOINT_DISABLE=1 npx cdktf synth > synth.log 2>&1 || { cat synth.log; exit 1; }
out=cdktf.out/stacks/identity/cdk.tf.json
[ -f "$out" ] || { echo "consumer-test: $out was not written"; cat synth.log; exit 1; }
for type in aws_ecs_service aws_rds_cluster aws_lb_target_group aws_route53_record; do
  grep -q "\"$type\"" "$out" || { echo "consumer-test: $type missing from $out"; exit 1; }
done
echo "consumer-test: the README quickstart synthesized stack 'identity' from the packed library ($tarball)"
