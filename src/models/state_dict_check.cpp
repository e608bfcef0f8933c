#include "models/state_dict_check.h"

namespace edgeport {
namespace {

bool is_batch_counter(const std::string& key) {
  const std::string suffix = "num_batches_tracked";
  return key == suffix || (key.size() > suffix.size() && key.ends_with("." + suffix));
}

std::string join(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

}  // namespace

std::string StateDictMismatch::describe(const std::string& architecture) const {
  std::vector<std::string> parts;
  std::vector<std::string> counts;
  if (!missing.empty()) counts.push_back(std::to_string(missing.size()) + " keys missing");
  if (!unexpected.empty()) counts.push_back(std::to_string(unexpected.size()) + " unexpected");
  if (!wrong_tensors.empty()) counts.push_back(std::to_string(wrong_tensors.size()) + " of the wrong shape or type");
  if (!missing.empty()) parts.push_back("missing " + join(missing));
  if (!unexpected.empty()) parts.push_back("unexpected " + join(unexpected));
  for (const std::string& wrong : wrong_tensors) parts.push_back(wrong);
  // The counts come first: a checkpoint of another model differs in hundreds
  // of keys, and the error line shows only its start unless --verbose.
  std::string text = "state_dict does not match " + architecture + " (" + join(counts) + "): ";
  for (std::size_t i = 0; i < parts.size(); ++i) text += (i ? "; " : "") + parts[i];
  return text;
}

CheckedStateDict::CheckedStateDict(const StateDict& state_dict, bool probing) : probing_(probing) {
  for (const auto& [key, tensor] : state_dict.entries) {
    if (by_key_.emplace(key, &tensor).second) order_.push_back(key);
  }
}

Tensor CheckedStateDict::take(const std::string& key, const Shape& expected) {
  taken_.insert(key);
  const Tensor* stored = peek(key);
  if (!stored) {
    if (probing_) throw KeyMissing{};
    problems_.missing.push_back(key);
  } else if (stored->shape() != expected) {
    problems_.wrong_tensors.push_back("shape mismatch " + key + ": expected " + shape_to_string(expected) +
                                      ", found " + shape_to_string(stored->shape()));
  } else if (!is_floating(stored->dtype())) {
    problems_.wrong_tensors.push_back("dtype mismatch " + key + ": expected a floating-point tensor, found " +
                                      std::string(dtype_name(stored->dtype())));
  } else {
    return stored->to_float32();
  }
  return Tensor(DType::Float32, expected);
}

const Tensor* CheckedStateDict::peek(const std::string& key) const {
  const auto found = by_key_.find(key);
  return found == by_key_.end() ? nullptr : found->second;
}

StateDictMismatch CheckedStateDict::mismatch() const {
  StateDictMismatch result = problems_;
  for (const std::string& key : order_) {
    if (!taken_.count(key) && !is_batch_counter(key)) result.unexpected.push_back(key);
  }
  return result;
}

}  // namespace edgeport
