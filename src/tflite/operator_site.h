#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tflite/import_context.h"

namespace edgeport {

// The TFLite operator being imported, with its checked tensor lists. Its
// failures name the file and the operator.
struct OperatorSite {
  ImportContext& context;
  int index;
  std::vector<int> inputs;
  std::vector<int> outputs;

  const TfliteModelView& model() const { return context.model; }
  const tflite::Operator& op() const { return context.model.op(index); }
  [[noreturn]] void fail(const std::string& problem) const;

  int input(std::size_t position) const;
  // -1 when absent.
  int optional_input(std::size_t position) const;
  int output() const { return outputs.at(0); }
  Shape shape(int tensor) const { return context.model.shape(tensor); }
  std::size_t rank(int tensor) const { return shape(tensor).size(); }

  void expect_counts(std::size_t min_inputs, std::size_t max_inputs) const;
  void expect_rank(int tensor, std::size_t expected) const;
  void expect_float(int tensor) const;
  template <typename Options>
  const Options& options(const Options* found, const char* name) const {
    if (!found) fail("has no " + std::string(name));
    return *found;
  }
  // The values of a constant integer tensor (shapes, axes, paddings).
  std::vector<std::int64_t> integers(int tensor) const;
};

}  // namespace edgeport
