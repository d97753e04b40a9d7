"""A fourth round of Keras / tf.keras bugs from public fix commits, taken in the order the
repositories' histories gave them (not chosen for being detectable); appended after every other
entry. Same fields as `KERAS_TF2_FIXES` in fixes_keras_tf2.py.

Every commit of these repositories whose message says fix/bug/wrong/incorrect and whose diff
changes model, loss, metric, data-feeding or prediction code was read. Left out on reading:
changes to data augmentation choices, paths, requirements and documentation; the gender label of
age-gender-estimation's demo, flipped by one fix (9417f04) and flipped back by the next (a20281d),
so which version is wrong is not settled by the history; ssd_keras's box-encoding, evaluation and
data-generator fixes (NumPy code outside the model and its training: IoU formulas, XML parsing,
degenerate boxes).
"""
from __future__ import annotations

APACHE = "Apache-2.0"
MIT = "MIT"

AGEGENDER = "yu4u/age-gender-estimation"
SSD = "pierluigiferrari/ssd_keras"

LICENSES = {AGEGENDER: MIT, SSD: APACHE}

KERAS_TF2_FOURTH = [
    dict(id="agegender-predict-unpacks-range", repo=AGEGENDER,
         path="predict.ipynb", fix="f4cdd11",
         framework="keras", category="WIRING", line=(r"for i, in range\(img_num\):", 1), alt=[],
         description="The loop that plots the predictions unpacks each integer of range(img_num) into a "
                     "one-element tuple (`for i, in ...`), which raises TypeError: 'int' object is not "
                     "iterable; the fix drops the comma."),
    dict(id="agegender-demo-predicts-without-faces", repo=AGEGENDER,
         path="demo.py", fix="e908554",
         framework="keras", category="WIRING", line=(r"results = model\.predict\(faces\)", 1), alt=[],
         description="The demo runs model.predict on the array of detected faces even when no face was "
                     "detected (an empty batch); the fix predicts only when len(detected) > 0."),
    dict(id="agegender-fit-on-all-data-validates-on-part", repo=AGEGENDER,
         path="train.py", fix="0ccf568",
         framework="keras", category="DATA_SPLIT",
         line=(r"hist = model\.fit\(X_data, \[y_data_g, y_data_a\]", 1), alt=[],
         description="Without augmentation the model is fitted on X_data, the whole shuffled data set, while "
                     "validation_data is X_test, its last validation_split part, so the model is validated on "
                     "images it trained on; the fix fits on X_train."),
    dict(id="agegender-get-model-returns-none", repo=AGEGENDER,
         path="age_estimation/model.py", fix="db07431",
         framework="keras", category="WIRING", line=(r"^    model\.summary\(\)$", 1), alt=[],
         description="get_model builds the age model and prints its summary but returns nothing, so the "
                     "training script's `model = get_model(...)` gets None; the fix returns the model."),
    dict(id="agegender-generator-unpacks-index", repo=AGEGENDER,
         path="age_estimation/generator.py", fix="655c0ed",
         framework="keras", category="WIRING",
         line=(r"for i, sample_id in sample_indices:", 1), alt=[],
         description="The batch generator unpacks each index of the 1-D index array into (i, sample_id), "
                     "which raises on an integer; the fix iterates over enumerate(sample_indices)."),
    dict(id="agegender-age-mae-mean-not-sum", repo=AGEGENDER,
         path="age_estimation/model.py", fix="5ecdc50",
         framework="keras", category="SCALING",
         line=(r"true_age = K\.mean\(y_true \* K\.arange\(0, 101\), axis=-1\)", 1),
         alt=[(r"pred_age = K\.mean\(y_pred \* K\.arange\(0, 101\), axis=-1\)", 1)],
         description="The age MAE metric takes the expected age as the mean of the 101 probability-weighted "
                     "ages instead of their sum, so both ages (and the reported error) are 101 times too "
                     "small; the fix sums."),
    dict(id="agegender-age-mae-int-arange", repo=AGEGENDER,
         path="age_estimation/model.py", fix="111beb5",
         framework="keras", category="DTYPE",
         line=(r"true_age = K\.sum\(y_true \* K\.arange\(0, 101\), axis=-1\)", 1),
         alt=[(r"pred_age = K\.sum\(y_pred \* K\.arange\(0, 101\), axis=-1\)", 1)],
         description="The age MAE metric multiplies the float labels and predictions by K.arange(0, 101), an "
                     "int32 tensor under the TensorFlow backend, which refuses mixed dtypes; the fix passes "
                     "dtype=\"float32\" to arange."),
    dict(id="ssdkeras-ssd300-pooling-same-padding", repo=SSD,
         path="keras_ssd300.py", fix="4984816",
         framework="keras", category="SHAPE",
         line=(r"pool1 = MaxPooling2D\(pool_size=\(2, 2\), strides=\(2, 2\), padding='same'", 1),
         alt=[(r"pool2 = MaxPooling2D\(pool_size=\(2, 2\), strides=\(2, 2\), padding='same'", 1),
              (r"pool3 = MaxPooling2D\(pool_size=\(2, 2\), strides=\(2, 2\), padding='same'", 1),
              (r"pool4 = MaxPooling2D\(pool_size=\(2, 2\), strides=\(2, 2\), padding='same'", 1)],
         description="The first four VGG pooling layers of SSD300 use padding='same' where the original "
                     "network uses 'valid', so odd feature maps round up and the later feature-map sizes "
                     "differ from those the anchor boxes and trained weights expect; the fix uses 'valid'."),
    dict(id="ssdkeras-ssd300-anchor-boxes-on-feature-maps", repo=SSD,
         path="keras_ssd300.py", fix="4d6f668",
         framework="keras", category="WIRING",
         line=(r"name='conv4_3_norm_mbox_priorbox'\)\(conv4_3_norm\)", 1),
         alt=[(r"name='fc7_mbox_priorbox'\)\(fc7\)", 1), (r"name='conv6_2_mbox_priorbox'\)\(conv6_2\)", 1)],
         description="The AnchorBoxes layers are applied to the backbone feature maps instead of the box "
                     "predictors' localization outputs they are meant to follow; the fix feeds each the "
                     "matching *_mbox_loc tensor."),
    dict(id="ssdkeras-loss-divided-by-batch-twice", repo=SSD,
         path="keras_ssd_loss.py", fix="3526a17",
         framework="keras", category="SCALING",
         line=(r"total_loss = \(class_loss \+ self\.alpha \* loc_loss\) / tf\.maximum\(1\.0, n_positive\)", 1),
         alt=[],
         description="The SSD loss is divided by the batch's number of positive boxes and then averaged over "
                     "the batch by Keras, so it is inversely proportional to the batch size and spikes on the "
                     "smaller last batch of an epoch; the fix multiplies by the batch size."),
    dict(id="ssdkeras-ssd300-aspect-ratio-order", repo=SSD,
         path="keras_ssd300.py", fix="7c33737",
         framework="keras", category="HYPERPARAMETER",
         line=(r"aspect_ratios_per_layer=\[\[0\.5, 1\.0, 2\.0\],", 1), alt=[],
         description="The default aspect ratios of SSD300 are listed in ascending order, not in the order of "
                     "the original model (1, 2, 0.5, 3, 1/3), so the anchor boxes do not line up with the "
                     "predictor channels of the ported weights; the fix reorders them."),
    dict(id="ssdkeras-ssd300-mean-channel-order", repo=SSD,
         path="keras_ssd300.py", fix="d183dd9",
         framework="keras", category="SCALING",
         line=(r"subtract_mean=\[104, 117, 123\],", 1), alt=[],
         description="The per-channel means subtracted from the RGB input are given in BGR order "
                     "[104, 117, 123]; the fix uses [123, 117, 104]."),
    dict(id="ssdkeras-nms-box-coordinate-order", repo=SSD,
         path="keras_layer_DecodeDetections.py", fix="333d7b0",
         framework="keras", category="WIRING",
         line=(r"boxes = single_class\[\.\.\.,-4:\]", 1), alt=[],
         description="The decoding layer hands boxes as (xmin, ymin, xmax, ymax) to "
                     "tf.image.non_max_suppression, which reads (ymin, xmin, ymax, xmax); the fix reorders "
                     "the coordinates."),
    dict(id="ssdkeras-nms-iou-threshold-constant", repo=SSD,
         path="keras_layers/keras_layer_DecodeDetections.py", fix="9d9241e",
         framework="keras", category="WIRING",
         line=(r"iou_threshold=self\.tf_iou_threshold,", 1), alt=[],
         description="The decoding layer passes non_max_suppression a tf.constant built in the layer's "
                     "constructor instead of the Python float it stores; the fix passes self.iou_threshold."),
]
