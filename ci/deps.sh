#!/usr/bin/env bash
# Installs the Debian 12 packages the suite needs, only those missing. Safe to run again.
#   ci/deps.sh          the build and the native targets
#   ci/deps.sh targets  also the emulators, cross compilers and kernels of the other targets
set -euo pipefail
packages=(g++ gcc cmake ninja-build catch2 libboost1.81-dev libboost-filesystem1.81-dev nlohmann-json3-dev
          libcli11-dev libyaml-cpp-dev libcap-dev lcov util-linux procps cpio clang)
if [ "${1:-}" = targets ]; then
    packages+=(qemu-user g++-i686-linux-gnu g++-aarch64-linux-gnu g++-s390x-linux-gnu g++-powerpc64le-linux-gnu
               user-mode-linux qemu-system-x86 linux-image-amd64 chromium libxml2-utils)
fi
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "ci/deps.sh: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
