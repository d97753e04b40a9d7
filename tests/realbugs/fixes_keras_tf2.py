"""Keras (standalone Keras 1/2/3, tf.keras) and TF2 bugs from public fix commits.

Same fields as `FIXES` in build.py, plus `license`: (id, repo, path, fix (the fix commit; the
buggy program is the path at fix^ unless `buggy` names another commit), framework, category,
bug-line pattern (regex, nth match), alt-line patterns, description). Where a pull request's
own commit was squashed into the default branch, `fix` is the commit on the default branch.
"""
from __future__ import annotations

APACHE = "Apache-2.0"
MIT = "MIT"

KERAS = "keras-team/keras"
HOML2 = "ageron/handson-ml2"
HOML3 = "ageron/handson-ml3"
TFDL = "mrdbourke/tensorflow-deep-learning"
TFDOCS = "tensorflow/docs"
DLWP = "fchollet/deep-learning-with-python-notebooks"
TFEX = "tensorflow/examples"
HOCV = "PacktPublishing/Hands-On-Computer-Vision-with-TensorFlow-2"
DLTF2 = "PacktPublishing/Deep-Learning-with-TensorFlow-2-and-Keras"
YOLO = "zzh8829/yolov3-tf2"
AYMERIC = "aymericdamien/TensorFlow-Examples"

LICENSES = {KERAS: APACHE, HOML2: APACHE, HOML3: APACHE, TFDL: MIT, TFDOCS: APACHE, DLWP: MIT, TFEX: APACHE,
            HOCV: MIT, DLTF2: MIT, YOLO: MIT, AYMERIC: MIT}

KERAS_TF2_FIXES = [
    # keras-team/keras examples/ (Keras 1 and 2)
    dict(id="keras-examples-capsule-margin-loss-not-summed", repo=KERAS,
         path="examples/cifar10_cnn_capsule.py", fix="500401bac7",
         framework="keras", category="ACTIVATION_LOSS",
         line=(r"return y_true \* K\.square\(K\.relu\(1 - margin - y_pred\)\)", 1),
         alt=[(r"model\.compile\(loss=margin_loss", 1)],
         description="The custom margin loss returns one value per class instead of summing over the "
                     "classes, so Keras averages it and the loss is ten times smaller than the margin loss; "
                     "the fix wraps it in K.sum(..., axis=-1)."),
    dict(id="keras-examples-glove-embedding-matrix-one-row-short", repo=KERAS,
         path="examples/pretrained_word_embeddings.py", fix="4b9ba1b3fa",
         framework="keras", category="SHAPE", line=(r"^num_words = min\(MAX_NUM_WORDS, len\(word_index\)\)", 1),
         alt=[(r"embedding_layer = Embedding\(num_words,", 1)],
         description="Tokenizer word ids start at 1, so with fewer words than MAX_NUM_WORDS the largest id "
                     "equals len(word_index), one past the embedding matrix and the Embedding layer; the fix "
                     "adds 1."),
    dict(id="keras-examples-sklearn-wrapper-relu-outside-loop", repo=KERAS,
         path="examples/mnist_sklearn_wrapper.py", fix="48e1e8458e",
         framework="keras", category="ACTIVATION_LOSS", line=(r"^    model\.add\(Activation\('relu'\)\)", 3),
         alt=[(r"model\.add\(Dense\(layer_size\)\)", 1)],
         description="The ReLU meant for each hidden Dense layer is added once after the loop, so the stacked "
                     "Dense layers have no nonlinearity between them; the fix indents it into the loop."),
    dict(id="keras-examples-vae-reconstruction-loss-not-scaled", repo=KERAS,
         path="examples/variational_autoencoder.py", fix="257ace722c",
         framework="keras", category="ACTIVATION_LOSS",
         line=(r"xent_loss = objectives\.binary_crossentropy\(x, x_decoded_mean\)", 1), alt=[],
         description="binary_crossentropy averages over the 784 pixels while the KL term sums over the latent "
                     "dimensions, so the reconstruction term is 784 times too weak; the fix multiplies it by "
                     "original_dim."),
    dict(id="keras-examples-sklearn-wrapper-channels-first-input", repo=KERAS,
         path="examples/mnist_sklearn_wrapper.py", fix="757b3ed1b0",
         framework="keras", category="SHAPE", line=(r"input_shape=\(1, img_rows, img_cols\)", 1),
         alt=[(r"X_train = X_train\.reshape\(X_train\.shape\[0\], 1, img_rows, img_cols\)", 1)],
         description="Images are reshaped channels-first (1, 28, 28) and the first convolution is given that "
                     "input_shape, but the default dim ordering is TensorFlow's channels-last, so the 3x3 "
                     "convolution runs over a height of 1; the fix sets dim_ordering='th'."),
    dict(id="keras-examples-vae-deconv-samples-with-variance", repo=KERAS,
         path="examples/variational_autoencoder_deconv.py", fix="0ba6d95e76",
         framework="keras", category="WIRING", line=(r"return z_mean \+ K\.exp\(z_log_var\) \* epsilon", 1),
         alt=[],
         description="The reparameterization samples z_mean + exp(z_log_var) * eps, using the variance where "
                     "the standard deviation exp(0.5 * z_log_var) belongs; the fix halves the log-variance."),
    dict(id="keras-examples-vae-deconv-kl-mean-not-sum", repo=KERAS,
         path="examples/variational_autoencoder_deconv.py", fix="10b46cbdc4",
         framework="keras", category="ACTIVATION_LOSS",
         line=(r"kl_loss = - 0\.5 \* K\.mean\(1 \+ z_log_var", 1), alt=[],
         description="The KL divergence of the VAE is averaged over the latent dimensions instead of summed, "
                     "which under-weights it against the pixel-summed reconstruction term; the fix uses K.sum."),
    dict(id="keras-examples-stateful-lstm-shuffled-batches", repo=KERAS,
         path="examples/stateful_lstm.py", fix="ff2f8ac69b",
         framework="keras", category="TRAINING_LOOP", line=(r"^\s+nb_epoch=1\)", 1),
         alt=[(r"stateful=True\)\)", 1)],
         description="A stateful LSTM is fitted with fit()'s default shuffle=True, so consecutive batches are "
                     "not consecutive in time and the carried state is meaningless; the fix passes "
                     "shuffle=False."),
    dict(id="keras-examples-lstm-seq2seq-padding-targets-not-encoded", repo=KERAS,
         path="examples/lstm_seq2seq.py", fix="8315a0b7b9",
         framework="keras", category="LABELS",
         line=(r"decoder_target_data\[i, t - 1, target_token_index\[char\]\] = 1\.", 1),
         alt=[(r"model\.compile\(optimizer='rmsprop', loss='categorical_crossentropy'\)", 1)],
         description="Time steps past the end of each sentence are left as all-zero rows in the one-hot "
                     "inputs and targets, so categorical_crossentropy gets targets that are no class at all "
                     "(22 % accuracy); the fix one-hot encodes the padding character there."),
    dict(id="keras-examples-memnn-attention-without-softmax", repo=KERAS,
         path="examples/babi_memnn.py", fix="b8fddc862e",
         framework="keras", category="ACTIVATION_LOSS", line=(r"dot_axes=\[2, 2\]\)\)", 1),
         alt=[(r"match\.add\(Merge\(\[input_encoder_m, question_encoder\]", 1)],
         description="The memory network's match scores (dot product of story and question embeddings) are "
                     "used as attention weights without the softmax the model needs; the fix adds "
                     "Activation('softmax')."),
    dict(id="keras-examples-pointnet-lr-decay-never-applies", repo=KERAS,
         path="examples/keras_io/vision/pointnet_segmentation.py", fix="f1b5858e72",
         framework="keras", category="HYPERPARAMETER", line=(r"decay_steps=total_training_steps \* 5", 1),
         alt=[],
         description="The staircase learning-rate decay steps every total_training_steps * 5 steps, five times "
                     "the whole run, so the rate never decays; the fix decays every five epochs."),
    dict(id="keras-examples-vae-load-weights-returns-none", repo=KERAS,
         path="examples/variational_autoencoder.py", fix="cc380c48f8",
         framework="keras", category="WIRING", line=(r"vae = vae\.load_weights\(args\.weights\)", 1), alt=[],
         description="vae = vae.load_weights(...) rebinds the model to load_weights' return value (None), so "
                     "the later plotting with the model fails; the fix calls load_weights for its effect."),
    dict(id="keras-examples-style-gram-over-pixels-channels-last", repo=KERAS,
         path="examples/neural_style_transfer.py", fix="f5ad1c5753",
         framework="keras", category="SHAPE", line=(r"^    features = K\.batch_flatten\(x\)", 1), alt=[],
         description="The style loss's Gram matrix flattens the (rows, cols, channels) feature map as it is, "
                     "which is right only for channels-first data; under TensorFlow's channels-last ordering it "
                     "correlates pixels instead of channels; the fix permutes channels first."),
    dict(id="keras-examples-doodle-int-channel-count-division", repo=KERAS,
         path="examples/neural_doodle.py", fix="e177397427",
         framework="keras", category="DTYPE",
         line=(r"s = gram_matrix\(masked_style\) / K\.mean\(style_mask\) / num_channels", 1),
         alt=[(r"num_channels = K\.shape\(style_image\)\[-1\]", 1)],
         description="The style loss divides float tensors by num_channels = K.shape(...)[-1], an int32 tensor, "
                     "which TensorFlow refuses (no implicit casts); the fix casts it to float32."),
    dict(id="keras-examples-text-generation-overwrites-training-x", repo=KERAS,
         path="examples/lstm_text_generation.py", fix="fd3ac2a93e",
         framework="keras", category="WIRING", line=(r"^            x = np\.zeros\(\(1, maxlen, len\(chars\)\)\)", 1),
         alt=[(r"^    model\.fit\(x, y,", 1)],
         description="The sampling code after each training iteration reuses the name x for its one-sentence "
                     "input, so the next model.fit(x, y) trains on that single sample against all the targets; "
                     "the fix names it x_pred."),
    dict(id="keras-examples-newsgroups-headers-leak-label", repo=KERAS,
         path="examples/pretrained_word_embeddings.py", fix="65ce238f03",
         framework="keras", category="DATA_SPLIT", line=(r"texts\.append\(f\.read\(\)\)", 1), alt=[],
         description="The 20 Newsgroups posts are read with their headers, whose Newsgroups: line names the "
                     "class the model is trained to predict; the fix drops the header."),
    dict(id="keras-examples-vae-epsilon-std-not-unit", repo=KERAS,
         path="examples/variational_autoencoder.py", fix="71494ffdbc",
         framework="keras", category="HYPERPARAMETER", line=(r"^epsilon_std = 0\.01", 1),
         alt=[(r"std=epsilon_std\)", 1)],
         description="The reparameterization noise is drawn with standard deviation 0.01 while the KL term "
                     "assumes a unit Gaussian prior, so the sampled codes barely vary; the fix uses 1.0."),
    # fchollet/deep-learning-with-python-notebooks (a pull request's own fix)
    dict(id="dlwp-concat-network-embedding-args-swapped", repo=DLWP,
         path="7.1.2-build-a-concatenate-network.ipynb", fix="4126a30",
         framework="keras", category="SHAPE",
         line=(r"embedded_text = layers\.Embedding\(64, text_vocabulary_size\)", 1),
         alt=[(r"embedded_question = layers\.Embedding\(32, question_vocabulary_size\)", 1),
              (r"answers  = np\.random\.randint\(0,1,", 1)],
         description="Embedding(64, vocabulary_size) swaps input_dim and output_dim, so word ids up to 10,000 "
                     "index a 64-row table (and the random answers are all zeros); the fix passes "
                     "Embedding(vocabulary_size, 64) and randint(0, 2)."),
    # ageron/handson-ml2 and handson-ml3 (tf.keras)
    dict(id="ageron2-custom-rnn-state-without-batch-dim", repo=HOML2,
         path="15_processing_sequences_using_rnns_and_cnns.ipynb", fix="a2ce4ec",
         framework="keras", category="SHAPE",
         line=(r"return \[tf\.zeros\(\[self\.cell\.state_size\], dtype=inputs\.dtype\)\]", 1),
         alt=[(r"outputs = tf\.zeros\(shape=\[n_steps, self\.cell\.output_size\]", 1),
              (r"return sequences\.stack\(\)", 1)],
         description="The hand-written RNN layer builds its initial state and outputs without the batch "
                     "dimension ([state_size], [n_steps, units]) and returns the stacked sequence time-major; "
                     "the fix adds the batch size and transposes to batch-major."),
    dict(id="ageron2-mean-embedding-counts-padding", repo=HOML2,
         path="13_loading_and_preprocessing_data.ipynb", fix="0459e92",
         framework="keras", category="WIRING",
         line=(r"return tf\.reduce_mean\(inputs, axis=1\) \* sqrt_n_words", 1), alt=[],
         description="The custom layer meant to average word embeddings over the non-padding tokens takes "
                     "reduce_mean over all positions (padding included) and multiplies by sqrt(n_words); the "
                     "fix divides the sum by sqrt(n_words)."),
    dict(id="ageron2-transfer-learning-shares-model-a-layers", repo=HOML2,
         path="11_training_deep_neural_networks.ipynb", fix="cf093c8",
         framework="keras", category="WIRING",
         line=(r"model_B_on_A = keras\.models\.Sequential\(model_A\.layers\[:-1\]\)", 1), alt=[],
         description="model_B_on_A is built from model_A's own layers, so training it also changes model_A, "
                     "which the notebook then treats as untouched; the fix builds it from a clone."),
    dict(id="ageron3-normalization-layer-not-adapted", repo=HOML3,
         path="10_neural_nets_with_keras.ipynb", fix="ddfc427",
         framework="keras", category="SCALING", line=(r"X = norm_layer\(X\)", 1),
         alt=[(r"norm_layer = tf\.keras\.layers\.Normalization\(\)$", 1)],
         description="A Normalization layer is applied to the training data without adapt(), so it keeps its "
                     "initial mean 0 and variance 1 and does not normalize; the fix calls norm_layer.adapt(X)."),
    # mrdbourke/tensorflow-deep-learning (tf.keras)
    dict(id="mrdbourke-nlp-10-percent-subset-leaks-validation", repo=TFDL,
         path="08_introduction_to_nlp_in_tensorflow.ipynb", fix="967082e",
         framework="keras", category="DATA_SPLIT",
         line=(r'train_10_percent = train_df_shuffled\[\["text", "target"\]\]\.sample', 1),
         alt=[(r"model_7_history = model_7\.fit\(", 1)],
         description="The 10 % training subset is sampled from the whole shuffled training frame, which also "
                     "holds the validation sentences the model is then scored on; the fix samples from the "
                     "training split only."),
    dict(id="mrdbourke-skimlit-token-model-skips-dense", repo=TFDL,
         path="09_SkimLit_nlp_milestone_project_2.ipynb", fix="b2a4673",
         framework="keras", category="LAYER_IGNORES_INPUT", line=(r"outputs=token_embeddings\)", 1),
         alt=[(r'token_outputs = layers\.Dense\(128, activation="relu"\)\(token_embeddings\)', 1)],
         description="The token branch computes token_outputs = Dense(128)(token_embeddings) but the Model is "
                     "built with outputs=token_embeddings, so the Dense layer is left out; the fix outputs "
                     "token_outputs."),
    dict(id="mrdbourke-nbeats-residual-uses-stale-backcast", repo=TFDL,
         path="10_time_series_forecasting_in_tensorflow.ipynb", fix="e568d64",
         framework="keras", category="WIRING",
         line=(r"^residuals, forecast = nbeats_block_layer\(stack_input\)", 1),
         alt=[(r'^residuals = layers\.subtract\(\[stack_input, backcast\], name=f"subtract_00"\)', 1)],
         description="The first N-BEATS block's backcast is bound to `residuals`, and the residual link then "
                     "subtracts `backcast`, a tensor left over from the earlier dummy-block demo; the fix binds "
                     "the block's output to backcast."),
    # tensorflow/docs (TF2, tf.keras, tf.data)
    dict(id="tfdocs-load-images-list-files-reshuffles-split", repo=TFDOCS,
         path="site/en/tutorials/load_data/images.ipynb", fix="27962d1d9",
         framework="tf", category="DATA_SPLIT",
         line=(r"list_ds = tf\.data\.Dataset\.list_files\(str\(data_dir/'\*/\*'\)\)", 1),
         alt=[(r"val_ds = list_ds\.take\(val_size\)", 1)],
         description="list_files shuffles the file list anew on every iteration, so the skip/take split into "
                     "training and validation sets draws different files each epoch and the two overlap; the "
                     "fix passes shuffle=False."),
    dict(id="tfdocs-load-text-validation-is-training-set", repo=TFDOCS,
         path="site/en/tutorials/load_data/text.ipynb", fix="ace5105ac",
         framework="tf", category="DATA_SPLIT", line=(r"split='train',", 2), alt=[(r"split='train',", 1)],
         description="The training and validation datasets are both loaded with split='train', so validation "
                     "measures accuracy on the training data; the fix splits train[:80%] / train[80%:]."),
    dict(id="tfdocs-early-stopping-comparison-inverted", repo=TFDOCS,
         path="site/en/guide/migrate/early_stopping.ipynb", fix="7b8363a23",
         framework="tf", category="TRAINING_LOOP", line=(r"if val_loss > best:", 1), alt=[],
         description="The custom TF2 training loop's early stopping records a new best when the validation loss "
                     "gets worse, so it stops on improvement; the fix compares val_loss < best."),
    dict(id="tfdocs-cnn-softmax-with-from-logits", repo=TFDOCS,
         path="site/en/tutorials/images/cnn.ipynb", fix="4efd96f91",
         framework="keras", category="ACTIVATION_LOSS",
         line=(r"model\.add\(layers\.Dense\(10, activation='softmax'\)\)", 1),
         alt=[(r"loss=tf\.keras\.losses\.SparseCategoricalCrossentropy\(from_logits=True\)", 1)],
         description="The CIFAR-10 CNN ends in a softmax and is compiled with "
                     "SparseCategoricalCrossentropy(from_logits=True), which applies a second softmax; the fix "
                     "leaves the last Dense layer linear."),
    dict(id="ageron2-valid-and-test-sets-read-training-files", repo=HOML2,
         path="13_loading_and_preprocessing_data.ipynb", fix="66813a7",
         framework="tf", category="DATA_SPLIT", line=(r"^valid_set = mnist_dataset\(train_filepaths\)", 1),
         alt=[(r"^test_set = mnist_dataset\(train_filepaths\)", 1)],
         description="The tf.data validation and test pipelines are built from train_filepaths, so both measure "
                     "the model on its training data; the fix reads valid_filepaths and test_filepaths."),
    dict(id="ageron2-dqn-target-q-broadcast-against-column", repo=HOML2,
         path="18_reinforcement_learning.ipynb", fix="c15040c",
         framework="tf", category="SHAPE",
         line=(r"target_Q_values = rewards \+ \(1 - dones\) \* discount_rate \* max_next_Q_values", 1),
         alt=[(r"loss = tf\.reduce_mean\(loss_fn\(target_Q_values, Q_values\)\)", 1)],
         description="In the GradientTape training step the targets have shape (batch,) while Q_values keeps "
                     "its column (batch, 1), so mean_squared_error broadcasts them to a (batch, batch) matrix; "
                     "the fix reshapes the targets to (-1, 1)."),
    dict(id="ageron2-transformer-decoder-drops-cross-attention", repo=HOML2,
         path="16_nlp_with_rnns_and_attention.ipynb", fix="152fe5c",
         framework="keras", category="WIRING", line=(r"final_enc = decoder_attn\(\[decoder_in, encoder_in\]\)", 1),
         alt=[(r"outputs = output_layer\(final_enc\)", 1)],
         description="Each of the six decoder blocks computes its encoder-decoder attention into final_enc, "
                     "which the next block overwrites without using, so only the last block sees the encoder, "
                     "and it sees the intermediate encoder states; the fix feeds each block's output onward and "
                     "attends to the final encoder outputs."),
    dict(id="ageron2-one-cycle-interpolation-reversed", repo=HOML2,
         path="11_training_deep_neural_networks.ipynb", fix="e1361d6",
         framework="keras", category="HYPERPARAMETER",
         line=(r"return \(\(rate2 - rate1\) \* \(iter2 - self\.iteration\)", 1), alt=[],
         description="The 1cycle callback interpolates with (iter2 - iteration) instead of (iteration - iter1), "
                     "so the learning rate runs each phase backwards (it jumps to the peak and falls); the fix "
                     "measures from the phase start."),
    dict(id="ageron3-stateful-rnn-validation-is-training-text", repo=HOML3,
         path="16_nlp_with_rnns_and_attention.ipynb", fix="de0f184",
         framework="tf", category="DATA_SPLIT",
         line=(r"stateful_valid_set = to_dataset_for_stateful_rnn\(encoded\[:1_000_000\]", 1),
         alt=[(r"stateful_train_set = to_dataset_for_stateful_rnn\(encoded\[:1_000_000\]", 1)],
         description="The stateful RNN's validation dataset is cut from the same first million characters as "
                     "the training dataset; the fix uses characters 1,000,000 to 1,060,000."),
    dict(id="ageron3-wide-path-skips-normalization", repo=HOML3,
         path="10_neural_nets_with_keras.ipynb", fix="bdd246b",
         framework="keras", category="SCALING", line=(r"concat = concat_layer\(\[input_, hidden2\]\)", 1),
         alt=[],
         description="In the wide-and-deep model the deep path gets the Normalization output but the wide path "
                     "concatenates the raw, unscaled input; the fix concatenates the normalized input."),
    dict(id="ageron3-piecewise-lr-boundaries-past-training", repo=HOML3,
         path="11_training_deep_neural_networks.ipynb", fix="f12f0ab",
         framework="keras", category="HYPERPARAMETER", line=(r"boundaries=\[50_000, 80_000\]", 1), alt=[],
         description="The PiecewiseConstantDecay boundaries (50,000 and 80,000 steps) lie past the whole "
                     "Fashion-MNIST run (about 1,719 steps per epoch), so the rate never drops; the fix uses "
                     "6,000 and 13,000."),
    dict(id="tfdocs-text-generation-stateful-gru-shuffled", repo=TFDOCS,
         path="site/en/tutorials/text/text_generation.ipynb", fix="92b73f214",
         framework="tf", category="TRAINING_LOOP",
         line=(r"dataset = dataset\.shuffle\(BUFFER_SIZE\)\.batch\(BATCH_SIZE, drop_remainder=True\)", 1),
         alt=[(r"stateful=True,", 1)],
         description="The text-generation GRU is stateful, but the tf.data pipeline shuffles the sequences "
                     "before batching, so a batch row does not continue the text of the same row in the previous "
                     "batch and the carried state is noise; the fix (a pull request's own commit) lays the "
                     "batches out contiguously."),
    # aymericdamien/TensorFlow-Examples (TF2 notebooks)
    dict(id="aymericdamien-tf2-nn-second-layer-never-called", repo=AYMERIC,
         path="tensorflow_v2/notebooks/3_NeuralNetworks/neural_network.ipynb", fix="2cf9bfd",
         framework="tf", category="LAYER_IGNORES_INPUT",
         line=(r"self\.fc2 = layers\.Dense\(n_hidden_2, activation=tf\.nn\.relu\)", 1),
         alt=[(r"^        x = self\.out\(x\)", 1)],
         description="The subclassed model defines fc2 but call() goes from fc1 straight to the output layer, "
                     "so the second hidden layer is never used; the fix calls self.fc2."),
    dict(id="aymericdamien-tf2-nn-raw-dict-values-added", repo=AYMERIC,
         path="tensorflow_v2/notebooks/3_NeuralNetworks/neural_network_raw.ipynb", fix="29df154",
         framework="tf", category="TRAINING_LOOP",
         line=(r"trainable_variables = weights\.values\(\) \+ biases\.values\(\)", 1),
         alt=[(r"gradients = g\.gradient\(loss, trainable_variables\)", 1)],
         description="The variables to differentiate are collected as weights.values() + biases.values(), "
                     "which Python 3 rejects (dict views do not support +), so the first optimization step "
                     "fails; the fix concatenates lists."),
    dict(id="aymericdamien-tf2-cnn-raw-dict-values-added", repo=AYMERIC,
         path="tensorflow_v2/notebooks/3_NeuralNetworks/convolutional_network_raw.ipynb", fix="39d9d0e",
         framework="tf", category="TRAINING_LOOP",
         line=(r"trainable_variables = weights\.values\(\) \+ biases\.values\(\)", 1),
         alt=[(r"gradients = g\.gradient\(loss, trainable_variables\)", 1)],
         description="The raw TF2 CNN collects its variables as weights.values() + biases.values(), which "
                     "Python 3 rejects, so training stops at the first step; the fix concatenates lists."),
    # tensorflow/examples (TF2)
    dict(id="tfexamples-nmt-distributed-global-batch-per-replica", repo=TFEX,
         path="tensorflow_examples/models/nmt_with_attention/distributed_train.py", fix="223265cd",
         framework="tf", category="SHAPE",
         line=(r"inp_lang, targ_lang, batch_size\)", 1), alt=[(r"local_bz = batch_size / strategy", 1)],
         description="Under a distribution strategy each replica sees batch_size / replicas examples, but the "
                     "training object gets the global batch size, from which it builds the decoder's start "
                     "tokens, so their batch dimension does not match the replica's targets; the fix passes "
                     "local_bz."),
    dict(id="tfexamples-densenet-regularization-divided-by-batch", repo=TFEX,
         path="tensorflow_examples/models/densenet/distributed_train.py", fix="55e79ef4",
         framework="tf", category="HYPERPARAMETER",
         line=(r"loss = loss \* \(1\. / self\.batch_size\)", 1), alt=[(r"loss \+= sum\(self\.model\.losses\)", 1)],
         description="The custom training step adds the weight-decay losses before dividing by the global batch "
                     "size, so regularization is batch-size times too weak; the fix scales only the per-example "
                     "loss and divides the regularization by the number of replicas."),
    # Packt book repositories (tf.keras)
    dict(id="hocv-fcn8s-upsamples-backbone-not-head", repo=HOCV,
         path="Chapter06/fcn.py", fix="e316b42",
         framework="keras", category="LAYER_IGNORES_INPUT",
         line=(r"use_bias=False, padding='same', activation='relu'\)\(f5\)", 1),
         alt=[(r"f5_conv3 = Conv2D\(filters=ch_out, kernel_size=1", 1)],
         description="FCN-8s upsamples the VGG backbone output f5 instead of the classifier head f5_conv3, so "
                     "the three head convolutions (with dropout) are built but never used; the fix upsamples "
                     "f5_conv3."),
    dict(id="dltf2-seq2seq-encoder-args-swapped", repo=DLTF2,
         path="Chapter 8/seq2seq_wo_attn.py", fix="6b1a7c4",
         framework="keras", category="SHAPE", line=(r"def __init__\(self, vocab_size, num_timesteps, ", 1),
         alt=[(r"^encoder = Encoder\(vocab_size_en\+1, embedding_dim, maxlen_en, encoder_dim\)", 1)],
         description="Encoder.__init__ takes (vocab_size, num_timesteps, embedding_dim, ...) but is called with "
                     "(vocab_size, embedding_dim, maxlen, ...), so the embedding width is the sentence length and "
                     "input_length the embedding size; the fix orders the parameters like the Decoder's."),
    dict(id="dltf2-skipgram-dot-over-batch-axis", repo=DLTF2,
         path="Chapter 7/tf2_skipgram_model.py", fix="8c30a4d",
         framework="keras", category="SHAPE", line=(r"self\.merge = tf\.keras\.layers\.Dot\(axes=0\)", 1),
         alt=[(r"x = self\.merge\(\[word_emb, context_emb\]\)", 1)],
         description="The skip-gram model takes the dot product of the word and context embeddings over axis 0, "
                     "the batch axis, instead of the embedding axis; the fix uses Dot(axes=1)."),
    # zzh8829/yolov3-tf2 (TF2 training code)
    dict(id="yolov3tf2-ignore-mask-mixes-images", repo=YOLO,
         path="yolov3_tf2/models.py", fix="fae3403",
         framework="tf", category="SHAPE",
         line=(r"true_box_flat = tf\.boolean_mask\(true_box, tf\.cast\(obj_mask, tf\.bool\)\)", 1),
         alt=[(r"best_iou = tf\.reduce_max\(broadcast_iou\(", 1)],
         description="The YOLO loss flattens the true boxes of the whole batch before computing each "
                     "prediction's best IoU, so predictions are matched against other images' boxes when the "
                     "ignore mask is built; the fix maps over the batch, one image at a time."),
    dict(id="yolov3tf2-freeze-checks-wrong-flag", repo=YOLO,
         path="train.py", fix="11fbc34",
         framework="keras", category="TRAINING_LOOP", line=(r"elif FLAGS\.mode == 'frozen':", 1), alt=[],
         description="The 'frozen' transfer option is tested against FLAGS.mode (fit / eager_fit / eager_tf), "
                     "which never equals 'frozen', so --transfer frozen trains every layer; the fix tests "
                     "FLAGS.transfer."),
    dict(id="yolov3tf2-boxes-assume-square-grid", repo=YOLO,
         path="yolov3_tf2/models.py", fix="4967bb2",
         framework="tf", category="SHAPE", line=(r"grid_size = tf\.shape\(pred\)\[1\]$", 1),
         alt=[(r"grid = tf\.meshgrid\(tf\.range\(grid_size\), tf\.range\(grid_size\)\)", 1)],
         description="yolo_boxes takes the grid size from the height alone and builds a square meshgrid, which "
                     "does not match the prediction tensor for non-square inputs; the fix uses both the height "
                     "and width."),
]
