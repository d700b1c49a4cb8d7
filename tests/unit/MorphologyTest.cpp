// Morphology and clean-up against ITK's filters where ITK has the same operation: binary
// dilate/erode with a ball, connected components + relabel for islands, fill holes, binary
// median; margins in mm on anisotropic grids; logical operations; bad input; undo.
#include <gtest/gtest.h>

#include <random>

#include <itkBinaryBallStructuringElement.h>
#include <itkBinaryDilateImageFilter.h>
#include <itkBinaryErodeImageFilter.h>
#include <itkBinaryFillholeImageFilter.h>
#include <itkBinaryMedianImageFilter.h>
#include <itkConnectedComponentImageFilter.h>
#include <itkRelabelComponentImageFilter.h>

#include "tests/unit/SemiAutoSupport.h"
#include "tools/History.h"
#include "tools/Islands.h"
#include "tools/Morphology.h"

namespace delineo::tools {
namespace {

using MaskImage = itk::Image<std::uint8_t, 3>;

// Blobs: random balls plus specks on a 1 mm grid, label 1; some with cavities.
core::Labelmap blobs(std::uint32_t seed, core::Dims dims = {48, 44, 40}) {
  core::Geometry g;
  g.dims = dims;
  core::Labelmap m(g);
  (void)m.labels().add("Blob");
  (void)m.labels().add("Other");
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> pos(6, 34), rad(2, 7);
  for (int b = 0; b < 7; ++b) {
    double cx = pos(rng), cy = pos(rng), cz = pos(rng), r = rad(rng);
    for (std::int64_t k = 0; k < dims[2]; ++k)
      for (std::int64_t j = 0; j < dims[1]; ++j)
        for (std::int64_t i = 0; i < dims[0]; ++i) {
          double d = std::hypot(double(i) - cx, double(j) - cy, double(k) - cz);
          if (d <= r) m.voxels()[std::size_t(g.linearIndex(i, j, k))] = (b == 0 && d < r - 2.5) ? 0 : 1;
        }
  }
  std::uniform_int_distribution<std::int64_t> at(0, dims[0] * dims[1] * dims[2] - 1);
  for (int s = 0; s < 60; ++s) m.voxels()[std::size_t(at(rng))] = 1;
  return m;
}

MaskImage::Pointer itkMask(const core::Labelmap& m, std::uint8_t label) { return test::toItk(maskOfLabel(m, label)); }

std::int64_t differing(const core::Labelmap& m, std::uint8_t label, const MaskImage* itk) {
  return test::differingVoxels(maskOfLabel(m, label), itk);
}

TEST(Morphology, MarginOfRadiusPlusHalfMmEqualsItkBinaryDilateAndErodeWithABall) {
  for (unsigned radius : {1u, 2u, 3u}) {
    using Ball = itk::BinaryBallStructuringElement<std::uint8_t, 3>;
    Ball ball;
    ball.SetRadius(radius);
    ball.CreateStructuringElement();
    for (bool grow : {true, false}) {
      core::Labelmap m = blobs(7);
      auto input = itkMask(m, 1);
      MaskImage::Pointer expected;
      if (grow) {
        auto f = itk::BinaryDilateImageFilter<MaskImage, MaskImage, Ball>::New();
        f->SetInput(input);
        f->SetKernel(ball);
        f->SetForegroundValue(1);
        f->Update();
        expected = f->GetOutput();
      } else {
        auto f = itk::BinaryErodeImageFilter<MaskImage, MaskImage, Ball>::New();
        f->SetInput(input);
        f->SetKernel(ball);
        f->SetForegroundValue(1);
        f->Update();
        expected = f->GetOutput();
      }
      LabelEdit edit(m, nullptr, {});
      auto changed = applyMargin(edit, 1, (grow ? 1.0 : -1.0) * (radius + 0.5));
      ASSERT_TRUE(changed) << changed.message();
      EXPECT_GT(*changed, 0);
      EXPECT_EQ(differing(m, 1, expected.GetPointer()), 0) << (grow ? "dilate" : "erode") << " r=" << radius;
    }
  }
}

TEST(Morphology, MarginRespectsAnisotropicSpacingInMillimetres) {
  core::Geometry g;
  g.dims = {61, 61, 25};
  g.spacingMm = {0.5, 0.5, 2.0};
  core::Labelmap m(g);
  (void)m.labels().add("Dot");
  m.voxels()[std::size_t(g.linearIndex(30, 30, 12))] = 1;
  LabelEdit edit(m, nullptr, {});
  ASSERT_TRUE(applyMargin(edit, 1, 6.0));
  for (std::int64_t k = 0; k < g.dims[2]; ++k)
    for (std::int64_t j = 0; j < g.dims[1]; ++j)
      for (std::int64_t i = 0; i < g.dims[0]; ++i) {
        double d = std::hypot(0.5 * double(i - 30), 0.5 * double(j - 30), 2.0 * double(k - 12));
        ASSERT_EQ(m.at(i, j, k), d <= 6.0 ? 1 : 0) << i << "," << j << "," << k;
      }
}

TEST(Morphology, IslandsEqualItkConnectedComponentsAndRelabel) {
  for (bool full : {false, true}) {
    core::Labelmap m = blobs(3);
    auto cc = itk::ConnectedComponentImageFilter<MaskImage, itk::Image<std::uint32_t, 3>>::New();
    cc->SetInput(itkMask(m, 1));
    cc->SetFullyConnected(full);
    auto relabel = itk::RelabelComponentImageFilter<itk::Image<std::uint32_t, 3>, itk::Image<std::uint32_t, 3>>::New();
    relabel->SetInput(cc->GetOutput());
    relabel->SetMinimumObjectSize(20);
    relabel->Update();
    const std::uint32_t* labels = relabel->GetOutput()->GetBufferPointer();
    ASSERT_GT(relabel->GetNumberOfObjects(), 1u);

    core::Labelmap small = m, largest = m;
    IslandParams p;
    p.connectivity = full ? 26 : 6;
    LabelEdit e1(small, nullptr, {});
    ASSERT_TRUE(removeSmallIslands(e1, p, 20));
    LabelEdit e2(largest, nullptr, {});
    ASSERT_TRUE(keepLargestIsland(e2, p));
    std::int64_t diffSmall = 0, diffLargest = 0;
    for (std::size_t v = 0; v < m.voxels().size(); ++v) {
      diffSmall += (small.voxels()[v] == 1) != (labels[v] != 0);
      diffLargest += (largest.voxels()[v] == 1) != (labels[v] == 1);
    }
    EXPECT_EQ(diffSmall, 0) << (full ? 26 : 6);
    EXPECT_EQ(diffLargest, 0) << (full ? 26 : 6);
  }
}

TEST(Morphology, FillHolesEqualsItkBinaryFillhole) {
  for (bool full : {false, true}) {
    core::Labelmap m = blobs(11);
    auto f = itk::BinaryFillholeImageFilter<MaskImage>::New();
    f->SetInput(itkMask(m, 1));
    f->SetForegroundValue(1);
    f->SetFullyConnected(full);
    f->Update();
    LabelEdit edit(m, nullptr, {});
    IslandParams p;
    p.connectivity = full ? 26 : 6;
    auto filled = fillHoles(edit, p);
    ASSERT_TRUE(filled);
    EXPECT_GT(*filled, 0);  // blob 0 has a cavity
    EXPECT_EQ(differing(m, 1, f->GetOutput()), 0);
  }
}

TEST(Morphology, MedianEqualsItkBinaryMedianIncludingTheBorder) {
  core::Labelmap m = blobs(5, {30, 28, 26});
  auto f = itk::BinaryMedianImageFilter<MaskImage, MaskImage>::New();
  f->SetInput(itkMask(m, 1));
  f->SetForegroundValue(1);
  f->SetBackgroundValue(0);
  f->SetRadius(itk::Size<3>::Filled(1));
  f->Update();
  LabelEdit edit(m, nullptr, {});
  ASSERT_TRUE(smoothLabel(edit, 1, SmoothMethod::Median, 1.0));
  EXPECT_EQ(differing(m, 1, f->GetOutput()), 0);
}

MaskImage::Pointer itkErodeDilate(MaskImage::Pointer input, bool erodeFirst) {
  using Ball = itk::BinaryBallStructuringElement<std::uint8_t, 3>;
  Ball ball;
  ball.SetRadius(1);
  ball.CreateStructuringElement();
  auto erode = itk::BinaryErodeImageFilter<MaskImage, MaskImage, Ball>::New();
  erode->SetKernel(ball);
  erode->SetForegroundValue(1);
  auto dilate = itk::BinaryDilateImageFilter<MaskImage, MaskImage, Ball>::New();
  dilate->SetKernel(ball);
  dilate->SetForegroundValue(1);
  if (erodeFirst) {
    erode->SetInput(input);
    dilate->SetInput(erode->GetOutput());
    dilate->Update();
    return dilate->GetOutput();
  }
  dilate->SetInput(input);
  erode->SetInput(dilate->GetOutput());
  erode->Update();
  return erode->GetOutput();
}

TEST(Morphology, OpeningAndClosingEqualItkErodeDilateChains) {
  for (bool opening : {true, false}) {
    core::Labelmap m = blobs(9);
    auto expected = itkErodeDilate(itkMask(m, 1), opening);
    LabelEdit edit(m, nullptr, {});
    auto changed = smoothLabel(edit, 1, opening ? SmoothMethod::Opening : SmoothMethod::Closing, 1.5);
    ASSERT_TRUE(changed) << changed.message();
    EXPECT_GT(*changed, 0);
    EXPECT_EQ(differing(m, 1, expected.GetPointer()), 0) << (opening ? "opening" : "closing");
  }
}

TEST(Morphology, ThresholdPaintsExactlyTheVoxelsInRangeOfTheHeadCt) {
  const core::Volume& ct = test::headCt();
  core::Labelmap m = core::Labelmap::forVolume(ct);
  (void)m.labels().add("Bone");
  LabelEdit edit(m, &ct, {});
  ThresholdParams p;
  p.lower = 300;
  p.upper = 3000;
  auto changed = threshold(ct, edit, p);
  ASSERT_TRUE(changed);
  std::int64_t expected = 0;
  for (auto v : ct.voxels<std::int16_t>()) expected += v >= 300 && v <= 3000;
  EXPECT_EQ(*changed, expected);
  EXPECT_EQ(m.histogram()[1], expected);
}

TEST(Morphology, LogicalOperationsCombineTwoSegmentations) {
  core::Labelmap a = blobs(1), b = blobs(2);
  auto inA = maskOfLabel(a, 1), inB = maskOfLabel(b, 1);
  for (LogicalOp op : {LogicalOp::Union, LogicalOp::Intersect, LogicalOp::Subtract}) {
    core::Labelmap m = a;
    LabelEdit edit(m, nullptr, {});
    ASSERT_TRUE(logicalOperation(edit, op, 1, b, 1));
    std::int64_t wrong = 0;
    for (std::int64_t v = 0; v < inA.size(); ++v) {
      bool expect = op == LogicalOp::Union ? (inA[v] || inB[v])
                                           : (op == LogicalOp::Intersect ? (inA[v] && inB[v]) : (inA[v] && !inB[v]));
      wrong += (m.voxels()[std::size_t(v)] == 1) != expect;
    }
    EXPECT_EQ(wrong, 0) << int(op);
  }
  // Within one labelmap, a union moves label 2's voxels into label 1.
  core::Labelmap m = a;
  m.voxels()[0] = 2;
  LabelEdit edit(m, nullptr, {});
  ASSERT_TRUE(logicalOperation(edit, LogicalOp::Union, 1, m, 2));
  EXPECT_EQ(m.voxels()[0], 1);
}

TEST(Morphology, BadInputIsRejectedAndTheLabelmapIsUntouched) {
  core::Labelmap m = blobs(4);
  const auto before = std::vector<std::uint8_t>(m.voxels().begin(), m.voxels().end());
  LabelEdit edit(m, nullptr, {});
  auto tooBig = applyMargin(edit, 1, 500.0);
  ASSERT_FALSE(tooBig);
  EXPECT_NE(tooBig.message().find("larger than the volume"), std::string::npos) << tooBig.message();
  EXPECT_FALSE(applyMargin(edit, 0, 2.0));
  EXPECT_FALSE(smoothLabel(edit, 1, SmoothMethod::Median, -1));
  IslandParams p;
  p.connectivity = 18;
  EXPECT_FALSE(keepLargestIsland(edit, p));
  EXPECT_FALSE(removeSmallIslands(edit, {}, 0));
  core::Volume v(m.geometry(), core::ScalarType::Int16);
  ThresholdParams t;
  t.lower = 10;
  t.upper = 5;
  auto empty = threshold(v, edit, t);
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.message().find("empty threshold range"), std::string::npos);
  EXPECT_EQ(edit.changedVoxels(), 0);
  EXPECT_TRUE(std::equal(before.begin(), before.end(), m.voxels().begin()));
}

TEST(Morphology, EveryOperationIsUndoneByItsHistoryStep) {
  core::Labelmap m = blobs(6);
  const auto original = std::vector<std::uint8_t>(m.voxels().begin(), m.voxels().end());
  History history;
  auto commit = [&](auto&& operation) {
    LabelEdit edit(m, nullptr, {});
    auto r = operation(edit);
    ASSERT_TRUE(r);
    Step step;
    step.name = "op";
    step.voxels = edit.finish();
    history.push(std::move(step));  // an operation that changed nothing adds no step
  };
  commit([](LabelEdit& e) { return applyMargin(e, 1, 2.0); });
  commit([](LabelEdit& e) { return fillHoles(e, {}); });
  commit([](LabelEdit& e) { return removeSmallIslands(e, {}, 50); });
  commit([](LabelEdit& e) { return smoothLabel(e, 1, SmoothMethod::Closing, 2.0); });
  commit([](LabelEdit& e) { return applyMargin(e, 1, -1.5); });
  EXPECT_GE(history.undoSteps().size(), 4u);
  while (history.canUndo()) history.undo(m);
  EXPECT_TRUE(std::equal(original.begin(), original.end(), m.voxels().begin()));
}

}  // namespace
}  // namespace delineo::tools
