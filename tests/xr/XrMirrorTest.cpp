// The headset's desktop mirror without a headset: a stereo frame of the XR scene rendered
// offscreen (as into an XR swapchain target) is handed to XrMirror, whose window (under Xvfb)
// must then show the left eye, pixel for pixel; closing the window ends the mirror and nothing
// else. Vulkan validation is on: any message fails.

#include <cmath>
#include <cstdlib>
#include <filesystem>

#include <gtest/gtest.h>

#include "app/Session.h"
#include "app/StudyOpener.h"
#include "app/xr/SimulatedEyes.h"
#include "app/xr/XrMirror.h"
#include "app/xr/XrScene.h"
#include "app/xr/XrScript.h"
#include "renderer/Device.h"
#include "renderer/Instance.h"
#include "renderer/OffscreenTarget.h"
#include "renderer/VolumeRenderer.h"

namespace fs = std::filesystem;
using namespace delineo;
using namespace delineo::app::xr;

namespace {

const std::string kCt = "/usr/share/doc/invesalius-examples/examples/Cranium.inv3";
constexpr double kPi = 3.14159265358979323846;

// Mean absolute difference per channel of two images of the same size.
double meanDifference(const renderer::RgbaImage& a, const renderer::RgbaImage& b) {
  if (a.width != b.width || a.height != b.height) return 1e9;
  double sum = 0;
  for (size_t i = 0; i < a.pixels.size(); i += 4)
    for (size_t c = 0; c < 3; ++c) sum += std::abs(int(a.pixels[i + c]) - int(b.pixels[i + c]));
  return sum / (3.0 * a.width * a.height);
}

}  // namespace

// Given a stereo frame whose left eye looks at the CT and whose right eye looks away, when it
// is shown in the mirror, then the window's pixels equal the left eye's; and once the window is
// closed, show() answers false without an error and the mirror is gone.
TEST(XrMirror, ShowsTheLeftEyeOfAStereoTargetAndStopsWhenClosed) {
  const uint32_t width = 240, height = 264;
  XrMirrorOptions mo;
  mo.width = int(width);
  mo.height = int(height);
  mo.maxRateHz = 0;
  auto window = XrMirror::createWindow(mo);
  ASSERT_TRUE(window) << window.message();
  renderer::InstanceOptions io;
  io.validation = true;
  io.extensions = app::Window::requiredInstanceExtensions();
  auto instance = renderer::Instance::create(io);
  ASSERT_TRUE(instance) << instance.message();
  auto device = renderer::Device::create(**instance, {}, {VK_KHR_SWAPCHAIN_EXTENSION_NAME});
  ASSERT_TRUE(device) << device.message();
  auto mirror = XrMirror::create(std::move(window).value(), **device, (*instance)->handle(), mo);
  ASSERT_TRUE(mirror) << mirror.message();

  fs::path dir = fs::path(DELINEO_XR_TEST_OUTPUT) / "mirror";
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto session = app::openStudySession(kCt, "", (dir / "labels.nii.gz").string(), {});
  ASSERT_TRUE(session) << session.message();
  {
    auto volumeRenderer = renderer::VolumeRenderer::create(**device);
    ASSERT_TRUE(volumeRenderer) << volumeRenderer.message();
    auto scene = XrScene::create(*session, **device, **volumeRenderer);
    ASSERT_TRUE(scene) << scene.message();
    FrameInput in = defaultSimulatedInput();
    (*scene)->update(in, 0);
    auto eyes = simulatedEyes(in.head);
    eyes[1].pose.orientation = Quat::axisAngle({0, 1, 0}, kPi);  // the right eye looks behind
    auto target = renderer::OffscreenTarget::create(**device, width, height, 2);
    ASSERT_TRUE(target) << target.message();
    auto rendered = (*scene)->render(eyes, **target);
    ASSERT_TRUE(rendered) << rendered.message();
    auto left = (*target)->readColor(**device, 0), right = (*target)->readColor(**device, 1);
    ASSERT_TRUE(left) << left.message();
    ASSERT_TRUE(right) << right.message();
    ASSERT_GT(meanDifference(*left, *right), 5.0) << "the two eyes must differ for this test to mean anything";

    renderer::RgbaImage shown;
    auto r = (*mirror)->show(**target, &shown);
    ASSERT_TRUE(r) << r.message();
    EXPECT_TRUE(*r);
    ASSERT_EQ(shown.width, int(width));
    ASSERT_EQ(shown.height, int(height));
    EXPECT_LT(meanDifference(shown, *left), 0.5);
    EXPECT_GT(meanDifference(shown, *right), 5.0);
    (void)renderer::writePng(shown, (dir / "mirror.png").string());

    (*mirror)->window()->setCloseRequested(true);
    auto closed = (*mirror)->show(**target);
    ASSERT_TRUE(closed) << closed.message();
    EXPECT_FALSE(*closed);
    EXPECT_FALSE((*mirror)->open());
    auto after = (*mirror)->show(**target);
    ASSERT_TRUE(after) << after.message();
    EXPECT_FALSE(*after);
    (void)(*device)->waitIdle();
  }
  mirror->reset();
  EXPECT_EQ((*instance)->validationMessageCount(), 0);
}
