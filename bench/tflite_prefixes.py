#!/usr/bin/env python3
"""Cuts a .tflite file into its operator prefixes, for timing each operator in
LiteRT, which has no per-operator profiler in its wasm build: prefix k runs the
first k operators and outputs what the k-th computes, so the difference of
two neighbouring prefixes' latencies is roughly that operator's time (plus
copying its output out, which grows with the output's size).

    bench/tflite_prefixes.py MODEL.tflite OUTDIR

Writes OUTDIR/<stem>_p1.tflite ... _pN.tflite and prints their paths, one
per line, each with the operator it ends on. Uses flatc and the project's own
TFLite schema (src/tflite/schema.fbs) to go through JSON and back.
"""
import copy
import json
import pathlib
import subprocess
import sys

SCHEMA = pathlib.Path(__file__).resolve().parent.parent / "src" / "tflite" / "schema.fbs"


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: tflite_prefixes.py MODEL.tflite OUTDIR")
    model = pathlib.Path(sys.argv[1])
    out = pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(["flatc", "--json", "--raw-binary", "--strict-json", "-o", str(out), str(SCHEMA), "--", str(model)],
                   check=True)
    whole = json.loads((out / (model.stem + ".json")).read_text())
    graph = whole["subgraphs"][0]
    operators = graph["operators"]
    for k in range(1, len(operators) + 1):
        prefix = copy.deepcopy(whole)
        cut = prefix["subgraphs"][0]
        cut["operators"] = operators[:k]
        last = operators[k - 1]["outputs"][0]
        cut["outputs"] = [last]
        for signature in prefix.get("signature_defs", []):
            signature["outputs"] = [{"name": "output", "tensor_index": last}]
        name = f"{model.stem}_p{k}"
        (out / (name + ".json")).write_text(json.dumps(prefix))
        subprocess.run(["flatc", "-b", "-o", str(out), str(SCHEMA), str(out / (name + ".json"))], check=True)
        (out / (name + ".json")).unlink()
        code = whole["operator_codes"][operators[k - 1].get("opcode_index", 0)]["builtin_code"]
        print(out / (name + ".tflite"), code, graph["tensors"][last]["name"])
    (out / (model.stem + ".json")).unlink()


if __name__ == "__main__":
    main()
