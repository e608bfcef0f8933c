#include "models/ladeda_preprocess.h"

#include <array>
#include <map>

#include "core/ops/binary.h"
#include "core/ops/conv.h"
#include "core/ops/resize.h"
#include "core/error.h"

namespace edgeport {
namespace {

using Kernel3x3 = std::array<float, 9>;

// Row-major cross-correlation kernels, as published (Sobel-style, with the
// two diagonal variants).
const std::map<std::string, Kernel3x3> kGradientKernels = {
    {"x_grad", {-1, 0, 1, -2, 0, 2, -1, 0, 1}},
    {"y_grad", {-1, -2, -1, 0, 0, 0, 1, 2, 1}},
    {"left_diag", {0, 1, 2, -1, 0, 1, -2, -1, 0}},
    {"right_diag", {-2, -1, 0, -1, 0, 1, 0, 1, 2}},
};

int gradient_filter(ModelBuilder& builder, int x, const Kernel3x3& kernel) {
  std::vector<float> weights;
  for (int channel = 0; channel < 3; ++channel) weights.insert(weights.end(), kernel.begin(), kernel.end());
  const int weight = builder.constant("preprocess.weight", Tensor::from_vector<float>({3, 1, 3, 3}, weights));
  Attributes attrs;
  attrs.set("pads", std::vector<std::int64_t>{1, 1, 1, 1});
  attrs.set("group", std::int64_t{3});
  // Part of the model definition, not a learned layer: the quantizer keeps it float.
  attrs.set("frozen", std::int64_t{1});
  return builder.op(op::Conv, "preprocess", {x, weight}, std::move(attrs));
}

// Neighbourhood pixel relationships: the image minus its nearest
// down-by-2-then-up-by-2 copy.
int npr(ModelBuilder& builder, int x) {
  Attributes down;
  down.set("scales", std::vector<double>{0.5, 0.5});
  const int coarse = builder.op(op::Resize, "preprocess.downsample", {x}, std::move(down));
  Attributes up;
  up.set("scales", std::vector<double>{2.0, 2.0});
  const int restored = builder.op(op::Resize, "preprocess.upsample", {coarse}, std::move(up));
  return builder.op(op::Sub, "preprocess", {x, restored});
}

}  // namespace

const std::vector<std::string>& ladeda_preprocess_modes() {
  static const std::vector<std::string> modes = {"right_diag", "left_diag", "x_grad", "y_grad", "raw", "NPR"};
  return modes;
}

int ladeda_preprocess(ModelBuilder& builder, const std::string& mode, int x) {
  if (mode == "raw") return x;
  if (mode == "NPR") return npr(builder, x);
  const auto kernel = kGradientKernels.find(mode);
  if (kernel == kGradientKernels.end()) throw Error("unknown LaDeDa preprocess '" + mode + "'");
  return gradient_filter(builder, x, kernel->second);
}

void check_ladeda_preprocess_input(const std::string& architecture, const std::string& mode, const Shape& input) {
  if (mode == "NPR" && (input[2] % 2 != 0 || input[3] % 2 != 0)) {
    throw Error(architecture + ": preprocess=NPR needs even H and W (it halves and doubles the image), given " +
                shape_to_string(input));
  }
}

}  // namespace edgeport
