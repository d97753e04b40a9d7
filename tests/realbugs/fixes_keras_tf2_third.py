"""A third round of Keras / tf.keras / TF2 bugs from public fix commits, taken in the order the
repositories' histories gave them (not chosen for being detectable); appended after every other
entry. Same fields as `KERAS_TF2_FIXES` in fixes_keras_tf2.py.

Every commit of these repositories whose message says fix/bug/wrong/incorrect and whose diff
changes model, loss, metric or training code was read. Left out on reading: changes that follow a
framework's new release (keras-tcn 9288faa, 1f4355c, f4ada6a), a consistently misspelled name
that runs (segmentation_models 886a545), a rewrite of a whole example (jacobgil/keras-dcgan
7d9cabe), refactorings without a changed result (keras-retinanet 555b696), and
hunkim/DeepLearningZeroToAll, whose fixes (plain lists given to `fit`, a model never fitted) came
first but whose repository has no license file.
"""
from __future__ import annotations

APACHE = "Apache-2.0"
MIT = "MIT"

YUNYANG = "YunYang1994/TensorFlow2.0-Examples"
RETINA = "fizyr/keras-retinanet"
SEGM = "qubvel/segmentation_models"
TCN = "philipperemy/keras-tcn"

LICENSES = {YUNYANG: MIT, RETINA: APACHE, SEGM: MIT, TCN: MIT}

KERAS_TF2_THIRD = [
    dict(id="yunyang-rpn-loss-divided-by-batch-count", repo=YUNYANG,
         path="4-Object_Detection/RPN/train.py", fix="3cc33e9",
         framework="tf", category="SCALING",
         line=(r"/ np\.sum\(foreground_background_mask\)$", 1),
         alt=[(r"/ np\.sum\(foreground_mask\)$", 1)],
         description="The RPN loss sums each image's masked anchor losses (axis=[1,2,3]) but divides by the "
                     "number of masked anchors of the whole batch, so each image's loss is scaled down by the "
                     "batch and the mean over images is wrong; the fix divides by each image's own count."),
    dict(id="yunyang-yolov3-bn-tensor-as-python-bool", repo=YUNYANG,
         path="4-Object_Detection/YOLOV3/core/common.py", fix="c882a47",
         framework="tf", category="WIRING", line=(r"if not training:", 1), alt=[],
         description="The frozen BatchNormalization's call tests `if not training:`, but Keras passes the "
                     "training flag as a tensor in graph mode, where using a tf.Tensor as a Python bool raises; "
                     "the fix only replaces a Python False."),
    dict(id="retinanet-classification-head-zero-kernel", repo=RETINA,
         path="keras_retinanet/models/retinanet.py", fix="3c2aa83",
         framework="keras", category="INIT",
         line=(r"kernel_initializer=keras\.initializers\.zeros\(\),", 1), alt=[],
         description="The last convolution of the classification subnet starts with an all-zero kernel "
                     "(issue 712: the head does not train); the fix draws it from a normal distribution with "
                     "stddev 0.01, as the paper does."),
    dict(id="retinanet-focal-normalizer-python-float", repo=RETINA,
         path="keras_retinanet/losses.py", fix="4d461b4",
         framework="keras", category="DTYPE",
         line=(r"normalizer = keras\.backend\.maximum\(1\.0, normalizer\)", 1), alt=[],
         description="The focal loss takes maximum(1.0, normalizer): with floatx float16 the Python float "
                     "becomes a float32 tensor and the op fails on mixed dtypes; the fix casts 1.0 to floatx."),
    dict(id="retinanet-vgg-backbone-downloads-weights", repo=RETINA,
         path="keras_retinanet/models/vgg.py", fix="42e3cf0",
         framework="keras", category="WIRING",
         line=(r"vgg = keras\.applications\.VGG16\(input_tensor=inputs, include_top=False\)", 1),
         alt=[(r"vgg = keras\.applications\.VGG19\(input_tensor=inputs, include_top=False\)", 1)],
         description="The VGG backbone is built with keras.applications' default weights='imagenet', so the "
                     "ImageNet weights are downloaded and loaded even with --no-weights (the weights are "
                     "loaded by the training script afterwards); the fix passes weights=None."),
    dict(id="retinanet-resnet-download-reads-undefined-backbone", repo=RETINA,
         path="keras_retinanet/models/resnet.py", fix="be1c9de",
         framework="keras", category="WIRING",
         line=(r"depth = int\(backbone\.replace\('resnet', ''\)\)", 1), alt=[],
         description="ResNetBackbone.download_imagenet reads `backbone`, a name bound nowhere in the method "
                     "(NameError); the fix reads the attribute self.backbone."),
    dict(id="segmodels-binary-focal-alpha-on-negatives", repo=SEGM,
         path="segmentation_models/base/functional.py", fix="d71189c",
         framework="keras", category="ACTIVATION_LOSS",
         line=(r"loss_0 = - \(1 - gt\) \* \(alpha \*", 1), alt=[],
         description="The binary focal loss weights the negative term with alpha as well as the positive one, "
                     "so alpha no longer balances the classes; the fix weights negatives with 1 - alpha."),
    dict(id="segmodels-focal-loss-alpha-gamma-positional-swap", repo=SEGM,
         path="segmentation_models/losses.py", fix="d71189c",
         framework="keras", category="WIRING", line=(r"^            self\.alpha,$", 1),
         alt=[(r"return F\.binary_focal_loss\(gt, pr, self\.alpha, self\.gamma", 1)],
         description="CategoricalFocalLoss and BinaryFocalLoss pass (self.alpha, self.gamma) by position to "
                     "functions whose parameters are (gamma, alpha), so alpha=0.25 becomes the focusing "
                     "exponent and gamma=2 the class weight; the fix passes them by keyword."),
    dict(id="segmodels-precision-recall-swapped", repo=SEGM,
         path="segmentation_models/base/functional.py", fix="687b632",
         framework="keras", category="WIRING",
         line=(r"fn = backend\.sum\(gt, axis=axes\) - tp", 2),
         alt=[(r"fp = backend\.sum\(pr, axis=axes\) - tp", 2)],
         description="precision divides by tp + fn and recall by tp + fp, so each metric reports the other; "
                     "the fix swaps the false-positive and false-negative counts."),
    dict(id="segmodels-linknet-skip-filters-whole-shape", repo=SEGM,
         path="segmentation_models/models/linknet.py", fix="883adef",
         framework="keras", category="SHAPE",
         line=(r"output_filters = backend\.int_shape\(skip\) if skip else filters", 1), alt=[],
         description="The LinkNet transpose decoder block takes the skip tensor's whole int_shape tuple as its "
                     "filter count (and tests the tensor with `if skip`); the fix takes the channel axis and "
                     "compares with None."),
    dict(id="tcn-residual-block-dropout-always-training", repo=TCN,
         path="tcn/tcn.py", fix="fe22c49",
         framework="keras", category="TRAINING_LOOP",
         line=(r"x1 = layer\(x1, training=True\) if training_flag else layer\(x1\)", 1), alt=[],
         description="The residual block calls its dropout and normalization layers with training=True, so "
                     "dropout stays on and batch statistics are used at inference; the fix passes the block's "
                     "own training flag."),
    dict(id="tcn-skip-connections-add-of-one", repo=TCN,
         path="tcn/tcn.py", fix="3bca91a",
         framework="keras", category="SHAPE",
         line=(r"x = layers\.add\(self\.skip_connections, name='Add_Skip_Connections'\)", 1), alt=[],
         description="With a single dilation (dilations=[1], one stack) the skip connections are one tensor, and "
                     "layers.add of a one-element list raises (a merge layer needs at least 2 inputs); the fix "
                     "uses the tensor itself."),
]
