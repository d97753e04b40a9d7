"""A seventh round of programs from public fix commits (PyTorch, Keras and TF1 graph programs about
equally), from eight repositories not read before; same fields as FIXES in build.py, appended after
every other entry.

Every commit of these repositories whose message says fix, bug, wrong, mistake, incorrect or error
and whose diff touches model, loss, data-feeding or training code was read, and an entry went in
when the diff corrects a bug of the program; they were chosen by the bug and its source alone and
measured before anything was built for them. Where one commit fixes one bug in several programs
(the horses-or-humans notebooks), each program is an entry.

Left out on reading:
- wiseodd/generative-models: 31ffa3b changes the mode-regularized GAN's regularizer from D(G(E(x)))
  to log D(G(E(x))) with the same sign, which still pushes D(G(E(x))) down for the generator (the
  premise is doubtful either way); 8f0c73b drops a weight clipping and changes a width at once (a
  design choice); b930d5f removes a constant entropy term (no change of the gradients); cd2db00
  follows a PyTorch API change; 8fecf78 swaps the inputs of the sample images only.
- caogang/wgan-gp: e381850 fixes a work in progress that never ran (`nn.Conv2D` does not exist);
  7f3561a changes a cost that is only logged; 01ec7d3 / 17e7dd5 / 8f44c5a rework a gradient penalty
  while it was being written and CUDA placement.
- haitongli/knowledge-distillation-pytorch: 7e59699 rewrites the whole file (line ends); bbae139
  follows a PyTorch API change.
- adambielski/siamese-triplet: 99f7b0c replaces a name leaked from a loop (`anchor_positive`) by the
  last pair of the same list, which may be the same value.
- https-deeplearning-ai/tensorflow-1-public: the other fix commits correct prose, links, plots,
  pinned versions and a padding example in an assignment's exposition (a4a17f8).
- XifengGuo/CapsNet-Keras: 37f599f restructures the mask layer and the models together (no one line
  at fault), 3ddc9b4 / 2e24427 / e3bf9fa / b36f6ba rewrite the routing's implementation or rename
  arguments, 6e616da / 50fd78f move code and imports.
- naturomics/CapsNet-Tensorflow: 86a3d01 (no gradient through the inner routing iterations) and
  da1366b (no ReLU before the squash) are implementation choices the paper leaves open (the author
  says so), d836150 introduces `tf.multply`, which does not exist, and the others fix flags,
  prompts and API renames.
- oarriaga/face_classification: a937c24 fixes names of a script that never ran, 891d2e8 adapts a
  visualisation to a new model, the others fix imports and paths.
- Not used: keon/deep-q-learning (958cf50 rewrites the Huber loss into the same function, 5cc5325
  replaces double DQN by plain DQN targets: a design change), and repositories without a license
  file (hunkim's tutorials, nlintz/TensorFlow-Tutorials, germain-hug/Deep-RL-Keras).
"""
from __future__ import annotations

WISEODD = "wiseodd/generative-models"
CAOGANG = "caogang/wgan-gp"
KD = "haitongli/knowledge-distillation-pytorch"
SIAMESE = "adambielski/siamese-triplet"
DLAI = "https-deeplearning-ai/tensorflow-1-public"
CAPSKERAS = "XifengGuo/CapsNet-Keras"
CAPSTF = "naturomics/CapsNet-Tensorflow"
FACE = "oarriaga/face_classification"

LICENSES = {
    WISEODD: "Unlicense",
    CAOGANG: "MIT",
    KD: "MIT",
    SIAMESE: "BSD-3-Clause",
    DLAI: "Apache-2.0",
    CAPSKERAS: "MIT",
    CAPSTF: "Apache-2.0",
    FACE: "MIT",
}

_BCE_TARGETS = ("The discriminator ends in Linear(h_dim, 1) and a Sigmoid, so its output is [mb_size, 1], but "
                "the real and fake targets of binary_cross_entropy are made with torch.ones(mb_size) / "
                "torch.zeros(mb_size), shape [mb_size]; PyTorch broadcast them with a warning at the time and "
                "rejects the mismatch since; the fix makes them [mb_size, 1].")
_UNSCALED = ("The model is trained on images that ImageDataGenerator(rescale=1/255) scales to [0, 1], but the "
             "prediction cell feeds the uploaded image as img_to_array returns it, pixel values up to 255, so the "
             "network sees inputs 255 times larger than anything it was trained on; the fix divides by 255.")

ROUND27 = [
    dict(id="wiseodd-gan-bce-targets-missing-axis", repo=WISEODD, path="GAN/vanilla_gan/gan_pytorch.py",
         fix="c146d7d", framework="torch", category="SHAPE",
         line=(r"ones_label = Variable\(torch\.ones\(mb_size\)\)", 1),
         alt=[(r"zeros_label = Variable\(torch\.zeros\(mb_size\)\)", 1),
              (r"D_loss_real = nn\.binary_cross_entropy\(D_real, ones_label\)", 1)],
         description=_BCE_TARGETS),
    dict(id="wiseodd-cgan-bce-targets-missing-axis", repo=WISEODD, path="GAN/conditional_gan/cgan_pytorch.py",
         fix="866b046", framework="torch", category="SHAPE",
         line=(r"ones_label = Variable\(torch\.ones\(mb_size\)\)", 1),
         alt=[(r"zeros_label = Variable\(torch\.zeros\(mb_size\)\)", 1),
              (r"D_loss_real = nn\.binary_cross_entropy\(D_real, ones_label\)", 1)],
         description=_BCE_TARGETS),
    dict(id="wiseodd-acgan-softmax-into-cross-entropy", repo=WISEODD,
         path="GAN/auxiliary_classifier_gan/ac_gan_pytorch.py", fix="2fe7d03", framework="torch",
         category="ACTIVATION_LOSS", line=(r"torch\.nn\.Softmax\(\)", 1),
         alt=[(r"C_loss = -nn\.cross_entropy\(C_real, y_true\) - nn\.cross_entropy\(C_fake, y_true\)", 1)],
         description="The auxiliary classifier head D_aux ends in a Softmax, and its output is passed to "
                     "nn.cross_entropy, which applies log_softmax itself, so the class loss is computed on "
                     "probabilities taken as logits; the fix removes the Softmax."),
    dict(id="wiseodd-avb-bce-mean-over-pixels", repo=WISEODD, path="VAE/adversarial_vb/avb_pytorch.py",
         fix="300bda9", framework="torch", category="SCALING",
         line=(r"loglike = -nn\.binary_cross_entropy\(X_sample, X\)", 1), alt=[(r"elbo = -\(disc \+ loglike\)", 1)],
         description="The ELBO adds the adversary's per-sample KL estimate to a log-likelihood taken as "
                     "binary_cross_entropy averaged over every pixel of the batch, so the reconstruction term is "
                     "784 times smaller than the per-sample log-likelihood it stands for and the KL term "
                     "dominates; the fix sums over the pixels and divides by the batch size."),
    dict(id="wiseodd-tf1-avb-nll-mean-over-pixels", repo=WISEODD, path="VAE/adversarial_vb/avb_tensorflow.py",
         fix="300bda9", framework="tf", category="SCALING", line=(r"^loglike = -tf\.reduce_mean\($", 1),
         alt=[(r"tf\.nn\.sigmoid_cross_entropy_with_logits\(logits=X_logits, labels=X\)", 1)],
         description="The log-likelihood of the ELBO is the sigmoid cross-entropy averaged over every pixel of "
                     "the batch, added to the adversary's per-sample KL estimate, so the reconstruction term is "
                     "784 times too small; the fix sums over axis 1 and averages over the batch."),
    dict(id="wiseodd-tf1-wgan-gp-penalty-square-of-mean", repo=WISEODD,
         path="GAN/improved_wasserstein_gan/wgan_gp_tensorflow.py", fix="eacf31a", framework="tf",
         category="WIRING", line=(r"grad_pen = lam \* tf\.reduce_mean\(grad_norm - 1\.\)\*\*2", 1), alt=[],
         description="The gradient penalty squares the batch mean of (||grad|| - 1) instead of averaging the "
                     "squared deviations, so deviations of opposite sign cancel and the penalty no longer keeps "
                     "each sample's gradient norm near 1; the fix takes the mean of the squares."),
    dict(id="caogang-wgan-gp-cifar-gradient-norm-over-channels", repo=CAOGANG, path="gan_cifar10.py",
         fix="ae47a18", framework="torch", category="SHAPE",
         line=(r"gradient_penalty = \(\(gradients\.norm\(2, dim=1\) - 1\) \*\* 2\)\.mean\(\) \* LAMBDA", 1),
         alt=[],
         description="The critic's gradient with respect to the [N, 3, 32, 32] interpolated images is normed "
                     "over dim=1 alone, one norm per pixel over the three channels, so the penalty drives every "
                     "pixel's gradient to unit norm instead of each image's; the fix flattens the gradients to "
                     "[N, -1] first."),
    dict(id="kd-teacher-outputs-from-another-shuffle", repo=KD, path="train.py", fix="e0578ab",
         framework="torch", category="LABELS",
         line=(r"output_teacher_batch = torch\.from_numpy\(teacher_outputs\[i\]\)", 1),
         alt=[(r"teacher_outputs = fetch_teacher_outputs\(teacher_model, train_dataloader, params\)", 1)],
         description="The teacher's outputs are computed once, batch by batch, over the shuffled training "
                     "loader, and train_kd pairs the i-th batch of a new pass over that loader (reshuffled and "
                     "augmented again) with the i-th stored teacher batch, so the soft targets belong to other "
                     "images; the fix runs the teacher on each batch inside the training loop."),
    dict(id="kd-teacher-compared-not-assigned", repo=KD, path="train.py", fix="9af860a",
         framework="torch", category="WIRING",
         line=(r"teacher_model == nn\.DataParallel\(teacher_model\)\.cuda\(\)", 1),
         alt=[(r"teacher_model == nn\.DataParallel\(teacher_model\)\.cuda\(\)", 2)],
         description="For the ResNeXt and PreResNet teachers the wrapped model is compared with `==` instead of "
                     "assigned, so the teacher stays an unwrapped model on the CPU, and the checkpoint saved "
                     "from a DataParallel model (keys prefixed `module.`) does not load into it; the fix "
                     "assigns."),
    dict(id="kd-preresnet-teacher-thousand-classes", repo=KD, path="train.py", fix="002b7ab",
         framework="torch", category="SHAPE", line=(r"teacher_model = preresnet\.PreResNet\(depth=110\)", 1),
         alt=[],
         description="The PreResNet-110 teacher for CIFAR-10 is built with the class's default "
                     "num_classes=1000, so its output layer does not match the 10-class checkpoint it loads "
                     "nor the student's 10 logits that the distillation loss compares it with; the fix passes "
                     "num_classes=10."),
    dict(id="siamese-balanced-sampler-reshuffle-inverted", repo=SIAMESE, path="datasets.py", fix="296164d",
         framework="torch", category="WIRING",
         line=(r"if self\.used_label_indices_count\[class_\] \+ self\.n_samples < "
               r"len\(self\.label_to_indices\[class_\]\):", 1), alt=[],
         description="BalancedBatchSampler should reshuffle a class's indices and start over when fewer than "
                     "n_samples remain, but the comparison is inverted: it restarts while enough remain and "
                     "keeps advancing once they run out, so a small class's slices run past its end and later "
                     "batches get fewer or no samples of it; the fix compares with `>`."),
    dict(id="siamese-hard-negatives-farthest-pairs", repo=SIAMESE, path="utils.py", fix="9512643",
         framework="torch", category="LABELS",
         line=(r"top_negatives = np\.argpartition\(negative_distances, -len\(positive_pairs\)\)"
               r"\[-len\(positive_pairs\):\]", 1), alt=[],
         description="HardNegativePairSelector is meant to pick the hardest negative pairs, those with the "
                     "smallest embedding distance, but argpartition takes the largest distances, the easiest "
                     "negatives, which contribute almost nothing to the contrastive loss; the fix takes the "
                     "smallest."),
    dict(id="dlai-horses-lab1-predict-unscaled", repo=DLAI,
         path="C1/W4/ungraded_labs/C1_W4_Lab_1_image_generator_no_validation.ipynb", fix="bcb6f77",
         framework="keras", category="SCALING", line=(r"^  x = image\.img_to_array\(img\)", 1),
         alt=[(r"^  classes = model\.predict\(images, batch_size=10\)", 1)], description=_UNSCALED),
    dict(id="dlai-horses-lab2-predict-unscaled", repo=DLAI,
         path="C1/W4/ungraded_labs/C1_W4_Lab_2_image_generator_with_validation.ipynb", fix="bcb6f77",
         framework="keras", category="SCALING", line=(r"^  x = image\.img_to_array\(img\)", 1),
         alt=[(r"^  classes = model\.predict\(images, batch_size=10\)", 1)], description=_UNSCALED),
    dict(id="dlai-horses-lab3-predict-unscaled", repo=DLAI,
         path="C1/W4/ungraded_labs/C1_W4_Lab_3_compacted_images.ipynb", fix="bcb6f77",
         framework="keras", category="SCALING", line=(r"^  x = image\.img_to_array\(img\)", 1),
         alt=[(r"^  classes = model\.predict\(images, batch_size=10\)", 1)], description=_UNSCALED),
    dict(id="dlai-horses-lab3-predict-size-300-for-150-input", repo=DLAI,
         path="C1/W4/ungraded_labs/C1_W4_Lab_3_compacted_images.ipynb", fix="7474f82",
         framework="keras", category="SHAPE",
         line=(r"^  img = image\.load_img\(path, target_size=\(300, 300\)\)", 1),
         alt=[(r"^img = load_img\(img_path, target_size=\(300, 300\)\)", 1),
              (r"^  classes = model\.predict\(images, batch_size=10\)", 1)],
         description="This notebook's model takes input_shape=(150, 150, 3) and is trained on images the "
                     "generators resize to 150x150, but the prediction cell (and the feature-map cell) load "
                     "images at 300x300, copied from the notebook with the larger model, which the model "
                     "rejects; the fix loads them at 150x150."),
    dict(id="capsnet-keras-length-sqrt-nan-gradient", repo=CAPSKERAS, path="capsulelayers.py", fix="7d1ffed",
         framework="keras", category="NO_GRADIENT",
         line=(r"return K\.sqrt\(K\.sum\(K\.square\(inputs\), -1\)\)", 1), alt=[],
         description="The Length layer, the network's output that the margin loss compares with the labels, is "
                     "sqrt(sum(x**2)); the gradient of sqrt at 0 is infinite, so a capsule vector of all zeros "
                     "gives NaN gradients that spread through training; the fix adds K.epsilon() under the "
                     "root."),
    dict(id="capsnet-tf1-reconstruction-weight-for-mean", repo=CAPSTF, path="capsNet.py", fix="6474997",
         framework="tf", category="SCALING",
         line=(r"self\.total_loss = self\.margin_loss \+ 0\.0005 \* self\.reconstruction_err", 1),
         alt=[(r"self\.reconstruction_err = tf\.reduce_mean\(squared\)", 1)],
         description="The reconstruction loss is weighted by 0.0005, the paper's factor for a sum of squared "
                     "errors over the 784 pixels, but reconstruction_err is their mean, so the regularizer is 784 "
                     "times weaker than intended; the fix scales the factor to 0.0005 * 784."),
    dict(id="capsnet-tf1-routing-logits-summed-over-batch", repo=CAPSTF, path="capsLayer.py", fix="ae14369",
         framework="tf", category="SHAPE",
         line=(r"b_IJ \+= tf\.reduce_sum\(u_produce_v, axis=0, keep_dims=True\)", 1),
         alt=[(r"b_IJ = tf\.constant\(np\.zeros\(\[1, input\.shape\[1\]\.value, self\.num_outputs, 1, 1\]", 1),
              (r"c_IJ = tf\.tile\(c_IJ, \[cfg\.batch_size, 1, 1, 1, 1\]\)", 1)],
         description="Routing by agreement updates each example's coupling logits with that example's "
                     "agreements, but b_IJ has a batch axis of 1 and is updated with the agreements summed over "
                     "the batch, so every example is routed by the whole batch's agreement; the fix keeps "
                     "b_IJ per example."),
    dict(id="faceclass-image-test-preprocessed-face-dropped", repo=FACE, path="src/image_test.py",
         fix="c3bfe22", framework="keras", category="SCALING",
         line=(r"egb_face = preprocess_input\(rgb_face, False\)", 1),
         alt=[(r"gender_prediction = gender_classifier\.predict\(rgb_face\)", 1)],
         description="The gender classifier was trained on faces scaled by preprocess_input, but its result is "
                     "assigned to a misspelled name (egb_face), so the classifier predicts on the raw 0-255 face; "
                     "the fix assigns it to rgb_face."),
    dict(id="faceclass-kdef-faces-missing-channel-axis", repo=FACE, path="src/utils/datasets.py",
         fix="8151d5d", framework="keras", category="SHAPE", line=(r"return faces, emotions", 2),
         alt=[(r"faces = np\.zeros\(shape=\(num_faces, y_size, x_size\)\)", 1)],
         description="The KDEF loader returns the grayscale faces as [N, 64, 64], without the channel axis that "
                     "the fer2013 loader adds and that the emotion model's input_shape (64, 64, 1) needs, so "
                     "training on KDEF fails at fit; the fix expands the last axis."),
]
