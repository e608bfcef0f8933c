// The runtime's integer ops exist only inside a session (its integer
// rewrite of a QDQ graph); files hold the QDQ graph itself.
#include "core/ops/integer.h"
#include "onnx/op_registry.h"

namespace edgeport {
namespace {

constexpr char kReason[] =
    "a runtime-internal op (the integer rewrite of a QDQ graph); ONNX files hold the QDQ graph, which ONNX Runtime "
    "fuses into QLinearConv itself";
const ImportRefusalRegistration import_refusal(op::IntegerConv, kReason);
const ExportRefusalRegistration export_refusal(op::IntegerConv, kReason);
const ImportRefusalRegistration add_import_refusal(op::IntegerAdd, kReason);
const ExportRefusalRegistration add_export_refusal(op::IntegerAdd, kReason);
const ImportRefusalRegistration linear_import_refusal(op::IntegerLinear, kReason);
const ExportRefusalRegistration linear_export_refusal(op::IntegerLinear, kReason);
const ImportRefusalRegistration mean_import_refusal(op::IntegerMean, kReason);
const ExportRefusalRegistration mean_export_refusal(op::IntegerMean, kReason);

}  // namespace
}  // namespace edgeport
