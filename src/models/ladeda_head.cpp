#include "models/ladeda_head.h"

#include "core/ops/conv.h"
#include "core/ops/mean.h"
#include "core/ops/reshape.h"

namespace edgeport {

int ladeda_head(ModelBuilder& builder, bool pool, int x, std::int64_t features) {
  if (pool) {
    x = builder.op(op::GlobalAveragePool, "avgpool", {x});
    x = builder.op(op::Flatten, "flatten", {x});
    return builder.linear("fc", x, features, 1);
  }
  // A Linear applied at every position is a 1x1 convolution with the same
  // numbers; as a Conv it needs no layout transposes in any writer.
  const Tensor weight = builder.weights().take("fc.weight", {1, features}).reshaped({1, features, 1, 1});
  const int weight_value = builder.constant("fc.weight", weight);
  return builder.op(op::Conv, "fc", {x, weight_value, builder.parameter("fc.bias", {1})});
}

}  // namespace edgeport
