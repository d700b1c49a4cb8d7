#include "RenderTestSupport.h"

#include <cstdlib>
#include <filesystem>

namespace delineo::renderer::test {

core::Volume makeVolume(const core::Dims& dims, core::Vec3 spacingMm, const core::Mat3& direction,
                        const std::function<std::int16_t(std::int64_t, std::int64_t, std::int64_t)>& value) {
  core::Geometry g;
  g.dims = dims;
  g.spacingMm = spacingMm;
  g.direction = direction;
  g.originMm = {-10, 20, -30};
  core::Volume v(g, core::ScalarType::Int16);
  auto voxels = v.voxels<std::int16_t>();
  for (std::int64_t k = 0; k < dims[2]; ++k)
    for (std::int64_t j = 0; j < dims[1]; ++j)
      for (std::int64_t i = 0; i < dims[0]; ++i) voxels[static_cast<size_t>(g.linearIndex(i, j, k))] = value(i, j, k);
  v.modality = "CT";
  return v;
}

core::Label makeLabel(std::uint8_t id, const std::string& name, std::array<std::uint8_t, 4> rgba) {
  core::Label l;
  l.id = id;
  l.name = name;
  l.rgba = rgba;
  return l;
}

void RenderTest::SetUp() {
  InstanceOptions options;
  options.validation = true;
  auto instance = Instance::create(options);
  // No silent skip: CI has lavapipe, and a machine without Vulkan must say so.
  ASSERT_TRUE(instance.ok()) << "cannot create a Vulkan instance with validation: " << instance.message();
  mInstance = std::move(instance).value();
  DeviceOptions deviceOptions;
  deviceOptions.gpuIndex = resolveGpuIndex(-1);
  auto device = Device::create(*mInstance, deviceOptions);
  ASSERT_TRUE(device.ok()) << "no Vulkan device (install mesa-vulkan-drivers for lavapipe): " << device.message();
  mDevice = std::move(device).value();
  auto renderer = VolumeRenderer::create(*mDevice);
  ASSERT_TRUE(renderer.ok()) << renderer.message();
  mRenderer = std::move(renderer).value();
}

void RenderTest::TearDown() {
  mRenderer.reset();
  mDevice.reset();
  if (!mInstance) return;
  auto messages = mInstance->validationMessages();
  EXPECT_TRUE(messages.empty()) << messages.size() << " validation messages, the first: " << messages.front();
}

void RenderTest::setVolume(const core::Volume& volume) {
  auto r = mRenderer->setVolume(volume);
  ASSERT_TRUE(r.ok()) << r.message();
  mGeometry = volume.geometry();
}

RgbaImage RenderTest::render(const FrameParams& frame, uint32_t width, uint32_t height) {
  auto target = OffscreenTarget::create(*mDevice, width, height, static_cast<uint32_t>(frame.views.size()));
  EXPECT_TRUE(target.ok()) << target.message();
  if (!target) return {};
  auto value = mRenderer->render(frame, **target);
  EXPECT_TRUE(value.ok()) << value.message();
  if (!value) return {};
  auto image = (*target)->readColor(*mDevice);
  EXPECT_TRUE(image.ok()) << image.message();
  return image ? std::move(image).value() : RgbaImage{};
}

RgbaImage RenderTest::renderOrbit(FrameParams frame, const OrbitView& orbit, uint32_t width, uint32_t height) {
  View view;
  view.camera = orbitCamera(mGeometry, orbit, width, height);
  frame.views = {view};
  return render(frame, width, height);
}

std::string outputDirectory() {
  std::string dir = std::string(DELINEO_RENDER_OUTPUT_DIR);
  std::filesystem::create_directories(dir);
  return dir;
}

void expectMatchesGolden(const RgbaImage& actual, const std::string& name, int tolerance,
                         double maxBadFraction) {
  ASSERT_GT(actual.width, 0) << name << ": nothing rendered";
  std::string golden = std::string(DELINEO_GOLDEN_DIR) + "/" + name + ".png";
  const char* update = std::getenv("DELINEO_UPDATE_GOLDENS");
  if (update && std::string(update) == "1") {
    auto w = writePng(actual, golden);
    ASSERT_TRUE(w.ok()) << w.message();
    return;
  }
  std::string actualPath = outputDirectory() + "/" + name + ".actual.png";
  auto expected = readPng(golden);
  if (!expected) {
    (void)writePng(actual, actualPath);
    FAIL() << golden << " is missing; look at " << actualPath
           << " and run tests/render/update-goldens.sh if it is right";
  }
  ASSERT_EQ(expected->width, actual.width) << name;
  ASSERT_EQ(expected->height, actual.height) << name;
  RgbaImage diff = actual;
  int bad = 0;
  int worst = 0;
  for (size_t p = 0; p < actual.pixels.size(); p += 4) {
    int d = 0;
    for (size_t c = 0; c < 3; ++c) d = std::max(d, std::abs(int(actual.pixels[p + c]) - int(expected->pixels[p + c])));
    worst = std::max(worst, d);
    bool isBad = d > tolerance;
    bad += isBad;
    // Diff image: bad pixels red, small differences grey, equal pixels black.
    diff.pixels[p] = static_cast<std::uint8_t>(isBad ? 255 : std::min(255, d * 8));
    diff.pixels[p + 1] = diff.pixels[p + 2] = static_cast<std::uint8_t>(isBad ? 0 : std::min(255, d * 8));
    diff.pixels[p + 3] = 255;
  }
  double fraction = double(bad) / (actual.width * actual.height);
  if (fraction > maxBadFraction) {
    std::string diffPath = outputDirectory() + "/" + name + ".diff.png";
    (void)writePng(actual, actualPath);
    (void)writePng(diff, diffPath);
    ADD_FAILURE() << name << ": " << bad << " pixels differ by more than " << tolerance
                  << " (worst " << worst << "); actual: " << actualPath << ", diff: " << diffPath;
  }
}

}  // namespace delineo::renderer::test
