// Overlays (FrameParams::overlays) drawn with depth against the volume: given a bone slab seen
// from the front, a sphere in front of it shows, one behind it does not, a polyline covers the
// pixels its points project to, every view of a stereo pair gets the overlay, and slice views
// show a sphere's cross-section and the polylines lying in their plane.

#include "RenderTestSupport.h"

namespace delineo::renderer::test {
namespace {

using core::Vec3;

constexpr uint32_t kSize = 128;
constexpr double kPi = 3.14159265358979323846;

bool isGreen(const std::array<std::uint8_t, 4>& p) { return p[1] > 180 && p[0] < 110 && p[2] < 110; }
bool isRed(const std::array<std::uint8_t, 4>& p) { return p[0] > 200 && p[1] < 60 && p[2] < 60; }

class RenderOverlayTest : public RenderTest {
 protected:
  // 64^3 of air, 1 mm voxels at the origin, with a bone slab across the middle that faces
  // the front: i, k in [16, 48), j (posterior) in [28, 36).
  void SetUp() override {
    RenderTest::SetUp();
    setVolume(makeVolume({64, 64, 64}, {1, 1, 1}, core::Mat3::identity(), [](auto i, auto j, auto k) -> std::int16_t {
      return i >= 16 && i < 48 && k >= 16 && k < 48 && j >= 28 && j < 36 ? 1500 : -1000;
    }));
  }

  // Orthographic from the front, 1 mm per pixel: the centre of pixel (x, y) sees voxel column
  // i = x - 32, k = 95 - y (pointAt).
  Camera frontCamera() const {
    Camera c;
    c.orthographic = true;
    c.eyeMm = mGeometry.ijkToPatient({31.5, -100, 31.5});
    c.forward = {0, 1, 0};
    c.right = {1, 0, 0};
    c.down = {0, 0, -1};
    c.heightMm = kSize;
    return c;
  }
  // The patient point seen at the centre of pixel (x, y) of frontCamera(), at depth index j.
  Vec3 pointAt(int x, int y, double j) const { return mGeometry.ijkToPatient({x - 32.0, j, 95.0 - y}); }

  FrameParams isoFrame() const {
    FrameParams frame;
    frame.volume.mode = RenderMode::Isosurface;
    frame.volume.isoValue = 300;
    View view;
    view.camera = frontCamera();
    frame.views = {view};
    return frame;
  }
  static OverlaySphere greenSphere(Vec3 centre, double radius) {
    OverlaySphere s;
    s.centreMm = centre;
    s.radiusMm = radius;
    s.color = {0, 1, 0, 1};
    return s;
  }

  // Renders every view of `frame` and reads each layer back.
  std::vector<RgbaImage> renderLayers(const FrameParams& frame) {
    std::vector<RgbaImage> layers;
    auto target = OffscreenTarget::create(*mDevice, kSize, kSize, static_cast<uint32_t>(frame.views.size()));
    EXPECT_TRUE(target.ok()) << target.message();
    if (!target) return layers;
    auto value = mRenderer->render(frame, **target);
    EXPECT_TRUE(value.ok()) << value.message();
    for (uint32_t i = 0; i < frame.views.size(); ++i) {
      auto image = (*target)->readColor(*mDevice, i);
      EXPECT_TRUE(image.ok()) << image.message();
      layers.push_back(image ? std::move(image).value() : RgbaImage{});
    }
    return layers;
  }
};

TEST_F(RenderOverlayTest, SphereInFrontOfBoneIsVisibleAndShaded) {
  FrameParams frame = isoFrame();
  frame.overlays.spheres = {greenSphere(pointAt(64, 64, 10), 8)};
  RgbaImage image = render(frame, kSize, kSize);
  ASSERT_EQ(image.width, int(kSize));
  EXPECT_TRUE(isGreen(image.at(64, 64))) << "centre of the sphere";
  EXPECT_TRUE(isGreen(image.at(64 + 5, 64))) << "inside its 8 mm radius";
  EXPECT_FALSE(isGreen(image.at(64 + 11, 64))) << "outside its radius: the bone";
  EXPECT_GT(image.at(64, 64)[1], image.at(64 + 7, 64)[1]) << "lit from the eye: darker towards the rim";
}

TEST_F(RenderOverlayTest, SphereBehindBoneIsHiddenAndShowsBesideIt) {
  FrameParams plain = isoFrame();
  RgbaImage without = render(plain, kSize, kSize);
  FrameParams frame = isoFrame();
  frame.overlays.spheres = {greenSphere(pointAt(64, 64, 50), 6),   // behind the slab
                            greenSphere(pointAt(10, 64, 50), 6)};  // behind, but beside the slab
  RgbaImage image = render(frame, kSize, kSize);
  ASSERT_EQ(image.width, int(kSize));
  for (int c = 0; c < 4; ++c) EXPECT_EQ(image.at(64, 64)[c], without.at(64, 64)[c]) << "channel " << c;
  EXPECT_TRUE(isGreen(image.at(10, 64))) << "nothing in front of it there";

  frame.overlays.occludedOpacity = 0.5f;  // x-ray: hidden parts show faintly
  RgbaImage xray = render(frame, kSize, kSize);
  EXPECT_GT(int(xray.at(64, 64)[1]) - int(xray.at(64, 64)[0]), int(without.at(64, 64)[1]) - int(without.at(64, 64)[0]) + 20);
}

TEST_F(RenderOverlayTest, CursorOnTheSurfaceShowsOnlyItsFrontHalf) {
  // The brush cursor centred on the slab's front face (P = 28): its front cap sticks out and
  // shows; its outline is the true radius.
  FrameParams frame = isoFrame();
  frame.overlays.spheres = {greenSphere(pointAt(64, 64, 28), 10)};
  RgbaImage image = render(frame, kSize, kSize);
  ASSERT_EQ(image.width, int(kSize));
  EXPECT_TRUE(isGreen(image.at(64, 64)));
  EXPECT_TRUE(isGreen(image.at(64 + 8, 64)));
  EXPECT_FALSE(isGreen(image.at(64 + 12, 64)));
}

TEST_F(RenderOverlayTest, PolylineCoversThePixelsItsPointsProjectTo) {
  FrameParams frame = isoFrame();
  OverlayPolyline contour;  // an open L in front of the slab: row 40 from x 20 to 100, then down x 100 to row 90
  contour.pointsMm = {pointAt(20, 40, 10), pointAt(100, 40, 10), pointAt(100, 90, 10)};
  contour.color = {1, 0, 0, 1};
  contour.widthPx = 2;
  frame.overlays.polylines = {contour};
  OverlayLine behind;  // a line behind the slab, across its middle: hidden there, shown beside it
  behind.fromMm = pointAt(0, 70, 50);
  behind.toMm = pointAt(127, 70, 50);
  behind.color = {1, 0, 0, 1};
  frame.overlays.lines = {behind};
  RgbaImage image = render(frame, kSize, kSize);
  ASSERT_EQ(image.width, int(kSize));
  for (int x = 20; x <= 100; x += 8) EXPECT_TRUE(isRed(image.at(x, 40))) << "row 40, x " << x;
  for (int y = 40; y <= 90; y += 10) EXPECT_TRUE(isRed(image.at(100, y))) << "column 100, y " << y;
  EXPECT_FALSE(isRed(image.at(60, 36)));
  EXPECT_FALSE(isRed(image.at(60, 44)));
  EXPECT_FALSE(isRed(image.at(20, 90))) << "open: the last point does not join the first";
  EXPECT_TRUE(isRed(image.at(8, 70))) << "beside the slab";
  EXPECT_FALSE(isRed(image.at(64, 70))) << "behind the slab";
}

TEST_F(RenderOverlayTest, EachViewOfAStereoPairGetsTheOverlay) {
  FrameParams frame = isoFrame();
  const double ipdMm = 64, distanceMm = 200, fovDeg = 30;
  frame.views.clear();
  for (double side : {-1.0, 1.0}) {
    View v;
    v.camera.eyeMm = mGeometry.ijkToPatient({31.5 + side * ipdMm / 2, 10 - distanceMm, 31.5});
    v.camera.fovYDeg = fovDeg;
    frame.views.push_back(v);
  }
  frame.overlays.spheres = {greenSphere(mGeometry.ijkToPatient({31.5, 10, 31.5}), 4)};
  auto layers = renderLayers(frame);
  ASSERT_EQ(layers.size(), 2u);
  const double pixelPerUnit = kSize / (2 * std::tan(fovDeg * kPi / 360));
  for (int eye = 0; eye < 2; ++eye) {
    double side = eye == 0 ? -1 : 1;
    // The sphere lies straight ahead of the midpoint, so each eye sees it off-centre, opposite its offset.
    double x = kSize / 2.0 - side * (ipdMm / 2) / distanceMm * pixelPerUnit;
    int px = int(std::floor(x)), py = int(kSize / 2);
    EXPECT_TRUE(isGreen(layers[size_t(eye)].at(px, py))) << "eye " << eye << " at x " << px;
    EXPECT_FALSE(isGreen(layers[size_t(eye)].at(int(kSize) - 1 - px, py))) << "eye " << eye << " mirrored";
  }
}

TEST_F(RenderOverlayTest, SliceShowsTheSphereCrossSectionAndInPlanePolylines) {
  FrameParams frame;
  View view;
  view.kind = View::Kind::Slice;
  view.slice = *slicePlane(mGeometry, SliceOrientation::Axial, 32, 64, 64);  // one pixel per voxel
  frame.views = {view};
  frame.volume.windowWidth = 2000;
  frame.volume.windowLevel = 0;
  const SlicePlane& p = view.slice;
  auto at = [&](double x, double y) { return p.originMm + p.columnStepMm * x + p.rowStepMm * y; };
  OverlaySphere brush = greenSphere(at(20, 20) + core::normalize(core::cross(p.columnStepMm, p.rowStepMm)) * 6.0, 10);
  brush.color = {0, 1, 0, 0.5f};
  frame.overlays.spheres = {brush};  // cut 6 mm off its centre: a disk of radius 8 mm
  OverlayPolyline inPlane, elsewhere;
  inPlane.pointsMm = {at(40, 10), at(60, 10)};
  inPlane.color = {1, 0, 0, 1};
  elsewhere.pointsMm = {at(40, 50) + Vec3{0, 0, 5}, at(60, 50) + Vec3{0, 0, 5}};  // another slice
  elsewhere.color = {1, 0, 0, 1};
  frame.overlays.polylines = {inPlane, elsewhere};
  RgbaImage image = render(frame, 64, 64);
  ASSERT_EQ(image.width, 64);
  EXPECT_TRUE(isGreen(image.at(28, 20))) << "the disk's outline, 8 pixels from its centre";
  EXPECT_FALSE(isGreen(image.at(31, 20))) << "outside the disk";
  EXPECT_GT(image.at(20, 20)[1], image.at(20, 20)[0] + 40) << "a faint fill inside";
  EXPECT_FALSE(isGreen(image.at(20, 20))) << "only faint";
  EXPECT_TRUE(isRed(image.at(50, 10)));
  EXPECT_FALSE(isRed(image.at(50, 50))) << "a polyline 5 mm off the plane";
}

}  // namespace
}  // namespace delineo::renderer::test
