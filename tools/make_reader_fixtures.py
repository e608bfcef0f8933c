#!/usr/bin/python3
"""Writes the checkpoint fixtures of tests/pytorch/ with real PyTorch.

Run with Debian's /usr/bin/python3 (it has torch):
    /usr/bin/python3 tools/make_reader_fixtures.py [output-dir]

For every checkpoint NAME.pt that edgeport must load, NAME.expected/ holds
keys.txt (one "name<TAB>dtype<TAB>file" line per tensor, in state_dict order,
names as edgeport reports them after unwrapping) and one .npy per tensor as
PyTorch itself loads it; bfloat16 tensors are stored as their int16 bit
patterns because .npy has no bfloat16. Files edgeport must refuse are written
too: the legacy format, TorchScript, files without tensors, and hostile
pickles written byte by byte (never by pickling a live callable).
"""

import collections
import io
import pathlib
import pickletools
import shutil
import struct
import sys
import zipfile

import numpy
import torch

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUTPUT = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests" / "fixtures" / "pytorch"
MARKER_DIR = "/tmp"  # the hostile commands would create /tmp/edgeport_pytorch_marker_<name>

DTYPE_NAMES = {
    torch.float32: "float32",
    torch.float16: "float16",
    torch.bfloat16: "bfloat16",
    torch.float64: "float64",
    torch.int64: "int64",
    torch.int32: "int32",
    torch.int16: "int16",
    torch.int8: "int8",
    torch.uint8: "uint8",
    torch.bool: "bool",
}


def write_expected(name, tensors):
    """tensors: (name, tensor) pairs as edgeport must report them."""
    folder = OUTPUT / f"{name}.expected"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    lines = []
    for index, (key, tensor) in enumerate(tensors):
        tensor = tensor.detach().contiguous()
        array = tensor.view(torch.int16).numpy() if tensor.dtype == torch.bfloat16 else tensor.numpy()
        numpy.save(folder / f"{index}.npy", array)
        lines.append(f"{key}\t{DTYPE_NAMES[tensor.dtype]}\t{index}.npy")
    (folder / "keys.txt").write_text("\n".join(lines) + "\n")


def raw_bytes(tensor):
    tensor = tensor.detach().contiguous().reshape(-1)
    if tensor.dtype == torch.bfloat16:
        tensor = tensor.view(torch.int16)
    return tensor.numpy().tobytes()


def check_torch_loads(path, expected, path_to_state=(), prefix=""):
    """Real PyTorch is the oracle: torch.load must give exactly the expected
    tensors under checkpoint[path_to_state...], named prefix + name; other
    entries there are not tensors and edgeport skips them."""
    loaded = torch.load(path, map_location="cpu")
    for key in path_to_state:
        loaded = loaded[key]
    loaded = {name: value for name, value in loaded.items() if isinstance(value, torch.Tensor)}
    assert len(loaded) == len(expected), f"{path}: {len(loaded)} entries, expected {len(expected)}"
    for (name, value), (key, tensor) in zip(loaded.items(), expected):
        assert name == prefix + key, f"{path}: {name} where {prefix + key} was expected"
        assert value.dtype == tensor.dtype and value.shape == tensor.shape, f"{path}: {key} has another type"
        assert raw_bytes(value) == raw_bytes(tensor), f"{path}: {key} differs"


def save_fixture(name, obj, expected, path_to_state=(), prefix="", **save_options):
    path = OUTPUT / f"{name}.pt"
    torch.save(obj, path, **save_options)
    write_expected(name, expected)
    check_torch_loads(path, expected, path_to_state, prefix)


class Student(torch.nn.Module):
    """A small conv net shaped like the user's detector: conv, BN, ReLU, pool, linear."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 4, kernel_size=3, padding=1)
        self.bn = torch.nn.BatchNorm2d(4)
        self.fc = torch.nn.Linear(4, 2)

    def forward(self, x):
        x = torch.relu(self.bn(self.conv(x)))
        return self.fc(x.mean(dim=(2, 3)))


class Wrapper(torch.nn.Module):
    """The user's training wrapper: the student lives under `.model`."""

    def __init__(self, model):
        super().__init__()
        self.model = model


def trained_student():
    torch.manual_seed(7)
    student = Student()
    optimizer = torch.optim.Adam(student.parameters(), lr=1e-3)
    student.train()
    loss = student(torch.randn(2, 3, 8, 8)).square().mean()
    loss.backward()
    optimizer.step()
    return student, optimizer


def dtype_fixtures():
    special = [0.0, -0.0, 1.5, -2.25, float("inf"), float("-inf"), float("nan"), 1e-7, 3.0e5, -65504.0, 0.1, 1 / 3]
    for dtype, name in DTYPE_NAMES.items():
        if dtype.is_floating_point:
            values = torch.tensor(special, dtype=torch.float64).to(dtype).reshape(3, 4)
        elif dtype == torch.bool:
            values = torch.tensor([[True, False, True], [False, False, True]])
        else:
            info = torch.iinfo(dtype)
            values = torch.tensor([info.min, info.max, 0, 1, -1 if info.min < 0 else 2, 7], dtype=dtype).reshape(2, 3)
        scalar = values.reshape(-1)[3].clone()
        expected = [("values", values), ("scalar", scalar)]
        save_fixture(f"dtype_{name}", collections.OrderedDict(expected), expected)


def view_fixtures():
    base = torch.arange(48, dtype=torch.float32).reshape(6, 8) * 0.5
    shared = torch.arange(10, dtype=torch.int32)
    big = torch.arange(100, dtype=torch.float64)
    expected = [
        ("base", base),
        ("transposed", base.t()),
        ("offset_slice", base[2:5, 3:7]),
        ("strided_columns", base[:, ::3]),
        ("row", base[4]),
        ("element", base[5, 6]),
        ("shared_full", shared),
        ("shared_tail", shared[6:]),
        ("shared_pairs", shared.view(5, 2)[1:4]),
        ("expanded", torch.arange(3, dtype=torch.int64).expand(4, 3)),
        ("permuted", torch.arange(24, dtype=torch.int16).reshape(2, 3, 4).permute(2, 0, 1)),
        ("narrow_of_big", big.narrow(0, 90, 5)),
        ("empty", torch.zeros(0, 3)),
    ]
    assert expected[1][1].data_ptr() == base.data_ptr() and not expected[1][1].is_contiguous()
    save_fixture("views", collections.OrderedDict(expected), expected)


def student_state(prefix=""):
    student, optimizer = trained_student()
    state = collections.OrderedDict((prefix + key, value) for key, value in student.state_dict().items())
    return student, optimizer, state


def protocol_and_wrapper_fixtures():
    student, optimizer, state = student_state()
    expected = list(student.state_dict().items())
    metrics = {
        "val_auc": 0.9375,
        "history": [0.5, 0.75, {"epoch": 2, "loss": 0.125}],
        "name": "student-ünïcode",
        "best": None,
        "flags": (True, False),
        "huge": 2**70,
        "negative": -123456789012,
        "raw": b"\x00\xff\x10",
        "classes": {1, 2, 3},
        "frozen": frozenset({"a"}),
        "dtype": torch.float16,
        "shape": torch.Size([1, 3, 256, 256]),
    }
    checkpoint = {
        "epoch": 7,
        "state_dict": state,
        "optimizer": optimizer.state_dict(),
        "metrics": metrics,
        "best_acc": 0.91,
    }
    for protocol in (2, 3, 4, 5):
        save_fixture(f"protocol_{protocol}", checkpoint, expected, ["state_dict"], pickle_protocol=protocol)

    _, _, dataparallel_state = student_state("module.")
    save_fixture("wrapped_model_state_dict",
                 {"model_state_dict": dataparallel_state, "optimizer_state_dict": optimizer.state_dict(),
                  "epoch": 3, "loss": 0.25}, expected, ["model_state_dict"], "module.")
    wrapper_state = Wrapper(student).state_dict()
    assert next(iter(wrapper_state)).startswith("model.")
    save_fixture("wrapped_model", {"model": wrapper_state, "args": {"lr": 1e-3, "tags": ["kd", "student"]}},
                 expected, ["model"], "model.")
    nested = torch.nn.DataParallel(Wrapper(student)).state_dict()
    assert next(iter(nested)).startswith("module.model.")
    save_fixture("wrapped_net", {"net": nested, "acc": 90.5}, expected, ["net"], "module.model.")
    save_fixture("wrapped_twice", {"model": {"state_dict": nested}, "epoch": 1}, expected,
                 ["model", "state_dict"], "module.model.", pickle_protocol=4)
    save_fixture("prefixed_plain", nested, expected, prefix="module.model.")

    parameters = collections.OrderedDict(
        [("weight", torch.nn.Parameter(torch.linspace(-1, 1, 6).reshape(2, 3))),
         ("bias", torch.nn.Parameter(torch.tensor([0.5, -0.5]), requires_grad=False))])
    save_fixture("parameters", parameters, [(key, value.detach()) for key, value in parameters.items()])


def location_fixture():
    student, _, state = student_state()
    original = torch.serialization.location_tag
    torch.serialization.location_tag = lambda storage: "cuda:0"
    try:
        path = OUTPUT / "cuda_tagged.pt"
        torch.save(state, path)
    finally:
        torch.serialization.location_tag = original
    with zipfile.ZipFile(path) as archive:
        assert b"cuda:0" in archive.read(archive.namelist()[0])
    expected = list(student.state_dict().items())
    write_expected("cuda_tagged", expected)
    check_torch_loads(path, expected)


def refused_fixtures():
    student, _, state = student_state()
    torch.save(state, OUTPUT / "legacy.pt", _use_new_zipfile_serialization=False)
    torch.save(state, OUTPUT / "legacy_protocol_4.pt", _use_new_zipfile_serialization=False, pickle_protocol=4)
    torch.jit.save(torch.jit.script(student.eval()), OUTPUT / "torchscript.pt")
    torch.save({"epoch": 1, "loss": 0.5, "notes": ["no", "weights"]}, OUTPUT / "no_tensors.pt")
    torch.save([torch.ones(2)], OUTPUT / "top_level_list.pt")


# Hand-written pickles ----------------------------------------------------------

def unicode(text):
    data = text.encode()
    return b"X" + struct.pack("<I", len(data)) + data


def global_op(module, name):
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"


def marker(name):
    return f"{MARKER_DIR}/edgeport_pytorch_marker_{name}"


def tensor_entry(key, storage_key, numel):
    """`key: torch.arange(numel) as float32 in storage data/<storage_key>`, as torch.save spells it."""
    return (unicode(key) + global_op("torch._utils", "_rebuild_tensor_v2")
            + b"((" + unicode("storage") + global_op("torch", "FloatStorage") + unicode(storage_key)
            + unicode("cpu") + b"K" + bytes([numel]) + b"tQ"
            + b"K\x00K" + bytes([numel]) + b"\x85K\x01\x85\x89"
            + global_op("collections", "OrderedDict") + b")Rt" + b"R")


def handwritten_state_dict(extra=b""):
    """{'weight': tensor, <extra key/value pairs>} with an otherwise valid torch.save layout."""
    return b"\x80\x02}(" + tensor_entry("weight", "0", 4) + extra + b"u."


def write_zip(name, pickle_bytes, numel=4):
    pickletools.dis(pickle_bytes, out=io.StringIO())  # parses, never executes
    path = OUTPUT / f"{name}.pt"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for record, data in (("archive/data.pkl", pickle_bytes),
                             ("archive/data/0", numpy.arange(numel, dtype="<f4").tobytes()),
                             ("archive/version", b"3\n")):
            archive.writestr(zipfile.ZipInfo(record, date_time=(1980, 1, 1, 0, 0, 0)), data)
    return path


def hostile_fixtures():
    benign = write_zip("handwritten_benign", handwritten_state_dict(
        unicode("meta") + b"}" + unicode("x") + unicode("harmless") + b"s"))
    # torch.load is safe on this one: it only names OrderedDict and _rebuild_tensor_v2.
    expected = [("weight", torch.arange(4, dtype=torch.float32))]
    write_expected("handwritten_benign", expected)
    check_torch_loads(benign, expected)

    def call(module, name, argument_tuple):
        return global_op(module, name) + argument_tuple + b"R"

    command = lambda name: unicode(f"touch {marker(name)}") + b"\x85"
    payloads = {
        "evil_os_system": call("os", "system", command("evil_os_system")),
        "evil_posix_system": call("posix", "system", command("evil_posix_system")),
        "evil_builtins_eval": call("builtins", "eval",
                                   unicode(f"open('{marker('evil_builtins_eval')}', 'w')") + b"\x85"),
        "evil_builtins_exec": call("builtins", "exec",
                                   unicode(f"open('{marker('evil_builtins_exec')}', 'w').close()") + b"\x85"),
        "evil_subprocess_popen": call("subprocess", "Popen",
                                      b"(]" + b"(" + unicode("touch") + unicode(marker("evil_subprocess_popen"))
                                      + b"et"),
    }
    for name, payload in payloads.items():
        write_zip(name, b"\x80\x02" + payload + b".")

    # Protocol 4 names globals from strings on the stack.
    write_zip("evil_stack_global", b"\x80\x04\x8c\x02os\x8c\x06system\x93"
              + command("evil_stack_global") + b"R.")
    # INST imports module.name and calls it on the items above the MARK.
    write_zip("evil_inst", b"\x80\x02(" + unicode(f"touch {marker('evil_inst')}") + b"ios\nsystem\n.")
    # OBJ calls the first item above the MARK with the rest.
    write_zip("evil_obj", b"\x80\x02(" + global_op("os", "system")
              + unicode(f"touch {marker('evil_obj')}") + b"o.")
    write_zip("evil_obj_allowed_class", b"\x80\x02(" + global_op("collections", "OrderedDict") + b"o.")
    # The same valid state_dict as handwritten_benign, with the call hidden in a nested dict.
    write_zip("evil_nested", handwritten_state_dict(
        unicode("meta") + b"}" + unicode("x") + call("os", "system", command("evil_nested")) + b"s"))


def main():
    OUTPUT.mkdir(parents=True, exist_ok=True)
    dtype_fixtures()
    view_fixtures()
    protocol_and_wrapper_fixtures()
    location_fixture()
    refused_fixtures()
    hostile_fixtures()
    print(f"wrote {len(list(OUTPUT.glob('*.pt')))} checkpoints to {OUTPUT}")


if __name__ == "__main__":
    main()
