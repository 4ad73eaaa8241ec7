#!/usr/bin/env bash
# Installs what the real test node (test/kube/node.ts) needs on Debian 12, only what is missing:
#   containerd (CRI) + runc, the CNI plugins (/usr/lib/cni), the host tools the kubelet and
#   kube-proxy call (iptables, conntrack, ethtool, socat, nsenter, mount, ip), gcc + libc6-dev for the
#   static pause binary, and buildah for building the pause image. The kubelet and kube-proxy come
#   from test/kube/setup.sh (the Kubernetes multi-call binary).
# Idempotent; prints what it does. Package scripts are kept from starting a system containerd.
set -euo pipefail

need=(
  containerd                  # the CRI runtime (1.6, CRI plugin + overlayfs snapshotter)
  runc                        # the OCI runtime containerd's shim calls
  containernetworking-plugins # bridge, host-local, loopback, portmap in /usr/lib/cni
  iptables                    # kube-proxy (iptables mode), portmap, the node's egress guard
  conntrack                   # kube-proxy clears stale UDP conntrack entries
  ethtool                     # the kubelet/CNI query veth offloads
  socat                       # kubectl port-forward through the kubelet
  util-linux                  # nsenter, mount, umount, unshare
  mount
  iproute2                    # ip: the CNI bridge, blackhole routes
  gcc                         # the static pause binary (test/kube/images/pause)
  libc6-dev
  buildah                     # the pause and test images (chroot isolation, vfs storage)
  busybox-static              # the test images' base
)

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for pkg in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "node-setup: all packages present (${need[*]})" >&2
else
  echo "node-setup: installing Debian packages: ${missing[*]}" >&2
  # No init system starts services here, but make sure a package script never starts the system
  # containerd (the test node runs its own, with its own root, state and socket).
  policy=/usr/sbin/policy-rc.d
  made_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | sudo_if_needed tee "$policy" >/dev/null
    sudo_if_needed chmod 0755 "$policy"
    made_policy=1
  fi
  trap '[ "$made_policy" = 1 ] && sudo_if_needed rm -f "$policy"' EXIT
  sudo_if_needed apt-get update -qq
  DEBIAN_FRONTEND=noninteractive sudo_if_needed apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "node-setup: installed ${missing[*]}" >&2
fi

for bin in containerd containerd-shim-runc-v2 ctr runc iptables conntrack ethtool socat nsenter ip gcc buildah; do
  command -v "$bin" >/dev/null || { echo "node-setup: $bin is still missing" >&2; exit 1; }
done
for plugin in bridge host-local loopback portmap; do
  [ -x "/usr/lib/cni/$plugin" ] || { echo "node-setup: /usr/lib/cni/$plugin is missing" >&2; exit 1; }
done
echo "node-setup: $(containerd --version | cut -d' ' -f3), $(runc --version | head -1), CNI plugins in /usr/lib/cni" >&2
