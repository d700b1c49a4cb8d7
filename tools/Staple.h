#pragma once
// Multi-label STAPLE (Warfield 2004, Rohlfing's multi-label form as in ITK's
// MultiLabelSTAPLEImageFilter): from several annotators' labelmaps of one study, the most
// probable true labelling and each annotator's confusion matrix, hence per label their
// sensitivity and specificity. Voxels are grouped by their tuple of ratings, so the EM runs on
// the distinct tuples (few, even on big volumes).

#include <cstdint>
#include <vector>

#include "core/Labelmap.h"
#include "core/Result.h"

namespace delineo::tools {

struct StapleOptions {
  int maxIterations = 100;              // EM iterations at most
  double terminationThreshold = 1e-5;   // stop when no confusion-matrix entry moves more
};

struct StapleResult {
  core::Labelmap consensus;            // argmax of the posterior per voxel (ties: lowest id)
  std::vector<std::uint8_t> labelIds;  // the label ids seen in any input, ascending (incl. 0)
  // confusion[r][s][t] = P(annotator r says labelIds[s] | truth is labelIds[t])
  std::vector<std::vector<std::vector<double>>> confusion;
  // Per annotator and label (index into labelIds): sensitivity and specificity.
  std::vector<std::vector<double>> sensitivity;
  std::vector<std::vector<double>> specificity;
  int iterations = 0;
};

// All inputs must lie on one grid. The consensus gets the first input's label table.
core::Result<StapleResult> staple(const std::vector<const core::Labelmap*>& raters, const StapleOptions& options = {});

}  // namespace delineo::tools
