#!/usr/bin/env bash
# Consumer test: packs the library, installs the tarball into a scratch cdktf app outside the
# repository (dependencies at the lockfile's versions, from npm's cache where it has them) as an AWS-only team
# would (no @cdktf/provider-kubernetes), writes the README's quickstart there verbatim and runs
# `cdktf synth` with the CLI, then runs the README's jest snapshot test with a default jest setup:
# once with ts-jest, once with @swc/jest, no other jest configuration.
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
npm install --prefer-offline --no-audit --no-fund --loglevel=error \
  "./$tarball" \
  "cdktf@$(version_of cdktf)" "cdktf-cli@$(version_of cdktf-cli)" "constructs@$(version_of constructs)" \
  "@cdktf/provider-aws@$(version_of @cdktf/provider-aws)" \
  "typescript@$(version_of typescript)" "@types/node@$(version_of @types/node)" \
  "jest@$(version_of jest)" "@types/jest@$(version_of @types/jest)" "ts-jest@$(version_of ts-jest)" \
  "@swc/core@$(version_of @swc/core)" "@swc/jest@$(version_of @swc/jest)"
# The Kubernetes provider is an optional peer: an AWS-only team never installs it.
[ ! -e node_modules/@cdktf/provider-kubernetes ] || { echo "consumer-test: @cdktf/provider-kubernetes was installed"; exit 1; }

# The quickstart: the first ```ts block after the "## Quickstart" heading of the README.
awk '/^## Quickstart/{q=1} q&&/^```ts/{f=1;next} f&&/^```/{exit} f' "$root/README.md" > main.ts
[ -s main.ts ] || { echo "consumer-test: no quickstart found in README.md"; exit 1; }
cat > tsconfig.json <<JSON
{ "compilerOptions": { "target": "ES2022", "module": "commonjs", "strict": true, "skipLibCheck": true, "types": ["node", "jest"] },
  "exclude": ["__tests__", "node_modules"] }
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

# The README's snapshot test: the first ```ts block after "## Testing your topology".
mkdir -p __tests__
awk '/^## Testing your topology/{q=1} q&&/^```ts/{f=1;next} f&&/^```/{exit} f' "$root/README.md" > __tests__/identity.test.ts
[ -s __tests__/identity.test.ts ] || { echo "consumer-test: no jest test found in README.md"; exit 1; }
# What `npx ts-jest config:init` writes, and the @swc/jest README's configuration: nothing else.
cat > jest.config.js <<'JS'
module.exports = { preset: 'ts-jest', testEnvironment: 'node' };
JS
cat > jest.swc.config.js <<'JS'
module.exports = { testEnvironment: 'node', transform: { '^.+\\.(t|j)sx?$': '@swc/jest' } };
JS
for config in jest.config.js jest.swc.config.js; do
  rm -rf __tests__/__snapshots__
  # The team's first run on a workstation writes the snapshot (--ci=false, whatever CI says here);
  # their CI then checks it (--ci: a missing or different snapshot fails).
  npx jest --ci=false --config "$config" > jest.log 2>&1 || { echo "consumer-test: the README's jest test failed with $config"; cat jest.log; exit 1; }
  grep -q "1 snapshot written" jest.log || { echo "consumer-test: no snapshot written with $config"; cat jest.log; exit 1; }
  npx jest --ci --config "$config" > jest.log 2>&1 || { echo "consumer-test: the snapshot did not match on a second run with $config"; cat jest.log; exit 1; }
  grep -q "aws_ecs_service" __tests__/__snapshots__/identity.test.ts.snap || { echo "consumer-test: the snapshot has no ECS service"; exit 1; }
  echo "consumer-test: the README's snapshot test passed with $config (no @cdktf/provider-kubernetes installed)"
done
