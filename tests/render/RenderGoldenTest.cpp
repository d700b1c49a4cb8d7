// Golden pictures: every mode and preset on the sample head CT, the MR presets on Colin27, and
// labels and clipping on a generated phantom. Small (128x128) so the suite stays fast and the
// committed PNGs stay a few KB each.

#include <filesystem>

#include "RenderTestSupport.h"
#include "core/io/ImageIO.h"

namespace delineo::renderer::test {
namespace {

const char* kHeadCt = "/usr/share/doc/invesalius-examples/examples/Cranium.inv3";
const char* kColin = "/usr/share/mricron/templates/ch2.nii.gz";
constexpr uint32_t kSize = 128;

class RenderGoldenTest : public RenderTest {
 protected:
  RgbaImage dvr(const std::string& preset, const OrbitView& orbit, RenderMode mode = RenderMode::Dvr,
                ClipBox box = {}) {
    auto tf = loadPreset(preset);
    EXPECT_TRUE(tf.ok()) << tf.message();
    FrameParams frame;
    frame.volume.mode = mode;
    frame.volume.transfer = *tf;
    frame.volume.windowWidth = tf->windowWidth;
    frame.volume.windowLevel = tf->windowLevel;
    frame.volume.isoValue = tf->isoValue;
    frame.volume.clipBox = box;
    return renderOrbit(frame, orbit, kSize, kSize);
  }
};

TEST_F(RenderGoldenTest, HeadCtInEveryModeAndCtPreset) {
  ASSERT_TRUE(std::filesystem::exists(kHeadCt)) << "apt-get install invesalius-examples";
  auto image = io::readImage(kHeadCt);
  ASSERT_TRUE(image.ok()) << image.message();
  setVolume(image->volume);
  OrbitView anterior{NamedView::Anterior, 0, 0, 1, false};
  OrbitView oblique{NamedView::Anterior, 35, 15, 1, false};
  expectMatchesGolden(dvr("ct-bone", anterior), "head-ct-bone-anterior");
  expectMatchesGolden(dvr("ct-bone", {NamedView::Left, 0, 0, 1, false}), "head-ct-bone-left");
  expectMatchesGolden(dvr("ct-skin", oblique), "head-ct-skin");
  expectMatchesGolden(dvr("ct-soft-tissue", oblique), "head-ct-soft-tissue");
  expectMatchesGolden(dvr("ct-lung", oblique), "head-ct-lung");
  expectMatchesGolden(dvr("ct-angio", oblique), "head-ct-angio");
  expectMatchesGolden(dvr("ct-bone", anterior, RenderMode::Mip), "head-ct-mip");
  // MinIP inside the skull (outside it every ray meets air): ventricles and sinuses.
  ClipBox inside{true, mGeometry.ijkToPatient({64, 192, 40}), mGeometry.ijkToPatient({192, 64, 80})};
  expectMatchesGolden(dvr("ct-soft-tissue", anterior, RenderMode::MinIp, inside), "head-ct-minip");
  expectMatchesGolden(dvr("ct-bone", oblique, RenderMode::Isosurface), "head-ct-iso");
  expectMatchesGolden(dvr("ct-bone", {NamedView::Anterior, 0, 0, 1.5, true}), "head-ct-bone-ortho-zoom");

  ASSERT_TRUE(image->labels.has_value()) << "the InVesalius masks come as labels";
  ASSERT_TRUE(mRenderer->setLabelmap(*image->labels).ok());
  expectMatchesGolden(dvr("ct-bone", oblique, RenderMode::LabelsOnly), "head-ct-labels-only");
  FrameParams slice;
  slice.volume.windowWidth = 400;
  slice.volume.windowLevel = 40;
  View view;
  view.kind = View::Kind::Slice;
  auto plane = slicePlane(mGeometry, SliceOrientation::Axial, 60, kSize, kSize);
  ASSERT_TRUE(plane.ok());
  view.slice = *plane;
  slice.views = {view};
  expectMatchesGolden(render(slice, kSize, kSize), "head-ct-axial-labels");
}

TEST_F(RenderGoldenTest, ColinT1WithMrPresets) {
  ASSERT_TRUE(std::filesystem::exists(kColin)) << "apt-get install mricron-data";
  auto image = io::readImage(kColin);
  ASSERT_TRUE(image.ok()) << image.message();
  setVolume(image->volume);
  OrbitView view{NamedView::Left, -30, 20, 1, false};
  expectMatchesGolden(dvr("mr-default", view), "colin-mr-default");
  expectMatchesGolden(dvr("mr-t1-brain", view), "colin-mr-t1-brain");
}

TEST_F(RenderGoldenTest, PhantomWithLabelsAndClipPlane) {
  auto volume = makeVolume({64, 64, 48}, {1, 1, 1.25}, core::Mat3::identity(), [](auto i, auto j, auto k) -> std::int16_t {
    double r = std::sqrt(double((i - 32) * (i - 32) + (j - 32) * (j - 32)) + 0.6 * double((k - 24) * (k - 24)));
    if (r < 12) return 900;
    if (r < 22) return 60;
    return -1000;
  });
  setVolume(volume);
  core::Labelmap labels = core::Labelmap::forVolume(volume);
  for (std::int64_t k = 0; k < 48; ++k)
    for (std::int64_t j = 0; j < 64; ++j)
      for (std::int64_t i = 0; i < 64; ++i) {
        double d = std::sqrt(double((i - 44) * (i - 44) + (j - 26) * (j - 26) + (k - 30) * (k - 30)));
        if (d < 7) labels.voxels()[static_cast<size_t>(mGeometry.linearIndex(i, j, k))] = 1;
        else if (i < 20 && j > 36 && k > 10 && k < 30) labels.voxels()[static_cast<size_t>(mGeometry.linearIndex(i, j, k))] = 2;
      }
  ASSERT_TRUE(labels.labels().set(makeLabel(1, "Tumour", {230, 60, 40, 255})).ok());
  ASSERT_TRUE(labels.labels().set(makeLabel(2, "Box", {60, 140, 255, 160})).ok());
  ASSERT_TRUE(mRenderer->setLabelmap(labels).ok());
  auto tf = loadPreset("ct-soft-tissue");
  ASSERT_TRUE(tf.ok());
  FrameParams frame;
  frame.volume.transfer = *tf;
  frame.volume.clipPlanes = {{{0, -1, 0}, -mGeometry.ijkToPatient({32, 32, 24}).y}};  // cut the anterior half
  expectMatchesGolden(renderOrbit(frame, {NamedView::Anterior, 30, 25, 1, false}, kSize, kSize), "phantom-labels-clip");
  View view;
  view.kind = View::Kind::Slice;
  view.slice = *slicePlane(mGeometry, SliceOrientation::Sagittal, 44, kSize, kSize);
  frame.views = {view};
  frame.volume.windowWidth = 1200;
  frame.volume.windowLevel = 0;
  expectMatchesGolden(render(frame, kSize, kSize), "phantom-sagittal-labels");
}

TEST_F(RenderGoldenTest, OverlaysOnPhantom) {
  // A brush cursor on the skull-like shell, a contour ring around it, a ray and a clip-plane
  // quad, over DVR: what the desktop and headset draw every frame.
  auto volume = makeVolume({64, 64, 48}, {1, 1, 1.25}, core::Mat3::identity(), [](auto i, auto j, auto k) -> std::int16_t {
    double r = std::sqrt(double((i - 32) * (i - 32) + (j - 32) * (j - 32)) + 0.6 * double((k - 24) * (k - 24)));
    if (r < 12) return 900;
    if (r < 22) return 60;
    return -1000;
  });
  setVolume(volume);
  auto tf = loadPreset("ct-bone");
  ASSERT_TRUE(tf.ok());
  FrameParams frame;
  frame.volume.transfer = *tf;
  const core::Vec3 centre = mGeometry.ijkToPatient({32, 32, 24});
  const core::Vec3 onSurface = centre + core::Vec3{0, -12, 0};  // the bone's anterior face
  OverlaySphere cursor;
  cursor.centreMm = onSurface;
  cursor.radiusMm = 6;
  frame.overlays.spheres = {cursor};
  OverlayPolyline ring;
  ring.closed = true;
  ring.color = {0.2f, 0.9f, 1.0f, 1};
  for (int i = 0; i < 32; ++i) {
    double a = i * 2 * 3.14159265358979323846 / 32;
    ring.pointsMm.push_back(centre + core::Vec3{16 * std::cos(a), -18, 16 * std::sin(a)});
  }
  frame.overlays.polylines = {ring};
  OverlayLine ray;
  ray.fromMm = centre + core::Vec3{30, -40, -20};
  ray.toMm = onSurface;
  ray.color = {1, 0.3f, 0.3f, 1};
  frame.overlays.lines = {ray};
  OverlayMesh quad;
  quad.verticesMm = {centre + core::Vec3{-30, -24, 14}, centre + core::Vec3{-14, -24, 14},
                     centre + core::Vec3{-14, -24, 26}, centre + core::Vec3{-30, -24, 26}};
  quad.indices = {0, 1, 2, 0, 2, 3};
  quad.color = {0.5f, 0.6f, 0.9f, 0.6f};
  frame.overlays.meshes = {quad};
  expectMatchesGolden(renderOrbit(frame, {NamedView::Anterior, 20, 15, 1, false}, kSize, kSize), "phantom-overlays");
}

}  // namespace
}  // namespace delineo::renderer::test
