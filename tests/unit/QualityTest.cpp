// Annotation campaigns: who did what (journal annotator, audit trail), review state per label,
// and agreement between annotators (STAPLE checked against ITK's MultiLabelSTAPLEImageFilter).

#include <gtest/gtest.h>

#include <random>

#include <itkImage.h>
#include <itkImportImageFilter.h>
#include <itkMultiLabelSTAPLEImageFilter.h>

#include "app/OpsScript.h"
#include "app/Session.h"
#include "core/io/ImageIO.h"
#include "tests/unit/TestSupport.h"
#include "tools/Audit.h"
#include "tools/Staple.h"

namespace delineo {
namespace {

using nlohmann::json;

io::LoadedImage phantom() {
  core::Geometry g;
  g.dims = {40, 36, 30};
  g.spacingMm = {1.0, 1.0, 2.0};
  io::LoadedImage image;
  image.volume = core::Volume(g, core::ScalarType::Int16);
  image.format = "test";
  return image;
}

TEST(Audit, TrailNamesWhoDidWhatToWhichLabel) {
  auto dir = test::scratchDir("AuditTrail");
  std::string path = (dir / "seg.nrrd").string();
  {
    app::SessionOptions options;
    options.annotator = "dr.alice";
    auto s = app::Session::open(phantom(), path, options);
    ASSERT_TRUE(s.ok()) << s.message();
    for (const char* op : {R"({"tool":"label.add","name":"Liver"})",
                           R"({"tool":"brush","center_mm":[20,18,30],"radius_mm":5,"label":"Liver"})",
                           R"({"tool":"undo"})", R"({"tool":"redo"})"})
      ASSERT_TRUE(app::applyOperation(*s, json::parse(op)).ok()) << op;
    ASSERT_TRUE(s->save().ok());
  }
  {
    app::SessionOptions options;
    options.annotator = "dr.bob";
    auto s = app::Session::open(phantom(), path, options);
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE(app::applyOperation(*s, json::parse(R"({"tool":"brush","center_mm":[20,18,30],"radius_mm":2,"erase":true})")).ok());
  }
  auto contents = tools::Journal::read(path + ".journal");
  ASSERT_TRUE(contents.ok());
  auto trail = tools::auditTrail(*contents);
  ASSERT_EQ(trail.size(), 7u);  // base, add, brush, undo, redo, save, erase
  EXPECT_EQ(trail[0].action, "base");
  EXPECT_EQ(trail[1].name, "Add label · Liver");
  EXPECT_EQ(trail[2].annotator, "dr.alice");
  EXPECT_EQ(trail[2].tool, "brush");
  ASSERT_EQ(trail[2].labels.size(), 1u);
  EXPECT_EQ(trail[2].labels[0].name, "Liver");
  const auto painted = trail[2].labels[0].gained;
  EXPECT_GT(painted, 100);
  EXPECT_EQ(trail[3].action, "undo");
  EXPECT_EQ(trail[3].name, trail[2].name) << "an undo names the step it undid";
  EXPECT_EQ(trail[3].labels[0].lost, painted);
  EXPECT_EQ(trail[4].action, "redo");
  EXPECT_EQ(trail[4].labels[0].gained, painted);
  EXPECT_EQ(trail[5].action, "save");
  EXPECT_EQ(trail[6].annotator, "dr.bob");
  EXPECT_EQ(trail[6].labels[0].lost, trail[6].voxelsChanged);
}

TEST(Review, EditingAnApprovedLabelReturnsItToDraftAndReviewSurvivesSaving) {
  auto dir = test::scratchDir("ReviewState");
  for (std::string name : {"seg.seg.nrrd", "seg.nii.gz"}) {
    std::string path = (dir / name).string();
    app::SessionOptions options;
    options.annotator = "reviewer.carol";
    auto s = app::Session::open(phantom(), path, options);
    ASSERT_TRUE(s.ok());
    for (const char* op : {R"({"tool":"label.add","name":"Liver"})", R"({"tool":"label.add","name":"Spleen"})",
                           R"({"tool":"brush","center_mm":[10,10,20],"radius_mm":4,"label":"Liver"})",
                           R"({"tool":"label.review","label":"Liver","state":"approved"})",
                           R"({"tool":"label.review","label":"Spleen","state":"rejected","comment":"missed the hilum"})"})
      ASSERT_TRUE(app::applyOperation(*s, json::parse(op)).ok()) << op;
    EXPECT_FALSE(app::applyOperation(*s, json::parse(R"({"tool":"label.review","label":1,"state":"rejected"})")).ok())
        << "a rejection needs a comment";
    ASSERT_TRUE(s->save().ok());
    auto saved = io::readLabelmap(path);
    ASSERT_TRUE(saved.ok()) << saved.message();
    EXPECT_EQ(saved->labels().find(1)->review.state, core::Review::State::Approved) << name;
    EXPECT_EQ(saved->labels().find(1)->review.reviewer, "reviewer.carol") << name;
    EXPECT_EQ(saved->labels().find(2)->review.state, core::Review::State::Rejected) << name;
    EXPECT_EQ(saved->labels().find(2)->review.comment, "missed the hilum") << name;

    // Painting Liver reopens its review; Spleen's stays as it was.
    ASSERT_TRUE(app::applyOperation(*s, json::parse(R"({"tool":"brush","center_mm":[30,30,40],"radius_mm":3,"label":"Liver"})")).ok());
    EXPECT_EQ(s->labelmap().labels().find(1)->review.state, core::Review::State::Draft);
    EXPECT_EQ(s->labelmap().labels().find(2)->review.state, core::Review::State::Rejected);
    // ... and undo brings the approval back with the voxels.
    ASSERT_TRUE(s->undo().ok());
    EXPECT_EQ(s->labelmap().labels().find(1)->review.state, core::Review::State::Approved);
  }
}

core::Labelmap sphereAnnotation(const core::Geometry& g, double cx, double r, std::uint8_t id = 1) {
  core::Labelmap m(g);
  for (std::int64_t k = 0; k < g.dims[2]; ++k)
    for (std::int64_t j = 0; j < g.dims[1]; ++j)
      for (std::int64_t i = 0; i < g.dims[0]; ++i) {
        double d = std::hypot(double(i) - cx, double(j) - 18, double(k) - 15);
        if (d <= r) m.voxels()[static_cast<std::size_t>(g.linearIndex(i, j, k))] = id;
      }
  return m;
}

TEST(Staple, IdenticalAnnotationsReturnTheInput) {
  auto g = phantom().volume.geometry();
  auto a = sphereAnnotation(g, 20, 8);
  auto result = tools::staple({&a, &a, &a});
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(std::equal(a.voxels().begin(), a.voxels().end(), result->consensus.voxels().begin()));
  for (std::size_t r = 0; r < 3; ++r) {
    EXPECT_NEAR(result->sensitivity[r][1], 1.0, 1e-9);
    EXPECT_NEAR(result->specificity[r][1], 1.0, 1e-9);
  }
}

TEST(Staple, OutlierAnnotatorGetsLowerSensitivityAndConsensusFollowsTheMajority) {
  auto g = phantom().volume.geometry();
  auto truth = sphereAnnotation(g, 20, 8);
  auto careful = truth;
  auto sloppy = sphereAnnotation(g, 20, 5);  // misses the outer shell
  auto result = tools::staple({&truth, &careful, &sloppy});
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(std::equal(truth.voxels().begin(), truth.voxels().end(), result->consensus.voxels().begin()));
  EXPECT_NEAR(result->sensitivity[0][1], 1.0, 1e-6);
  EXPECT_NEAR(result->sensitivity[2][1], double(sloppy.histogram()[1]) / double(truth.histogram()[1]), 1e-3);
  EXPECT_NEAR(result->specificity[2][1], 1.0, 1e-9);
}

TEST(Staple, AgreesWithItkMultiLabelStaple) {
  auto g = phantom().volume.geometry();
  std::mt19937 rng(5);
  std::vector<core::Labelmap> raters;
  for (int r = 0; r < 4; ++r) {
    auto m = sphereAnnotation(g, 17.0 + r, 7.0 + 0.5 * r, 1);
    auto second = sphereAnnotation(g, 29.0 - r * 0.5, 4.0, 2);
    for (std::size_t v = 0; v < m.voxels().size(); ++v)
      if (second.voxels()[v]) m.voxels()[v] = 2;
    std::uniform_int_distribution<std::size_t> pick(0, m.voxels().size() - 1);
    for (int n = 0; n < 300; ++n) m.voxels()[pick(rng)] = static_cast<std::uint8_t>(n % 3);
    raters.push_back(std::move(m));
  }
  std::vector<const core::Labelmap*> ptrs;
  for (const auto& m : raters) ptrs.push_back(&m);
  auto ours = tools::staple(ptrs);
  ASSERT_TRUE(ours.ok());

  using Image = itk::Image<std::uint8_t, 3>;
  auto filter = itk::MultiLabelSTAPLEImageFilter<Image, Image>::New();
  std::vector<Image::Pointer> images;
  for (std::size_t r = 0; r < raters.size(); ++r) {
    auto image = Image::New();
    Image::RegionType region;
    region.SetSize({static_cast<itk::SizeValueType>(g.dims[0]), static_cast<itk::SizeValueType>(g.dims[1]),
                    static_cast<itk::SizeValueType>(g.dims[2])});
    image->SetRegions(region);
    image->Allocate();
    std::copy(raters[r].voxels().begin(), raters[r].voxels().end(), image->GetBufferPointer());
    filter->SetInput(static_cast<unsigned>(r), image);
    images.push_back(image);
  }
  filter->Update();
  const std::uint8_t* itkOut = filter->GetOutput()->GetBufferPointer();
  std::size_t differ = 0;
  for (std::size_t v = 0; v < raters[0].voxels().size(); ++v) differ += itkOut[v] != ours->consensus.voxels()[v];
  EXPECT_EQ(differ, 0u);
  // Confusion matrices agree to EM tolerance.
  for (unsigned r = 0; r < raters.size(); ++r) {
    auto cm = filter->GetConfusionMatrix(r);
    for (unsigned s = 0; s < 3; ++s)
      for (unsigned t = 0; t < 3; ++t) EXPECT_NEAR(cm[s][t], ours->confusion[r][s][t], 1e-3) << r << " " << s << " " << t;
  }
}

}  // namespace
}  // namespace delineo
