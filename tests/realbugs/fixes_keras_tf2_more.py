"""A second round of Keras / tf.keras / TF2 bugs from public fix commits, taken in the order the
repositories' histories gave them (not chosen for being detectable); appended after every other
entry. Same fields as `KERAS_TF2_FIXES` in fixes_keras_tf2.py.
"""
from __future__ import annotations

APACHE = "Apache-2.0"
MIT = "MIT"

KERAS = "keras-team/keras"
TFDOCS = "tensorflow/docs"
TFEX = "tensorflow/examples"
UNET = "zhixuhao/unet"
YOLO3 = "qqwweee/keras-yolo3"
YOLO2 = "experiencor/keras-yolo2"
KERASRL = "keras-rl/keras-rl"
SEG = "divamgupta/image-segmentation-keras"
ADLK = "PacktPublishing/Advanced-Deep-Learning-with-Keras"

LICENSES = {KERAS: APACHE, TFDOCS: APACHE, TFEX: APACHE, UNET: MIT, YOLO3: MIT, YOLO2: MIT, KERASRL: MIT,
            SEG: MIT, ADLK: MIT}

KERAS_TF2_MORE = [
    dict(id="keras-examples-ocr-label-padding-ones", repo=KERAS,
         path="examples/image_ocr.py", fix="0e02f3b036",
         framework="keras", category="LABELS",
         line=(r"labels = np\.ones\(\[size, self\.absolute_max_string_len\]\)", 1), alt=[],
         description="The OCR batch generator fills the label matrix with ones, so the padding after each "
                     "word (and the whole label of a blank sample) reads as character 1 for the CTC loss; "
                     "the fix fills it with -1, as build_word_list does."),
    dict(id="keras-examples-attention-nmt-tokenizer-fit-on-validation", repo=KERAS,
         path="examples/recurrent_attention_machine_translation.py", fix="565be57ac2",
         framework="keras", category="DATA_SPLIT",
         line=(r"input_tokenizer\.fit_on_texts\(input_texts_train \+ input_texts_val\)", 1),
         alt=[(r"target_tokenizer\.fit_on_texts\(target_texts_train \+ target_texts_val\)", 1)],
         description="Both tokenizers are fitted on the training and the validation sentences, so the "
                     "vocabulary (and the embedding size taken from it) is chosen with the validation set; "
                     "the fix fits them on the training sentences only."),
    dict(id="unet-model-legacy-input-output-kwargs", repo=UNET,
         path="model.py", fix="a841e4d",
         framework="keras", category="WIRING",
         line=(r"model = Model\(input = inputs, output = conv10\)", 1), alt=[],
         description="The U-Net is built with Model(input=..., output=...), the Keras 1 keyword names, which "
                     "Keras 2.4+ (tf.keras) and Keras 3 reject (Keras 2.0-2.3 renamed them with a warning); the fix "
                     "passes inputs= and outputs=."),
    dict(id="tfex-celsius-predict-on-python-list", repo=TFEX,
         path="courses/udacity_intro_to_tensorflow_for_deep_learning/l02c01_celsius_to_fahrenheit.ipynb",
         fix="da8e04e5", buggy="938340b5",
         framework="keras", category="SHAPE",
         line=(r"^print\(model\.predict\(\[100\.0\]\)\)", 1),
         alt=[(r"^print\(model\.predict\(\[100\.0\]\)\)", 2),
              (r"format\(model\.predict\(\[100\.0\]\)\)", 1)],
         description="model.predict([100.0]) hands Keras a plain list of Python floats, which Keras 3 does "
                     "not accept as input data (ValueError); the two fix commits (c8aec70a for the first "
                     "call, da8e04e5 for the other two) wrap it in np.array."),
    dict(id="yolo3-tiny-anchor-mask-skips-first-anchor", repo=YOLO3,
         path="yolo3/model.py", fix="b9213ee",
         framework="keras", category="WIRING",
         line=(r"anchor_mask = .* else \[\[3,4,5\], \[1,2,3\]\]", 2),
         alt=[(r"anchor_mask = .* else \[\[3,4,5\], \[1,2,3\]\]", 1),
              (r"anchor_mask = .* else \[\[3,4,5\], \[1,2,3\]\]", 3)],
         description="For the two-scale tiny model the anchor masks are [[3,4,5], [1,2,3]]: anchor 3 is used "
                     "twice and anchor 0 never, in the targets, the loss and the evaluation; the fix uses "
                     "[[3,4,5], [0,1,2]]."),
    dict(id="tfdocs-regression-bool-dummies-object-array", repo=TFDOCS,
         path="site/en/tutorials/keras/regression.ipynb", fix="803c320ed",
         framework="keras", category="DTYPE",
         line=(r"^normalizer\.adapt\(np\.array\(train_features\)\)", 1),
         alt=[(r"dataset = pd\.get_dummies\(dataset, columns=\['Origin'\]", 1)],
         description="pd.get_dummies makes bool columns (pandas 2), so np.array of the feature frame mixes "
                     "floats and bools into an object array that Normalization.adapt and fit cannot "
                     "convert to a tensor; the fix casts the features and labels to float32."),
    dict(id="tfdocs-transfer-learning-sigmoid-on-sigmoid-output", repo=TFDOCS,
         path="site/en/tutorials/images/transfer_learning.ipynb", fix="38c16cc07",
         framework="keras", category="ACTIVATION_LOSS",
         line=(r"^predictions = tf\.nn\.sigmoid\(predictions\)", 1),
         alt=[(r"^prediction_layer = tf\.keras\.layers\.Dense\(1, activation='sigmoid'\)", 1)],
         description="The model already ends in Dense(1, activation='sigmoid'), but the predictions are "
                     "passed through tf.nn.sigmoid again before thresholding at 0.5, so every image is "
                     "predicted as class 1; the fix removes the second sigmoid."),
    dict(id="tfdocs-early-stopping-best-starts-at-zero", repo=TFDOCS,
         path="site/en/guide/migrate/early_stopping.ipynb", fix="b2ad83498", buggy="7b8363a23",
         framework="tf", category="TRAINING_LOOP", line=(r"^best = 0$", 1),
         alt=[(r"if val_loss < best:", 1)],
         description="The custom loop's early stopping keeps the lowest validation loss in best, which starts "
                     "at 0: a loss is never below 0, so best never improves and training stops after "
                     "patience epochs; the fix (bdd003f4a, whose notebook did not parse until b2ad83498 "
                     "fixed its quotes) starts best at float('inf'). The buggy version is the fixed version "
                     "of tfdocs-early-stopping-comparison-inverted."),
    dict(id="tfdocs-mlp-core-weight-init-ignored", repo=TFDOCS,
         path="site/en/guide/core/mlp_core.ipynb", fix="9ad2e9e15",
         framework="tf", category="INIT",
         line=(r"self\.w = tf\.Variable\(xavier_init\(shape=\(self\.in_dim, self\.out_dim\)\)\)", 1),
         alt=[(r"self\.weight_init = weight_init", 1)],
         description="DenseLayer stores its weight_init argument but builds its weights with xavier_init "
                     "always, so the initializer a caller passes is ignored; the fix calls self.weight_init."),
    dict(id="tfdocs-pandas-model-super-init-self", repo=TFDOCS,
         path="site/en/tutorials/load_data/pandas_dataframe.ipynb", fix="dd0a2b7fe",
         framework="keras", category="WIRING", line=(r"super\(\)\.__init__\(self\)", 1), alt=[],
         description="The tf.keras.Model subclass calls super().__init__(self), passing the model itself as a "
                     "positional argument that Model's constructor does not take (Keras 3: TypeError: "
                     "Layer.__init__() takes 1 positional argument but 2 were given); the fix calls "
                     "super().__init__()."),
    dict(id="kerasrl-ppo-clipped-objective-not-negated", repo=KERASRL,
         path="rl/agents/ppo.py", fix="14d4f4d",
         framework="keras", category="ACTIVATION_LOSS",
         line=(r"return K\.minimum\(prob_ratio \* advantage, K\.clip", 1),
         alt=[(r"trainable_model\.compile\(optimizer=optimizer, loss=losses\)", 1)],
         description="The PPO agent's loss is the clipped surrogate objective itself, which Keras minimizes, "
                     "so the policy is trained to lower the advantage-weighted probability ratio; the fix "
                     "negates it."),
    dict(id="seg-masked-cce-masks-inputs", repo=SEG,
         path="keras_segmentation/train.py", fix="a00b086",
         framework="keras", category="ACTIVATION_LOSS",
         line=(r"return categorical_crossentropy\( gt\*mask , pr\*mask \)", 1),
         alt=[(r"mask = 1-  gt\[: , : , 0:1 \]", 1)],
         description="The masked categorical cross-entropy multiplies the predictions by the mask before the "
                     "loss, so masked pixels get all-zero predictions (NaN after normalization) instead of "
                     "being left out of the loss; the fix multiplies the per-pixel loss by the mask."),
    dict(id="seg-single-input-generator-skips-preprocessing", repo=SEG,
         path="keras_segmentation/data_utils/data_loader.py", fix="28b8ad0",
         framework="keras", category="SCALING",
         line=(r"X\.append\(get_image_array\(im, input_width,", 1),
         alt=[(r"other_inputs_paths=None, preprocessing=None\):", 1)],
         description="The segmentation data generator applies its preprocessing argument only to the extra "
                     "inputs, not to the images of the usual single-input path, so a model trained with a "
                     "preprocessing function sees unprocessed images; the fix applies it there too."),
    dict(id="yolo2-resize-height-width-swapped", repo=YOLO2,
         path="preprocessing.py", fix="63b2a6d",
         framework="keras", category="SHAPE",
         line=(r"image = cv2\.resize\(image, \(self\.config\['IMAGE_H'\], self\.config\['IMAGE_W'\]\)\)", 1),
         alt=[],
         description="cv2.resize takes (width, height), but the batch generator passes (IMAGE_H, IMAGE_W), so "
                     "for non-square inputs the images are resized transposed and do not fit the network's "
                     "input or the box coordinates; the fix swaps them."),
    dict(id="adlk-dqn-target-reads-global-reward", repo=ADLK,
         path="chapter9-drl/dqn-cartpole-9.6.1.py", fix="10b1a9e",
         framework="keras", category="TRAINING_LOOP", line=(r"q_value \+= reward", 1),
         alt=[(r"def get_target_q_value\(self, next_state\):", 1)],
         description="get_target_q_value adds 'reward' to the discounted Q value, but it has no such parameter, "
                     "so it reads the module's reward of the latest environment step instead of the sampled "
                     "transition's; the fix passes the transition's reward in."),
]
