"""A fifth round of Keras bugs from public fix commits, taken in the order the repositories'
histories gave them (not chosen for being detectable); appended after every other entry. Same
fields as `KERAS_TF2_FIXES` in fixes_keras_tf2.py.

Every commit of these two repositories whose message says fix/bug/wrong/correct and whose diff
changes model, loss, data-feeding or training code was read. Left out on reading: ports to a newer
Keras API (keras-resnet's `BatchNormalization(mode=0)` and `_keras_shape` removals, DenseNet's
private backend imports and `keras_applications` paths), keras-resnet's pre-activation rewrite
(d29048d, a refactoring with regularization added, no one line at fault), DenseNet's module-level
`concat_axis` moved into each function (2be4333: the same value unless the ordering changes after
import), its dense-block concatenation (92ab78d: `concatenate([x, cb])` and `concatenate(x_list)` hold
the same maps), the CIFAR scripts' changed hyperparameters and augmentation, and its weight files.
"""
from __future__ import annotations

MIT = "MIT"

RESNET = "raghakot/keras-resnet"
DENSENET = "titu1994/DenseNet"

LICENSES = {RESNET: MIT, DENSENET: MIT}

KERAS_FIFTH = [
    dict(id="kerasresnet-bottleneck-first-conv-3x3", repo=RESNET,
         path="resnet.py", fix="5e9bcca",
         framework="keras", category="SHAPE",
         line=(r"conv_1_1 = _bn_relu_conv\(filters=filters, kernel_size=\(3, 3\),", 1), alt=[],
         description="The bottleneck block's first convolution uses a 3x3 kernel where the bottleneck "
                     "design reduces channels with a 1x1 convolution (the first block of the first layer "
                     "already does); the fix uses kernel_size=(1, 1)."),
    dict(id="kerasresnet-steps-per-epoch-counts-samples", repo=RESNET,
         path="cifar10.py", fix="19babe3",
         framework="keras", category="TRAINING_LOOP",
         line=(r"steps_per_epoch=X_train\.shape\[0\],", 1), alt=[],
         description="fit_generator is given steps_per_epoch=X_train.shape[0], the number of samples, while "
                     "each step draws a batch of batch_size from datagen.flow, so one 'epoch' runs 32 passes "
                     "over the data; the fix divides by batch_size."),
    dict(id="densenet-conv-keyword-typo", repo=DENSENET,
         path="densenet.py", fix="c472c15",
         framework="keras", category="WIRING",
         line=(r'border_mode="same", ias=False,', 1), alt=[],
         description="The conv block passes `ias=False` to Convolution2D, a keyword Keras does not know, so "
                     "building the layer raises a TypeError; the fix spells bias=False."),
    dict(id="densenet-default-reduction-fails-assertion", repo=DENSENET,
         path="densenet.py", fix="5294471",
         framework="keras", category="HYPERPARAMETER",
         line=(r"assert reduction <= 1\.0 and reduction > 0\.0", 1), alt=[],
         description="create_dense_net asserts 0 < reduction <= 1 while its default is reduction=0.0 (no "
                     "compression), so every call that keeps the default fails; the fix asserts only when "
                     "reduction is not 0."),
    dict(id="densenet-fcn-last-up-block-discarded", repo=DENSENET,
         path="densenet.py", fix="5ac46ce",
         framework="keras", category="LAYER_IGNORES_INPUT",
         line=(r"_, nb_filter, concat_list = __dense_block\(x, nb_layers\[nb_dense_block \+ block_idx \+ 1\]", 1),
         alt=[(r"use_bias=False\)\(x\)$", 1)],
         description="The FCN's upsampling dense blocks discard the block's output (`_, nb_filter, "
                     "concat_list = ...`), so the classifier convolution reads the block's input and the last "
                     "dense block is not connected; the fix keeps it as x_up and convolves x_up."),
    dict(id="densenet-fcn-classifier-output-overwritten", repo=DENSENET,
         path="densenet.py", fix="3501c7e",
         framework="keras", category="LAYER_IGNORES_INPUT",
         line=(r"^            x = x_up$", 1), alt=[(r"^    return x$", 5)],
         description="With channels-last data, `x = x_up` overwrites the classifier convolution's output, "
                     "so the FCN's head reshapes the last block's features instead of the class maps, and "
                     "without the top the model returns x instead of x_up; the fix sets x = x_up only when "
                     "include_top is False."),
    dict(id="densenet-bc-bottleneck-layers-not-halved", repo=DENSENET,
         path="densenet.py", fix="c197321",
         framework="keras", category="SHAPE",
         line=(r"count = int\(\(depth - 4\) / 3\)", 1), alt=[],
         description="With bottleneck layers each dense-block layer holds two convolutions, so a "
                     "DenseNet-BC of the given depth needs half as many layers per block; the count is not "
                     "halved and the network is twice as deep as asked; the fix halves it."),
    dict(id="densenet-default-one-dense-block", repo=DENSENET,
         path="densenet.py", fix="8f67191",
         framework="keras", category="HYPERPARAMETER",
         line=(r"def create_dense_net\(nb_classes, img_dim, depth=40, nb_dense_block=1,", 1), alt=[],
         description="create_dense_net's default is one dense block, while its layer count "
                     "(depth - 4) / 3 assumes the three blocks of the CIFAR DenseNet; the fix makes the "
                     "default nb_dense_block=3."),
]
