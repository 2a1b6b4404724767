#!/usr/bin/env bash
# Upgrade the EKS control plane one minor version, then roll nodes blue/green.
# Usage: upgrade-cluster.sh --dry-run | --execute
set -euo pipefail

CLUSTER=slotwise-prod
REGION=eu-west-1
TARGET_VERSION=1.29
NEW_GROUP=general-129
OLD_GROUP=general-128
CONFIG="$(dirname "$0")/../cluster.yaml"

case "${1:-}" in
  --dry-run) execute=false ;;
  --execute) execute=true ;;
  *) echo "usage: $0 --dry-run | --execute" >&2; exit 2 ;;
esac

run() {
  if $execute; then "$@"; else echo "would run: $*"; fi
}

echo "== removed APIs still requested (must print nothing)"
kubectl get --raw /metrics | grep 'apiserver_requested_deprecated_apis{.*removed_release="1.29"' || true

echo "== control plane -> $TARGET_VERSION"
# Without --approve, eksctl only prints the planned change.
if $execute; then
  eksctl upgrade cluster --name "$CLUSTER" --region "$REGION" --version "$TARGET_VERSION" --approve
else
  eksctl upgrade cluster --name "$CLUSTER" --region "$REGION" --version "$TARGET_VERSION"
fi

echo "== add-ons"
run eksctl update addon -f "$CONFIG"

echo "== node group $NEW_GROUP, then drain and delete $OLD_GROUP"
run eksctl create nodegroup -f "$CONFIG" --include "$NEW_GROUP"
run eksctl drain nodegroup --cluster "$CLUSTER" --region "$REGION" --name "$OLD_GROUP"
run eksctl delete nodegroup --cluster "$CLUSTER" --region "$REGION" --name "$OLD_GROUP" --approve
