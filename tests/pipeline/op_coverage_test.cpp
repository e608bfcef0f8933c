// Every IR op is complete: it has a runtime kernel, and each format can read
// and write it, or refuses it for a registered reason. A forgotten
// registration fails here instead of at a user's run time.
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "core/op_registry.h"
#include "onnx/op_support.h"
#include "runtime/kernel.h"
#include "tflite/op_support.h"

namespace edgeport {
namespace {

enum Support { Yes, Refused };

struct Coverage {
  const char* op;
  Support onnx_import;
  Support onnx_export;
  Support tflite_import;
  Support tflite_lowering;
};

// One line per IR op of src/core/ops/.
const Coverage kCoverage[] = {
    // op                     ONNX in  ONNX out  TFLite in  TFLite out
    {"Add",                   Yes,     Yes,      Yes,       Yes},
    {"AvgPool",               Yes,     Yes,      Yes,       Yes},
    {"BatchNorm",             Yes,     Yes,      Refused,   Yes},
    {"Cast",                  Yes,     Yes,      Refused,   Refused},
    {"Concat",                Yes,     Yes,      Yes,       Yes},
    {"Conv",                  Yes,     Yes,      Yes,       Yes},
    {"ConvInteger",           Yes,     Yes,      Refused,   Refused},
    {"Dequantize",            Yes,     Yes,      Yes,       Yes},
    {"DynamicQuantizeLinear", Yes,     Yes,      Refused,   Refused},
    {"Elu",                   Yes,     Yes,      Yes,       Yes},
    {"Flatten",               Yes,     Yes,      Refused,   Yes},
    {"GlobalAveragePool",     Yes,     Yes,      Refused,   Yes},
    {"HardSigmoid",           Yes,     Yes,      Refused,   Yes},
    {"HardSwish",             Yes,     Yes,      Yes,       Yes},
    {"IntegerAdd",            Refused, Refused,  Refused,   Yes},
    {"IntegerConv",           Refused, Refused,  Refused,   Yes},
    {"IntegerLinear",         Refused, Refused,  Refused,   Yes},
    {"IntegerMean",           Refused, Refused,  Refused,   Yes},
    {"Linear",                Yes,     Yes,      Yes,       Yes},
    {"MatMul",                Yes,     Yes,      Refused,   Refused},
    {"MatMulInteger",         Yes,     Yes,      Refused,   Refused},
    {"MaxPool",               Yes,     Yes,      Yes,       Yes},
    {"Mean",                  Yes,     Yes,      Yes,       Yes},
    {"Mul",                   Yes,     Yes,      Yes,       Yes},
    {"Pad",                   Yes,     Yes,      Yes,       Yes},
    {"Quantize",              Yes,     Yes,      Yes,       Yes},
    {"Relu",                  Yes,     Yes,      Yes,       Yes},
    {"Relu6",                 Yes,     Yes,      Yes,       Yes},
    {"Reshape",               Yes,     Yes,      Yes,       Yes},
    {"Resize",                Yes,     Yes,      Yes,       Yes},
    {"Sigmoid",               Yes,     Yes,      Yes,       Yes},
    {"Slice",                 Yes,     Yes,      Yes,       Yes},
    {"Sub",                   Yes,     Yes,      Yes,       Yes},
    {"Transpose",             Yes,     Yes,      Yes,       Yes},
};

TEST(OpCoverage, EveryRegisteredOpHasOneLineAndEveryLineARegisteredOp) {
  std::set<std::string> listed;
  for (const Coverage& row : kCoverage) {
    EXPECT_TRUE(listed.insert(row.op).second) << row.op << " is listed twice";
    EXPECT_NE(OpRegistry::find(row.op), nullptr) << row.op << " has no shape rule in src/core/ops/";
  }
  for (const std::string& op : OpRegistry::names()) EXPECT_TRUE(listed.count(op)) << op << " has no line in kCoverage";
}

TEST(OpCoverage, EveryOpHasAKernel) {
  for (const Coverage& row : kCoverage) EXPECT_NE(KernelRegistry::find(row.op), nullptr) << row.op;
}

// Supported: the format's registry lists the op and holds no refusal for it.
// Refused: it does not list the op and gives a reason.
void expect_side(const Coverage& row, Support expected, const std::set<std::string>& supported,
                 const std::optional<std::string>& refusal, const char* side) {
  if (expected == Yes) {
    EXPECT_TRUE(supported.count(row.op)) << row.op << ": no " << side;
    EXPECT_FALSE(refusal) << row.op << ": " << side << " is refused: " << refusal.value_or("");
  } else {
    EXPECT_FALSE(supported.count(row.op)) << row.op << ": " << side << " exists but is listed as refused";
    ASSERT_TRUE(refusal) << row.op << ": no registered reason for refusing " << side;
    EXPECT_GT(refusal->size(), 20u) << row.op << ": the reason for refusing " << side << " says too little";
  }
}

TEST(OpCoverage, OnnxReadsAndWritesEveryOpOrSaysWhyNot) {
  const std::set<std::string> importable = onnx_importable_ir_ops();
  const std::set<std::string> writable = onnx_writable_ir_ops();
  for (const Coverage& row : kCoverage) {
    expect_side(row, row.onnx_import, importable, onnx_import_refusal(row.op), "ONNX import");
    expect_side(row, row.onnx_export, writable, onnx_export_refusal(row.op), "ONNX export");
  }
}

TEST(OpCoverage, TfliteReadsAndWritesEveryOpOrSaysWhyNot) {
  const std::set<std::string> importable = tflite_importable_ir_ops();
  const std::set<std::string> lowerable = tflite_lowerable_ir_ops();
  for (const Coverage& row : kCoverage) {
    expect_side(row, row.tflite_import, importable, tflite_import_refusal(row.op), "TFLite import");
    expect_side(row, row.tflite_lowering, lowerable, tflite_lowering_refusal(row.op), "TFLite lowering");
  }
}

}  // namespace
}  // namespace edgeport
