"""More PyTorch and TF1 graph programs from fix commits (same fields as FIXES in build.py).

Taken as they came from the histories of public repositories (commits whose message says fix,
bug or wrong and whose diff touches model or training code), not picked for being detectable;
`build.py` appends these entries after all others. Each buggy program is the file at the fix
commit's parent. Left out: fixes that only matter on another platform (numpy's default integer
is int32 on Windows: udacity/deep-learning-v2-pytorch 8d1be6fa and da33dba1), fixes of programs
that are in the shared set, repositories without a license file, and fixes that change no
result: a softmax taken of a log-softmax output (udacity/deep-learning-v2-pytorch ae5248a4:
softmax is unchanged by the shift log-softmax subtracts, so the probabilities are the same) and
an argument dropped that TensorFlow's API change had made a no-op (sherjilozair/char-rnn-tensorflow
b1cc337: `vocab_size` lands on `average_across_timesteps`, whose default is already true).
"""
from __future__ import annotations

LICENSES = {
    "graykode/nlp-tutorial": "MIT",
    "sgrvinod/a-PyTorch-Tutorial-to-Image-Captioning": "MIT",
    "bentrevett/pytorch-seq2seq": "MIT",
    "Kyubyong/transformer": "Apache-2.0",
    "sherjilozair/char-rnn-tensorflow": "MIT",
    "dennybritz/cnn-text-classification-tf": "Apache-2.0",
}

TORCH = [
    dict(id="graykode-transformer-layers-built-in-forward", repo="graykode/nlp-tutorial",
         path="5-1.Transformer/Transformer-Torch.py", fix="2c7969f",
         framework="torch", category="TRAINING_LOOP",
         line=(r"output = nn\.Linear\(n_heads \* d_v, d_model\)\(context\)", 1),
         alt=[(r"return nn\.LayerNorm\(d_model\)\(output \+ residual\), attn", 1),
              (r"return nn\.LayerNorm\(d_model\)\(output \+ residual\)$", 1)],
         description="MultiHeadAttention.forward and PoswiseFeedForwardNet.forward construct a new nn.Linear "
                     "and nn.LayerNorm on every call, so their weights are freshly random each step, never "
                     "registered with the module and never trained; the fix builds them in __init__."),
    dict(id="graykode-textcnn-conv-built-in-forward", repo="graykode/nlp-tutorial",
         path="2-1.TextCNN/TextCNN-Torch.py", fix="e785aa3",
         framework="torch", category="TRAINING_LOOP",
         line=(r"conv = nn\.Conv2d\(1, num_filters, \(filter_size, embedding_size\), bias=True\)\(embedded_chars\)", 1),
         alt=[],
         description="TextCNN.forward constructs a new nn.Conv2d per filter size on every call, so the "
                     "convolutions are random, unregistered and never trained; the fix keeps them in an "
                     "nn.ModuleList built in __init__."),
    dict(id="graykode-transformer-pos-emb-sized-by-vocab", repo="graykode/nlp-tutorial",
         path="5-1.Transformer/Transformer-Torch.py", fix="6e171b9",
         framework="torch", category="SHAPE",
         line=(r"self\.pos_emb = nn\.Embedding\.from_pretrained\(get_sinusoid_encoding_table\(src_vocab_size", 1),
         alt=[(r"self\.pos_emb = nn\.Embedding\.from_pretrained\(get_sinusoid_encoding_table\(tgt_vocab_size", 1)],
         description="The positional-encoding tables have one row per vocabulary word instead of one per "
                     "position, so positions past the vocabulary size are out of range; the fix sizes them "
                     "src_len + 1 and tgt_len + 1."),
    dict(id="sgrvinod-eval-beam-true-division-index", repo="sgrvinod/a-PyTorch-Tutorial-to-Image-Captioning",
         path="eval.py", fix="0d0be3b",
         framework="torch", category="DTYPE", line=(r"prev_word_inds = top_k_words / vocab_size", 1),
         alt=[(r"seqs = torch\.cat\(\[seqs\[prev_word_inds\]", 1)],
         description="The beam's previous-word indices are top_k_words / vocab_size, a true division that gives "
                     "a float tensor (PyTorch >= 1.5), which then indexes seqs (IndexError); the fix floors "
                     "with torch.div(..., rounding_mode='floor')."),
    dict(id="sgrvinod-caption-beam-true-division-index", repo="sgrvinod/a-PyTorch-Tutorial-to-Image-Captioning",
         path="caption.py", fix="43d0ea2",
         framework="torch", category="DTYPE", line=(r"prev_word_inds = top_k_words / vocab_size", 1),
         alt=[(r"seqs = torch\.cat\(\[seqs\[prev_word_inds\]", 1)],
         description="The captioning script's beam search has the same float index as eval.py: "
                     "top_k_words / vocab_size indexes seqs and alphas; the fix floors the division."),
    dict(id="sgrvinod-train-pack-padded-unpacked-into-two", repo="sgrvinod/a-PyTorch-Tutorial-to-Image-Captioning",
         path="train.py", fix="a94a839",
         framework="torch", category="SHAPE",
         line=(r"scores, _ = pack_padded_sequence\(scores, decode_lengths, batch_first=True\)", 1),
         alt=[(r"scores, _ = pack_padded_sequence\(scores, decode_lengths, batch_first=True\)", 2)],
         description="pack_padded_sequence returns a PackedSequence of four fields (data, batch_sizes, "
                     "sorted_indices, unsorted_indices) since PyTorch 1.1, so unpacking it into two names "
                     "raises ValueError; the fix unpacks with scores, *_."),
    dict(id="yunjey-resnet-stages-reuse-block-counts", repo="yunjey/pytorch-tutorial",
         path="tutorials/02-intermediate/deep_residual_network/main.py", fix="606d0aa",
         framework="torch", category="WIRING",
         line=(r"self\.layer2 = self\.make_layer\(block, 32, layers\[0\], 2\)", 1),
         alt=[(r"self\.layer3 = self\.make_layer\(block, 64, layers\[1\], 2\)", 1),
              (r"model = ResNet\(ResidualBlock, \[2, 2, 2, 2\]\)", 1)],
         description="The three ResNet stages read layers[0], layers[0], layers[1], so the per-stage block "
                     "counts are shifted and the fourth entry of [2, 2, 2, 2] is never used; the fix reads "
                     "layers[0..2] and passes three counts."),
    dict(id="pytorch-examples-imagenet-view-of-transposed", repo="pytorch/examples",
         path="imagenet/main.py", fix="49e1a88",
         framework="torch", category="SHAPE",
         line=(r"correct_k = correct\[:k\]\.view\(-1\)\.float\(\)\.sum\(0, keepdim=True\)", 1),
         alt=[(r"pred = pred\.t\(\)", 1)],
         description="correct comes from pred.t() (a transposed, non-contiguous tensor), so "
                     "correct[:k].view(-1) raises for k > 1 on recent PyTorch; the fix uses reshape."),
    dict(id="pytorch-examples-vit-num-classes-16-for-cifar10", repo="pytorch/examples",
         path="vision_transformer/main.py", fix="741de70",
         framework="torch", category="HYPERPARAMETER",
         line=(r"parser\.add_argument\('--num-classes', type=int, default=16", 1), alt=[],
         description="The vision transformer trained on CIFAR-10 defaults to 16 output classes; the fix sets "
                     "the default to 10."),
    dict(id="pytorch-gan-wgan-div-grad-outputs-on-cpu", repo="eriklindernoren/PyTorch-GAN",
         path="implementations/wgan_div/wgan_div.py", fix="86951cd",
         framework="torch", category="SHAPE", line=(r"torch\.ones\(real_imgs\.size\(0\),1\),", 1),
         alt=[(r"torch\.ones\(fake_imgs\.size\(0\),1\),", 1)],
         description="The W-div gradient penalty passes torch.ones(...) (a CPU tensor) as grad_outputs of "
                     "autograd.grad on the discriminator's CUDA output, which fails on the GPU; the fix "
                     "builds them with the CUDA Tensor type."),
    dict(id="udacity-mnist-mlp-valid-loss-over-whole-dataset", repo="udacity/deep-learning-v2-pytorch",
         path="convolutional-neural-networks/mnist-mlp/mnist_mlp_solution_with_validation.ipynb",
         fix="6ba1dff4", framework="torch", category="DATA_SPLIT",
         line=(r"train_loss = train_loss/len\(train_loader\.dataset\)", 1),
         alt=[(r"valid_loss = valid_loss/len\(valid_loader\.dataset\)", 1)],
         description="The training and validation loaders draw disjoint SubsetRandomSampler parts of the same "
                     "dataset, but each summed loss is divided by len(loader.dataset), the whole dataset; the "
                     "fix divides by len(loader.sampler)."),
    dict(id="bentrevett-transformer-one-layer-norm-shared", repo="bentrevett/pytorch-seq2seq",
         path="6 - Attention is All You Need.ipynb", fix="0f7a00a",
         framework="torch", category="WIRING", line=(r"^        self\.layer_norm = nn\.LayerNorm\(hid_dim\)", 1),
         alt=[(r"^        self\.layer_norm = nn\.LayerNorm\(hid_dim\)", 2)],
         description="Each encoder and decoder layer applies one LayerNorm module after the attention and "
                     "after the feed-forward block, so the sub-layers share one set of scale and shift "
                     "parameters; the fix gives each sub-layer its own LayerNorm."),
]

TF1 = [
    dict(id="charrnn-tf1-bang-not-syntax", repo="sherjilozair/char-rnn-tensorflow",
         path="model.py", fix="ee0e18d",
         framework="tf", category="TRAINING_LOOP", line=(r"if !training:", 1),
         alt=[(r"loop_function=loop if !training else None", 1)],
         description="`if !training:` is not Python (SyntaxError), so the model module cannot be imported; "
                     "the fix writes `not training`."),
    dict(id="kyubyong-tf1-attention-mask-abs-of-sum", repo="Kyubyong/transformer",
         path="modules.py", fix="442a07e",
         framework="tf", category="WIRING",
         line=(r"key_masks = tf\.sign\(tf\.abs\(tf\.reduce_sum\(keys, axis=-1\)\)\)", 1),
         alt=[(r"query_masks = tf\.sign\(tf\.abs\(tf\.reduce_sum\(queries, axis=-1\)\)\)", 1)],
         description="The padding masks are sign(abs(sum(keys))), so a real position whose features sum to 0 "
                     "is masked as padding; the fix takes sign(sum(abs(keys)))."),
    dict(id="kyubyong-tf1-as-list-not-called", repo="Kyubyong/transformer",
         path="modules.py", fix="d2b0281",
         framework="tf", category="SHAPE", line=(r"num_units = queries\.get_shape\(\)\.as_list\[-1\]", 1),
         alt=[],
         description="queries.get_shape().as_list[-1] subscripts the method instead of its result "
                     "(TypeError when num_units is None); the fix calls as_list()."),
    dict(id="dennybritz-tf1-flags-name-typo", repo="dennybritz/cnn-text-classification-tf",
         path="train.py", fix="1602102",
         framework="tf", category="HYPERPARAMETER", line=(r"l2_reg_lambda=FALGS\.l2_reg_lambda\)", 1),
         alt=[],
         description="The model is built with l2_reg_lambda=FALGS.l2_reg_lambda, a name that is not defined "
                     "(NameError before training starts); the fix reads FLAGS."),
    dict(id="wavenet-tf1-gate-bias-assigned-to-wrong-name", repo="ibab/tensorflow-wavenet",
         path="wavenet/model.py", fix="111117f",
         framework="tf", category="LAYER_IGNORES_INPUT",
         line=(r"conv_gate = output_gate \+ variables\['gate_bias'\]", 1),
         alt=[(r"out = tf\.tanh\(output_filter\) \* tf\.sigmoid\(output_gate\)", 1)],
         description="In the generation step the gate bias is added into a new name conv_gate that nothing "
                     "reads, so the gate runs without its bias; the fix assigns output_gate."),
    dict(id="wavenet-tf1-get-shape-not-called", repo="ibab/tensorflow-wavenet",
         path="wavenet/model.py", fix="468b4d8",
         framework="tf", category="SHAPE",
         line=(r"gc_batch_rank = len\(global_condition\.get_shape\)", 1),
         alt=[(r"format\(self\.global_condition\.get_shape\(\),", 1)],
         description="len(global_condition.get_shape) takes the length of the method, not of the shape "
                     "(TypeError), and the error message reads self.global_condition, which does not exist; "
                     "the fix calls get_shape() on the argument."),
    dict(id="aymericdamien-tf1-word2vec-empty-reverse-range", repo="aymericdamien/TensorFlow-Examples",
         path="examples/2_BasicModels/word2vec.py", fix="9e1bb50",
         framework="tf", category="DATA_SPLIT", line=(r"for i in range\(len\(count\) - 1, -1\):", 1), alt=[],
         description="range(len(count) - 1, -1) is empty (no negative step), so the rare words are never "
                     "removed from the vocabulary; the fix counts down with step -1."),
]

MORE_TORCH_TF1_FIXES = TORCH + TF1
