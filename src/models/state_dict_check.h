#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "pytorch/state_dict.h"

namespace edgeport {

// What load_state_dict(strict=True) would complain about.
struct StateDictMismatch {
  std::vector<std::string> missing;
  std::vector<std::string> unexpected;
  // "fc.weight: expected [1,8], found [2,8]" and dtype problems alike.
  std::vector<std::string> wrong_tensors;

  bool keys_match() const { return missing.empty() && unexpected.empty(); }
  bool empty() const { return keys_match() && wrong_tensors.empty(); }
  // "state_dict does not match NAME: missing a, b; unexpected c; shape mismatch d: expected [..], found [..]"
  std::string describe(const std::string& architecture) const;
};

// Hands an architecture builder the state_dict's tensors as float32 while
// keeping the books of a strict load: a builder asks for every tensor it needs
// with the shape it needs, so the architecture's code is the only description
// of its key set. Problems do not stop the build (a zero tensor of the expected
// shape stands in), so one report can list all of them.
class CheckedStateDict {
 public:
  // Thrown by take() in probing mode at the first missing key: an
  // architecture that lacks a key cannot be the checkpoint's, and stopping
  // there spares building (and zero-filling) the rest of a large model.
  struct KeyMissing {};

  explicit CheckedStateDict(const StateDict& state_dict, bool probing = false);

  // The float32 tensor stored under key, or zeros of `expected` when it is
  // missing, has another shape or is not floating point (recorded).
  Tensor take(const std::string& key, const Shape& expected);
  // Looks without taking, e.g. to read num_classes off a classifier's shape.
  const Tensor* peek(const std::string& key) const;
  // The problems so far plus every key never taken; num_batches_tracked
  // entries are neither required nor unexpected.
  StateDictMismatch mismatch() const;

 private:
  bool probing_ = false;
  std::map<std::string, const Tensor*> by_key_;
  std::vector<std::string> order_;
  std::set<std::string> taken_;
  StateDictMismatch problems_;
};

}  // namespace edgeport
