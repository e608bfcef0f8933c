#include "tflite/target_ops.h"

#include <set>

namespace edgeport {

namespace {

using Op = tflite::BuiltinOperator;

// LSTM is listed for the Edge TPU as unidirectional only, hence
// UNIDIRECTIONAL_SEQUENCE_LSTM; DEQUANTIZE is on TFLite Micro's list (for
// float outputs) but not on the Edge TPU's.
const std::set<Op>& edge_tpu_ops() {
  static const std::set<Op> ops = {
      Op::ADD, Op::AVERAGE_POOL_2D, Op::CONCATENATION, Op::CONV_2D, Op::DEPTHWISE_CONV_2D, Op::EXPAND_DIMS,
      Op::FULLY_CONNECTED, Op::L2_NORMALIZATION, Op::LOGISTIC, Op::MAXIMUM, Op::MAX_POOL_2D, Op::MEAN, Op::MINIMUM,
      Op::MUL, Op::PACK, Op::PAD, Op::PRELU, Op::QUANTIZE, Op::REDUCE_MAX, Op::REDUCE_MIN, Op::RELU, Op::RELU6,
      Op::RELU_N1_TO_1, Op::RESHAPE, Op::RESIZE_BILINEAR, Op::RESIZE_NEAREST_NEIGHBOR, Op::RSQRT, Op::SLICE,
      Op::SOFTMAX, Op::SPACE_TO_DEPTH, Op::SPLIT, Op::SQUARED_DIFFERENCE, Op::SQUEEZE, Op::STRIDED_SLICE, Op::SUB,
      Op::SUM, Op::TANH, Op::TRANSPOSE, Op::TRANSPOSE_CONV, Op::UNIDIRECTIONAL_SEQUENCE_LSTM,
  };
  return ops;
}

const std::set<Op>& tflite_micro_ops() {
  static const std::set<Op> ops = {
      Op::ABS, Op::ADD, Op::ADD_N, Op::ARG_MAX, Op::ARG_MIN, Op::ASSIGN_VARIABLE, Op::AVERAGE_POOL_2D,
      Op::BATCH_MATMUL, Op::BATCH_TO_SPACE_ND, Op::BROADCAST_ARGS, Op::BROADCAST_TO, Op::CALL_ONCE, Op::CAST,
      Op::CEIL, Op::CONCATENATION, Op::CONV_2D, Op::COS, Op::CUMSUM, Op::DEPTHWISE_CONV_2D, Op::DEPTH_TO_SPACE,
      Op::DEQUANTIZE, Op::DIV, Op::DYNAMIC_UPDATE_SLICE, Op::ELU, Op::EMBEDDING_LOOKUP, Op::EQUAL, Op::EXP,
      Op::EXPAND_DIMS, Op::FILL, Op::FLOOR, Op::FLOOR_DIV, Op::FLOOR_MOD, Op::FULLY_CONNECTED, Op::GATHER,
      Op::GATHER_ND, Op::GREATER, Op::GREATER_EQUAL, Op::HARD_SWISH, Op::IF, Op::L2_NORMALIZATION, Op::L2_POOL_2D,
      Op::LEAKY_RELU, Op::LESS, Op::LESS_EQUAL, Op::LOG, Op::LOGICAL_AND, Op::LOGICAL_NOT, Op::LOGICAL_OR,
      Op::LOGISTIC, Op::LOG_SOFTMAX, Op::MAXIMUM, Op::MAX_POOL_2D, Op::MEAN, Op::MINIMUM, Op::MUL, Op::NEG,
      Op::NOT_EQUAL, Op::PACK, Op::PAD, Op::PADV2, Op::PRELU, Op::QUANTIZE, Op::READ_VARIABLE, Op::REDUCE_ALL,
      Op::REDUCE_MAX, Op::REDUCE_MIN, Op::RELU, Op::RELU6, Op::RESHAPE, Op::RESIZE_BILINEAR,
      Op::RESIZE_NEAREST_NEIGHBOR, Op::REVERSE_V2, Op::ROUND, Op::RSQRT, Op::SELECT_V2, Op::SHAPE, Op::SIN,
      Op::SLICE, Op::SOFTMAX, Op::SPACE_TO_BATCH_ND, Op::SPACE_TO_DEPTH, Op::SPLIT, Op::SPLIT_V, Op::SQRT,
      Op::SQUARE, Op::SQUARED_DIFFERENCE, Op::SQUEEZE, Op::STRIDED_SLICE, Op::SUB, Op::SUM, Op::SVDF, Op::TANH,
      Op::TRANSPOSE, Op::TRANSPOSE_CONV, Op::UNIDIRECTIONAL_SEQUENCE_LSTM, Op::UNPACK, Op::VAR_HANDLE, Op::WHILE,
      Op::ZEROS_LIKE,
  };
  return ops;
}

}  // namespace

bool edge_tpu_supports(tflite::BuiltinOperator code) { return edge_tpu_ops().count(code) > 0; }
bool tflite_micro_supports(tflite::BuiltinOperator code) { return tflite_micro_ops().count(code) > 0; }

}  // namespace edgeport
