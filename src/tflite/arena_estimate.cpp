#include "tflite/arena_estimate.h"

#include <vector>

#include "core/arena_plan.h"

namespace edgeport {

namespace {

// TFLite Micro's lifetimes: the subgraph's inputs exist at step 0, operator i
// runs at step i + 1 and its outputs live from there to their last reader;
// the subgraph's outputs live to the last step. A tensor nothing touches
// keeps [-1, -1], as there, and overlaps only its like.
struct Lifetimes {
  std::vector<int> first;
  std::vector<int> last;

  explicit Lifetimes(int tensors) : first(static_cast<std::size_t>(tensors), -1), last(first) {}
  void create(int tensor, int step) {
    if (first[static_cast<std::size_t>(tensor)] < 0) first[static_cast<std::size_t>(tensor)] = step;
  }
  void use(int tensor, int step) { last[static_cast<std::size_t>(tensor)] = step; }
};

Lifetimes tensor_lifetimes(const TfliteModelView& model) {
  Lifetimes lifetimes(model.tensor_count());
  for (int tensor : model.subgraph_inputs()) {
    lifetimes.create(tensor, 0);
    lifetimes.use(tensor, 0);
  }
  const int steps = model.operator_count();
  for (int op = 0; op < steps; ++op) {
    const int step = op + 1;
    const std::vector<int> outputs = model.operator_outputs(op);
    for (int tensor : outputs) lifetimes.create(tensor, step);
    for (int tensor : model.operator_inputs(op)) {
      if (tensor >= 0) lifetimes.use(tensor, step);
    }
    for (int tensor : outputs) lifetimes.use(tensor, step);
  }
  for (int tensor : model.subgraph_outputs()) {
    lifetimes.create(tensor, steps);
    lifetimes.use(tensor, steps);
  }
  return lifetimes;
}

}  // namespace

TfliteArenaEstimate estimate_tflite_arena(const TfliteModelView& model) {
  const Lifetimes lifetimes = tensor_lifetimes(model);
  std::vector<BufferLifetime> buffers;
  // TFLite Micro hands its planner the tensors in index order and sorts them
  // stably after reversing that order, so among buffers of one size the later
  // tensor is placed first; adding them in reverse keeps that tie order.
  for (int tensor = model.tensor_count() - 1; tensor >= 0; --tensor) {
    if (model.is_constant(tensor) || model.tensor(tensor).is_variable()) continue;
    const std::int64_t bytes =
        shape_numel(model.shape(tensor)) * static_cast<std::int64_t>(TfliteModelView::element_size(model.tensor(tensor).type()));
    if (bytes == 0) continue;
    buffers.push_back({bytes, lifetimes.first[static_cast<std::size_t>(tensor)],
                       lifetimes.last[static_cast<std::size_t>(tensor)]});
  }
  TfliteArenaEstimate estimate;
  estimate.planned_tensors = static_cast<int>(buffers.size());
  if (estimate.planned_tensors <= kMaxPlannedTensors) estimate.bytes = plan_arena(buffers, kMicroBufferAlignment).size;
  return estimate;
}

nlohmann::json tflite_arena_json(const TfliteModelView& model) {
  const TfliteArenaEstimate estimate = estimate_tflite_arena(model);
  nlohmann::json entry = {{"bytes", nullptr},
                          {"planned_tensors", estimate.planned_tensors},
                          {"alignment", kMicroBufferAlignment},
                          {"planner", "TFLite Micro greedy memory planner"},
                          {"sram_bytes", kMicroSramBytes},
                          {"fits_sram", nullptr}};
  if (estimate.bytes) {
    entry["bytes"] = *estimate.bytes;
    entry["fits_sram"] = *estimate.bytes <= kMicroSramBytes;
  }
  return entry;
}

}  // namespace edgeport
