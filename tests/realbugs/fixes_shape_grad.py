"""Shape and gradient-path bugs from fix commits (same fields as FIXES in build.py).

The bugs the shape-comparison codes (TL208-TL212) and the gradient-path codes (TL412, TL413)
are about: a concatenation of tensors of different ranks, a matrix product whose inner sizes
differ. Each buggy program is the file at the fix commit's parent; `build.py` appends these
entries after all others. An entry is here because the program has the bug, whether or not
tensorlint finds it.
"""
from __future__ import annotations

LICENSES = {
    "jwyang/faster-rcnn.pytorch": "MIT",
    "VICO-UoE/MTPSL": "MIT",
    "guopengf/FL-MRCM": "MIT",
    "DingKe/nn_playground": "MIT",
    "pytorch/examples": "BSD-3-Clause",
    "keras-team/keras": "Apache-2.0",
    "sunjesse/shape-attentive-unet": "BSD-3-Clause",
    "getcrest/All-Conv-Keras": "MIT",
    "openvpi/DiffSinger": "Apache-2.0",
    "tum-pbs/pbdl-book": "Apache-2.0",
    "mrdbourke/tensorflow-deep-learning": "MIT",
}

SHAPE_GRAD_FIXES = [
    dict(id="faster-rcnn-demo-cat-boxes-with-1d-scores", repo="jwyang/faster-rcnn.pytorch",
         path="demo.py", fix="e6d7a7d",
         framework="torch", category="SHAPE",
         line=(r"cls_dets = torch\.cat\(\(cls_boxes, cls_scores\), 1\)", 1),
         alt=[(r"cls_scores = scores\[:,j\]\[inds\]", 1)],
         description="cls_scores = scores[:, j][inds] is 1-D while cls_boxes is [K, 4], so torch.cat along "
                     "dim 1 fails on the ranks (an error on PyTorch 0.3.1, issue #78); the fix concatenates "
                     "cls_scores.unsqueeze(1)."),
    dict(id="faster-rcnn-test-net-cat-boxes-with-1d-scores", repo="jwyang/faster-rcnn.pytorch",
         path="test_net.py", fix="6708662",
         framework="torch", category="SHAPE",
         line=(r"cls_dets = torch\.cat\(\(cls_boxes, cls_scores\), 1\)", 1),
         alt=[(r"cls_scores = scores\[:,j\]\[inds\]", 1)],
         description="The evaluation script has the same bug as demo.py: the 1-D per-class scores are "
                     "concatenated with the [K, 4] boxes along dim 1; the fix unsqueezes the scores."),
    dict(id="mtpsl-mapfns-film-params-sized-for-three-tasks", repo="VICO-UoE/MTPSL",
         path="model/mapfns.py", fix="e9d8859",
         framework="torch", category="SHAPE",
         line=(r"self\.gamma = nn\.Parameter\(torch\.ones\(planes, 6\)\)", 1),
         alt=[(r"gamma = torch\.mm\(A_taskpair, self\.gamma\.t\(\)\)", 1),
              (r"self\.beta = nn\.Parameter\(torch\.zeros\(planes, 6\)\)", 1)],
         description="The task-pair FiLM parameters are sized for 3 tasks (6 ordered pairs), but on "
                     "Cityscapes (2 tasks) A_taskpair is [1, 2], so torch.mm(A_taskpair, gamma.t()) "
                     "multiplies 1x2 by 6x64 and raises (issue #3); the fix sizes them "
                     "num_tasks * (num_tasks - 1)."),
    dict(id="fl-mrcm-adversarial-term-item-added-to-loss", repo="guopengf/FL-MRCM",
         path="models/recon_Update.py", fix="7769f40",
         framework="torch", category="NO_GRADIENT",
         line=(r"loss_adv_g = loss_adv_g\.detach\(\)\.item\(\)", 1),
         alt=[(r"loss = L1_loss \+ loss_adv_g", 1)],
         description="The reconstruction network's adversarial term is turned into a float with "
                     ".detach().item() (to log it) before it is added to the L1 loss that is backpropagated, "
                     "so the adversarial term never trains the network (issue #10); the fix detaches only "
                     "the logged copy."),
    dict(id="nn-playground-binarynet-pool-reads-channels-first-as-last", repo="DingKe/nn_playground",
         path="binarynet/mnist_cnn.py", fix="e4f3d0b",
         framework="keras", category="SHAPE",
         line=(r"model\.add\(MaxPooling2D\(pool_size=pool_size, name='pool2'\)\)", 1),
         alt=[(r"model\.add\(MaxPooling2D\(pool_size=pool_size, name='pool4'\)\)", 1)],
         description="The convolutions are channels_first ([N, 128, 28, 28]) but the max-pooling layers use "
                     "the default channels_last, so they pool over channels and height ([N, 64, 14, 28]) "
                     "instead of height and width; the fix gives the pooling layers data_format="
                     "'channels_first'."),
    dict(id="pytorch-examples-dcgan-d-output-column-vs-label-vector", repo="pytorch/examples",
         path="dcgan/main.py", fix="9012fae",
         framework="torch", category="SHAPE",
         line=(r"return output\.view\(-1, 1\)$", 1),
         alt=[(r"errD_real = criterion\(output, labelv\)", 1)],
         description="The discriminator returns output.view(-1, 1), a [N, 1] column, while the label is a "
                     "[N] vector (torch.FloatTensor(batchSize)); nn.BCELoss gets input and target of different "
                     "shapes (a deprecation warning that became a ValueError); the fix returns "
                     "output.view(-1, 1).squeeze(1)."),
    dict(id="pytorch-examples-actor-critic-cat-of-scalar-losses", repo="pytorch/examples",
         path="reinforcement_learning/actor_critic.py", fix="4ef2d4d",
         framework="torch", category="SHAPE",
         line=(r"loss = torch\.cat\(policy_losses\)\.sum\(\) \+ torch\.cat\(value_losses\)\.sum\(\)", 1),
         alt=[(r"value_losses\.append\(F\.smooth_l1_loss\(value, Variable\(torch\.Tensor\(\[r\]\)\)\)\)", 1)],
         description="Each value loss is F.smooth_l1_loss(...), a zero-dimensional tensor since PyTorch 0.4, and "
                     "torch.cat cannot concatenate zero-dimensional tensors (RuntimeError); the fix stacks the "
                     "losses with torch.stack."),
    dict(id="keras-examples-siamese-lambda-output-shape-of-input", repo="keras-team/keras",
         path="examples/mnist_siamese_graph.py", fix="de41217838",
         framework="keras", category="SHAPE",
         line=(r"^    return shape1$", 1),
         alt=[(r"distance = Lambda\(euclidean_distance, output_shape=eucl_dist_output_shape\)", 1),
              (r"model\.fit\(\[tr_pairs\[:, 0\], tr_pairs\[:, 1\]\], tr_y,", 1)],
         description="The distance Lambda computes a [N, 1] Euclidean distance but declares the shape of its "
                     "first input, [N, 128], as its output shape, so the model's output does not match the "
                     "[N] pair labels it is fitted on; the fix returns (shape1[0], 1)."),
    dict(id="shape-attentive-unet-eval-loss-mask-without-batch-axis", repo="sunjesse/shape-attentive-unet",
         path="models/models.py", fix="f1b9817",
         framework="torch", category="SHAPE",
         line=(r"loss = self\.crit\(\(p\[0\], p\[1\]\), \(feed_dict\['mask'\]\[0\]\.long\(\), feed_dict\['mask'\]\[1\]\)\)", 1),
         alt=[],
         description="In the evaluation branch the predictions keep their batch axis ([1, C, H, W]) but the "
                     "masks are taken per image ([H, W]), so the cross-entropy sees input batch 1 and target "
                     "batch H (issue #8: 'Expected input batch_size (1) to match target batch_size (256)'); "
                     "the fix unsqueezes both masks."),
    dict(id="allconv-keras-channels-first-input-shape-on-channels-last", repo="getcrest/All-Conv-Keras",
         path="allconv.py", fix="daf3395",
         framework="keras", category="SHAPE",
         line=(r"model\.add\(Convolution2D\(96, 3, 3, border_mode = 'same', input_shape=\(3, 32, 32\)\)\)", 1),
         alt=[(r"K\.set_image_dim_ordering\('tf'\)", 1)],
         description="The backend is set to channels-last (set_image_dim_ordering('tf')) but the first "
                     "convolution declares input_shape=(3, 32, 32), so the 32x32x3 CIFAR-10 images do not fit "
                     "the model's input (a 3x32 image with 32 channels); the fix (the pull request's own "
                     "commit, on refs/pull/5/head) declares (32, 32, 3)."),
    dict(id="diffsinger-sdp-duration-ceil-has-no-gradient", repo="openvpi/DiffSinger",
         path="modules/fastspeech/tts_modules.py", fix="589c51d",
         framework="torch", category="NO_GRADIENT",
         line=(r"sdp_pred = torch\.ceil\(self\.out2dur\(logw_sdp\.transpose\(1, -1\) \* non_pad_mask_2d\)\)", 1),
         alt=[(r"return dur_pred, loss_sdp, sdp_pred", 1)],
         description="In training the stochastic duration predictor's output is rounded with torch.ceil, whose "
                     "gradient is zero everywhere, and returned as sdp_pred for the duration regression loss "
                     "(sdp_dur_loss, computed by the training task in another file): that term never trains the "
                     "predictor (pull request #303); the fix rounds with a straight-through estimator "
                     "(x + (ceil(x) - x).detach())."),
    dict(id="pbdl-teaser-dense-fit-on-rank1-data", repo="tum-pbs/pbdl-book",
         path="intro-teaser.ipynb", fix="6b34788",
         framework="keras", category="SHAPE",
         line=(r"tf\.keras\.layers\.Dense\(10, activation=act\),", 1),
         alt=[(r"results_sv = nn_sv\.fit\(X, Y, epochs=5, batch_size= 5, verbose=1\)", 1),
              (r"tf\.keras\.layers\.Dense\(10, activation=act\),", 3)],
         description="X = np.random.random(N) is 1-D, and neither Sequential model declares its input, so the "
                     "first Dense layer is built on the batches of X themselves, shape (5,): Keras raises 'Input 0 "
                     "of layer dense is incompatible with the layer: expected min_ndim=2, found ndim=1' (since "
                     "TensorFlow 2.7, when fit stopped expanding 1-D data; pull request #10); the fix declares "
                     "input_shape=(1,) on both models' first layer, from which Keras expands the data."),
    dict(id="mrdbourke-tf-regression-dense-fit-on-1d-tensor", repo="mrdbourke/tensorflow-deep-learning",
         path="01_neural_network_regression_in_tensorflow.ipynb", fix="22d7de7",
         framework="keras", category="SHAPE",
         line=(r"^model\.fit\(X, y, epochs=5\)$", 1),
         alt=[(r"^  tf\.keras\.layers\.Dense\(1\)$", 1)],
         description="X = tf.constant([-7.0, ..., 14.0]) is 1-D and tf.keras.Sequential([Dense(1)]) declares no "
                     "input, so fit builds the Dense layer on batches of shape (None,): 'expected min_ndim=2, found "
                     "ndim=1' since TensorFlow 2.7; the fix ('update for 2.7.0 changes') fits on "
                     "tf.expand_dims(X, axis=-1), in this and the notebook's four later fits."),
]
