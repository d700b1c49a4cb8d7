#include "tools/Staple.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace delineo::tools {

core::Result<StapleResult> staple(const std::vector<const core::Labelmap*>& raters, const StapleOptions& options) {
  if (raters.size() < 2) return core::makeError("STAPLE needs at least two annotations");
  for (std::size_t r = 1; r < raters.size(); ++r)
    if (auto ok = raters[r]->checkMatches(raters[0]->geometry(), "annotation " + std::to_string(r + 1)); !ok)
      return ok.error();
  const std::size_t R = raters.size();
  const std::size_t N = raters[0]->voxels().size();

  // Compact label indices.
  std::array<int, 256> indexOf;
  indexOf.fill(-1);
  StapleResult result;
  {
    std::array<bool, 256> seen{};
    for (const auto* m : raters)
      for (auto v : m->voxels()) seen[v] = true;
    for (int id = 0; id < 256; ++id)
      if (seen[id]) {
        indexOf[id] = static_cast<int>(result.labelIds.size());
        result.labelIds.push_back(static_cast<std::uint8_t>(id));
      }
  }
  const std::size_t K = result.labelIds.size();

  // Distinct rating tuples and how many voxels have each.
  std::map<std::vector<std::uint8_t>, std::int64_t> tupleCount;
  std::vector<std::uint8_t> key(R);
  for (std::size_t v = 0; v < N; ++v) {
    for (std::size_t r = 0; r < R; ++r) key[r] = static_cast<std::uint8_t>(indexOf[raters[r]->voxels()[v]]);
    ++tupleCount[key];
  }
  std::vector<std::vector<std::uint8_t>> tuples;
  std::vector<double> counts;
  for (const auto& [t, c] : tupleCount) {
    tuples.push_back(t);
    counts.push_back(double(c));
  }
  const std::size_t T = tuples.size();

  // Priors: relative label frequencies over all annotations (as ITK does).
  std::vector<double> prior(K, 0.0);
  for (std::size_t t = 0; t < T; ++t)
    for (std::size_t r = 0; r < R; ++r) prior[tuples[t][r]] += counts[t];
  for (auto& p : prior) p /= double(N * R);

  // Initial truth estimate: majority vote (ties to the lowest label), then confusion matrices
  // of each annotator against it.
  std::vector<std::vector<double>> W(T, std::vector<double>(K, 0.0));
  for (std::size_t t = 0; t < T; ++t) {
    std::vector<int> votes(K, 0);
    for (std::size_t r = 0; r < R; ++r) ++votes[tuples[t][r]];
    W[t][static_cast<std::size_t>(std::max_element(votes.begin(), votes.end()) - votes.begin())] = 1.0;
  }
  auto mStep = [&](std::vector<std::vector<std::vector<double>>>& theta) {
    theta.assign(R, std::vector<std::vector<double>>(K, std::vector<double>(K, 0.0)));
    std::vector<double> truthMass(K, 0.0);
    for (std::size_t t = 0; t < T; ++t)
      for (std::size_t k = 0; k < K; ++k) truthMass[k] += counts[t] * W[t][k];
    for (std::size_t r = 0; r < R; ++r) {
      for (std::size_t t = 0; t < T; ++t)
        for (std::size_t k = 0; k < K; ++k) theta[r][tuples[t][r]][k] += counts[t] * W[t][k];
      for (std::size_t s = 0; s < K; ++s)
        for (std::size_t k = 0; k < K; ++k)
          theta[r][s][k] = truthMass[k] > 0 ? theta[r][s][k] / truthMass[k] : (s == k ? 1.0 : 0.0);
    }
  };
  std::vector<std::vector<std::vector<double>>> theta;
  mStep(theta);
  int iteration = 0;
  for (; iteration < options.maxIterations; ++iteration) {
    // E-step: posterior of each truth label per tuple.
    for (std::size_t t = 0; t < T; ++t) {
      double sum = 0;
      for (std::size_t k = 0; k < K; ++k) {
        double w = prior[k];
        for (std::size_t r = 0; r < R; ++r) w *= theta[r][tuples[t][r]][k];
        W[t][k] = w;
        sum += w;
      }
      for (std::size_t k = 0; k < K; ++k) W[t][k] = sum > 0 ? W[t][k] / sum : 0.0;
    }
    auto previous = theta;
    mStep(theta);
    double change = 0;
    for (std::size_t r = 0; r < R; ++r)
      for (std::size_t s = 0; s < K; ++s)
        for (std::size_t k = 0; k < K; ++k) change = std::max(change, std::abs(theta[r][s][k] - previous[r][s][k]));
    if (change < options.terminationThreshold) {
      ++iteration;
      break;
    }
  }
  result.iterations = iteration;
  result.confusion = theta;

  // Consensus per tuple, then per voxel.
  std::map<std::vector<std::uint8_t>, std::uint8_t> decision;
  for (std::size_t t = 0; t < T; ++t)
    decision[tuples[t]] = result.labelIds[static_cast<std::size_t>(std::max_element(W[t].begin(), W[t].end()) - W[t].begin())];
  result.consensus = core::Labelmap(raters[0]->geometry());
  result.consensus.labels() = raters[0]->labels();
  auto out = result.consensus.voxels();
  for (std::size_t v = 0; v < N; ++v) {
    for (std::size_t r = 0; r < R; ++r) key[r] = static_cast<std::uint8_t>(indexOf[raters[r]->voxels()[v]]);
    out[v] = decision[key];
  }
  result.consensus.addMissingLabels();

  // Sensitivity and specificity per annotator and label, weighting "not l" truths by their
  // estimated frequency.
  std::vector<double> truthMass(K, 0.0);
  for (std::size_t t = 0; t < T; ++t)
    for (std::size_t k = 0; k < K; ++k) truthMass[k] += counts[t] * W[t][k];
  result.sensitivity.assign(R, std::vector<double>(K, 0.0));
  result.specificity.assign(R, std::vector<double>(K, 0.0));
  for (std::size_t r = 0; r < R; ++r)
    for (std::size_t l = 0; l < K; ++l) {
      result.sensitivity[r][l] = theta[r][l][l];
      double num = 0, den = 0;
      for (std::size_t k = 0; k < K; ++k) {
        if (k == l) continue;
        num += truthMass[k] * (1.0 - theta[r][l][k]);
        den += truthMass[k];
      }
      result.specificity[r][l] = den > 0 ? num / den : 1.0;
    }
  return result;
}

}  // namespace delineo::tools
