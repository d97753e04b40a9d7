"""The modules of a program's own project that it imports, read from the same commit.

A real program often imports its project's modules (`from model import Net`, `from .ops import
conv`, `import helper`). For the entries named in PROJECT, `build.py` follows the program's
imports through the repository at the entry's commit (and, for the fixed version, at the fix
commit): a module found beside the importing file, at the repository's root or, for a relative
import, in the importing file's package, is taken with the `__init__.py` of every package on its
way, and its own imports are followed in turn. Modules installed elsewhere (numpy, torch) are not
in the repository and are left alone. The files are written under `files/<id>.project/` (the
fixed version's under `files/<id>.fixed.project/`) at their paths in the repository, and the
manifest lists them in `project_files`; the program itself is not among them (it is
`files/<id>.py`), so a tool that wants the project's layout puts the program back at
`source_path` beside them.
"""
from __future__ import annotations

import ast
import contextlib
import posixpath
import shutil
import tempfile
from pathlib import Path

# entries whose program imports modules of its own project (ids of this set)
PROJECT = {
    "kerasresnet-steps-per-epoch-counts-samples",
    "spro-char-rnn-target-scalar",
    "pytorch-gan-dualgan-gp-alpha-per-pixel",
    "pytorch-gan-bicyclegan-d-lr-never-trained",
    "pytorch-vae-miwae-view-non-contiguous",
    "pytorch-examples-triplet-reshape-chw-before-totensor",
    "hwalsuklee-tf1-wgan-gp-slopes-axis",
    "carpedm20-tf1-dcgan-grayscale-c-dim",
    "wavenet-tf1-scalar-input-loses-batch-axis",
    "yolov3tf2-ignore-mask-mixes-images",
    "yolov3tf2-boxes-assume-square-grid",
    "mtpsl-mapfns-film-params-sized-for-three-tasks",
    "nn-playground-binarynet-pool-reads-channels-first-as-last",
    "shape-attentive-unet-eval-loss-mask-without-batch-axis",
    "tfexamples-nmt-distributed-global-batch-per-replica",
    "diffsinger-sdp-duration-ceil-has-no-gradient",
    "hvass-timeseries-target-shift-sign",
    "deepspeech-test-loop-no-eval",
    "concretedropout-softmax-into-cross-entropy",
    "yunyang-rpn-loss-divided-by-batch-count",
    "yunyang-yolov3-bn-tensor-as-python-bool",
    "retinanet-classification-head-zero-kernel",
    "retinanet-focal-normalizer-python-float",
    "retinanet-vgg-backbone-downloads-weights",
    "retinanet-resnet-download-reads-undefined-backbone",
    "segmodels-binary-focal-alpha-on-negatives",
    "segmodels-focal-loss-alpha-gamma-positional-swap",
    "segmodels-precision-recall-swapped",
    "segmodels-linknet-skip-filters-whole-shape",
    "tcn-residual-block-dropout-always-training",
    "tcn-skip-connections-add-of-one",
    "agegender-demo-predicts-without-faces",
    "agegender-fit-on-all-data-validates-on-part",
    "ssdkeras-ssd300-pooling-same-padding",
    "ssdkeras-ssd300-anchor-boxes-on-feature-maps",
    "ssdkeras-ssd300-aspect-ratio-order",
    "ssdkeras-ssd300-mean-channel-order",
    "ssdkeras-nms-iou-threshold-constant",
    "rainbow-terminal-target-distribution-zeroed",
    "rainbow-projection-drops-mass-on-exact-atoms",
    "simclr-train-loop-no-zero-grad",
    "simclr-labels-cuda-result-discarded",
    "simclr-info-nce-targets-ignore-removed-diagonal",
    "simclr-cross-entropy-float-targets",
    "wgan-gp-gradient-norm-over-channels",
    "wgan-mnist-normalize-three-channels",
    "pytorch-examples-wlm-inplace-update-on-leaf",
    "rasbt-mlbook-ch12-long-predictions",
    "ageron-tf1-reuse-wrong-hidden-layer",
    "ageron-tf1-dropout-training-flag-not-fed",
    "mrdbourke-cv-softmax-over-batch",
    "d2l-pytorch-train-eval-modes",
    "ageron-tf1-frozen-outputs-unused",
    "udacity-tf1-image-classification-test-is-train",
    "pkmital-tf1-vae-tanh-output-log-loss",
    "pkmital-tf1-resnet-bottleneck-width",
    "udacity-pytorch-part3-rgb-normalize-on-mnist",
    "udacity-pytorch-part4-rgb-normalize-on-fashion-mnist",
    "udacity-pytorch-part5-rgb-normalize-on-fashion-mnist",
    "pytorch-examples-wlm-nll-on-raw-scores",
    "pytorch-gan-ecgan-cycle-complement-wrong-pair",
    "pytorch-gan-munit-style-loss-wrong-target",
    "kuangliu-shufflenet-float-channels",
    "idinvert-discriminator-no-zero-grad",
    "wekws-executor-no-zero-grad",
    "multibench-validation-in-train-mode",
    "imvisible-running-loss-keeps-graph",
    "labelmodels-running-loss-keeps-graph",
    "udacity-tf1-face-gen-sample-channels",
    "pkmital-tf1-batchnorm-ema-updates-at-test",
    "hwalsuklee-tf1-infogan-continuous-code-softmax",
    "hwalsuklee-tf1-lsgan-mse-on-sigmoid",
    "hwalsuklee-tf1-wgan-critic-sigmoid",
    "hwalsuklee-tf1-dragan-penalty-on-sigmoid",
    "carpedm20-tf1-dcgan-loss-helper-returns-none",
    "tfexamples-densenet-regularization-divided-by-batch",
    "hocv-fcn8s-upsamples-backbone-not-head",
    "yolov3tf2-freeze-checks-wrong-flag",
    "faster-rcnn-demo-cat-boxes-with-1d-scores",
    "faster-rcnn-test-net-cat-boxes-with-1d-scores",
    "fl-mrcm-adversarial-term-item-added-to-loss",
    "yolo3-tiny-anchor-mask-skips-first-anchor",
    "kerasrl-ppo-clipped-objective-not-negated",
    "seg-masked-cce-masks-inputs",
    "seg-single-input-generator-skips-preprocessing",
    "yolo2-resize-height-width-swapped",
    "sgrvinod-eval-beam-true-division-index",
    "sgrvinod-train-pack-padded-unpacked-into-two",
    "dennybritz-tf1-flags-name-typo",
    "wavenet-tf1-gate-bias-assigned-to-wrong-name",
    "wavenet-tf1-get-shape-not-called",
    "td3-ddpg-critic-called-with-list",
    "td3-main-seed-undefined",
    "td3-main-float-options-without-type",
    "td3-target-noise-one-column",
    "spinningup-sac-q-params-chain-exhausted",
    "spinningup-td3-q-params-chain-exhausted",
    "kuangliu-preact-shortcut-from-activated-input",
    "kuangliu-vgg-classifier-is-pooling",
    "nanogpt-grad-accumulation-loss-not-divided",
    "pytorch-examples-wlm-eval-loss-one-target-too-many",
    "densenet-fcn-last-up-block-discarded",
    "densenet-fcn-classifier-output-overwritten",
    "densenet-bc-bottleneck-layers-not-halved",
    "mingpt-top-k-fills-small-positive-logit",
    "exelban-tf1-cifar-softmax-into-logits-loss",
    "agegender-get-model-returns-none",
    "caogang-wgan-gp-cifar-gradient-norm-over-channels",
    "kd-teacher-outputs-from-another-shuffle",
    "kd-teacher-compared-not-assigned",
    "kd-preresnet-teacher-thousand-classes",
    "capsnet-keras-length-sqrt-nan-gradient",
    "capsnet-tf1-reconstruction-weight-for-mean",
    "capsnet-tf1-routing-logits-summed-over-batch",
    "faceclass-image-test-preprocessed-face-dropped",
    "faceclass-kdef-faces-missing-channel-axis",
    "agegender-age-mae-int-arange",
}
# entries whose bug shows only where another file of the project uses the program (a model whose
# softmax output the training script feeds to a logits loss, a factory whose result the training
# script uses as a model): those importers are taken too, with the modules they import
IMPORTERS = {
    "exelban-tf1-cifar-softmax-into-logits-loss": ["train.py"],
    "agegender-get-model-returns-none": ["age_estimation/train.py"],
    "capsnet-keras-length-sqrt-nan-gradient": ["capsulenet.py"],
    "faceclass-kdef-faces-missing-channel-axis": ["src/train_emotion_classifier.py"],
    "agegender-age-mae-int-arange": ["age_estimation/train.py"],
}
# Not listed: the Keras examples (`examples/*.py` of keras-team/keras import the `keras` package of
# their own repository, which is the framework a user has installed, not a module of a script's
# project) and the PyTorch Geometric examples (the library itself, more than MAX_FILES modules).
MAX_FILES = 40  # a program that pulls in more than this is a framework, not a script's project


def imported(text: str) -> list[tuple[int, str, list[str]]]:
    """(level, module, names) of every import statement in `text` (nothing when it does not parse)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(0, a.name, []) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            out.append((node.level, node.module or "", [a.name for a in node.names]))
    return out


def candidates(path: str, level: int, module: str, names: list[str]) -> list[str]:
    """The repository paths an import in the file `path` could name, most likely first."""
    folder = posixpath.dirname(path)
    if level:
        base = folder
        for _ in range(level - 1):
            base = posixpath.dirname(base)
        bases = [base]
    else:
        bases = [folder, ""] if folder else [""]
    out = []
    for base in bases:
        stem = posixpath.join(base, *module.split(".")) if module else base
        out += [stem + ".py", posixpath.join(stem, "__init__.py")]
        out += [posixpath.join(stem, n + ".py") for n in names if n != "*"]
    return [p.lstrip("/") for p in out if p.strip("/")]


def packages_on_the_way(path: str, tree: set[str]) -> list[str]:
    """The `__init__.py` of each folder above `path` that has one, up to the first that has none."""
    out, folder = [], posixpath.dirname(path)
    while folder:
        init = posixpath.join(folder, "__init__.py")
        if init not in tree:
            break
        out.append(init)
        folder = posixpath.dirname(folder)
    return out


def project_files(read, tree: set[str], program: str, importers: tuple[str, ...] = ()) -> list[str]:
    """Repository paths of the project's modules `program` imports, directly or through them
    (and `importers`, files of the project that import `program`, with what they import).

    `read(path)` gives a file's text at the commit; `tree` is every path at the commit."""
    found: set[str] = set(packages_on_the_way(program, tree))
    for path in importers:
        if path in tree:
            found |= {path, *packages_on_the_way(path, tree)}
    todo = [program, *found]
    seen = {program}
    while todo:
        path = todo.pop()
        for level, module, names in imported(read(path)):
            for cand in candidates(path, level, module, names):
                if cand in tree and cand not in seen and cand != program:
                    seen.add(cand)
                    new = [cand, *packages_on_the_way(cand, tree)]
                    for p in new:
                        if p not in found and p != program:
                            found.add(p)
                            todo.append(p)
    if len(found) > MAX_FILES:
        raise SystemExit(f"{program}: {len(found)} project files (more than {MAX_FILES})")
    return sorted(found)


@contextlib.contextmanager
def in_project(root: Path, case: dict, version: str):
    """The path to check: `files/<id><version>.py`, or, for a program with project files, that
    program at its `source_path` in a temporary copy of its project (a checkout's root: the
    check puts it on sys.path, as running from the repository would). The fixed version's
    folder holds only the modules its fix changed."""
    program = root / "files" / f"{case['id']}{version}.py"
    listed = case.get("fixed_project_files" if version else "project_files")
    if not listed:
        yield str(program)
        return
    with tempfile.TemporaryDirectory(prefix="tl-realbug-") as tmp:
        for path in listed:
            own = root / "files" / f"{case['id']}{version}.project" / path
            source = own if own.is_file() else root / "files" / f"{case['id']}.project" / path
            (Path(tmp) / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, Path(tmp) / path)
        (Path(tmp) / ".git").mkdir()  # the root of a checkout, as the program's own repository has
        dest = (Path(tmp) / case["source_path"]).with_suffix(".py")  # (a notebook is stored as its Python text)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(program, dest)
        yield str(dest)
