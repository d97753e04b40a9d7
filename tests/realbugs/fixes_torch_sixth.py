"""A sixth round of PyTorch programs from fix commits (same fields as FIXES in build.py).

Taken from five repositories not read before, each with a permissive license file
(nikhilbarhate99/PPO-PyTorch, Kaixhin/Rainbow, sthalles/SimCLR, Zeleni9/pytorch-wgan,
karpathy/minGPT): every commit whose message says fix, bug, wrong, mistake or incorrect and whose
diff touches model, loss, data or training code was read in the order of the history, and an entry
went in when the diff corrects a bug of the program; whether tensorlint could find it played no
part, and the entries were measured before anything was built for them. `build.py` appends them
after all others. Where a bug was fixed in two commits, `buggy` names the version before the first.

Left out on reading:
- PPO-PyTorch: c997c1b ("fixed broadcasting issue") rewrites `evaluate` into code that computes
  the same shapes as before for the environments of the file; ff296df / 6c9a2ef are the second
  steps of the two reward-leak fixes below; d5e73e5 narrows the single-action reshape of 2d6a390
  to one action dimension, where the reshape was already a no-op for more.
- Rainbow: 6c8b281 changes a default `std_init` that every call site overrides with
  `args.noisy_std`; ed79dd7 (separate hidden layers for the two dueling streams) and 1b5e4eb (when
  the target network's noise is drawn) are design changes; 9ff5567 bounds a floating-point
  overshoot in the sum tree's search; b28a476 and 810e418 rewrite the replay memory while it was
  being written; e26c8e4 / 0aea5fb / 1e2d7a4 move the memory's arithmetic to NumPy for speed;
  de04b85 renames an emulator setting; the `randint(0, action_space - 1)` of 32c3f4b only draws
  the states on which the average Q value is logged.
- SimCLR: 13a7e64 / 55910e6 drop the averaging of several positives and require two views (a
  design choice), ca32c99's other changes follow a signature changed in the same commit,
  542b915 trains on another split of STL10, 5329556 reworks the evaluation notebook.
- pytorch-wgan: 2e7851d flips the generator's `backward(one)` to `backward(mone)` in the
  weight-clipping WGAN, but that file's critic is trained to score real images low
  (`d_loss_real.backward(one)`, `d_loss_fake.backward(mone)`), so `backward(one)` was the
  consistent sign; 516b1fe draws the latent code from a normal instead of a uniform distribution
  and puts the networks in eval mode for sampling (choices, not bugs); 6053b39 renames a logger
  attribute; 942b518 makes the code run without CUDA.
- minGPT: a7b13e0 and 339f4e7 change which chunks a character dataset yields (one sample fewer,
  random versus sequential chunks), 4a56b20 counts parameters for a log line, b162d3f / 82768a7
  change configuration plumbing.
"""
from __future__ import annotations

LICENSES = {
    "nikhilbarhate99/PPO-PyTorch": "MIT",
    "Kaixhin/Rainbow": "MIT",
    "sthalles/SimCLR": "MIT",
    "Zeleni9/pytorch-wgan": "MIT",
    "karpathy/minGPT": "MIT",
}

PPO = "nikhilbarhate99/PPO-PyTorch"
RAINBOW = "Kaixhin/Rainbow"
SIMCLR = "sthalles/SimCLR"
WGAN = "Zeleni9/pytorch-wgan"

_RETURNS_LEAK = ("The Monte Carlo returns are accumulated backwards over the whole memory, which holds "
                 "several episodes, and the running return is never reset at an episode's end, so every "
                 "step's target includes the discounted rewards of the episodes that followed it; the fix "
                 "resets the running return at terminal steps (in two commits, the first of which reset it "
                 "one step too late).")
_FLOAT64_REWARDS = ("The rewards gym returns are NumPy float64 scalars, so the discounted returns computed from "
                    "them are too and torch.tensor(rewards) is a float64 tensor; the critic's MSE loss against "
                    "float32 state values fails on the dtype mismatch in the PyTorch releases of the time (and "
                    "the advantages are promoted to float64); the fix builds the tensor as float32.")
_OLD_POLICY = ("policy_old, which collects the rollouts and whose log-probabilities are the denominator of "
               "the PPO ratio, is a second, independently initialised network, so until the first update "
               "the ratios compare two unrelated policies and are clipped almost everywhere; the fix copies "
               "the trained policy's weights into it.")

TORCH_SIXTH = [
    dict(id="ppo-pytorch-advantages-from-critic-being-trained", repo=PPO, path="PPO.py", fix="25dedb9",
         framework="torch", category="TRAINING_LOOP",
         line=(r"advantages = rewards - state_values\.detach\(\)", 1), alt=[],
         description="The advantages are recomputed in every one of the K optimisation epochs from the state "
                     "values of the critic being trained, so after the first epoch the policy gradient is "
                     "weighted by a critic that has already fitted the same returns; the fix records the old "
                     "policy's state values during the rollout and computes the advantages once, before the "
                     "epochs."),
    dict(id="ppo-pytorch-discrete-returns-leak-across-episodes", repo=PPO, path="PPO.py", fix="6c9a2ef",
         buggy="fd5381d^", framework="torch", category="TRAINING_LOOP",
         line=(r"discounted_reward = reward \+ \(self\.gamma \* discounted_reward\)", 1),
         alt=[(r"for reward in reversed\(memory\.rewards\):", 1)], description=_RETURNS_LEAK),
    dict(id="ppo-pytorch-continuous-returns-leak-across-episodes", repo=PPO, path="PPO_continuous.py",
         fix="ff296df", buggy="d02da8d^", framework="torch", category="TRAINING_LOOP",
         line=(r"discounted_reward = reward \+ \(self\.gamma \* discounted_reward\)", 1),
         alt=[(r"for reward in reversed\(memory\.rewards\):", 1)], description=_RETURNS_LEAK),
    dict(id="ppo-pytorch-discrete-old-policy-not-synced", repo=PPO, path="PPO.py", fix="d620d75",
         framework="torch", category="INIT",
         line=(r"self\.policy_old = ActorCritic\(state_dim, action_dim, n_latent_var\)\.to\(device\)", 1),
         alt=[], description=_OLD_POLICY),
    dict(id="ppo-pytorch-continuous-old-policy-not-synced", repo=PPO, path="PPO_continuous.py", fix="64376aa",
         framework="torch", category="INIT",
         line=(r"self\.policy_old = ActorCritic\(state_dim, action_dim, action_std\)\.to\(device\)", 1),
         alt=[], description=_OLD_POLICY),
    dict(id="ppo-pytorch-discrete-returns-tensor-float64", repo=PPO, path="PPO.py", fix="81b25e7",
         framework="torch", category="DTYPE", line=(r"rewards = torch\.tensor\(rewards\)\.to\(device\)", 1),
         alt=[(r"loss = -torch\.min\(surr1, surr2\) \+ 0\.5\*self\.MseLoss\(state_values, rewards\)", 1)],
         description=_FLOAT64_REWARDS),
    dict(id="ppo-pytorch-continuous-returns-tensor-float64", repo=PPO, path="PPO_continuous.py", fix="0c9b418",
         framework="torch", category="DTYPE", line=(r"rewards = torch\.tensor\(rewards\)\.to\(device\)", 1),
         alt=[(r"loss = -torch\.min\(surr1, surr2\) \+ 0\.5\*self\.MseLoss\(state_values, rewards\)", 1)],
         description=_FLOAT64_REWARDS),
    dict(id="ppo-pytorch-continuous-squeeze-drops-action-axis", repo=PPO, path="PPO_continuous.py",
         fix="a34bc1e", framework="torch", category="SHAPE",
         line=(r"action_mean = torch\.squeeze\(self\.actor\(state\)\)", 1),
         alt=[(r"action_logprobs = dist\.log_prob\(torch\.squeeze\(action\)\)", 1),
              (r"old_actions = torch\.squeeze\(torch\.stack\(memory\.actions\)\.to\(device\)\)\.detach\(\)", 1)],
         description="evaluate() squeezes the actor's [N, action_dim] means and the stored actions with a bare "
                     "squeeze(), which also removes the action axis when the environment has one action, so the "
                     "MultivariateNormal over one dimension receives [N] means and actions and its log_prob "
                     "and entropy lose the batch; the fix squeezes only the stacking axis 1."),
    dict(id="ppo-pytorch-single-continuous-action-log-prob-shape", repo=PPO, path="PPO.py", fix="2d6a390",
         buggy="b27f936^", framework="torch", category="SHAPE",
         line=(r"action_logprobs = dist\.log_prob\(action\)", 1),
         alt=[(r"old_actions = torch\.squeeze\(torch\.stack\(self\.buffer\.actions, dim=0\)\)", 1)],
         description="The stored actions are stacked and squeezed, which leaves [N] for an environment with a "
                     "single continuous action, and the MultivariateNormal of event shape [1] is asked for the "
                     "log-probability of that [N] vector, which fails; the fix reshapes the actions to "
                     "[N, action_dim] in the continuous branch (in two commits: the first reshaped discrete "
                     "actions too)."),
    dict(id="rainbow-sum-tree-int32-priorities", repo=RAINBOW, path="memory.py", fix="32c3f4b",
         framework="torch", category="DTYPE",
         line=(r"self\.sum_tree = np\.array\(\[0\] \* \(2 \* size - 1\), dtype=np\.int32\)", 1), alt=[],
         description="The sum tree of the prioritised replay memory is an int32 array, so the float priorities "
                     "(losses raised to the priority exponent, mostly below 1) are truncated to integers when "
                     "stored and the sampling probabilities collapse; the fix stores float32."),
    dict(id="rainbow-nstep-return-skips-first-next-reward", repo=RAINBOW, path="memory.py", fix="f398c1a",
         framework="torch", category="TRAINING_LOOP",
         line=(r"returns = \[R \+ self\.discount \*\* n \* transition\.reward for R, transition in "
               r"zip\(returns, full_transitions\[self\.history \+ n\]\)\]", 1),
         alt=[(r"for n in range\(1, self\.n\):", 1)],
         description="The n-step return starts from the reward at index history - 1 and then adds the rewards "
                     "at history + n for n from 1, so the reward at index history is skipped and one reward "
                     "beyond the n steps is added; the fix walks n from 0 (which then left the discount "
                     "exponent one short, the next entry)."),
    dict(id="rainbow-nstep-return-discount-exponent-one-short", repo=RAINBOW, path="memory.py", fix="11a1cd8",
         framework="torch", category="TRAINING_LOOP",
         line=(r"returns = \[R \+ self\.discount \*\* n \* transition\.reward for R, transition in "
               r"zip\(returns, full_transitions\[self\.history \+ n\]\)\]", 1),
         alt=[(r"for n in range\(self\.n - 1\):", 1)],
         description="The n-step return adds the k-th next reward with discount ** (k - 1), so the first two "
                     "rewards are both undiscounted and every later one is discounted once too little; the fix "
                     "walks n from 1 and reads the reward at history + n - 1."),
    dict(id="rainbow-importance-weights-on-cpu", repo=RAINBOW, path="memory.py", fix="367b9fd",
         framework="torch", category="WIRING",
         line=(r"probs = Variable\(torch\.Tensor\(probs\)\) / p_total", 1),
         alt=[(r"weights = \(self\.capacity \* probs\) \*\* -self\.priority_weight", 1)],
         description="Every tensor of the sampled batch is built with the CUDA tensor types when args.cuda is "
                     "set, but the sampling probabilities (and so the importance-sampling weights) with "
                     "torch.Tensor on the CPU, so weighting the loss mixes devices; the fix uses the memory's "
                     "float type."),
    dict(id="rainbow-dueling-advantage-mean-over-all-atoms", repo=RAINBOW, path="model.py", fix="feab638",
         framework="torch", category="SHAPE",
         line=(r"x = v\.repeat\(1, self\.action_space\) \+ a - a\.mean\(1, keepdim=True\)\.expand_as\(a\)", 1),
         alt=[],
         description="The advantage stream is [batch, actions * atoms], and the dueling combination subtracts "
                     "its mean over that whole axis, one number per sample, instead of the mean over the "
                     "actions for each atom; the fix stacks the actions on their own axis before averaging."),
    dict(id="rainbow-terminal-target-distribution-zeroed", repo=RAINBOW, path="agent.py", fix="94204d9",
         framework="torch", category="LABELS",
         line=(r"pns_a \*= nonterminals", 1),
         alt=[(r"Tz = returns\.unsqueeze\(1\) \+ nonterminals \* \(self\.discount \*\* self\.n\)", 1)],
         description="For terminal transitions the next state's return distribution is multiplied by zero, so "
                     "the projected target distribution m has no mass at all and the cross-entropy target of "
                     "those samples is zero; the fix spreads the next-state probability evenly (Tz already "
                     "collapses every atom onto the reward)."),
    dict(id="rainbow-projection-drops-mass-on-exact-atoms", repo=RAINBOW, path="agent.py", fix="066395c",
         framework="torch", category="LABELS",
         line=(r"m\.view\(-1\)\.index_add_\(0, \(l \+ offset\)\.view\(-1\), \(pns_a \* \(u\.float\(\) - b\)\)", 1),
         alt=[(r"l, u = b\.floor\(\)\.long\(\), b\.ceil\(\)\.long\(\)", 1)],
         description="When a projected atom b = (Tz - Vmin) / dz is an integer, floor and ceil agree, and both "
                     "shares (u - b) and (b - l) are zero, so that atom's probability vanishes from the target "
                     "distribution (for terminal transitions all of it); the fix moves l or u one atom apart."),
    dict(id="simclr-train-loop-no-zero-grad", repo=SIMCLR, path="train.py", fix="af77a03",
         framework="torch", category="TRAINING_LOOP", line=(r"^        loss\.backward\(\)", 1),
         alt=[(r"^        optimizer\.step\(\)", 1), (r"^    for step, \(\(xis, xjs\), _\) in enumerate\(train_loader\):", 1)],
         description="The training loop calls loss.backward() and optimizer.step() for every batch without ever "
                     "zeroing the gradients, so each step applies the sum of all gradients so far; the fix "
                     "calls optimizer.zero_grad() at the top of the loop."),
    dict(id="simclr-labels-cuda-result-discarded", repo=SIMCLR, path="train.py", fix="ca32c99",
         framework="torch", category="WIRING", line=(r"^    labels\.cuda\(\)", 1), alt=[],
         description="`labels.cuda()` returns a copy on the GPU and the result is discarded, so on a GPU the "
                     "labels stay on the CPU while the logits they are compared with are on the GPU; the fix "
                     "assigns the copy."),
    dict(id="simclr-info-nce-targets-ignore-removed-diagonal", repo=SIMCLR, path="simclr.py", fix="4c056cb",
         framework="torch", category="LABELS",
         line=(r"batch_targets = torch\.arange\(self\.args\.batch_size, dtype=torch\.long\)", 1),
         alt=[(r"batch_targets = torch\.cat\(self\.args\.n_views \* \[batch_targets\]\)", 1),
              (r"similarities = similarity_matrix\[~mask\.bool\(\)\]\.view\(similarity_matrix\.shape\[0\], -1\)", 1)],
         description="The logits are the similarity matrix with its diagonal removed, which shifts every column "
                     "right of the diagonal one place left, but the targets are the positives' column indices "
                     "in the full matrix (i mod batch size), so for the first view the target is the wrong "
                     "column; the fix builds the logits as [positive, negatives] with target 0."),
    dict(id="simclr-cross-entropy-float-targets", repo=SIMCLR, path="simclr.py", fix="727cbae",
         framework="torch", category="DTYPE",
         line=(r"labels = torch\.zeros\(logits\.shape\[0\]\)\.to\(self\.args\.device\)", 1),
         alt=[(r"loss = self\.criterion\(logits, labels\)", 1)],
         description="The class-index targets of nn.CrossEntropyLoss are made with torch.zeros, which is float32; "
                     "CrossEntropyLoss wants int64 class indices (newer releases read a float target as "
                     "probabilities and reject its shape); the fix makes them torch.long."),
    dict(id="wgan-gp-gradient-norm-over-channels", repo=WGAN, path="models/wgan_gradient_penalty.py",
         fix="9fec344", framework="torch", category="SHAPE",
         line=(r"grad_penalty = \(\(gradients\.norm\(2, dim=1\) - 1\) \*\* 2\)\.mean\(\) \* self\.lambda_term", 1),
         alt=[],
         description="The gradient of the critic with respect to the [N, C, H, W] interpolated images is "
                     "normed over dim=1 alone, one norm per pixel over the channels, so the penalty pushes each "
                     "pixel's gradient to unit norm instead of each sample's; the fix flattens the gradients "
                     "to [N, -1] first."),
    dict(id="wgan-mnist-normalize-three-channels", repo=WGAN, path="utils/data_loader.py", fix="fb43ff3",
         framework="torch", category="SHAPE",
         line=(r"transforms\.Normalize\(\(0\.5, 0\.5, 0\.5\), \(0\.5, 0\.5, 0\.5\)\)", 1), alt=[],
         description="The MNIST images are one-channel, but the transform normalises them with three-channel "
                     "means and standard deviations (a shape error in torchvision's Normalize); the fix gives "
                     "one value each. The Fashion-MNIST branch keeps the same line after the fix."),
    dict(id="mingpt-top-k-fills-small-positive-logit", repo="karpathy/minGPT", path="mingpt/utils.py",
         fix="d708b1e", framework="torch", category="WIRING",
         line=(r"out\[out < v\[:, \[-1\]\]\] = 1e-10", 1), alt=[],
         description="top_k_logits is meant to remove every logit below the k-th largest before the softmax "
                     "that samples the next token, but it sets them to 1e-10, a logit of about zero, so they "
                     "keep (or, when negative, gain) probability; the fix sets them to -inf."),
]
