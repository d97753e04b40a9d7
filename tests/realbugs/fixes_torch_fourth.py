"""A fourth round of PyTorch programs from fix commits (same fields as FIXES in build.py).

Taken as they came from the histories of public repositories with a permissive license file
(vwxyzjn/cleanrl, karpathy/nanoGPT, jik876/hifi-gan, kuangliu/pytorch-cifar, pytorch/examples,
eriklindernoren/PyTorch-GAN): every commit whose message says fix, bug, wrong, mistake or incorrect
and whose diff touches model, loss or training code was read, and an entry went in when the diff
corrects a bug of the program; whether tensorlint could find it played no part, and the entries
were measured before anything was built for them. `build.py` appends them after all others.

Left out on reading: a fix already in the shared set (yunjey/pytorch-tutorial 2bfebb0),
repositories under the GPL (milesial/Pytorch-UNet, whose 2b649bc thresholds a sigmoid at 0, and
eriklindernoren/PyTorch-YOLOv3, whose d25221c gives BatchNorm2d the Keras momentum 0.9): the set
keeps permissive licenses only; fixes for a newer framework or gym API (cleanrl e19f8581,
MorvanZhou a7b14b8 / a9ef65e for `max` that kept the reduced dimension, pytorch/examples 82cef44,
spro f5916ff, whose unbatched `[C]` input with a 0-d target is valid today); fixes whose premise is
a design choice (cleanrl 7e24ae23: the temperature loss through `log_alpha` instead of `alpha` has
gradients of the same sign; pytorch/examples 963f7d1 and 3aca2d7, loss normalisations); a learning
rate of zero on the first of thousands of warmup steps (nanoGPT dc81cb36); and notebook fixes that
change no result as written (udacity deep-learning-v2-pytorch d7e456bf: the test set's 10,000
images divide into batches of 20; mrdbourke 85a99bc: a multiclass accuracy given one class too many
scores the same).
"""
from __future__ import annotations

LICENSES = {
    "vwxyzjn/cleanrl": "MIT",
    "karpathy/nanoGPT": "MIT",
    "jik876/hifi-gan": "MIT",
    "kuangliu/pytorch-cifar": "MIT",
}

TORCH_FOURTH = [
    dict(id="pytorch-gan-bgan-loss-name-not-bound", repo="eriklindernoren/PyTorch-GAN",
         path="implementations/bgan/bgan.py", fix="d8dee64", framework="torch", category="WIRING",
         line=(r"^    adversarial_loss\.cuda\(\)", 1),
         alt=[(r"batches_done = epoch \* len\(dataloader\) \+ i", 1)],
         description="The loss is bound as discriminator_loss but moved to the GPU as adversarial_loss, and the "
                     "progress counter reads len(dataloader) where the loader is mnist_loader: both names are "
                     "never bound (NameError on a CUDA machine and at the first batch); the fix uses the bound "
                     "names."),
    dict(id="cleanrl-sac-min-q-flattened-against-column", repo="vwxyzjn/cleanrl",
         path="cleanrl/sac_continuous_action.py", fix="0fceeefb", framework="torch", category="SHAPE",
         line=(r"min_qf_pi = torch\.min\(qf1_pi, qf2_pi\)\.view\(-1\)", 1),
         alt=[(r"actor_loss = \(\(alpha \* log_pi\) - min_qf_pi\)\.mean\(\)", 1)],
         description="The critics return [batch, 1] and the policy's log-probabilities are [batch, 1], but the "
                     "smaller Q value is flattened to [batch], so `alpha * log_pi - min_qf_pi` broadcasts to "
                     "[batch, batch] and the actor loss averages every pair of samples; the fix keeps the column."),
    dict(id="cleanrl-ddpg-exploration-noise-centred-on-bias", repo="vwxyzjn/cleanrl",
         path="cleanrl/ddpg_continuous_action.py", fix="023eaea1", framework="torch", category="WIRING",
         line=(r"actions \+= torch\.normal\(actor\.action_bias, actor\.action_scale \* args\.exploration_noise\)", 1),
         alt=[],
         description="The exploration noise is drawn with mean actor.action_bias and added to an action the actor "
                     "already shifted by that bias, so every action is offset by the bias a second time; the fix "
                     "draws zero-mean noise."),
    dict(id="cleanrl-pqn-lambda-return-bootstraps-past-done", repo="vwxyzjn/cleanrl",
         path="cleanrl/pqn.py", fix="1ed80620", framework="torch", category="TRAINING_LOOP",
         line=(r"args\.q_lambda \* returns\[t \+ 1\] \+ \(1 - args\.q_lambda\) \* next_value \* nextnonterminal", 1),
         alt=[(r"returns\[t\] = rewards\[t\] \+ args\.gamma \* \($", 1)],
         description="The Q(lambda) return masks only the one-step bootstrap with nextnonterminal, so at the end "
                     "of an episode the lambda-weighted returns[t + 1] of the next episode still flows into "
                     "returns[t]; the fix multiplies the whole bootstrap term by the mask."),
    dict(id="kuangliu-preact-shortcut-from-activated-input", repo="kuangliu/pytorch-cifar",
         path="models/resnet.py", fix="0acfbc1", framework="torch", category="WIRING",
         line=(r"shortcut = self\.shortcut\(out\)", 1), alt=[(r"shortcut = self\.shortcut\(out\)", 2)],
         description="In the pre-activation blocks the identity shortcut (an empty nn.Sequential) is applied to "
                     "relu(bn(x)) instead of x, so the residual path carries the normalised, rectified input "
                     "rather than the block's input; the fix passes x when there is no projection."),
    dict(id="kuangliu-vgg-classifier-is-pooling", repo="kuangliu/pytorch-cifar",
         path="model/vgg.py", fix="470d468", framework="torch", category="SHAPE",
         line=(r"self\.classifier = nn\.AvgPool2d\(kernel_size=1, stride=1\)", 1), alt=[],
         description="VGG's classifier is a 1x1 average pooling, the identity, so the network returns the 512 "
                     "features of its last block as the scores of CIFAR-10's 10 classes (the cross-entropy "
                     "in main.py trains 502 classes that never occur); the fix puts a Linear(512, 10) there."),
    dict(id="nanogpt-grad-accumulation-loss-not-divided", repo="karpathy/nanoGPT",
         path="train.py", fix="553f949f", framework="torch", category="TRAINING_LOOP",
         line=(r"^            logits, loss = model\(X, Y\)", 1), alt=[(r"scaler\.scale\(loss\)\.backward\(\)", 1)],
         description="Gradients are accumulated over gradient_accumulation_steps micro-batches whose mean losses "
                     "are not divided by the number of steps, so the gradient is that many times the batch "
                     "gradient and the clipping threshold is applied to the sum; the fix divides the loss."),
    dict(id="hifigan-stft-window-length-hard-coded", repo="jik876/hifi-gan",
         path="meldataset.py", fix="2691493", framework="torch", category="SHAPE",
         line=(r"hann_window\[str\(y\.device\)\] = torch\.hann_window\(1024\)\.to\(y\.device\)", 1),
         alt=[(r"spec = torch\.stft\(y, n_fft, hop_length=hop_size, win_length=win_size", 1)],
         description="The Hann window is built with 1024 samples whatever win_size the configuration gives, and "
                     "torch.stft requires the window's length to equal win_length, so any other window size "
                     "fails; the fix builds torch.hann_window(win_size)."),
    dict(id="pytorch-examples-wlm-decoder-weight-zeroed-then-reinitialized", repo="pytorch/examples",
         path="word_language_model/model.py", fix="3d63fe1", framework="torch", category="INIT",
         line=(r"nn\.init\.zeros_\(self\.decoder\.weight\)", 1),
         alt=[(r"nn\.init\.zeros_\(self\.decoder\.weight\)", 2)],
         description="init_weights zeroes the decoder's weight and overwrites it on the next line with a uniform "
                     "draw, so the zeros_ call does nothing and the decoder's bias, which it was meant to zero, "
                     "keeps its default initialisation; the fix zeroes the bias (both models of the file)."),
    dict(id="pytorch-examples-wlm-eval-loss-one-target-too-many", repo="pytorch/examples",
         path="word_language_model/main.py", fix="81f47e8", framework="torch", category="TRAINING_LOOP",
         line=(r"return total_loss / len\(data_source\)", 1), alt=[],
         description="evaluate() sums each chunk's loss weighted by its length over len(data_source) - 1 "
                     "predicted positions (the last token has no target) but divides by len(data_source), "
                     "understating the loss and perplexity; the fix divides by len(data_source) - 1."),
]
