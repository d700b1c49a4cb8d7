#include <gtest/gtest.h>

#include "shaders/EmbeddedShaders.h"

namespace delineo::shaders {
namespace {

TEST(EmbeddedShaders, EveryShaderIsValidSpirvEmbeddedInTheBinary) {
  auto names = shaderNames();
  ASSERT_FALSE(names.empty());
  for (auto name : names) {
    auto code = spirv(name);
    ASSERT_GT(code.size(), 5u) << name;
    EXPECT_EQ(code[0], 0x07230203u) << name << " does not start with the SPIR-V magic number";
    EXPECT_GE(code[1], 0x00010600u) << name << " targets SPIR-V older than 1.6 (Vulkan 1.3)";
  }
  EXPECT_FALSE(spirv("brick_minmax.comp").empty());
  EXPECT_TRUE(spirv("no_such_shader.comp").empty());
}

}  // namespace
}  // namespace delineo::shaders
