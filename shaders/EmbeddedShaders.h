#pragma once
// SPIR-V of every shader in shaders/, compiled by glslc at build time and embedded in the
// binary (no .spv files at run time, none in git).

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace delineo::shaders {

// The SPIR-V words of a shader by its source file name ("brick_minmax.comp"); empty if unknown.
std::span<const std::uint32_t> spirv(std::string_view name);
std::vector<std::string_view> shaderNames();

}  // namespace delineo::shaders
