#pragma once
// Shared by the render tests: a Vulkan device on lavapipe (or whatever GPU is present) with
// the validation layer, whose every message fails the test; phantoms built in code; golden
// image comparison that writes the actual picture and a diff next to the test output.

#include <functional>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "core/Labelmap.h"
#include "core/Volume.h"
#include "renderer/Camera.h"
#include "renderer/Device.h"
#include "renderer/Instance.h"
#include "renderer/OffscreenTarget.h"
#include "renderer/VolumeRenderer.h"

namespace delineo::renderer::test {

// An int16 volume whose voxel (i, j, k) holds value(i, j, k).
core::Volume makeVolume(const core::Dims& dims, core::Vec3 spacingMm, const core::Mat3& direction,
                        const std::function<std::int16_t(std::int64_t, std::int64_t, std::int64_t)>& value);

core::Label makeLabel(std::uint8_t id, const std::string& name, std::array<std::uint8_t, 4> rgba);

class RenderTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Renders `frame` into a fresh width x height target and reads layer 0 back.
  RgbaImage render(const FrameParams& frame, uint32_t width, uint32_t height);
  // Same, with one volume view from `orbit`.
  RgbaImage renderOrbit(FrameParams frame, const OrbitView& orbit, uint32_t width, uint32_t height);

  std::unique_ptr<Instance> mInstance;
  std::unique_ptr<Device> mDevice;
  std::unique_ptr<VolumeRenderer> mRenderer;
  core::Geometry mGeometry;  // of the volume last given to setVolume()
  void setVolume(const core::Volume& volume);
};

// Compares with tests/render/golden/<name>.png: fails when more than maxBadFraction of the
// pixels differ by more than tolerance in any channel. With DELINEO_UPDATE_GOLDENS=1 the
// golden is (re)written instead (tests/render/update-goldens.sh).
void expectMatchesGolden(const RgbaImage& actual, const std::string& name, int tolerance = 12,
                         double maxBadFraction = 0.01);

// Where actual and diff images go: <build>/tests/render/output.
std::string outputDirectory();

}  // namespace delineo::renderer::test
