"""Keras's `image_dataset_from_directory` over a folder that is not here: images made up, since the
call itself fixes their size (`image_size=`, 256x256 by default) and channels (`color_mode=`).
How many images and classes there are and their values are the check's choice (unless the program
names the classes, or `label_mode="binary"` makes them two) and differ between the two runs
(data_runs.py), so an error stands as the program's only when both runs raise it alike."""
from __future__ import annotations

import os
import sys

from .vision_data import CLASS_COUNTS, IMAGE_COUNTS

CHANNELS = {"rgb": 3, "grayscale": 1, "rgba": 4}
NAME = "image_dataset_from_directory"


def offline_image_folders(synth, tf) -> None:
    """Every place Keras exports the function gets one that makes up a missing folder's images."""
    made: dict[int, object] = {}
    for module in list(sys.modules.values()):
        if module is None or not str(getattr(module, "__name__", "")).startswith(("keras", "tensorflow")):
            continue
        try:
            fn = getattr(module, NAME, None)
        except Exception:  # noqa: BLE001 - a lazy module that cannot load
            continue
        if fn is None or getattr(fn, "_tensorlint_synthetic", False):
            continue
        made.setdefault(id(fn), stand_in(synth, tf, fn))
        try:
            setattr(module, NAME, made[id(fn)])
        except (AttributeError, TypeError):
            pass


def stand_in(synth, tf, original):
    def image_dataset_from_directory(directory, labels="inferred", label_mode="int", class_names=None,
                                     color_mode="rgb", batch_size=32, image_size=(256, 256), shuffle=True, seed=None,
                                     validation_split=None, subset=None, **kwargs):
        given = dict(labels=labels, label_mode=label_mode, class_names=class_names, color_mode=color_mode,
                     batch_size=batch_size, image_size=image_size, shuffle=shuffle, seed=seed,
                     validation_split=validation_split, subset=subset, **kwargs)
        folder = os.fspath(directory) if isinstance(directory, (str, os.PathLike)) else None
        if folder is None or os.path.exists(folder) or labels != "inferred" or color_mode not in CHANNELS \
                or label_mode not in ("int", "categorical", "binary", None) or subset == "both" or kwargs:
            return original(directory, **given)
        driver = synth.driver
        np = synth.np
        choice = int(driver.plan.get("data_choice") or 0)
        count = int(driver.plan.get("data_rows") or IMAGE_COUNTS[choice % len(IMAGE_COUNTS)])
        if class_names:
            names = [str(n) for n in class_names]
        else:
            names = [f"class{k}" for k in range(2 if label_mode == "binary" else CLASS_COUNTS[choice % len(CLASS_COUNTS)])]
        if validation_split and subset in ("training", "validation"):
            part = int(count * float(validation_split))
            count = part if subset == "validation" else count - part
        height, width = (int(v) for v in image_size)
        rng = np.random.default_rng([choice, count])
        images = (rng.random((count, height, width, CHANNELS[color_mode])) * 255).astype("float32")
        ids = np.arange(count) % len(names)
        if label_mode == "categorical":
            labels_out = np.eye(len(names), dtype="float32")[ids]
        elif label_mode == "binary":
            labels_out = ids.astype("float32").reshape(-1, 1)
        else:
            labels_out = ids.astype("int32")
        data = tf.data.Dataset.from_tensor_slices(images if label_mode is None else (images, labels_out))
        if batch_size is not None:
            data = data.batch(int(batch_size))
        data.class_names = names
        data.file_paths = [os.path.join(folder, names[k], f"{i}.jpg") for i, k in enumerate(ids)]
        synth.note(f"`{NAME}({folder!r})` (not here): {count} images of {height}x{width}, {CHANNELS[color_mode]} "
                   f"channels, in {len(names)} classes, made up, two ways", {"images": [count, height, width,
                                                                                     CHANNELS[color_mode]]})
        driver.emit("substituted", line=driver.current_line, file=folder, shape=[count, height, width,
                                                                                 CHANNELS[color_mode]],
                    rows=count, kind="images")
        return data

    image_dataset_from_directory._tensorlint_synthetic = True
    return image_dataset_from_directory
