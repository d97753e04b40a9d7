"""PyTorch and TF1 graph programs from fix commits (same fields as FIXES in build.py).

Each buggy program is the file at the fix commit's parent; the bug line is found by a pattern
in that text. Repositories without a license file are left out.
"""
from __future__ import annotations

LICENSES = {
    "yunjey/pytorch-tutorial": "MIT",
    "MorvanZhou/PyTorch-Tutorial": "MIT",
    "kuangliu/pytorch-cifar": "MIT",
    "AntixK/PyTorch-VAE": "Apache-2.0",
    "Hsintien-Ng/idinvert_pytorch-reproduced": "MIT",
    "wenet-e2e/wekws": "Apache-2.0",
    "pliang279/MultiBench": "MIT",
    "danielkelshaw/ConcreteDropout": "MIT",
    "samuelyu2002/ImVisible": "MIT",
    "BatsResearch/labelmodels": "Apache-2.0",
    "hwalsuklee/tensorflow-generative-model-collections": "Apache-2.0",
    "sjchoi86/Tensorflow-101": "MIT",
    "exelban/tensorflow-cifar-10": "MIT",
    "carpedm20/DCGAN-tensorflow": "MIT",
    "bentrevett/pytorch-image-classification": "MIT",
    "SeanNaren/deepspeech.pytorch": "MIT",
    "ibab/tensorflow-wavenet": "MIT",
}

TORCH = [
    dict(id="pytorch-examples-wlm-nll-on-raw-scores", repo="pytorch/examples",
         path="word_language_model/main.py", fix="4902431",
         framework="torch", category="ACTIVATION_LOSS", line=(r"^criterion = nn\.NLLLoss\(\)", 1),
         alt=[(r"loss = criterion\(output\.view\(-1, ntokens\), targets\)", 1)],
         description="The RNN model (model.py) returns raw decoder scores, but the loss is NLLLoss, which "
                     "expects log-probabilities; the fix makes the model return log_softmax."),
    dict(id="pytorch-examples-dcgan-samples-in-train-mode", repo="pytorch/examples",
         path="dcgan/main.py", fix="1c5aeec",
         framework="torch", category="TRAINING_LOOP", line=(r"fake = netG\(fixed_noise\)", 1), alt=[],
         description="The per-epoch samples from fixed_noise are generated with netG still in train mode, so "
                     "BatchNorm uses the statistics of the sample batch; the fix switches to eval() and back."),
    dict(id="yunjey-logreg-accuracy-integer-division", repo="yunjey/pytorch-tutorial",
         path="tutorials/01-basics/logistic_regression/main.py", fix="f1cfe23",
         framework="torch", category="DTYPE",
         line=(r"format\(100 \* correct / total\)\)", 1), alt=[(r"correct \+= \(predicted == labels\)\.sum\(\)", 1)],
         description="correct is an integer tensor, so 100 * correct / total is integer division (or an error, "
                     "depending on the version); the fix divides correct.item()."),
    dict(id="yunjey-basics-resnet-input-256", repo="yunjey/pytorch-tutorial",
         path="tutorials/01-basics/pytorch_basics/main.py", fix="f73f67e",
         framework="torch", category="SHAPE", line=(r"images = Variable\(torch\.randn\(10, 3, 256, 256\)\)", 1),
         alt=[],
         description="A 256x256 batch goes into the pretrained resnet18, whose fixed 7x7 average pool then "
                     "leaves a 2x2 map and the new fc layer gets the wrong size; the fix feeds 224x224."),
    dict(id="morvan-gpu-accuracy-integer-division", repo="MorvanZhou/PyTorch-Tutorial",
         path="tutorial-contents/502_GPU.py", fix="99158fd",
         framework="torch", category="DTYPE",
         line=(r"accuracy = torch\.sum\(pred_y == test_y\) / test_y\.size\(0\)", 1), alt=[],
         description="The count of correct predictions is an integer tensor divided by an int, so the test "
                     "accuracy truncates to 0; the fix casts to float first."),
    dict(id="pytorch-gan-ecgan-cycle-complement-wrong-pair", repo="eriklindernoren/PyTorch-GAN",
         path="implementations/ecgan/ecgan.py", fix="c2f68c8",
         framework="torch", category="WIRING",
         line=(r"loss_cycle_complement_A = criterion_cycle\(real_B, gen_imgs_A\)", 1),
         alt=[(r"loss_cycle_complement_B = criterion_cycle\(real_A, gen_imgs_B\)", 1)],
         description="The cycle-complement losses compare each generated image with the other domain's real "
                     "image (real_B with gen_imgs_A); the fix pairs each with its own domain."),
    dict(id="pytorch-gan-munit-style-loss-wrong-target", repo="eriklindernoren/PyTorch-GAN",
         path="implementations/munit/munit.py", fix="46bbce4",
         framework="torch", category="WIRING",
         line=(r"loss_s_1\s+= lambda_style\s+\* criterion_recon\(s_code_12, style_1\)", 1),
         alt=[(r"loss_s_2\s+= lambda_style\s+\* criterion_recon\(s_code_21, style_2\)", 1)],
         description="The style reconstruction loss compares the style code recovered from the 1->2 "
                     "translation with style_1 instead of the style_2 it was generated from; the fix swaps them."),
    dict(id="pytorch-gan-bicyclegan-d-lr-never-trained", repo="eriklindernoren/PyTorch-GAN",
         path="implementations/bicyclegan/bicyclegan.py", fix="b2c1838",
         framework="torch", category="NO_GRADIENT",
         line=(r"loss_D_LR = D_VAE\.compute_loss\(real_B, valid\)", 1),
         alt=[(r"optimizer_D_LR\.step\(\)", 1)],
         description="The D_LR discriminator's loss is computed with D_VAE, so optimizer_D_LR steps parameters "
                     "that never receive a gradient and D_LR is never trained; the fix uses D_LR."),
    dict(id="spro-char-rnn-target-scalar", repo="spro/practical-pytorch",
         path="char-rnn-generation/train.py", fix="7facb8c",
         framework="torch", category="SHAPE", line=(r"loss \+= criterion\(output, target\[c\]\)", 1), alt=[],
         description="CrossEntropyLoss gets a (1, n_chars) output with a 0-d target target[c]; the target needs "
                     "shape (1,), which the fix gives it with view([1])."),
    dict(id="pytorch-mdl-workflow-loss-tensors-kept", repo="mrdbourke/pytorch-deep-learning",
         path="01_pytorch_workflow.ipynb", fix="3ce1b7d",
         framework="torch", category="TRAINING_LOOP", line=(r"train_loss_values\.append\(loss\)", 1),
         alt=[(r"test_loss_values\.append\(test_loss\)", 1)],
         description="The training loss tensor (with its graph) is appended to a list for plotting, which keeps "
                     "every graph alive and fails when plotted; the fix stores loss.detach().numpy()."),
    dict(id="bentrevett-seq2seq-attention-over-padding", repo="bentrevett/pytorch-seq2seq",
         path="4 - Packed Padded Sequences, Masking and Inference.ipynb", fix="cc42403",
         framework="torch", category="WIRING", line=(r"return F\.softmax\(attention, dim=1\)", 1),
         alt=[(r"a = self\.attention\(hidden, encoder_outputs\)", 1)],
         description="The attention softmax runs over the padded source positions too; the fix passes the "
                     "source mask and fills padded scores with -1e10 before the softmax."),
    dict(id="udacity-pytorch-cifar-aug-loss-over-full-dataset", repo="udacity/deep-learning-v2-pytorch",
         path="convolutional-neural-networks/cifar-cnn/cifar10_cnn_augmentation.ipynb", fix="d71d2efa",
         framework="torch", category="TRAINING_LOOP",
         line=(r"train_loss = train_loss/len\(train_loader\.dataset\)", 1),
         alt=[(r"valid_loss = valid_loss/len\(valid_loader\.dataset\)", 1)],
         description="Train and validation loaders sample disjoint subsets of one dataset, but both sums are "
                     "divided by the full dataset size, so the reported losses are too small; the fix divides "
                     "by len(loader.sampler)."),
    dict(id="kuangliu-shufflenet-float-channels", repo="kuangliu/pytorch-cifar",
         path="models/shufflenet.py", fix="5772719",
         framework="torch", category="DTYPE", line=(r"mid_planes = out_planes/4", 1),
         alt=[(r"self\.conv1 = nn\.Conv2d\(in_planes, mid_planes", 1)],
         description="out_planes/4 is a float under Python 3 and is passed to Conv2d and BatchNorm2d as a "
                     "channel count (TypeError); the fix uses integer division."),
    dict(id="pytorch-vae-miwae-view-non-contiguous", repo="AntixK/PyTorch-VAE",
         path="models/miwae.py", fix="27b559f",
         framework="torch", category="SHAPE", line=(r"z = z\.view\(-1, self\.latent_dim\)", 1),
         alt=[(r"permute\(2, 0, 1, 3\)", 1)],
         description="z comes out of a permute and is not contiguous, so z.view(-1, latent_dim) raises; the fix "
                     "calls contiguous() first."),
    dict(id="idinvert-discriminator-no-zero-grad", repo="Hsintien-Ng/idinvert_pytorch-reproduced",
         path="training/training_loop_encoder.py", fix="cf33025",
         framework="torch", category="TRAINING_LOOP", line=(r"^\s+D_loss\.backward\(\)", 1),
         alt=[(r"^\s+optimizer_D\.step\(\)", 1)],
         description="The discriminator's gradients are never zeroed, so every step adds to the previous ones; "
                     "the fix calls optimizer_D.zero_grad() before backward()."),
    dict(id="wekws-executor-no-zero-grad", repo="wenet-e2e/wekws",
         path="kws/utils/executor.py", fix="141d407",
         framework="torch", category="TRAINING_LOOP", line=(r"^\s+loss\.backward\(\)", 1),
         alt=[(r"^\s+optimizer\.step\(\)", 1)],
         description="The training loop never zeroes gradients, so they accumulate over all batches; the fix "
                     "calls optimizer.zero_grad() before backward()."),
    dict(id="multibench-validation-in-train-mode", repo="pliang279/MultiBench",
         path="training_structures/Supervised_Learning.py", fix="f53d15d",
         framework="torch", category="TRAINING_LOOP", line=(r"^\s+model\.train\(\)", 4),
         alt=[(r"^\s+model\.train\(\)", 5), (r"^\s+model\.eval\(\)", 1)],
         description="The validation loop calls model.eval() and then model.train() before every batch, so "
                     "validation runs with dropout and batch statistics; the fix removes the train() calls."),
    dict(id="concretedropout-softmax-into-cross-entropy", repo="danielkelshaw/ConcreteDropout",
         path="mnist_example.py", fix="0b8ecad",
         framework="torch", category="ACTIVATION_LOSS",
         line=(r"x = self\.cd4\(x, nn\.Sequential\(self\.fc4, self\.softmax\)\)", 1),
         alt=[(r"loss = F\.cross_entropy\(outputs, labels\) \+ model\.regularisation\(\)", 1)],
         description="The model ends in nn.Softmax and its output goes into F.cross_entropy, which applies "
                     "log_softmax itself; the fix returns the logits."),
    dict(id="imvisible-running-loss-keeps-graph", repo="samuelyu2002/ImVisible",
         path="Model/training.py", fix="e536e5e",
         framework="torch", category="TRAINING_LOOP", line=(r"^\s+running_loss \+= loss$", 1),
         alt=[(r"^\s+val_running_loss \+= loss$", 1)],
         description="running_loss += loss sums the loss tensors with their graphs, so memory grows every "
                     "batch until the process runs out; the fix adds loss.item()."),
    dict(id="labelmodels-running-loss-keeps-graph", repo="BatsResearch/labelmodels",
         path="labelmodels/label_model.py", fix="3801b62",
         framework="torch", category="TRAINING_LOOP", line=(r"running_loss \+= loss$", 1), alt=[],
         description="running_loss += loss keeps every batch's graph alive for the whole epoch (a memory "
                     "leak); the fix adds loss.item()."),
    dict(id="bentrevett-mlp-valid-transform-shared-with-train", repo="bentrevett/pytorch-image-classification",
         path="1 - Multilayer Perceptron.ipynb", fix="a6d0e35",
         framework="torch", category="DATA_SPLIT", line=(r"^valid_data\.dataset\.transform = test_transforms", 1),
         alt=[(r"train_data, valid_data = data\.random_split\(train_data,", 1)],
         description="valid_data is a random_split Subset of the training dataset, so setting its dataset's "
                     "transform to the test transform also removes the augmentation from the training data; "
                     "the fix deep-copies valid_data first."),
    dict(id="udacity-pytorch-cifar-cnn-validation-no-eval", repo="udacity/deep-learning-v2-pytorch",
         path="convolutional-neural-networks/cifar-cnn/cifar10_cnn_solution.ipynb", fix="b5c2c2fc",
         framework="torch", category="TRAINING_LOOP", line=(r"^    for data, target in valid_loader:", 1),
         alt=[(r"^for data, target in test_loader:", 1)],
         description="The CNN has dropout, but validation and testing run without model.eval() (and training "
                     "never calls model.train()); the fix switches modes around each phase."),
    dict(id="udacity-pytorch-mnist-mlp-validation-no-eval", repo="udacity/deep-learning-v2-pytorch",
         path="convolutional-neural-networks/mnist-mlp/mnist_mlp_solution_with_validation.ipynb", fix="b5c2c2fc",
         framework="torch", category="TRAINING_LOOP", line=(r"^    for data, target in valid_loader:", 1),
         alt=[(r"^for data, target in test_loader:", 1)],
         description="The MLP has dropout, but the validation loss (used to pick the saved model) and the test "
                     "accuracy are computed in train mode; the fix calls model.eval() before each."),
    dict(id="deepspeech-test-loop-no-eval", repo="SeanNaren/deepspeech.pytorch",
         path="train.py", fix="a4c54fd",
         framework="torch", category="TRAINING_LOOP", line=(r"for i, \(data\) in enumerate\(test_loader\):", 1),
         alt=[(r"^\s+model\.train\(\)", 1)],
         description="Each epoch sets model.train() and then evaluates WER/CER on the test loader without "
                     "model.eval(), so batch norm and dropout stay in training mode; the fix calls eval()."),
    dict(id="pytorch-examples-mnist-functional-dropout-always-on", repo="pytorch/examples",
         path="mnist/main.py", fix="c053f31",
         framework="torch", category="TRAINING_LOOP", line=(r"x = F\.dropout\(x\)", 1),
         alt=[(r"^\s+model\.eval\(\)", 1)],
         description="F.dropout(x) is called without training=self.training, so dropout stays active when "
                     "test() evaluates after model.eval(); the fix passes the module's mode."),
    dict(id="pytorch-examples-triplet-reshape-chw-before-totensor", repo="pytorch/examples",
         path="triplet/main.py", fix="16247c0",
         framework="torch", category="SHAPE", line=(r"np_reshape = lambda x: np\.reshape\(x, \(1, 32, 32\)\)", 1),
         alt=[(r"transforms\.ToTensor\(\),", 1)],
         description="Patches are reshaped to (1, 32, 32) before ToTensor, which reads arrays as HWC and so "
                     "makes (32, 1, 32) tensors; the fix reshapes to (32, 32, 1)."),
    dict(id="pytorch-gan-wgan-generator-loss-on-old-samples", repo="eriklindernoren/PyTorch-GAN",
         path="implementations/wgan/wgan.py", fix="48e84ef",
         framework="torch", category="WIRING", line=(r"gen_validity = discriminator\(fake_imgs\)", 1),
         alt=[(r"gen_imgs = generator\(z\)", 1)],
         description="The generator step computes gen_imgs and then scores the fake_imgs left over from the "
                     "critic step instead, so gen_imgs is never used; the fix scores gen_imgs."),
]

TF1 = [
    dict(id="aymericdamien-tf1-logreg-log-of-softmax", repo="aymericdamien/TensorFlow-Examples",
         path="examples/2_BasicModels/logistic_regression.py", fix="aaf49ac",
         framework="tf", category="ACTIVATION_LOSS",
         line=(r"cost = tf\.reduce_mean\(-tf\.reduce_sum\(y\*tf\.log\(pred\)", 1),
         alt=[(r"pred = tf\.nn\.softmax\(", 1)],
         description="Cross-entropy is written as -sum(y * log(softmax)), which is NaN once a probability "
                     "underflows to 0; the fix clips the probabilities (a logits loss avoids it)."),
    dict(id="aymericdamien-tf1-autoencoder-unit-normal-init", repo="aymericdamien/TensorFlow-Examples",
         path="examples/3_NeuralNetworks/autoencoder.py", fix="b7e13ee",
         framework="tf", category="INIT",
         line=(r"'encoder_h1': tf\.Variable\(tf\.random_normal\(\[num_input, num_hidden_1\]\)\)", 1), alt=[],
         description="Weights of the sigmoid autoencoder are drawn from a unit normal, so the 784-input "
                     "layer saturates its sigmoids from the start; the fix uses stddev 0.1."),
    dict(id="udacity-tf1-gan-unpack-single-tensor", repo="udacity/deep-learning",
         path="gan_mnist/Intro_to_GANs_Solution.ipynb", fix="4183e47",
         framework="tf", category="WIRING", line=(r"gen_samples, _ = sess\.run\(", 1),
         alt=[(r"gen_samples, _ = sess\.run\(", 2)],
         description="generator() returns one tensor, but the result of sess.run on it is unpacked into two "
                     "names (ValueError); the fix assigns it to gen_samples alone."),
    dict(id="udacity-tf1-face-gen-sample-channels", repo="udacity/deep-learning",
         path="face_generation/dlnd_face_generation.ipynb", fix="94d013f",
         framework="tf", category="SHAPE", line=(r"generator\(input_z, 3, is_train=False\)", 1), alt=[],
         description="Samples are drawn by rebuilding the generator with 3 output channels, which does not "
                     "match the reused variables when training on 1-channel MNIST; the fix passes data_shape[3]."),
    dict(id="ageron-tf1-bn-update-ops-from-wrong-graph", repo="ageron/handson-ml",
         path="11_deep_learning.ipynb", fix="a877054",
         framework="tf", category="TRAINING_LOOP",
         line=(r"extra_update_ops = tf\.get_collection\(tf\.GraphKeys\.UPDATE_OPS\)", 2),
         alt=[(r"sess\.run\(extra_update_ops, feed_dict=feed_dict\)", 1)],
         description="DNNClassifier.fit collects UPDATE_OPS outside `with self._graph.as_default()`, from the "
                     "default graph, so the batch-norm moving averages are never updated; the fix collects "
                     "them inside the model's graph."),
    dict(id="pkmital-tf1-batchnorm-ema-updates-at-test", repo="pkmital/tensorflow_tutorials",
         path="python/libs/batch_norm.py", fix="1e327bd",
         framework="tf", category="TRAINING_LOOP",
         line=(r"ema_apply_op = ema\.apply\(\[batch_mean, batch_var\]\)", 1), alt=[],
         description="The moving-average update op is created outside the tf.cond branch that uses it, so it "
                     "runs even when phase_train is False; the fix creates it inside the training branch."),
    dict(id="cookbook-tf1-stylenet-layer-type-index", repo="nfmcclure/tensorflow_cookbook",
         path="08_Convolutional_Neural_Networks/05_Stylenet_NeuralStyle/05_stylenet.py", fix="f9f2ff9",
         framework="tf", category="WIRING", line=(r"if layer\[1\] == 'c':", 1),
         alt=[(r"elif layer\[1\] == 'r':", 1)],
         description="Layer names such as 'conv1_1' are typed by their second character, so no layer is "
                     "recognized as a convolution or ReLU and the VGG network is never built; the fix tests "
                     "layer[0]."),
    dict(id="hwalsuklee-tf1-wgan-gp-slopes-axis", repo="hwalsuklee/tensorflow-generative-model-collections",
         path="WGAN_GP.py", fix="e4f2dfd",
         framework="tf", category="SHAPE",
         line=(r"slopes = tf\.sqrt\(tf\.reduce_sum\(tf\.square\(gradients\), reduction_indices=\[1\]\)\)", 1),
         alt=[],
         description="The gradient norm of the penalty sums only axis 1 of the 4-D image gradients, giving a "
                     "per-row norm instead of one per sample; the fix sums axes [1, 2, 3]."),
    dict(id="hwalsuklee-tf1-infogan-continuous-code-softmax", repo="hwalsuklee/tensorflow-generative-model-collections",
         path="infoGAN.py", fix="ee8cef7",
         framework="tf", category="ACTIVATION_LOSS",
         line=(r"cont_code_est = code_fake\[:, self\.len_discrete_code:\]", 1), alt=[],
         description="The continuous latent codes are regressed (squared error) on the classifier's softmax "
                     "output, which is bounded and coupled to the discrete code; the fix uses the logits."),
    dict(id="hwalsuklee-tf1-lsgan-mse-on-sigmoid", repo="hwalsuklee/tensorflow-generative-model-collections",
         path="LSGAN.py", fix="1ed523f",
         framework="tf", category="ACTIVATION_LOSS",
         line=(r"d_loss_real = tf\.reduce_mean\(self\.mse_loss\(D_real, tf\.ones_like\(D_real\)\)\)", 1),
         alt=[(r"self\.g_loss = tf\.reduce_mean\(self\.mse_loss\(D_fake, tf\.ones_like\(D_fake\)\)\)", 1)],
         description="The least-squares GAN losses are computed on the discriminator's sigmoid output instead "
                     "of its linear output; the fix uses the logits."),
    dict(id="hwalsuklee-tf1-wgan-critic-sigmoid", repo="hwalsuklee/tensorflow-generative-model-collections",
         path="WGAN.py", fix="06cc307",
         framework="tf", category="ACTIVATION_LOSS", line=(r"d_loss_real = - tf\.reduce_mean\(D_real\)", 1),
         alt=[(r"d_loss_fake = tf\.reduce_mean\(D_fake\)", 1)],
         description="The Wasserstein critic loss uses the discriminator's sigmoid output, bounding the critic "
                     "to (0, 1); the fix uses the linear output."),
    dict(id="hwalsuklee-tf1-dragan-penalty-on-sigmoid", repo="hwalsuklee/tensorflow-generative-model-collections",
         path="DRAGAN.py", fix="06cc307",
         framework="tf", category="ACTIVATION_LOSS",
         line=(r"D_inter,_,_=self\.discriminator\(interpolates, is_training=True, reuse=True\)", 1),
         alt=[(r"gradients = tf\.gradients\(D_inter, \[interpolates\]\)\[0\]", 1)],
         description="The gradient penalty differentiates the discriminator's sigmoid output instead of its "
                     "logits; the fix takes the second return value."),
    dict(id="sjchoi86-tf1-cae-dropout-output-unused", repo="sjchoi86/Tensorflow-101",
         path="notebooks/cae_mnist.ipynb", fix="01ed1ea",
         framework="tf", category="LAYER_IGNORES_INPUT", line=(r"_ce1 = tf\.nn\.dropout\(_ce3, _keepprob\)", 1),
         alt=[],
         description="The third encoder block's dropout is assigned to _ce1, which is never used again, so the "
                     "decoder reads _ce3 without dropout; the fix assigns it to _ce3."),
    dict(id="exelban-tf1-cifar-softmax-into-logits-loss", repo="exelban/tensorflow-cifar-10",
         path="include/model.py", fix="d6e01c6",
         framework="tf", category="ACTIVATION_LOSS",
         line=(r"softmax = tf\.layers\.dense\(inputs=drop, units=_NUM_CLASSES, activation=tf\.nn\.softmax", 1),
         alt=[(r"return x, y, softmax, y_pred_cls, global_step, learning_rate", 1)],
         description="The model's output layer applies softmax, and train.py feeds that output to "
                     "softmax_cross_entropy_with_logits_v2 (softmax twice); the fix leaves the layer linear."),
    dict(id="carpedm20-tf1-dcgan-grayscale-c-dim", repo="carpedm20/DCGAN-tensorflow",
         path="model.py", fix="c66492c",
         framework="tf", category="SHAPE", line=(r"self\.c_dim = imread\(self\.data\[0\]\)\.shape\[-1\]", 1),
         alt=[(r"self\.grayscale = \(self\.c_dim == 1\)", 1)],
         description="The channel count is read as the last dimension of the first image, which for a 2-D "
                     "grayscale image is its width, so the graph is built with that many channels; the fix "
                     "uses 1 for 2-D images."),
    dict(id="carpedm20-tf1-dcgan-loss-helper-returns-none", repo="carpedm20/DCGAN-tensorflow",
         path="model.py", fix="4ce73aa",
         framework="tf", category="WIRING",
         line=(r"^\s+tf\.nn\.sigmoid_cross_entropy_with_logits\(logits=x, labels=y\)", 1),
         alt=[(r"sigmoid_cross_entropy_with_logits\(self\.D_logits, tf\.ones_like\(self\.D\)\)\)", 1)],
         description="The local sigmoid_cross_entropy_with_logits wrapper computes the loss but does not return "
                     "it, so every GAN loss is tf.reduce_mean(None); the fix returns the tensor."),
    dict(id="udacity-tf1-semisupervised-bn-output-unused", repo="udacity/deep-learning",
         path="semi-supervised/semi-supervised_learning_2_solution.ipynb", fix="b1a65d7",
         framework="tf", category="LAYER_IGNORES_INPUT", line=(r"relu2 = tf\.maximum\(alpha \* x2, x2\)", 1),
         alt=[(r"bn2 = tf\.layers\.batch_normalization\(x2, training=True\)", 1)],
         description="The discriminator's second block computes bn2 but applies the leaky ReLU to x2, so the "
                     "batch normalization is skipped; the fix uses bn2."),
    dict(id="udacity-tf1-sentiment-rnn-same-cell-stacked", repo="udacity/deep-learning",
         path="sentiment-rnn/Sentiment_RNN_Solution.ipynb", fix="ef45eb1",
         framework="tf", category="WIRING", line=(r"cell = tf\.contrib\.rnn\.MultiRNNCell\(\[drop\] \* lstm_layers\)", 1),
         alt=[(r"drop = tf\.contrib\.rnn\.DropoutWrapper\(lstm, output_keep_prob=keep_prob\)", 1)],
         description="MultiRNNCell([drop] * lstm_layers) stacks the same cell object, so the layers share "
                     "one set of weights (an error in later TF 1.x); the fix builds a new cell per layer."),
    dict(id="udacity-tf1-dcgan-alpha-ignored", repo="udacity/deep-learning",
         path="dcgan-svhn/DCGAN.ipynb", fix="1c2bf82",
         framework="tf", category="HYPERPARAMETER", line=(r"real_size\[2\], alpha=0\.2\)", 1),
         alt=[(r"def __init__\(self, real_size, z_size, learning_rate, alpha=0\.2, beta1=0\.5\):", 1)],
         description="The GAN class takes an alpha for the leaky ReLUs but builds its losses with alpha=0.2, "
                     "so the value given is ignored; the fix passes alpha through."),
    dict(id="chiphuyen-tf1-logreg-ops-built-in-test-loop", repo="chiphuyen/stanford-tensorflow-tutorials",
         path="examples/03_logistic_regression_mnist_sol.py", fix="a6c4a6d",
         framework="tf", category="TRAINING_LOOP", line=(r"preds = tf\.nn\.softmax\(logits_batch\)", 1),
         alt=[(r"accuracy = tf\.reduce_sum\(tf\.cast\(correct_preds, tf\.float32\)\)", 1)],
         description="The test loop builds new softmax/argmax/equal ops on every batch's numpy logits, so the "
                     "graph grows with each batch; the fix builds the accuracy op once before the loop."),
    dict(id="wavenet-tf1-scalar-input-loses-batch-axis", repo="ibab/tensorflow-wavenet",
         path="wavenet/model.py", fix="d4c5046",
         framework="tf", category="SHAPE", line=(r"encoded = tf\.reshape\(encoded, \[-1, 1\]\)", 1),
         alt=[(r"def predict_proba\(self, waveform, global_condition=None, name='wavenet'\):", 1)],
         description="With scalar input, predict_proba reshapes the waveform to 2-D [-1, 1], but the causal "
                     "convolutions expect [batch, time, channels]; the fix reshapes to [batch_size, -1, 1]."),
]

FIXES_TORCH_TF1 = TORCH + TF1
