#pragma once

#include <cstdint>
#include <optional>

#include <nlohmann/json.hpp>

#include "tflite/model_view.h"

namespace edgeport {

// The activation arena a TFLite Micro interpreter plans for subgraph 0: every
// tensor without data, placed by the shared greedy planner (core/arena_plan.h)
// with TFLite Micro's lifetimes and 16-byte buffers. It is the arena's
// non-persistent part; the interpreter adds its own bookkeeping (tensor and
// node structures, op data, kernels' scratch buffers) on top.
struct TfliteArenaEstimate {
  // None when there are more than kMaxPlannedTensors tensors to plan.
  std::optional<std::int64_t> bytes;
  int planned_tensors = 0;
};

// The planner's time grows with the square of the tensors; vision models have
// hundreds to a few thousand, and a hostile file must not stall `info`.
inline constexpr int kMaxPlannedTensors = 20000;

inline constexpr std::int64_t kMicroBufferAlignment = 16;
// 1 MB of SRAM as microcontroller data sheets count it (the Nicla Vision's
// STM32H747 has 1,024 KB).
inline constexpr std::int64_t kMicroSramBytes = 1024 * 1024;

TfliteArenaEstimate estimate_tflite_arena(const TfliteModelView& model);

// The estimate as reports carry it: {"bytes", "planned_tensors", "alignment",
// "planner", "sram_bytes", "fits_sram"}; "bytes" and "fits_sram" are null
// when the estimate was not made.
nlohmann::json tflite_arena_json(const TfliteModelView& model);

}  // namespace edgeport
