"""Extract the real buggy programs of this set from git mirrors and write the manifest.

    MIRROR=/work/.mirror python tests/realbugs/build.py [--check]

Each entry below names a public repository, the commit of the buggy program (for a fix commit:
its parent) and, where there is one, the commit that fixed it. The bug's line is found by a
pattern in the buggy text, so a source that changed under the same commit id, or a pattern
that no longer matches, stops the build instead of silently moving a line. `--check` compares
the extracted files with the committed ones and writes nothing.

Mirrors are bare git directories at `$MIRROR/<owner>+<name>/repo`
(`git clone --bare https://github.com/<owner>/<name> "$MIRROR/<owner>+<name>/repo"`).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "bench"))

from realcorpus import notebook_code  # noqa: E402
from fixes_keras_tf2 import KERAS_TF2_FIXES, LICENSES as KERAS_TF2_LICENSES  # noqa: E402

sys.path.insert(0, str(HERE))
from fixes_torch_tf1 import FIXES_TORCH_TF1, LICENSES as LICENSES_TORCH_TF1  # noqa: E402
from fixes_shape_grad import SHAPE_GRAD_FIXES, LICENSES as LICENSES_SHAPE_GRAD  # noqa: E402
from fixes_keras_tf2_more import KERAS_TF2_MORE, LICENSES as LICENSES_KERAS_TF2_MORE  # noqa: E402
from fixes_torch_tf1_more import MORE_TORCH_TF1_FIXES, LICENSES as LICENSES_MORE  # noqa: E402
from fixes_torch_rl import TORCH_RL_FIXES, LICENSES as LICENSES_RL  # noqa: E402
from fixes_keras_tf2_third import KERAS_TF2_THIRD, LICENSES as LICENSES_THIRD  # noqa: E402
from fixes_keras_tf2_fourth import KERAS_TF2_FOURTH, LICENSES as LICENSES_FOURTH  # noqa: E402
from fixes_keras_fifth import KERAS_FIFTH, LICENSES as LICENSES_FIFTH  # noqa: E402
from fixes_torch_fourth import TORCH_FOURTH, LICENSES as LICENSES_TORCH_FOURTH  # noqa: E402
from fixes_torch_tf1_fifth import TORCH_TF1_FIFTH, LICENSES as LICENSES_TORCH_TF1_FIFTH  # noqa: E402
from fixes_torch_sixth import TORCH_SIXTH, LICENSES as LICENSES_TORCH_SIXTH  # noqa: E402
from fixes_round27 import ROUND27, LICENSES as LICENSES_ROUND27  # noqa: E402
from project_files import IMPORTERS, PROJECT, project_files  # noqa: E402

RESERVED = Path("/work/shared/realbugs/RESERVED_SO_IDS.txt")
SHARED_MANIFEST = Path("/work/shared/realbugs/manifest.json")
DEEPMUFL = "ali-ghanbari/deepmufl-ase-2023"
DEEPMUFL_COMMIT = "a69ba43a024df79abaabd92e9a726257ec81a724"

LICENSES = {
    "jcjohnson/pytorch-examples": "MIT",
    "spro/practical-pytorch": "MIT",
    "bentrevett/pytorch-sentiment-analysis": "MIT",
    "pytorch/examples": "BSD-3-Clause",
    "rasbt/machine-learning-book": "MIT",
    "eriklindernoren/PyTorch-GAN": "MIT",
    "aymericdamien/TensorFlow-Examples": "MIT",
    "jeffheaton/t81_558_deep_learning": "Apache-2.0",
    "ageron/handson-ml2": "Apache-2.0",
    "ali-ghanbari/deepmufl-ase-2023": "Apache-2.0",
    "keras-team/keras": "Apache-2.0",
    "Hvass-Labs/TensorFlow-Tutorials": "MIT",
    "ageron/handson-ml": "Apache-2.0",
    "udacity/deep-learning": "MIT",
    "bentrevett/pytorch-seq2seq": "MIT",
    "Shawn1993/cnn-text-classification-pytorch": "Apache-2.0",
    "tensorflow/docs": "Apache-2.0",
    "rasbt/deeplearning-models": "MIT",
    "mrdbourke/pytorch-deep-learning": "MIT",
    "mrdbourke/tensorflow-deep-learning": "MIT",
    "dsgiitr/d2l-pytorch": "Apache-2.0",
    "udacity/deep-learning-v2-pytorch": "MIT",
    "pkmital/tensorflow_tutorials": "Apache-2.0",
    "nfmcclure/tensorflow_cookbook": "MIT",
    "chiphuyen/stanford-tensorflow-tutorials": "MIT",
    **LICENSES_TORCH_TF1,
    **LICENSES_SHAPE_GRAD,
    **LICENSES_KERAS_TF2_MORE,
    **LICENSES_MORE,
    **LICENSES_RL,
    **LICENSES_THIRD,
    **LICENSES_FOURTH,
    **LICENSES_FIFTH,
    **LICENSES_TORCH_FOURTH,
    **LICENSES_TORCH_TF1_FIFTH,
    **LICENSES_TORCH_SIXTH,
    **LICENSES_ROUND27,
}

# Fix commits: (id, repo, path, fix_commit, framework, category, bug-line pattern (regex, nth
# match), alt-line patterns, description). The buggy program is the path at fix_commit^ unless
# "buggy" names another commit (a fix that came in two steps).
FIXES = [
    dict(id="jcjohnson-autograd-zero-grad-before-backward", repo="jcjohnson/pytorch-examples",
         path="autograd/two_layer_net_autograd.py", fix="0d8adca7",
         framework="torch", category="TRAINING_LOOP", line=(r"w1\.grad\.data\.zero_\(\)", 1),
         alt=[(r"w2\.grad\.data\.zero_\(\)", 1)],
         description="Gradients are zeroed before the first backward(), when w1.grad is still None "
                     "(AttributeError); the fix zeroes them after the update."),
    dict(id="spro-seq2seq-nll-indexes-batch", repo="spro/practical-pytorch",
         path="seq2seq-translation/seq2seq-translation.ipynb", fix="a87890c0",
         framework="torch", category="SHAPE",
         line=(r"loss \+= criterion\(decoder_output\[0\], target_variable\[di\]\)", 1),
         alt=[(r"loss \+= criterion\(decoder_output\[0\], target_variable\[di\]\)", 2)],
         description="The decoder output (1 x vocab) is indexed with [0] before NLLLoss, dropping the "
                     "batch dimension the target (1,) still has; the fix passes the 2-D output."),
    dict(id="bentrevett-upgraded-sentiment-predict-no-eval", repo="bentrevett/pytorch-sentiment-analysis",
         path="2 - Upgraded Sentiment Analysis.ipynb", fix="be122f3a",
         framework="torch", category="TRAINING_LOOP", line=(r"^def predict_sentiment\(", 1),
         alt=[(r"prediction = torch\.sigmoid\(model\(", 1)],
         description="predict_sentiment runs the LSTM model (with dropout) without model.eval() after "
                     "training left it in train mode; the fix calls model.eval() first."),
    dict(id="bentrevett-cnn-sentiment-predict-no-eval", repo="bentrevett/pytorch-sentiment-analysis",
         path="4 - Convolutional Sentiment Analysis.ipynb", fix="be122f3a",
         framework="torch", category="TRAINING_LOOP", line=(r"^def predict_sentiment\(", 1),
         alt=[(r"prediction = torch\.sigmoid\(model\(", 1)],
         description="predict_sentiment runs the CNN (with dropout) without model.eval() after training; "
                     "the fix calls model.eval() first."),
    dict(id="pytorch-examples-wlm-inplace-update-on-leaf", repo="pytorch/examples",
         path="word_language_model/main.py", fix="984700d3",
         framework="torch", category="TRAINING_LOOP", line=(r"p\.add_\(-lr, p\.grad\)", 1), alt=[],
         description="Manual SGD update p.add_(-lr, p.grad) modifies a leaf parameter that requires grad "
                     "in place outside no_grad (RuntimeError); the fix updates p.data."),
    dict(id="rasbt-mlbook-ch12-long-predictions", repo="rasbt/machine-learning-book",
         path="ch12/ch12_part2.py", fix="376cc179",
         framework="torch", category="DTYPE", line=(r"loss = loss_fn\(pred\.long\(\), y_batch\)", 1), alt=[],
         description="The model's float predictions are cast to long before the loss, which cuts the "
                     "gradient (and CrossEntropyLoss needs float input); the fix casts the labels instead."),
    dict(id="pytorch-gan-dualgan-gp-alpha-per-pixel", repo="eriklindernoren/PyTorch-GAN",
         path="implementations/dualgan/dualgan.py", fix="d2977bcc",
         framework="torch", category="SHAPE",
         line=(r"alpha = FloatTensor\(np\.random\.random\(size=real_samples\.shape\)\)", 1), alt=[],
         description="WGAN-GP interpolation weight drawn per pixel (shape of the batch) instead of per "
                     "sample (N,1,1,1); the fix draws one alpha per sample."),
    dict(id="aymericdamien-tf2-nn-softmax-before-logits-loss", repo="aymericdamien/TensorFlow-Examples",
         path="tensorflow_v2/notebooks/3_NeuralNetworks/neural_network.ipynb", fix="a8ee3d2c",
         buggy="e7353b77^",
         framework="tf", category="ACTIVATION_LOSS",
         line=(r"self\.out = layers\.Dense\(num_classes, activation=tf\.nn\.softmax\)", 1),
         alt=[(r"tf\.nn\.sparse_softmax_cross_entropy_with_logits\(labels=y, logits=x\)", 1)],
         description="Output layer applies softmax and the loss is sparse_softmax_cross_entropy_with_logits "
                     "(softmax applied twice); the fix leaves the output layer linear."),
    dict(id="jeffheaton-binary-linear-output-bce", repo="jeffheaton/t81_558_deep_learning",
         path="t81_558_class_04_2_multi_class.ipynb", fix="3b44d5d2",
         framework="keras", category="ACTIVATION_LOSS",
         line=(r"model\.add\(Dense\(1,activation='linear'", 1), alt=[(r"loss='binary_crossentropy'", 1)],
         description="Binary classifier ends in Dense(1, linear) but is compiled with binary_crossentropy, "
                     "which expects probabilities; the fix uses a sigmoid output."),
    dict(id="ageron-tf1-add-reg-losses-list", repo="ageron/handson-ml2",
         path="11_deep_learning.ipynb", fix="a9c1c20a",
         framework="tf", category="SHAPE",
         line=(r'loss = tf\.add\(base_loss, reg_losses, name="loss"\)', 1), alt=[],
         description="tf.add(base_loss, reg_losses) broadcasts the scalar loss against the list of "
                     "regularization losses, giving a vector loss; the fix sums with tf.add_n."),
    dict(id="ageron-tf1-autoencoder-add-reg-losses-list", repo="ageron/handson-ml2",
         path="15_autoencoders.ipynb", fix="a9c1c20a",
         framework="tf", category="SHAPE", line=(r"loss = mse \+ reg_losses", 1),
         alt=[(r"loss = mse \+ reg_losses", 2)],
         description="mse + reg_losses adds a scalar to a Python list of tensors (a stacked vector), not "
                     "their sum; the fix uses tf.add_n([mse] + reg_losses)."),
    dict(id="ageron-keras-decoder-embedding-wrong-vocab", repo="ageron/handson-ml2",
         path="16_nlp_with_rnns_and_attention.ipynb", fix="74afde5c",
         framework="keras", category="SHAPE",
         line=(r"^\s+len\(INPUT_CHARS\) \+ 2, decoder_embedding_size\)", 1),
         alt=[(r"^\s+len\(INPUT_CHARS\) \+ 2, decoder_embedding_size\)", 2)],
         description="The decoder's Embedding is sized by the input vocabulary, but it embeds output-"
                     "vocabulary ids; the fix uses len(OUTPUT_CHARS) + 2."),
    dict(id="pytorch-examples-vit-lr-int", repo="pytorch/examples",
         path="vision_transformer/main.py", fix="20955149",
         framework="torch", category="HYPERPARAMETER",
         line=(r"parser\.add_argument\('--lr', type=int, default=1e-2", 1), alt=[],
         description="The learning rate option is parsed with type=int, so any --lr given on the command "
                     "line fails or truncates; the fix parses it as float."),
    dict(id="aymericdamien-tf1-cnn-dropout-keep-prob-as-rate", repo="aymericdamien/TensorFlow-Examples",
         path="examples/3_NeuralNetworks/convolutional_network.py", fix="971c96b7",
         framework="tf", category="HYPERPARAMETER", line=(r"^dropout = 0\.75", 1),
         alt=[(r"tf\.layers\.dropout\(fc1, rate=dropout", 1)],
         description="dropout = 0.75 is meant as the keep probability but is passed as tf.layers.dropout's "
                     "rate, so three units in four are dropped; the fix sets the rate to 0.25."),
    dict(id="keras-examples-cifar10-rmsprop-default-lr", repo="keras-team/keras",
         path="examples/cifar10_cnn.py", fix="98ec9fc9",
         framework="keras", category="HYPERPARAMETER", line=(r"optimizer='rmsprop',", 1),
         alt=[(r"model\.compile\(loss='categorical_crossentropy',", 1)],
         description="RMSprop with its default learning rate (0.001) does not converge on this CIFAR-10 CNN; "
                     "the fix uses lr=0.0001 with decay."),
    dict(id="hvass-timeseries-target-shift-sign", repo="Hvass-Labs/TensorFlow-Tutorials",
         path="23_Time-Series-Prediction.ipynb", fix="e686db8f",
         framework="keras", category="LABELS",
         line=(r"^df_targets = df\[target_city\]\[target_names\]\.shift\(shift_steps\)", 1),
         alt=[(r"^y_data = df_targets\.values\[shift_steps:\]", 1)],
         description="Targets are shifted by +shift_steps, so the model is trained to predict the past "
                     "instead of the future; the fix shifts by -shift_steps and trims the ends."),
    dict(id="ageron-tf1-reuse-wrong-hidden-layer", repo="ageron/handson-ml",
         path="11_deep_learning.ipynb", fix="f5b4e94b",
         framework="tf", category="WIRING",
         line=(r'get_tensor_by_name\("dnn/hidden4/Relu:0"\)', 1), alt=[],
         description="Reusing the lower layers of a saved model, the tensor meant as hidden3's output is "
                     "looked up as hidden4's, so the new hidden4 is stacked on the old one; the fix reads "
                     "dnn/hidden3/Relu:0."),
    dict(id="ageron-tf1-dropout-training-flag-not-fed", repo="ageron/handson-ml",
         path="11_deep_learning.ipynb", fix="1a1d5149",
         framework="tf", category="TRAINING_LOOP",
         line=(r"sess\.run\(training_op, feed_dict=\{X: X_batch, y: y_batch\}\)", 12),
         alt=[(r"tf\.layers\.dropout", 1)],
         description="The model uses tf.layers.dropout(training=training) with a placeholder_with_default "
                     "of False, but the training step never feeds training: True, so dropout is never "
                     "active; the fix feeds it."),
    dict(id="ageron-tf1-rnn-dropout-keep-prob-constant", repo="ageron/handson-ml",
         path="14_recurrent_neural_networks.ipynb", fix="4fa8124d",
         framework="tf", category="TRAINING_LOOP", line=(r"^keep_prob = 0\.5", 1),
         alt=[(r"^keep_prob = 0\.5", 2), (r"DropoutWrapper", 1)],
         description="DropoutWrapper gets the constant keep_prob = 0.5, so dropout also runs when the "
                     "restored model predicts; the fix makes it a placeholder defaulting to 1.0 and feeds "
                     "0.5 only while training."),
    dict(id="udacity-tf1-sentiment-embedding-too-small", repo="udacity/deep-learning",
         path="sentiment-rnn/Sentiment_RNN_Solution.ipynb", fix="ed675e0b",
         framework="tf", category="SHAPE", line=(r"^n_words = len\(vocab_to_int\)", 1),
         alt=[(r"tf\.Variable\(tf\.random_uniform\(\(n_words", 1)],
         description="Word ids start at 1 (0 pads), so the largest id equals len(vocab_to_int), one past "
                     "the embedding matrix; the fix adds 1 to n_words."),
    dict(id="udacity-tf1-semisupervised-discriminator-skips-block", repo="udacity/deep-learning",
         path="semi-supervised/semi-supervised_learning_2_solution.ipynb", fix="3781891c",
         framework="tf", category="LAYER_IGNORES_INPUT", line=(r"x7 = tf\.layers\.conv2d\(relu5", 1),
         alt=[],
         description="The discriminator's x7 convolution takes relu5 instead of relu6, so the x6/bn6/relu6 "
                     "block (with its dropout) is computed but never used; the fix removes the dead block."),
    dict(id="udacity-tf1-dcgan-batchnorm-update-ops", repo="udacity/deep-learning",
         path="dcgan-svhn/DCGAN.ipynb", fix="bc570976",
         framework="tf", category="TRAINING_LOOP", line=(r"d_train_opt = tf\.train\.AdamOptimizer", 1),
         alt=[(r"g_train_opt = tf\.train\.AdamOptimizer", 1)],
         description="The networks use tf.layers.batch_normalization but the train ops do not depend on "
                     "the UPDATE_OPS collection, so the moving statistics are never updated; the fix wraps "
                     "minimize() in tf.control_dependencies."),
    dict(id="bentrevett-seq2seq-transformer-mask-axis", repo="bentrevett/pytorch-seq2seq",
         path="6 - Attention is All You Need.ipynb", fix="041994c3",
         framework="torch", category="SHAPE",
         line=(r"trg_pad_mask = \(trg != self\.trg_pad_idx\)\.unsqueeze\(1\)\.unsqueeze\(3\)", 1), alt=[],
         description="The target padding mask is shaped [batch, 1, trg len, 1], masking query rows instead "
                     "of padded key positions; the fix unsqueezes to [batch, 1, 1, trg len]."),
    dict(id="pytorch-examples-vit-parameter-to-device", repo="pytorch/examples",
         path="vision_transformer/main.py", fix="de85c091",
         framework="torch", category="NO_GRADIENT",
         line=(r"self\.class_token = nn\.Parameter\(torch\.randn\(self\.batch_size, 1, self\.latent_size\)\)\.to\(self\.device\)", 1),
         alt=[(r"self\.pos_embedding = nn\.Parameter\(torch\.randn\(self\.batch_size, 1, self\.latent_size\)\)\.to\(self\.device\)", 1)],
         description="nn.Parameter(...).to(device) stores the moved copy, a plain tensor on another device: "
                     "the class token and positional embedding are not registered parameters and never "
                     "train; the fix moves the data before wrapping it."),
    dict(id="pytorch-examples-wlm-init-zeros-on-module", repo="pytorch/examples",
         path="word_language_model/model.py", fix="13acec6d",
         framework="torch", category="INIT", line=(r"nn\.init\.zeros_\(self\.decoder\)$", 1), alt=[],
         description="nn.init.zeros_ is given the decoder module instead of its weight tensor (it fails "
                     "when the Transformer model initializes); the fix passes self.decoder.weight."),
    dict(id="pytorch-examples-timeseq-test-on-train", repo="pytorch/examples",
         path="time_sequence_prediction/train.py", fix="a4e69725",
         framework="torch", category="DATA_SPLIT", line=(r"pred = seq\(input\[:3\], future = future\)", 1),
         alt=[(r"input = Variable\(torch\.from_numpy\(data\[3:, :-1\]\)", 1)],
         description="The prediction meant as a test runs on input[:3], the first rows of the training "
                     "input, not on the three held-out rows data[:3]; the fix builds test_input from them."),
    dict(id="shawn1993-textcnn-eval-mode-not-reset", repo="Shawn1993/cnn-text-classification-pytorch",
         path="train.py", fix="5e11c712",
         framework="torch", category="TRAINING_LOOP", line=(r"^    model\.train\(\)", 1),
         alt=[(r"dev_acc = eval\(dev_iter, model, args\)", 1), (r"^    model\.eval\(\)", 1)],
         description="model.train() is called once before the loop, but the periodic eval() switches the "
                     "model to eval mode and training goes on with dropout off; the fix calls model.train() "
                     "at every batch."),
    dict(id="tfdocs-transfer-learning-accuracy-on-logits", repo="tensorflow/docs",
         path="site/en/tutorials/images/transfer_learning.ipynb", fix="51a06aaf",
         framework="keras", category="ACTIVATION_LOSS", line=(r"metrics=\['accuracy'\]", 1),
         alt=[(r"metrics=\['accuracy'\]", 2), (r"from_logits=True", 1)],
         description="The model outputs a logit (BinaryCrossentropy(from_logits=True)) but accuracy is the "
                     "default binary accuracy, which thresholds at 0.5 as if it were a probability; the fix "
                     "uses BinaryAccuracy(threshold=0)."),
    dict(id="tfdocs-integrated-gradients-stack-last-batch", repo="tensorflow/docs",
         path="site/en/tutorials/interpretability/integrated_gradients.ipynb", fix="e12f1379",
         framework="tf", category="SHAPE", line=(r"total_gradients = tf\.stack\(gradient_batch\)", 1),
         alt=[(r"gradient_batches\.append", 1)],
         description="The path gradients are collected per batch in gradient_batches, but only the last "
                     "batch (gradient_batch) is stacked, dropping the others; the fix concatenates all "
                     "batches along axis 0."),
    dict(id="rasbt-lightning-cnn-no-activations", repo="rasbt/deeplearning-models",
         path="pytorch-lightning_ipynb/cnn/cnn-basic.ipynb", fix="dd1540fb",
         framework="torch", category="ACTIVATION_LOSS", line=(r"padding=1\),", 1),
         alt=[(r"padding=1\),", 2)],
         description="The convolutional feature extractor stacks Conv2d and MaxPool2d with no activation "
                     "between them, so it is linear; the fix adds a ReLU after each convolution."),
    dict(id="rasbt-densenet-mnist-test-is-train", repo="rasbt/deeplearning-models",
         path="pytorch_ipynb/cnn/cnn-densenet121-mnist.ipynb", fix="c3a15d50",
         framework="torch", category="DATA_SPLIT", line=(r"train=True,", 2),
         alt=[(r"test_dataset = datasets\.MNIST", 1)],
         description="The test dataset is built from the MNIST training split (train=True), so test "
                     "accuracy is measured on training images; the fix uses train=False."),
    dict(id="ageron-quickdraw-test-set-is-valid-set", repo="ageron/handson-ml2",
         path="15_processing_sequences_using_rnns_and_cnns.ipynb", fix="604794d2",
         framework="tf", category="DATA_SPLIT",
         line=(r"test_set = quickdraw_dataset\(eval_files\[:5\]\)", 1),
         alt=[(r"valid_set = quickdraw_dataset\(eval_files\[:5\]\)", 1)],
         description="The test set is built from the same five files as the validation set; the fix uses "
                     "the other evaluation files, eval_files[5:]."),
    dict(id="mrdbourke-cv-softmax-over-batch", repo="mrdbourke/pytorch-deep-learning",
         path="03_pytorch_computer_vision.ipynb", fix="a826986c",
         framework="torch", category="SHAPE",
         line=(r"y_pred = torch\.softmax\(y_logit\.squeeze\(\), dim=0\)\.argmax\(dim=1\)", 1), alt=[],
         description="The logits [batch, classes] are squeezed and softmaxed over dim=0, the batch axis, "
                     "before argmax over classes; the fix takes the softmax over dim=1."),
    dict(id="mrdbourke-classification-loss-against-predictions", repo="mrdbourke/pytorch-deep-learning",
         path="extras/solutions/02_pytorch_classification_exercise_solutions.ipynb", fix="700345ca",
         framework="torch", category="LABELS", line=(r"test_loss = loss_fn\(test_logits, test_pred\)", 1),
         alt=[],
         description="The test loss compares the logits with the model's own predicted labels instead of "
                     "the true labels y_test."),
    dict(id="mrdbourke-tf-predict-on-labels", repo="mrdbourke/tensorflow-deep-learning",
         path="02_neural_network_classification_in_tensorflow.ipynb", fix="8da09810",
         framework="keras", category="LABELS", line=(r"y_reg_preds = model_3\.predict\(y_reg_test\)", 1),
         alt=[],
         description="The regression model predicts on the test targets y_reg_test instead of the test "
                     "inputs X_reg_test."),
    dict(id="d2l-pytorch-train-eval-modes", repo="dsgiitr/d2l-pytorch",
         path="d2l/train.py", fix="89ce3f29",
         framework="torch", category="TRAINING_LOOP", line=(r"^def evaluate_accuracy", 1),
         alt=[(r"for epoch in range\(num_epochs\):", 2)],
         description="evaluate_accuracy runs the network without net.eval() and the training loop never "
                     "calls net.train(), so dropout and batch norm behave the same in both; the fix sets the "
                     "modes."),
]

# TF1 graph programs and data pipelines (same fields as FIXES), listed after the deepmufl
# programs so that their manifest entries come last.
PIPELINE_FIXES = [
    dict(id="udacity-tf1-batchnorm-mnist-not-flattened", repo="udacity/deep-learning",
         path="batch-norm/Batch_Normalization_Lesson.ipynb", fix="f86f04cf",
         framework="tf", category="SHAPE",
         line=(r'read_data_sets\("MNIST_data/", one_hot=True, reshape=False\)', 1),
         alt=[(r"self\.input_layer = tf\.placeholder\(tf\.float32, \[None, initial_weights\[0\]\.shape\[0\]\]\)", 1),
              (r"session\.run\(train_step, feed_dict=\{self\.input_layer: batch_xs", 1)],
         description="MNIST is read with reshape=False, so next_batch gives [60, 28, 28, 1] images, but they "
                     "are fed to an input placeholder of shape [None, 784] (ValueError: Cannot feed value of "
                     "shape); the fix reads the flattened images."),
    dict(id="ageron-tf1-frozen-outputs-unused", repo="ageron/handson-ml",
         path="11_deep_learning.ipynb", fix="9a3a2e9d",
         framework="tf", category="WIRING",
         line=(r"^logits = tf\.layers\.dense\(dnn_outputs, n_outputs, kernel_initializer=he_init\)$", 1),
         alt=[(r"frozen_outputs = tf\.stop_gradient\(dnn_outputs\)", 1)],
         description="The lower layers are meant to be frozen through frozen_outputs = tf.stop_gradient(...), "
                     "but the logits are built on dnn_outputs, so the frozen tensor is unused and every layer "
                     "trains; the fix builds the logits on frozen_outputs."),
    dict(id="udacity-tf1-image-classification-test-is-train", repo="udacity/deep-learning",
         path="image-classification/dlnd_image_classification.ipynb", fix="06cbb81a",
         framework="tf", category="DATA_SPLIT",
         line=(r"test_features, test_labels = pickle\.load\(open\('preprocess_training\.p'", 1),
         alt=[(r"feed_dict=\{loaded_x: train_feature_batch, loaded_y: train_label_batch", 1)],
         description="The test accuracy of the restored graph is computed on features loaded from the "
                     "training pickle; the fix loads preprocess_test.p."),
    dict(id="pkmital-tf1-vae-tanh-output-log-loss", repo="pkmital/tensorflow_tutorials",
         path="python/11_variational_autoencoder.py", fix="7c3d13ee",
         framework="tf", category="ACTIVATION_LOSS",
         line=(r"y = tf\.nn\.tanh\(tf\.matmul\(h_dec3, W_mu_dec\) \+ b_mu_dec\)", 1),
         alt=[(r"x \* tf\.log\(y \+ 1e-10\)", 1)],
         description="The decoder ends in tanh (values in (-1, 1)) and the hand-written Bernoulli log-likelihood "
                     "takes tf.log(y) and tf.log(1 - y), which is NaN for negative outputs; the fix uses a "
                     "sigmoid."),
    dict(id="pkmital-tf1-resnet-bottleneck-width", repo="pkmital/tensorflow_tutorials",
         path="python/10_residual_network.py", fix="ce465364",
         framework="tf", category="WIRING",
         line=(r"conv = conv2d\(net, block\.num_filters, k_h=1, k_w=1", 1), alt=[],
         description="The first 1x1 convolution of each bottleneck block outputs num_filters channels instead "
                     "of bottleneck_size, so the block is not a bottleneck; the fix uses block.bottleneck_size."),
    dict(id="ageron-tf1-epoch-iterations-from-test-size", repo="ageron/handson-ml",
         path="10_introduction_to_artificial_neural_networks.ipynb", fix="cbb757f6",
         framework="tf", category="TRAINING_LOOP",
         line=(r"for iteration in range\(len\(mnist\.test\.labels\)//batch_size\)", 1),
         alt=[(r"for iteration in range\(len\(mnist\.test\.labels\)//batch_size\)", 2)],
         description="An epoch runs len(mnist.test.labels) // batch_size iterations of next_batch, the size of "
                     "the test set (10,000) instead of the training set (55,000); the fix uses "
                     "mnist.train.num_examples."),
    dict(id="udacity-pytorch-part3-rgb-normalize-on-mnist", repo="udacity/deep-learning-v2-pytorch",
         path="intro-to-pytorch/Part 3 - Training Neural Networks (Solution).ipynb", fix="cff719e0",
         framework="torch", category="SHAPE",
         line=(r"transforms\.Normalize\(\(0\.5, 0\.5, 0\.5\), \(0\.5, 0\.5, 0\.5\)\)", 1), alt=[],
         description="MNIST images have one channel but the transform normalizes with three channel means "
                     "(RuntimeError: output with shape [1, 28, 28] doesn't match the broadcast shape "
                     "[3, 28, 28]); the fix uses Normalize((0.5,), (0.5,))."),
    dict(id="udacity-pytorch-part4-rgb-normalize-on-fashion-mnist", repo="udacity/deep-learning-v2-pytorch",
         path="intro-to-pytorch/Part 4 - Fashion-MNIST (Solution).ipynb", fix="7e2458d8",
         framework="torch", category="SHAPE",
         line=(r"transforms\.Normalize\(\(0\.5, 0\.5, 0\.5\), \(0\.5, 0\.5, 0\.5\)\)", 1), alt=[],
         description="Fashion-MNIST images have one channel but the transform normalizes with three channel "
                     "means; the fix uses Normalize((0.5,), (0.5,))."),
    dict(id="udacity-pytorch-part5-rgb-normalize-on-fashion-mnist", repo="udacity/deep-learning-v2-pytorch",
         path="intro-to-pytorch/Part 5 - Inference and Validation (Solution).ipynb", fix="f89bd178",
         framework="torch", category="SHAPE",
         line=(r"transforms\.Normalize\(\(0\.5, 0\.5, 0\.5\), \(0\.5, 0\.5, 0\.5\)\)", 1), alt=[],
         description="The training and test transforms normalize one-channel Fashion-MNIST images with three "
                     "channel means; the fix uses Normalize((0.5,), (0.5,))."),
    dict(id="cookbook-tf1-rnn-spam-softmax-into-logits-loss", repo="nfmcclure/tensorflow_cookbook",
         path="09_Recurrent_Neural_Networks/02_Implementing_RNN_for_Spam_Prediction/02_implementing_rnn.py",
         fix="18db0469", framework="tf", category="ACTIVATION_LOSS",
         line=(r"^logits_out = tf\.nn\.softmax\(tf\.matmul\(last, weight\) \+ bias\)", 1),
         alt=[(r"losses = tf\.nn\.sparse_softmax_cross_entropy_with_logits\(logits=logits_out", 1)],
         description="The RNN's output goes through tf.nn.softmax and is then passed as logits to "
                     "sparse_softmax_cross_entropy_with_logits (softmax applied twice); the fix passes the "
                     "affine output."),
    dict(id="cookbook-tf1-production-rnn-softmax-into-logits-loss", repo="nfmcclure/tensorflow_cookbook",
         path="10_Taking_TensorFlow_to_Production/05_Production_Example/05_production_ex_train.py",
         fix="18db0469", framework="tf", category="ACTIVATION_LOSS",
         line=(r"logits_out = tf\.nn\.softmax\(tf\.matmul\(last, weight\) \+ bias\)", 1),
         alt=[(r"losses = tf\.nn\.sparse_softmax_cross_entropy_with_logits\(logits=rnn_model_outputs", 1)],
         description="rnn_model returns the softmax of its output, which main() passes as logits to "
                     "sparse_softmax_cross_entropy_with_logits (softmax applied twice); the fix returns the "
                     "affine output."),
    dict(id="chiphuyen-tf1-logreg-optimizer-runs-on-test-set", repo="chiphuyen/stanford-tensorflow-tutorials",
         path="examples/03_logistic_regression_mnist_sol.py", fix="642ba95",
         framework="tf", category="DATA_SPLIT",
         line=(r"_, loss_batch, logits_batch = sess\.run\(\[optimizer, loss, logits\]", 1), alt=[],
         description="The test loop fetches the optimizer with the loss and logits, so every test batch also "
                     "trains the model on the test set; the fix fetches only loss and logits."),
]

# deepmufl: Keras programs reproduced from Stack Overflow questions (Apache-2.0), buggy only.
# Only ids that appear in the dataset's own Stack Overflow query (Dataset/raw-so-query.csv): the
# few bugs it took from earlier tools' datasets, which may be reserved, are left out.
# (so_id, category, bug-line pattern (regex, nth), alt patterns, description)
DEEPMUFL_BUGS: list = [
    ('34673164', 'ACTIVATION_LOSS', ("model\\.compile\\(loss='mean_squared_error',\\ optimizer=sgd\\)", 1), [("model\\.add\\(Activation\\('softmax'\\)\\)", 1)],
     'Two-class softmax classifier trained with mean_squared_error instead of a cross-entropy loss.'),
    ('41596619', 'LABELS', ("model\\.add\\(Dense\\(1,\\ kernel_initializer='uniform',\\ activation='sigmoid'\\)\\)", 1), [("model\\.compile\\(loss='binary_crossentropy',\\ optimizer=opt,\\ metrics=\\['accuracy'\\]\\)", 1), ('y\\ =\\ numpy\\.array\\(\\[\\[1\\],\\ \\[1\\],\\ \\[1\\],\\ \\[2\\],\\ \\[2\\],\\ \\[2\\],\\ \\[3\\],\\ \\[3\\],\\ \\[3\\],\\ \\[0\\],\\ \\[0\\]\\]\\)', 1)],
     'Labels take four values (0-3) but the model ends in one sigmoid unit with binary_crossentropy.'),
    ('41823068', 'ACTIVATION_LOSS', ("model\\.add\\(Dense\\(5,\\ activation='sigmoid'\\)\\)", 1), [("model\\.compile\\(optimizer='rmsprop',\\ loss='categorical_crossentropy',\\ metrics=\\['accuracy'\\]\\)", 1)],
     'Five-class classifier ends in sigmoid units but is trained with categorical_crossentropy, which expects a softmax distribution.'),
    ('44755431', 'LAYER_ORDER', ('model\\.add\\(Dropout\\(0\\.5\\)\\)', 2), [('model\\.add\\(Dense\\(num_classes\\)\\)', 1), ("model\\.add\\(Activation\\('softmax'\\)\\)", 1)],
     'Dropout is placed between the output Dense layer and its softmax, randomly zeroing class logits.'),
    ('44758894', 'ACTIVATION_LOSS', ("model\\.add\\(Activation\\('relu'\\)\\)", 3), [("model\\.compile\\(loss='mse',\\ optimizer='sgd',\\ metrics=\\['accuracy'\\]\\)", 1), ('model\\.add\\(Dense\\(1\\)\\)\\ \\ \\#\\ 2\\ outputs\\ possible\\ \\(ok\\ or\\ nok\\)', 1)],
     'Binary classifier ends in a ReLU unit trained with mse, so the output is unbounded and can die at 0; a sigmoid with binary_crossentropy fits the 0/1 labels.'),
    ('46247619', 'ACTIVATION_LOSS', ("model\\.add\\(Dense\\(1,\\ activation='relu'\\)\\)", 1), [("model\\.compile\\(loss='mse',\\ optimizer=Adam\\(\\)\\)", 1)],
     'Regression on make_regression targets (negative and positive) ends in a ReLU, which cannot output negative values.'),
    ('46869312', 'LABELS', ('y\\ =\\ 2\\ \\*\\ \\(\\(y\\ \\-\\ mn\\)\\ /\\ \\(mx\\ \\-\\ mn\\)\\)\\ \\-\\ 1', 1), [("activation='sigmoid',", 1), ("model\\.compile\\(loss='binary_crossentropy',", 1)],
     'Targets are rescaled to [-1, 1] but the model ends in a sigmoid with binary_crossentropy, which needs targets in [0, 1].'),
    ('47735201', 'ACTIVATION_LOSS', ("x\\ =\\ Conv2D\\(10,\\ \\(1,\\ 1\\),\\ activation='relu'\\)\\(x\\)", 1), [("x\\ =\\ Activation\\(activation='softmax'\\)\\(x\\)", 1)],
     'The last 1x1 convolution that produces the class scores has a ReLU, clipping the logits before the softmax.'),
    ('48385830', 'ACTIVATION_LOSS', ('layer1\\ =\\ Dense\\(30,', 1), [('layer2\\ =\\ Dense\\(10,', 1), ('model\\.compile\\(optimizer=SGD\\(learning_rate=3\\.0\\),', 1)],
     'Both Dense layers have no activation, so the network is linear (and trained with lr=3.0 on mse).'),
    ('48486598', 'ACTIVATION_LOSS', ('model\\.add\\(Dense\\(5\\)\\)', 1), [('model\\.add\\(Dense\\(1,\\ input_shape=\\(1,\\)\\)\\)', 1)],
     'Hidden layers have no activation, so the model is linear and cannot fit the polynomial.'),
    ('48976413', 'ACTIVATION_LOSS', ("model\\.add\\(Dense\\(1,\\ activation='sigmoid'\\)\\)", 1), [("model\\.compile\\(loss='mse',\\ optimizer='adam',\\ metrics=\\['mse',\\ 'mae',\\ 'mape',\\ 'accuracy'\\]\\)", 1)],
     'Regression of unscaled car prices ends in a sigmoid, which only outputs values in (0, 1).'),
    ('50338865', 'ACTIVATION_LOSS', ('model\\.add\\(Dense\\(2\\)\\)', 1), [("model\\.compile\\(loss='mae',\\ optimizer='adam'\\)", 1)],
     'XOR classifier with one-hot targets ends in a linear Dense(2) trained with mae instead of softmax and cross-entropy.'),
    ('50555434', 'ACTIVATION_LOSS', ("model\\.add\\(Dense\\(6,\\ kernel_initializer='normal',\\ activation='sigmoid'\\)\\)", 1), [('model\\.compile\\(optimizer="adam",\\ loss=\'mae\'\\)', 1)],
     'Targets are divided by their row sum (any real value) but the output layer is a sigmoid bounded to (0, 1).'),
    ('52566823', 'ACTIVATION_LOSS', ("model\\.add\\(Dense\\(1,\\ activation='sigmoid'\\)\\)", 1), [("model\\.compile\\(sgd,\\ 'mse'\\)", 1)],
     'Regression on unbounded make_regression targets ends in a sigmoid unit.'),
    ('54064299', 'SHAPE', ('model\\.add\\(Dense\\(64\\)\\)', 1), [('model\\.add\\(Flatten\\(\\)\\)', 1)],
     'Dense is applied to the 4-D convolution output before Flatten, so it acts per pixel instead of on the feature vector.'),
    ('54282951', 'ACTIVATION_LOSS', ('model\\.add\\(Dense\\(1\\)\\)', 1), [("model\\.compile\\(loss='binary_crossentropy',\\ optimizer='rmsprop',\\ metrics=\\['accuracy'\\]\\)", 1)],
     'Binary classifier ends in a linear Dense(1) but is trained with binary_crossentropy, which expects probabilities.'),
    ('54738769', 'ACTIVATION_LOSS', ("model\\.add\\(Dense\\(1,\\ activation='softmax'\\)\\)", 1), [("model\\.compile\\(loss='mean_squared_error',\\ optimizer='adam'\\)", 1)],
     'Regression ends in Dense(1, softmax), which always outputs 1.0.'),
    ('56317174', 'LABELS', ('y\\ =\\ scaler_y\\.fit_transform\\(\\[y\\]\\)\\[0\\]', 1), [("model\\.add\\(Dense\\(1,\\ activation='sigmoid'\\)\\)", 1)],
     'The 0/1 labels are rescaled to [-1, 1] while the output is a sigmoid bounded to (0, 1).'),
    ('56774954', 'ACTIVATION_LOSS', ("outputs\\ =\\ Dense\\(n,\\ activation='softmax'\\)\\(hidden\\)", 1), [("loss='poisson',", 1)],
     'Three regression targets are predicted through a softmax, whose outputs sum to 1.'),
    ('56888491', 'SHAPE', ("model\\.add\\(Dense\\(training_inputs\\[0\\],\\ activation='linear'\\)\\)", 1), [("model\\.add\\(Dense\\(len\\(training_outputs\\[0\\]\\),\\ activation='softmax'\\)\\)", 1)],
     'Dense is given a data row (training_inputs[0]) as its unit count, and the output size is taken from len() of a scalar label.'),
    ('57943425', 'ACTIVATION_LOSS', ('model\\.add\\(Activation\\("sigmoid"\\)\\)', 1), [('model\\.compile\\(loss="sparse_categorical_crossentropy",\\ optimizer=opt,\\ metrics=\\["accuracy"\\]\\)', 1)],
     'Two-class output uses sigmoid units with sparse_categorical_crossentropy, which expects a softmax distribution.'),
    ('59758722', 'ACTIVATION_LOSS', ("model\\.add\\(Dense\\(1,\\ activation='relu'\\)\\)", 1), [("model\\.compile\\(loss='mean_squared_error',\\ optimizer='RMSprop'\\)", 1)],
     'Regression on targets with negative values ends in a ReLU unit.'),
    ('60574843', 'ACTIVATION_LOSS', ("model10\\.add\\(Dense\\(units=1,\\ activation='sigmoid'\\)\\)", 1), [("model10\\.compile\\(loss=\\['mse'\\],\\ optimizer='adam',\\ metrics=\\['mse'\\]\\)", 1)],
     'Regression on unbounded targets ends in a sigmoid unit.'),
    ('60801900', 'ACTIVATION_LOSS', ("model\\.add\\(Dense\\(3,\\ activation='relu'\\)\\)", 1), [("model\\.compile\\(optimizer='adam',\\ loss='mse',\\ metrics=\\['accuracy'\\]\\)", 1)],
     'Autoencoder reconstructs inputs scaled to about [-1.9, 1.9] through a ReLU output, which cannot produce negative values.'),
    ('60831731', 'LABELS', ('model\\.fit\\(scaled_train_labels,\\ scaled_train_labels,\\ validation_split=0\\.2,\\ batch_size=10,\\ epochs=20,\\ shuffle=True,', 1), [],
     'fit() is given the labels as inputs (scaled_train_labels twice) instead of the samples.'),
    ('60874661', 'LABELS', ('model\\.add\\(Dense\\(1\\)\\)', 1), [("model\\.add\\(Activation\\('sigmoid'\\)\\)", 1), ("model\\.compile\\(loss='binary_crossentropy',\\ optimizer='rmsprop',\\ metrics=\\['accuracy'\\]\\)", 1)],
     'CIFAR-10 has ten classes but the model ends in one sigmoid unit with binary_crossentropy.'),
    ('61274792', 'DTYPE', ('Embedding\\(numberOfWords,\\ embedding_vector_length,\\ input_length=1000\\),', 1), [('X\\ =\\ normalize\\(X\\)', 1)],
     'Embedding is fed normalized real-valued features instead of integer token ids.'),
    ('61763616', 'ACTIVATION_LOSS', ("model_05_01\\.add\\(Dense\\(2,\\ activation='sigmoid'\\)\\)", 1), [("model_05_01\\.compile\\(loss='logcosh',\\ optimizer='adam',\\ metrics=\\['accuracy'\\]\\)", 1)],
     'Binary labels of shape (n,) are fitted by Dense(2, sigmoid) with the logcosh loss.'),
    ('61997645', 'ACTIVATION_LOSS', ("model\\.add\\(Dense\\(units=1,\\ activation='softmax'\\)\\)", 1), [("model\\.compile\\(optimizer='adam',\\ loss='mse',\\ metrics=\\['accuracy'\\]\\)", 1)],
     'Binary output uses Dense(1, softmax), which always outputs 1.0, trained with mse.'),
    ('62055783', 'LABELS', ("model\\.compile\\(optimizer='adam',\\ loss=CategoricalCrossentropy\\(from_logits=True\\),\\ metrics=\\['accuracy'\\]\\)", 1), [('model\\.fit\\(X,\\ y,\\ epochs=epochs,\\ batch_size=batch_size,\\ validation_split=0\\.2,\\ shuffle=True\\)', 1)],
     'Integer class labels are used with CategoricalCrossentropy, which expects one-hot targets.'),
    ('62068109', 'LABELS', ('model\\.add\\(Dense\\(1\\)\\)', 1), [("model\\.add\\(Activation\\('sigmoid'\\)\\)", 1), ("model\\.compile\\(loss='binary_crossentropy',", 1)],
     'Four classes are predicted with one sigmoid unit and binary_crossentropy.'),
    ('62313327', 'ACTIVATION_LOSS', ('model\\.add\\(layers\\.Dense\\(1,\\ activation="sigmoid"\\)\\)', 1), [('model\\.add\\(layers\\.Dense\\(1,\\ activation="relu",\\ input_shape=\\(30,\\ \\)\\)\\)', 1)],
     'Target vec[1] lies in [-1, 1] but the output is a sigmoid behind a one-unit ReLU layer.'),
    ('62957334', 'ACTIVATION_LOSS', ("model\\.compile\\(optimizer=Nadam\\(\\),\\ loss='mape'\\)", 1), [("model\\.add\\(Dense\\(units=1,\\ activation='sigmoid'\\)\\)", 1)],
     'Binary 0/1 labels with the mape loss, which divides by the target (zero for half the labels).'),
    ('66087653', 'ACTIVATION_LOSS', ('model\\.add\\(Dense\\(1,\\ activation="softmax"\\)\\)', 1), [('model\\.compile\\(loss="binary_crossentropy",\\ optimizer="adam",\\ metrics=\\["accuracy"\\]\\)', 1)],
     'Binary classifier ends in Dense(1, softmax), which always outputs 1.0.'),
    ('66235657', 'LABELS', ('model\\.add\\(Dense\\(1\\)\\)', 1), [("model\\.add\\(Activation\\('sigmoid'\\)\\)", 1), ("model\\.compile\\(loss='binary_crossentropy',", 1)],
     'The HMNIST labels have seven classes but the model ends in one sigmoid unit with binary_crossentropy.'),
    ('68458462', 'ACTIVATION_LOSS', ("keras\\.layers\\.Dense\\(4,\\ activation='sigmoid'\\),", 1), [('loss="mean_squared_error",\\ optimizer="adam",\\ metrics=\\["accuracy"\\]', 1)],
     'Targets take values up to 4 but the output layer is a sigmoid bounded to (0, 1).'),
    ('68701979', 'LABELS', ('model\\.compile\\(loss="categorical_crossentropy",\\ metrics=metrics,\\ optimizer="sgd"\\)', 1), [('model\\.evaluate\\(X_test,\\ y_test\\)', 1)],
     'Integer labels of shape (n,) with categorical_crossentropy and Dense(2, softmax); the model is also evaluated without being fitted.'),
    ('69787272', 'ACTIVATION_LOSS', ('model\\.add\\(tf\\.keras\\.layers\\.Dense\\(1,\\ activation=act\\)\\)', 1), [('model\\.compile\\(loss=loss,', 1)],
     'Binary classifier ends in a ReLU unit with binary_crossentropy, behind a one-unit ReLU layer.'),
]


def git(repo: str, *args: str) -> bytes:
    gitdir = Path(os.environ.get("MIRROR", "/work/.mirror")) / repo.replace("/", "+") / "repo"
    if (gitdir / ".git").is_dir():  # a clone with a work tree
        gitdir = gitdir / ".git"
    return subprocess.run(["git", "--git-dir", str(gitdir), *args], check=True,
                          capture_output=True).stdout


def program(repo: str, commit: str, path: str) -> str:
    text = git(repo, "show", f"{commit}:{path}").decode("utf-8")
    if path.endswith(".ipynb"):
        text = notebook_code(text)
    return text if text.endswith("\n") else text + "\n"


def find_line(text: str, pattern) -> int:
    regex, nth = pattern
    hits = [i + 1 for i, line in enumerate(text.splitlines()) if re.search(regex, line)]
    if len(hits) < nth:
        raise SystemExit(f"pattern not found ({nth}): {regex!r}")
    return hits[nth - 1]


def rev(repo: str, spec: str) -> str:
    return git(repo, "rev-parse", f"{spec}^{{commit}}").decode().strip()


def _fix_entry(e: dict, taken: set):
    fix = rev(e["repo"], e["fix"])
    buggy = rev(e["repo"], e.get("buggy", f"{fix}^"))
    if (e["repo"], e["path"], fix) in taken:
        raise SystemExit(f"{e['id']}: already in the shared set")
    bug = program(e["repo"], buggy, e["path"])
    fixed = program(e["repo"], fix, e["path"])
    line = find_line(bug, e["line"])
    return {
        "id": e["id"], "source_repo": e["repo"], "source_path": e["path"], "commit": buggy,
        "fix_commit": fix, "framework": e["framework"], "category": e["category"], "line": line,
        "alt_lines": [find_line(bug, p) for p in e["alt"]], "description": e["description"],
        "has_fixed": True, "license": (LICENSES | KERAS_TF2_LICENSES)[e["repo"]], "source_so_id": None,
    }, bug, fixed


def entries():
    reserved = set(RESERVED.read_text().split()) if RESERVED.exists() else set()
    shared = json.loads(SHARED_MANIFEST.read_text()) if SHARED_MANIFEST.exists() else []
    taken = {(c["source_repo"], c["source_path"], c.get("fix_commit") or c.get("commit")) for c in shared}
    taken_so = {c.get("source_so_id") for c in shared if c.get("source_so_id")}
    for e in FIXES:
        yield _fix_entry(e, taken)
    queried = set(re.findall(r"questions/(\d+)", git(DEEPMUFL, "show", f"{DEEPMUFL_COMMIT}:Dataset/raw-so-query.csv")
                                .decode("utf-8", "replace")))
    for so_id, category, pattern, alt, description in DEEPMUFL_BUGS:
        if so_id in reserved or so_id in taken_so or so_id not in queried:
            raise SystemExit(f"deepmufl {so_id}: reserved, already in the shared set, or not from its query")
        path = f"Dataset/all-bugs/{so_id}/bug.py"
        bug = program(DEEPMUFL, DEEPMUFL_COMMIT, path)
        yield {
            "id": f"deepmufl-so{so_id}", "source_repo": DEEPMUFL, "source_path": path,
            "commit": DEEPMUFL_COMMIT, "framework": "keras", "category": category,
            "line": find_line(bug, pattern), "alt_lines": [find_line(bug, p) for p in alt],
            "description": description, "has_fixed": False, "license": LICENSES[DEEPMUFL],
            "source_so_id": so_id,
        }, bug, None
    for e in PIPELINE_FIXES + FIXES_TORCH_TF1:
        yield _fix_entry(e, taken)
    for e in KERAS_TF2_FIXES:
        yield _fix_entry(e, taken)
    for e in (SHAPE_GRAD_FIXES + KERAS_TF2_MORE + MORE_TORCH_TF1_FIXES + TORCH_RL_FIXES + KERAS_TF2_THIRD
              + KERAS_TF2_FOURTH + TORCH_FOURTH + KERAS_FIFTH + TORCH_TF1_FIFTH + TORCH_SIXTH + ROUND27):
        yield _fix_entry(e, taken)


def project(entry: dict) -> dict[str, str]:
    """The project modules the entry's programs import, {file name under files/: text}; sets the
    manifest's `project_files` (and `fixed_project_files`). The fixed version's folder holds only
    the modules that differ from the buggy version's."""
    out, buggy = {}, {}
    for field, commit, folder in (("project_files", entry["commit"], f"{entry['id']}.project"),
                                  ("fixed_project_files", entry["fix_commit"], f"{entry['id']}.fixed.project")):
        if field == "fixed_project_files" and not entry["has_fixed"]:
            continue
        tree = set(git(entry["source_repo"], "ls-tree", "-r", "--name-only", commit).decode("utf-8").splitlines())
        paths = project_files(lambda path: program(entry["source_repo"], commit, path), tree, entry["source_path"],
                              tuple(IMPORTERS.get(entry["id"], ())))
        entry[field] = paths
        for path in paths:
            text = program(entry["source_repo"], commit, path)
            if field == "project_files":
                buggy[path] = text
            if buggy.get(path) != text or field == "project_files":
                out[f"{folder}/{path}"] = text
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare with the committed files")
    args = ap.parse_args(argv)
    files = HERE / "files"
    manifest, differ = [], []
    for entry, bug, fixed in entries():
        manifest.append(entry)
        extra = project(entry) if entry["id"] in PROJECT else {}
        for name, text in ((f"{entry['id']}.py", bug), (f"{entry['id']}.fixed.py", fixed), *extra.items()):
            if text is None:
                continue
            dest = files / name
            if args.check:
                if not dest.exists() or dest.read_bytes().decode("utf-8") != text:  # bytes: keep CRLF sources
                    differ.append(name)
            else:
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_text(text)
    ids = [e["id"] for e in manifest]
    if len(ids) != len(set(ids)):
        raise SystemExit("duplicate ids")
    if args.check:
        print(f"{len(manifest)} programs, {len(differ)} differ: {differ}")
        return 1 if differ else 0
    (HERE / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"{len(manifest)} programs written to {files}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
