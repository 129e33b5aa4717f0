#!/usr/bin/env bash
# docs/RELEASING.md's procedure as commands (run from a clean checkout; nothing is pushed to a Git remote):
#   ops/release.sh prepare X.Y.Z [--quick]   steps 1-4: the version everywhere, CHANGELOG's release heading and
#                                            docs/openapi/released/ (the gate's baseline), the verification (--quick: deploy-check's ReleaseTest only, instead of the
#                                            whole ./mvnw -B verify), commit "Release X.Y.Z" and annotated tag vX.Y.Z
#   ops/release.sh images X.Y.Z --registry HOST[:PORT] --group GROUP [--base IMAGE] [--insecure]
#                                            step 5, on the checked-out tag: both services' images for linux/amd64 and
#                                            linux/arm64 pushed by Jib as HOST/GROUP/<service>:X.Y.Z (--base: a
#                                            multi-platform base image other than eclipse-temurin:17-jre; --insecure:
#                                            a plain-HTTP registry such as ops/local-registry.sh's), then checked
#                                            through the registry's API (ops/check-release-images, plain HTTP only)
#   ops/release.sh open X.Y.Z-SNAPSHOT       step 6: the next version on main, commit "Open X.Y.Z-SNAPSHOT"
# MVN_FLAGS adds Maven options (e.g. MVN_FLAGS=-o on a machine whose ~/.m2 has every plugin; "images" drops -o, as Jib
# does not push in offline mode).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn_flags=(${MVN_FLAGS:-})

die() { echo "$*" >&2; exit 1; }
clean_tree() { [ -z "$(git status --porcelain)" ] || die "the working tree has changes: commit or stash them first"; }
set_version() {
  ./mvnw -B -q ${mvn_flags[@]+"${mvn_flags[@]}"} versions:set -DnewVersion="$1" -DgenerateBackupPoms=false -DprocessAllModules=true
  sed -i -E "s/(name: tg-registry\/(user-service|bot-ingest),.*newTag: )[^}]+}/\1$1}/" k8s/overlays/dev/kustomization.yaml
  if [ -n "${2:-}" ]; then
    sed -i -E "s/(name: tg-registry\/(user-service|bot-ingest),.*newTag: )[^}]+}/\1$2}/" k8s/overlays/prod/kustomization.yaml
  fi
}

command=${1:-}; version=${2:-}
case "$command" in
  prepare)
    [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "usage: ops/release.sh prepare X.Y.Z [--quick]"
    clean_tree
    git rev-parse -q --verify "refs/tags/v$version" >/dev/null && die "tag v$version exists"
    grep -q "^## \[$version\]" CHANGELOG.md && die "CHANGELOG.md already lists $version"
    grep -q '^## \[Unreleased\]$' CHANGELOG.md || die "CHANGELOG.md has no '## [Unreleased]' heading"
    set_version "$version" "$version"
    # the documents of this release become the breaking-change gate's baseline (docs/API.md "Compatibility policy")
    cp docs/openapi/*.yaml docs/openapi/released/
    # Unreleased becomes the release's section; prose under Unreleased before its first ### (about the unreleased
    # state, e.g. "Nothing has been released yet") is dropped
    python3 - "$version" "$(date -u +%F)" <<'PY'
import sys
lines = open("CHANGELOG.md", encoding="utf-8").read().split("\n")
start = lines.index("## [Unreleased]")
end = start + 1
while end < len(lines) and not lines[end].startswith("### ") and not lines[end].startswith("## "):
    end += 1
dropped = [l for l in lines[start + 1:end] if l.strip()]
lines[start:end] = ["## [Unreleased]", "", f"## [{sys.argv[1]}] - {sys.argv[2]}", ""]
open("CHANGELOG.md", "w", encoding="utf-8").write("\n".join(lines))
for line in dropped:
    print("CHANGELOG.md: dropped from Unreleased: " + line)
PY
    if [ "${3:-}" = --quick ]; then
      ./mvnw -B -q ${mvn_flags[@]+"${mvn_flags[@]}"} -pl deploy-check -am verify -Dtest=ReleaseTest -Dsurefire.failIfNoSpecifiedTests=false \
        -Dfailsafe.failIfNoSpecifiedTests=false -DskipITs
    else
      ./mvnw -B ${mvn_flags[@]+"${mvn_flags[@]}"} verify
    fi
    git commit -q -am "Release $version"
    git tag -a "v$version" -m "$version"
    echo "released $version locally: commit $(git rev-parse --short HEAD), tag v$version"
    echo "publish: git push origin HEAD v$version; then: ops/release.sh images $version --registry ... --group ..."
    ;;
  images)
    [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "usage: ops/release.sh images X.Y.Z --registry HOST --group GROUP [--base IMAGE] [--insecure]"
    shift 2
    registry=""; group=""; base=""; insecure=false
    while [ $# -gt 0 ]; do
      case "$1" in
        --registry) registry=$2; shift 2 ;;
        --group) group=$2; shift 2 ;;
        --base) base=$2; shift 2 ;;
        --insecure) insecure=true; shift ;;
        *) die "unknown option $1" ;;
      esac
    done
    [ -n "$registry" ] && [ -n "$group" ] || die "--registry and --group are needed"
    clean_tree
    [ "$(git describe --exact-match --tags HEAD 2>/dev/null)" = "v$version" ] || die "check out the tag first: git checkout v$version"
    maven_version=$(sed -n "s:^  <version>\(.*\)</version>:\1:p" pom.xml | head -1)
    [ "$maven_version" = "$version" ] || die "pom.xml says $maven_version, not $version"
    options=(-Pimage-push "-Dimage.registry=$registry" "-Dimage.group=$group")
    [ -z "$base" ] || options+=("-Dimage.base=$base")
    ! $insecure || options+=(-Djib.allowInsecureRegistries=true)
    # Jib refuses to push in Maven's offline mode ("Cannot build to a container registry in offline mode")
    online_flags=()
    for flag in ${mvn_flags[@]+"${mvn_flags[@]}"}; do [[ "$flag" =~ ^(-o|--offline)$ ]] || online_flags+=("$flag"); done
    ./mvnw -B -q ${online_flags[@]+"${online_flags[@]}"} package -DskipTests -pl user-service,bot-ingest -am "${options[@]}"
    if $insecure; then
      ops/check-release-images "$registry/$group" "$version"
    else
      echo "pushed $registry/$group/{user-service,bot-ingest}:$version (check a TLS registry with its own tools)"
    fi
    ;;
  open)
    [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+-SNAPSHOT$ ]] || die "usage: ops/release.sh open X.Y.Z-SNAPSHOT"
    clean_tree
    set_version "$version"
    git commit -q -am "Open $version"
    echo "opened $version: commit $(git rev-parse --short HEAD)"
    ;;
  *)
    sed -n '2,15p' "$0"; exit 2 ;;
esac
