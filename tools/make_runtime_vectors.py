#!/usr/bin/python3
"""Writes tests/fixtures/runtime/: per-op test vectors computed by real
PyTorch, which tests/runtime/pytorch_vectors_test.cpp replays through
edgeport's runtime. Run with Debian's /usr/bin/python3 (torch + numpy):

  /usr/bin/python3 tools/make_runtime_vectors.py [--output-dir DIR]

One directory per case, named <Op>__<description> after the edgeport op:
  in0.npy            the graph input (float32)
  in1.npy, in2.npy   the node's further inputs, as constants, in order
  out.npy            PyTorch's result
  attr_<name>.npy    one attribute each: int64 0-d -> int, int64 1-d -> ints,
                     float64 0-d -> float, float64 1-d -> floats
Asymmetric padding, which PyTorch's layers cannot express, is computed as an
explicit F.pad followed by the unpadded op.
"""

import argparse
import pathlib
import shutil

import numpy as np
import torch
import torch.nn.functional as F


def ints(*values):
    return np.array(values, dtype=np.int64)


class Writer:
    def __init__(self, root):
        self.root = root
        self.generator = torch.Generator().manual_seed(20240611)

    def random(self, *shape, low=-1.0, high=1.0):
        return torch.rand(*shape, generator=self.generator) * (high - low) + low

    def case(self, name, inputs, output, **attrs):
        directory = self.root / name
        directory.mkdir(parents=True)
        for index, tensor in enumerate(inputs):
            np.save(directory / f"in{index}.npy", tensor.detach().numpy().astype(np.float32))
        np.save(directory / "out.npy", output.detach().numpy().astype(np.float32))
        for key, value in attrs.items():
            array = np.asarray(value)
            assert array.dtype in (np.int64, np.float64), (name, key, array.dtype)
            np.save(directory / f"attr_{key}.npy", array)


def pads_to_torch(pads):
    """edgeport [top, left, bottom, right] -> F.pad's (left, right, top, bottom)."""
    top, left, bottom, right = pads
    return (left, right, top, bottom)


def conv_cases(w):
    def conv(name, x_shape, out_channels, kernel, stride=(1, 1), pads=(0, 0, 0, 0), dilation=(1, 1), group=1,
             bias=True):
        x = w.random(*x_shape)
        weight = w.random(out_channels, x_shape[1] // group, *kernel)
        b = w.random(out_channels) if bias else None
        padded = F.pad(x, pads_to_torch(pads))
        y = F.conv2d(padded, weight, b, stride=stride, dilation=dilation, groups=group)
        inputs = [x, weight] + ([b] if bias else [])
        w.case(name, inputs, y, strides=ints(*stride), pads=ints(*pads), dilations=ints(*dilation),
               group=np.int64(group))

    conv("Conv__3x3_pad1", (1, 3, 7, 7), 4, (3, 3), pads=(1, 1, 1, 1))
    conv("Conv__stride2_asymmetric_pads", (1, 3, 8, 9), 5, (3, 3), stride=(2, 2), pads=(1, 0, 2, 1))
    conv("Conv__depthwise_dilated", (1, 4, 9, 9), 4, (3, 3), pads=(2, 2, 2, 2), dilation=(2, 2), group=4)
    conv("Conv__grouped_mixed_strides", (1, 6, 8, 10), 6, (3, 3), stride=(2, 1), pads=(1, 1, 1, 1), group=3)
    conv("Conv__depth_multiplier_no_bias", (1, 2, 7, 7), 4, (3, 3), stride=(2, 2), pads=(1, 1, 1, 1), group=2,
         bias=False)
    conv("Conv__5x5_stride3_dilation_batch2", (2, 3, 11, 11), 2, (5, 5), stride=(3, 3), pads=(2, 1, 2, 1),
         dilation=(1, 2))
    conv("Conv__pointwise", (1, 8, 5, 5), 3, (1, 1))


def pool_attrs(kernel, stride, pads, ceil_mode, **extra):
    return dict(kernel=ints(*kernel), strides=ints(*stride), pads=ints(*pads), ceil_mode=np.int64(ceil_mode), **extra)


def max_pool_cases(w):
    def max_pool(name, x_shape, kernel, stride, padding=0, dilation=1, ceil_mode=False):
        x = w.random(*x_shape)
        y = F.max_pool2d(x, kernel, stride, padding, dilation, ceil_mode=ceil_mode)
        w.case(name, [x], y, dilations=ints(dilation, dilation),
               **pool_attrs(kernel, stride, (padding,) * 4, int(ceil_mode)))

    max_pool("MaxPool__3x3_stride2_pad1", (1, 2, 9, 9), (3, 3), (2, 2), padding=1)
    max_pool("MaxPool__ceil_mode", (1, 2, 8, 8), (3, 3), (2, 2), ceil_mode=True)
    max_pool("MaxPool__ceil_pad_dilation", (1, 1, 10, 10), (3, 3), (2, 2), padding=1, dilation=2, ceil_mode=True)
    max_pool("MaxPool__2x2_odd_input", (1, 3, 7, 7), (2, 2), (2, 2))


def avg_pool_cases(w):
    def avg_pool(name, x_shape, kernel, stride, padding=0, ceil_mode=False, count_include_pad=True):
        x = w.random(*x_shape)
        y = F.avg_pool2d(x, kernel, stride, padding, ceil_mode=ceil_mode, count_include_pad=count_include_pad)
        w.case(name, [x], y, count_include_pad=np.int64(count_include_pad),
               **pool_attrs(kernel, stride, (padding,) * 4, int(ceil_mode)))

    avg_pool("AvgPool__include_pad", (1, 2, 7, 7), (3, 3), (2, 2), padding=1)
    avg_pool("AvgPool__exclude_pad", (1, 2, 7, 7), (3, 3), (2, 2), padding=1, count_include_pad=False)
    avg_pool("AvgPool__ceil_include_pad", (1, 1, 8, 8), (3, 3), (2, 2), padding=1, ceil_mode=True)
    avg_pool("AvgPool__ceil_exclude_pad", (1, 1, 8, 8), (3, 3), (2, 2), padding=1, ceil_mode=True,
             count_include_pad=False)
    avg_pool("AvgPool__ceil_past_edge_no_pad", (1, 2, 6, 6), (4, 4), (3, 3), ceil_mode=True)
    avg_pool("AvgPool__2x2", (2, 1, 6, 4), (2, 2), (2, 2))


def resize_cases(w):
    def resize_to(name, x_shape, size):
        x = w.random(*x_shape)
        w.case(name, [x], F.interpolate(x, size=size, mode="nearest"), sizes=ints(*size))

    def resize_by(name, x_shape, scales):
        x = w.random(*x_shape)
        y = F.interpolate(x, scale_factor=scales, mode="nearest")
        w.case(name, [x], y, scales=np.array(scales, dtype=np.float64))

    resize_to("Resize__sizes_up_uneven", (1, 2, 5, 7), (8, 11))
    resize_to("Resize__sizes_down", (1, 1, 9, 10), (4, 3))
    resize_to("Resize__sizes_double", (1, 1, 3, 4), (6, 8))
    resize_to("Resize__sizes_large_ratio", (1, 1, 7, 3), (50, 29))
    resize_by("Resize__scales_fractional", (1, 1, 4, 5), (2.5, 1.7))
    resize_by("Resize__scales_half", (1, 2, 9, 9), (0.5, 0.5))
    resize_by("Resize__scales_keep_extent", (1, 1, 3, 3), (1.3, 1.3))
    resize_by("Resize__scales_third", (1, 1, 7, 10), (1 / 3, 2 / 3))
    resize_by("Resize__scales_triple", (1, 1, 2, 3), (3.0, 3.0))


def other_cases(w):
    x = w.random(2, 3, 4, 5, low=-5, high=5)
    w.case("HardSwish__range", [x], F.hardswish(x))
    w.case("Sigmoid__range", [x], torch.sigmoid(x))
    gamma, beta, mean = w.random(3), w.random(3), w.random(3)
    variance = w.random(3, low=0.1, high=2.0)
    y = F.batch_norm(x, mean, variance, gamma, beta, training=False, eps=1e-3)
    w.case("BatchNorm__epsilon", [x, gamma, beta, mean, variance], y, epsilon=np.array([1e-3])[0])
    w.case("GlobalAveragePool__planes", [x], F.adaptive_avg_pool2d(x, 1))
    w.case("Mean__last_axes", [x], x.mean(dim=(2, 3), keepdim=False), axes=ints(2, 3), keepdims=np.int64(0))
    features = w.random(2, 3, 7)
    weight, bias = w.random(4, 7), w.random(4)
    w.case("Linear__batched_rows", [features, weight, bias], F.linear(features, weight, bias))


def slice_cases(w):
    """ONNX Slice semantics: negative positions count from the end, then clamp."""
    x = w.random(1, 4, 7, 7)
    w.case("Slice__residual_crop", [x], x[:, :, :-2, :-2], starts=ints(0, 0), ends=ints(-2, -2), axes=ints(2, 3))
    x = w.random(2, 3, 5, 6)
    w.case("Slice__clamped_negative_axes", [x], x[:, 1:-1, 0:3, -4:],
           starts=ints(-4, 1, -100), ends=ints(100, -1, 3), axes=ints(-1, 1, 2))
    x = w.random(3, 8)
    w.case("Slice__default_axes", [x], x[1:3, 2:7], starts=ints(1, 2), ends=ints(3, 7))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output-dir", type=pathlib.Path,
                        default=pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "runtime")
    args = parser.parse_args()
    if args.output_dir.exists():
        shutil.rmtree(args.output_dir)
    args.output_dir.mkdir(parents=True)
    torch.set_num_threads(1)
    writer = Writer(args.output_dir)
    conv_cases(writer)
    max_pool_cases(writer)
    avg_pool_cases(writer)
    resize_cases(writer)
    other_cases(writer)
    slice_cases(writer)
    print(f"wrote {sum(1 for _ in args.output_dir.iterdir())} cases to {args.output_dir}")


if __name__ == "__main__":
    main()
