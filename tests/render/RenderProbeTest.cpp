// Pictures checked against what the voxels say: MIP/MinIP against a CPU projection (exact),
// the named-view conventions, label colours, visibility and clipping, slices against voxels.

#include <cmath>

#include "RenderTestSupport.h"

namespace delineo::renderer::test {
namespace {

using core::Vec3;

// Cranium-like orientation: +i left, +j anterior (flipped), +k superior; anisotropic spacing.
core::Mat3 lasDirection() { return core::Mat3::fromColumns({1, 0, 0}, {0, -1, 0}, {0, 0, 1}); }

std::int16_t noise(std::int64_t i, std::int64_t j, std::int64_t k, int lo, int hi) {
  std::uint32_t h = static_cast<std::uint32_t>(i * 73856093 ^ j * 19349663 ^ k * 83492791);
  h ^= h >> 13;
  h *= 0x5bd1e995u;
  h ^= h >> 15;
  return static_cast<std::int16_t>(lo + static_cast<int>(h % static_cast<std::uint32_t>(hi - lo + 1)));
}

// The grey the renderer's contract defines (shaders/render_common.glsl), in float.
std::uint8_t windowGrey(double value, double width, double level) {
  float lo = static_cast<float>(level - width / 2);
  float w = static_cast<float>(width);
  float v = static_cast<float>(value);
  return static_cast<std::uint8_t>(std::clamp(std::floor((v - lo) * 255.0f / w + 0.5f), 0.0f, 255.0f));
}

// Centroid of the pixels whose red channel equals `grey`.
std::pair<double, double> centroidOf(const RgbaImage& image, std::uint8_t grey) {
  double sx = 0, sy = 0, n = 0;
  for (int y = 0; y < image.height; ++y)
    for (int x = 0; x < image.width; ++x)
      if (image.at(x, y)[0] == grey) sx += x, sy += y, n += 1;
  EXPECT_GT(n, 0) << "no pixel of grey " << int(grey);
  return {sx / std::max(1.0, n), sy / std::max(1.0, n)};
}

class RenderProbeTest : public RenderTest {};

TEST_F(RenderProbeTest, OrthoMipAndMinIpEqualCpuProjectionForEveryNamedView) {
  auto volume = makeVolume({40, 32, 24}, {0.8, 1.0, 1.5}, lasDirection(),
                           [](auto i, auto j, auto k) { return noise(i, j, k, -1000, 2000); });
  setVolume(volume);
  const double width = 1000, level = 300;
  for (RenderMode mode : {RenderMode::Mip, RenderMode::MinIp}) {
    for (bool skip : {true, false}) {
      for (NamedView named : {NamedView::Anterior, NamedView::Posterior, NamedView::Left, NamedView::Right,
                              NamedView::Superior, NamedView::Inferior}) {
        auto [w, h] = viewSizeInVoxels(mGeometry, named);
        OrbitView orbit{named, 0, 0, 1, true};
        FrameParams frame;
        frame.volume.mode = mode;
        frame.volume.windowWidth = width;
        frame.volume.windowLevel = level;
        frame.volume.emptySpaceSkipping = skip;
        RgbaImage image = renderOrbit(frame, orbit, w, h);
        ASSERT_EQ(image.width, int(w));
        Camera cam = orbitCamera(mGeometry, orbit, w, h);
        double pixelX = cam.widthMm / w, pixelY = cam.heightMm / h;
        int mismatches = 0;
        for (uint32_t y = 0; y < h; ++y)
          for (uint32_t x = 0; x < w; ++x) {
            Vec3 p = cam.eyeMm + cam.right * ((x + 0.5 - w / 2.0) * pixelX) +
                     cam.down * ((y + 0.5 - h / 2.0) * pixelY);
            Vec3 ijk = mGeometry.patientToIjk(p);
            Vec3 dir = mGeometry.indexToPhysical().inverse() * cam.forward;
            int along = 0;
            for (int a = 1; a < 3; ++a)
              if (std::abs(dir[a]) > std::abs(dir[along])) along = a;
            std::int64_t idx[3];
            for (int a = 0; a < 3; ++a) {
              if (a == along) continue;
              ASSERT_NEAR(ijk[a], std::round(ijk[a]), 1e-6) << "pixel centres sit on voxel centres";
              idx[a] = std::llround(ijk[a]);
            }
            double best = mode == RenderMode::Mip ? -1e9 : 1e9;
            for (idx[along] = 0; idx[along] < mGeometry.dims[along]; ++idx[along]) {
              double v = volume.valueAt(idx[0], idx[1], idx[2]);
              best = mode == RenderMode::Mip ? std::max(best, v) : std::min(best, v);
            }
            std::uint8_t expected = windowGrey(best, width, level);
            auto got = image.at(int(x), int(y));
            if (got[0] != expected || got[1] != expected || got[2] != expected) ++mismatches;
          }
        EXPECT_EQ(mismatches, 0) << (mode == RenderMode::Mip ? "MIP" : "MinIP") << " view " << int(named)
                                 << (skip ? " with" : " without") << " empty-space skipping";
      }
    }
  }
}

TEST_F(RenderProbeTest, NamedViewsShowThePatientAsAViewerFacingThem) {
  // Blobs: A on the patient's left (grey 100), B superior (150), C anterior (200).
  auto blob = [](auto i, auto j, auto k, int ci, int cj, int ck) {
    return (i - ci) * (i - ci) + (j - cj) * (j - cj) + (k - ck) * (k - ck) <= 9;
  };
  auto volume = makeVolume({40, 32, 24}, {1, 1, 1}, lasDirection(), [&](auto i, auto j, auto k) -> std::int16_t {
    if (blob(i, j, k, 33, 16, 12)) return 1000;  // +i: left
    if (blob(i, j, k, 20, 16, 20)) return 1500;  // +k: superior
    if (blob(i, j, k, 20, 27, 6)) return 2000;   // +j: anterior in LAS
    return 0;
  });
  setVolume(volume);
  FrameParams frame;
  frame.volume.mode = RenderMode::Mip;
  frame.volume.windowWidth = 2550;
  frame.volume.windowLevel = 1275;
  auto centroids = [&](NamedView view) {
    RgbaImage image = renderOrbit(frame, {view, 0, 0, 1, true}, 64, 64);
    return std::array{centroidOf(image, 100), centroidOf(image, 150), centroidOf(image, 200)};
  };
  auto anterior = centroids(NamedView::Anterior);
  EXPECT_GT(anterior[0].first, 32) << "anterior view: the patient's left is on the image right";
  EXPECT_LT(anterior[1].second, 32) << "anterior view: superior is up";
  auto posterior = centroids(NamedView::Posterior);
  EXPECT_LT(posterior[0].first, 32) << "posterior view: the patient's left is on the image left";
  EXPECT_LT(posterior[1].second, 32) << "posterior view: superior is up";
  auto left = centroids(NamedView::Left);
  EXPECT_LT(left[2].first, 32) << "left view: anterior is on the image left";
  auto right = centroids(NamedView::Right);
  EXPECT_GT(right[2].first, 32) << "right view: anterior is on the image right";
  auto superior = centroids(NamedView::Superior);
  EXPECT_LT(superior[2].second, 32) << "superior view: anterior is up";
  EXPECT_LT(superior[0].first, 32) << "superior view: the patient's left is on the image left";
  auto inferior = centroids(NamedView::Inferior);
  EXPECT_LT(inferior[2].second, 32) << "inferior view: anterior is up";
  EXPECT_GT(inferior[0].first, 32) << "inferior view: the patient's left is on the image right";
}

class LabelProbeTest : public RenderProbeTest {
 protected:
  void SetUp() override {
    RenderProbeTest::SetUp();
    if (HasFatalFailure()) return;
    mVolume = makeVolume({48, 32, 32}, {1, 1, 1}, core::Mat3::identity(), [](auto, auto, auto) { return std::int16_t{0}; });
    setVolume(mVolume);
    mLabels = core::Labelmap::forVolume(mVolume);
    for (std::int64_t k = 0; k < 32; ++k)
      for (std::int64_t j = 0; j < 32; ++j)
        for (std::int64_t i = 0; i < 48; ++i) {
          auto d2 = [&](int ci) { return (i - ci) * (i - ci) + (j - 16) * (j - 16) + (k - 16) * (k - 16); };
          std::uint8_t v = d2(34) <= 36 ? 1 : d2(13) <= 36 ? 2 : 0;
          mLabels.voxels()[static_cast<size_t>(mGeometry.linearIndex(i, j, k))] = v;
        }
    core::Label red = makeLabel(1, "Red", {255, 0, 0, 255});
    core::Label green = makeLabel(2, "Green", {0, 255, 0, 255});
    ASSERT_TRUE(mLabels.labels().set(red).ok());
    ASSERT_TRUE(mLabels.labels().set(green).ok());
    auto r = mRenderer->setLabelmap(mLabels);
    ASSERT_TRUE(r.ok()) << r.message();
    mFrame.volume.mode = RenderMode::LabelsOnly;
  }

  // The pixel where the ray through voxel (i, *, k) lands in the anterior orthographic view.
  std::array<std::uint8_t, 4> probe(const RgbaImage& image, double i, double k) {
    Camera cam = orbitCamera(mGeometry, {NamedView::Anterior, 0, 0, 1, true}, 96, 64);
    Vec3 p = mGeometry.ijkToPatient({i, 16, k});
    double pixel = cam.heightMm / 64;
    double x = core::dot(p - cam.eyeMm, cam.right) / pixel + 48 - 0.5;
    double y = core::dot(p - cam.eyeMm, cam.down) / pixel + 32 - 0.5;
    return image.at(int(std::lround(x)), int(std::lround(y)));
  }
  RgbaImage renderAnterior() { return renderOrbit(mFrame, {NamedView::Anterior, 0, 0, 1, true}, 96, 64); }

  core::Volume mVolume;
  core::Labelmap mLabels;
  FrameParams mFrame;
};

TEST_F(LabelProbeTest, EachLabelShowsItsColourWhereItIs) {
  RgbaImage image = renderAnterior();
  auto red = probe(image, 34, 16);
  auto green = probe(image, 13, 16);
  auto empty = probe(image, 24, 28);
  // Shaded label colour plus a white highlight: the label's own channel dominates.
  EXPECT_GT(red[0], 120);
  EXPECT_GT(red[0], red[1] + 80);
  EXPECT_GT(green[1], 120);
  EXPECT_GT(green[1], green[0] + 80);
  EXPECT_EQ(empty[0] + empty[1] + empty[2], 0) << "no label, transparent volume: background";
}

TEST_F(LabelProbeTest, HiddenLabelsVanish) {
  core::LabelTable table = mLabels.labels();
  table.find(2)->visible = false;
  mFrame.labels = &table;
  RgbaImage image = renderAnterior();
  auto green = probe(image, 13, 16);
  EXPECT_EQ(green[0] + green[1] + green[2], 0) << "hidden label 2 must not be drawn";
  EXPECT_GT(probe(image, 34, 16)[0], 120) << "label 1 stays";
}

TEST_F(LabelProbeTest, ClipPlanesAndBoxCut) {
  // Keep x <= the middle: label 1 (patient's left, +x) is cut away.
  Vec3 middle = mGeometry.ijkToPatient({24, 16, 16});
  mFrame.volume.clipPlanes = {{{1, 0, 0}, middle.x}};
  RgbaImage image = renderAnterior();
  auto red = probe(image, 34, 16);
  EXPECT_EQ(red[0] + red[1] + red[2], 0) << "clipped label 1 must vanish";
  EXPECT_GT(probe(image, 13, 16)[1], 120) << "label 2 is on the kept side";

  mFrame.volume.clipPlanes.clear();
  mFrame.volume.clipBox = {true, mGeometry.ijkToPatient({24, 0, 0}), mGeometry.ijkToPatient({47, 31, 31})};
  image = renderAnterior();
  EXPECT_GT(probe(image, 34, 16)[0], 120) << "label 1 is inside the box";
  auto green = probe(image, 13, 16);
  EXPECT_EQ(green[0] + green[1] + green[2], 0) << "label 2 is outside the box";
}

TEST_F(LabelProbeTest, EditedBricksAppearAfterAPartialUpdate) {
  // Paint label 3 (blue) into one brick region and upload only that brick.
  core::Label blue = makeLabel(3, "Blue", {0, 0, 255, 255});
  ASSERT_TRUE(mLabels.labels().set(blue).ok());
  for (std::int64_t k = 2; k < 8; ++k)
    for (std::int64_t j = 12; j < 20; ++j)
      for (std::int64_t i = 20; i < 28; ++i) mLabels.voxels()[static_cast<size_t>(mGeometry.linearIndex(i, j, k))] = 3;
  const std::int64_t brick = 0 + mLabels.brickDims()[0] * (0 + mLabels.brickDims()[1] * 0);  // brick (0,0,0)
  auto r = mRenderer->updateLabelBricks(mLabels, std::span(&brick, 1));
  ASSERT_TRUE(r.ok()) << r.message();
  RgbaImage image = renderAnterior();
  auto blueProbe = probe(image, 24, 5);
  EXPECT_GT(blueProbe[2], 120);
  EXPECT_GT(blueProbe[2], blueProbe[0] + 80);
}

TEST_F(RenderProbeTest, SlicesAgreeWithTheVoxels) {
  auto volume = makeVolume({40, 32, 24}, {0.8, 1.0, 1.5}, lasDirection(),
                           [](auto i, auto j, auto k) { return noise(i, j, k, 0, 2550); });
  setVolume(volume);
  struct Case {
    SliceOrientation orientation;
    Vec3 right, down;
  };
  const Case cases[] = {{SliceOrientation::Axial, {1, 0, 0}, {0, 1, 0}},
                        {SliceOrientation::Coronal, {1, 0, 0}, {0, 0, -1}},
                        {SliceOrientation::Sagittal, {0, 1, 0}, {0, 0, -1}}};
  for (const auto& c : cases) {
    auto [w, h] = sliceSize(mGeometry, c.orientation);
    auto plane = slicePlane(mGeometry, c.orientation, 7, w, h);
    ASSERT_TRUE(plane.ok());
    EXPECT_GT(core::dot(plane->columnStepMm, c.right), 0) << "image columns run along the convention";
    EXPECT_GT(core::dot(plane->rowStepMm, c.down), 0) << "image rows run along the convention";
    FrameParams frame;
    frame.slice.linear = false;
    frame.volume.windowWidth = 2550;
    frame.volume.windowLevel = 1275;
    View view;
    view.kind = View::Kind::Slice;
    view.slice = *plane;
    frame.views = {view};
    RgbaImage image = render(frame, w, h);
    int mismatches = 0;
    for (uint32_t y = 0; y < h; ++y)
      for (uint32_t x = 0; x < w; ++x) {
        Vec3 ijk = mGeometry.patientToIjk(plane->originMm + plane->columnStepMm * x + plane->rowStepMm * y);
        double v = volume.valueAt(std::llround(ijk.x), std::llround(ijk.y), std::llround(ijk.z));
        if (image.at(int(x), int(y))[0] != windowGrey(v, 2550, 1275)) ++mismatches;
      }
    EXPECT_EQ(mismatches, 0) << "slice orientation " << int(c.orientation);
  }
}

TEST_F(RenderProbeTest, SliceLabelsAreFilledAndOutlined) {
  auto volume = makeVolume({32, 32, 8}, {1, 1, 1}, core::Mat3::identity(), [](auto, auto, auto) { return std::int16_t{0}; });
  setVolume(volume);
  core::Labelmap labels = core::Labelmap::forVolume(volume);
  for (std::int64_t j = 8; j < 24; ++j)
    for (std::int64_t i = 8; i < 24; ++i) labels.voxels()[static_cast<size_t>(mGeometry.linearIndex(i, j, 4))] = 1;
  ASSERT_TRUE(labels.labels().set(makeLabel(1, "Red", {255, 0, 0, 255})).ok());
  ASSERT_TRUE(mRenderer->setLabelmap(labels).ok());
  FrameParams frame;
  frame.volume.windowWidth = 100;
  frame.volume.windowLevel = 50;  // value 0 -> grey 0 (clamped below the window)
  View view;
  view.kind = View::Kind::Slice;
  view.slice = *slicePlane(mGeometry, SliceOrientation::Axial, 4, 32, 32);
  frame.views = {view};
  RgbaImage image = render(frame, 32, 32);
  // Axial: column = i (left), row = j (posterior) for this identity grid.
  EXPECT_EQ(image.at(8, 8)[0], 255) << "border pixel: outline in the label colour";
  EXPECT_NEAR(image.at(16, 16)[0], 0.4 * 255, 2) << "inside: 40% label fill over grey";
  EXPECT_EQ(image.at(2, 2)[0], 0) << "outside the label: the grey of the voxel";
}

TEST_F(RenderProbeTest, EmptySpaceSkippingChangesNothing) {
  auto volume = makeVolume({48, 40, 36}, {0.9, 0.9, 1.2}, lasDirection(), [](auto i, auto j, auto k) -> std::int16_t {
    double r = std::sqrt(double((i - 24) * (i - 24) + (j - 20) * (j - 20) + (k - 18) * (k - 18)));
    return static_cast<std::int16_t>(r < 14 ? 1200 - 60 * r : -1000);
  });
  setVolume(volume);
  auto preset = loadPreset("ct-bone");
  ASSERT_TRUE(preset.ok()) << preset.message();
  for (RenderMode mode : {RenderMode::Dvr, RenderMode::Isosurface}) {
    FrameParams frame;
    frame.volume.mode = mode;
    frame.volume.transfer = *preset;
    frame.volume.jitter = false;
    OrbitView orbit{NamedView::Anterior, 30, 20, 1, false};
    frame.volume.emptySpaceSkipping = true;
    RgbaImage skipped = renderOrbit(frame, orbit, 64, 64);
    frame.volume.emptySpaceSkipping = false;
    RgbaImage full = renderOrbit(frame, orbit, 64, 64);
    int differing = 0;
    for (size_t p = 0; p < full.pixels.size(); ++p) differing += std::abs(int(full.pixels[p]) - int(skipped.pixels[p])) > 3;
    EXPECT_LE(differing, 4) << "mode " << int(mode);
    EXPECT_GT(std::count_if(full.pixels.begin(), full.pixels.end(), [](auto v) { return v > 50; }), 500)
        << "the sphere is visible";
  }
}

TEST_F(RenderProbeTest, StereoViewsRenderInOneFrame) {
  auto volume = makeVolume({32, 32, 32}, {1, 1, 1}, core::Mat3::identity(),
                           [](auto i, auto j, auto k) { return noise(i, j, k, 0, 2000); });
  setVolume(volume);
  FrameParams frame;
  frame.volume.mode = RenderMode::Mip;
  View left, right;
  left.camera = orbitCamera(mGeometry, {NamedView::Anterior, -3, 0, 1, false}, 48, 48);
  right.camera = orbitCamera(mGeometry, {NamedView::Anterior, 3, 0, 1, false}, 48, 48);
  frame.views = {left, right};
  auto target = OffscreenTarget::create(*mDevice, 48, 48, 2);
  ASSERT_TRUE(target.ok());
  ASSERT_TRUE(mRenderer->render(frame, **target).ok());
  auto both = (*target)->readColor(*mDevice, 1);
  ASSERT_TRUE(both.ok());
  frame.views = {right};
  RgbaImage alone = render(frame, 48, 48);
  EXPECT_EQ(both->pixels, alone.pixels) << "layer 1 of a stereo frame equals the right eye alone";
}

TEST_F(RenderProbeTest, OversizedVolumesAreDownsampledWithAWarning) {
  RendererOptions options;
  options.upload.maxDimension = 16;
  auto small = VolumeRenderer::create(*mDevice, options);
  ASSERT_TRUE(small.ok());
  auto volume = makeVolume({40, 32, 24}, {1, 1, 1}, core::Mat3::identity(),
                           [](auto i, auto j, auto k) { return noise(i, j, k, 0, 2000); });
  ASSERT_TRUE((*small)->setVolume(volume).ok());
  ASSERT_FALSE((*small)->warnings().empty());
  EXPECT_NE((*small)->warnings().front().find("downsampled"), std::string::npos) << (*small)->warnings().front();
  EXPECT_LE((*small)->volume()->geometry().dims[0], 16);
  mRenderer = std::move(small).value();
  mGeometry = volume.geometry();
  FrameParams frame;
  frame.volume.mode = RenderMode::Mip;
  RgbaImage image = renderOrbit(frame, {NamedView::Anterior, 0, 0, 1, false}, 32, 32);
  EXPECT_EQ(image.width, 32);
}

TEST_F(RenderProbeTest, BadRequestsFailWithAMessage) {
  DeviceOptions missing;
  missing.gpuIndex = 99;
  auto device = Device::create(*mInstance, missing);
  ASSERT_FALSE(device.ok());
  EXPECT_NE(device.message().find("does not exist"), std::string::npos) << device.message();
  EXPECT_FALSE(mRenderer->setVolume(core::Volume()).ok());
  auto target = OffscreenTarget::create(*mDevice, 16, 16);
  ASSERT_TRUE(target.ok());
  FrameParams frame;
  frame.views.resize(1);
  auto noVolume = mRenderer->render(frame, **target);
  ASSERT_FALSE(noVolume.ok());
  EXPECT_NE(noVolume.message().find("setVolume"), std::string::npos);
  EXPECT_FALSE(OffscreenTarget::create(*mDevice, 0, 16).ok());
  EXPECT_FALSE(loadPreset("no-such-preset").ok());
}

}  // namespace
}  // namespace delineo::renderer::test
