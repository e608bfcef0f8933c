#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/graph.h"

namespace edgeport {

// What a Conv or Linear layer sees on calibration data, per group: the mean
// input patch vector mu and the second moment H = E[x x^T] over output
// positions. A patch vector is what one output position of one group
// multiplies with a weight row: K = Cin/groups * kh * kw values ordered as an
// OIHW weight row ([ci][ky][kx]), padding zeros included; for Linear, the
// input row itself (K = in features).
struct LayerStatistics {
  std::string node;
  std::int64_t groups = 1;
  std::int64_t patch_size = 0;  // K
  // Only the diagonal of H is kept: a full K x K matrix per group would not
  // fit (K above kMaxFullPatchSize, e.g. resnet's 512x3x3 = 4608).
  bool diagonal = false;
  std::int64_t samples = 0;  // patch vectors averaged per group
  std::vector<std::vector<double>> mean;           // [group][K]
  std::vector<std::vector<double>> second_moment;  // [group][K*K] row-major, or [group][K] when diagonal

  double moment(std::int64_t group, std::int64_t row, std::int64_t column) const;
};

// Keyed by node name.
using CalibrationStatistics = std::map<std::string, LayerStatistics>;

// Above this patch size only the diagonal of H is kept (8 MB per group at 1024).
constexpr std::int64_t kMaxFullPatchSize = 1024;
// Multiply-adds one input may spend on one layer's full H; positions beyond
// it are subsampled, evenly spaced, so the statistics stay deterministic.
constexpr std::int64_t kMomentBudgetPerInput = std::int64_t{1} << 27;

// Accumulates the statistics of one Conv / Linear node from its input
// activations, one input tensor at a time.
class LayerStatisticsAccumulator {
 public:
  // The node's window attributes and weight shape come from the graph; the
  // input shape from each tensor given to add().
  LayerStatisticsAccumulator(const Graph& graph, const Node& node);

  // One activation tensor of the node's input (NCHW for Conv, [..., in] for
  // Linear). An Error names the node when the shape does not fit its weight.
  void add(const Tensor& input);
  // The means; moves the sums out, so call it once. An Error names the node
  // when nothing was added.
  LayerStatistics finish();

 private:
  // count patches of one group, one after the other in `patches`.
  void add_patches(std::int64_t group, const double* patches, int count);

  const Node* node_;
  bool conv_;
  Shape weight_shape_;
  std::vector<std::int64_t> strides_, pads_, dilations_;
  LayerStatistics sums_;
};

}  // namespace edgeport
