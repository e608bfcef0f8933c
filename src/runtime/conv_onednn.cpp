#include "runtime/conv_onednn.h"

#include <algorithm>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/error.h"
#include "runtime/onednn.h"

namespace edgeport {

namespace {

using dnnl::memory;
using Dims = memory::dims;
using Tag = memory::format_tag;
constexpr auto f32 = memory::data_type::f32;

struct OnednnConv {
  dnnl::convolution_forward primitive;
  // Absent when oneDNN computes in the caller's layout itself.
  std::optional<dnnl::reorder> to_blocked;
  std::optional<dnnl::reorder> from_blocked;
  // Everything a run hands oneDNN is made once and reused: the caller's
  // buffers are swapped in by set_data_handle, the blocked copies and the
  // scratchpad stay, so a warm run allocates nothing (fresh multi-megabyte
  // buffers would also page-fault on every run). The mutex keeps concurrent
  // runs of one session from sharing them.
  std::mutex mutex;
  std::optional<dnnl::stream> stream;
  memory user_input;
  memory user_output;
  std::unordered_map<int, memory> arguments;
  int threads = 1;

  void run(const float* input, float* output) {
    const std::lock_guard lock(mutex);
    use_onednn_threads(threads);
    user_input.set_data_handle(const_cast<float*>(input));
    user_output.set_data_handle(output);
    if (to_blocked) to_blocked->execute(*stream, user_input, arguments.at(DNNL_ARG_SRC));
    primitive.execute(*stream, arguments);
    if (from_blocked) from_blocked->execute(*stream, arguments.at(DNNL_ARG_DST), user_output);
    stream->wait();
  }
};

dnnl::post_ops activation_post_ops(ActivationRange activation) {
  dnnl::post_ops ops;
  if (activation.is_identity()) return ops;
  if (activation.low == 0.0f && activation.high == std::numeric_limits<float>::infinity()) {
    ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_relu, 0.0f, 0.0f);
  } else {
    ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_clip, std::max(activation.low, std::numeric_limits<float>::lowest()),
                       std::min(activation.high, std::numeric_limits<float>::max()));
  }
  return ops;
}

std::string describe(const ConvGeometry& g) {
  return std::to_string(g.in_channels) + "->" + std::to_string(g.out_channels) + " channels, " +
         std::to_string(g.kernel_h) + "x" + std::to_string(g.kernel_w) + " kernel, group " + std::to_string(g.group);
}

}  // namespace

Kernel prepare_onednn_conv(const ConvGeometry& g, const Tensor& weight, const Tensor* bias,
                           ActivationRange activation, const RunOptions& options) {
  const dnnl::engine& engine = onednn_engine();
  use_onednn_threads(options.threads);
  const Dims input_dims{g.batch, g.in_channels, g.in_h, g.in_w};
  const Dims output_dims{g.batch, g.out_channels, g.out_h, g.out_w};
  // OIHW data read as GOIHW: the same bytes, one group after the other.
  const Dims weight_dims = g.group == 1 ? Dims{g.out_channels, g.in_channels_per_group(), g.kernel_h, g.kernel_w}
                                        : Dims{g.group, g.out_channels_per_group(), g.in_channels_per_group(),
                                               g.kernel_h, g.kernel_w};
  const Tag weight_tag = g.group == 1 ? Tag::oihw : Tag::goihw;
  const memory::desc bias_desc = bias ? memory::desc({g.out_channels}, f32, Tag::x) : memory::desc();
  // oneDNN counts dilation from 0 (no gap), ONNX from 1.
  // Channels-last activations stay as they are (oneDNN's brgconv kernels run
  // on NHWC); NCHW ones go to whichever layout oneDNN prefers, reordered per run.
  const Tag user_tag = g.channels_last ? Tag::nhwc : Tag::nchw;
  const Tag activation_tag = g.channels_last ? Tag::nhwc : Tag::any;
  const dnnl::convolution_forward::desc description(
      dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct,
      memory::desc(input_dims, f32, activation_tag), memory::desc(weight_dims, f32, Tag::any), bias_desc,
      memory::desc(output_dims, f32, activation_tag),
      {g.stride_h, g.stride_w}, {g.dilation_h - 1, g.dilation_w - 1}, {g.pad_top, g.pad_left},
      {g.pad_bottom, g.pad_right});
  dnnl::primitive_attr attributes;
  attributes.set_post_ops(activation_post_ops(activation));
  attributes.set_scratchpad_mode(dnnl::scratchpad_mode::user);

  std::optional<dnnl::convolution_forward::primitive_desc> chosen;
  try {
    chosen.emplace(description, attributes, engine);
  } catch (const dnnl::error& error) {
    if (error.status == dnnl_unimplemented) return {};
    throw Error("convolution " + describe(g) + ": oneDNN rejected it: " + error.what());
  }

  auto conv = std::make_shared<OnednnConv>();
  conv->primitive = dnnl::convolution_forward(*chosen);
  conv->threads = options.threads;
  conv->stream.emplace(engine);
  const memory::desc input_desc(input_dims, f32, user_tag);
  const memory::desc output_desc(output_dims, f32, user_tag);
  conv->user_input = memory(input_desc, engine, DNNL_MEMORY_NONE);
  conv->user_output = memory(output_desc, engine, DNNL_MEMORY_NONE);

  memory user_weight({weight_dims, f32, weight_tag}, engine, const_cast<float*>(weight.data<float>()));
  memory packed_weight(chosen->weights_desc(), engine);
  dnnl::reorder(user_weight, packed_weight).execute(*conv->stream, user_weight, packed_weight);
  conv->arguments.emplace(DNNL_ARG_WEIGHTS, packed_weight);
  if (bias) {
    memory packed_bias(bias_desc, engine);
    const auto values = bias->values<float>();
    std::copy(values.begin(), values.end(), static_cast<float*>(packed_bias.get_data_handle()));
    conv->arguments.emplace(DNNL_ARG_BIAS, packed_bias);
  }
  conv->arguments.emplace(DNNL_ARG_SCRATCHPAD, memory(chosen->scratchpad_desc(), engine));
  if (chosen->src_desc() != input_desc) {
    conv->arguments.emplace(DNNL_ARG_SRC, memory(chosen->src_desc(), engine));
    conv->to_blocked.emplace(dnnl::reorder::primitive_desc(engine, input_desc, engine, chosen->src_desc()));
  } else {
    conv->arguments.emplace(DNNL_ARG_SRC, conv->user_input);
  }
  if (chosen->dst_desc() != output_desc) {
    conv->arguments.emplace(DNNL_ARG_DST, memory(chosen->dst_desc(), engine));
    conv->from_blocked.emplace(dnnl::reorder::primitive_desc(engine, chosen->dst_desc(), engine, output_desc));
  } else {
    conv->arguments.emplace(DNNL_ARG_DST, conv->user_output);
  }
  conv->stream->wait();
  return [conv](const KernelContext& context) {
    conv->run(context.input(0).data<float>(), context.output().data<float>());
  };
}

}  // namespace edgeport
