"""Times one DQN gradient step of a peer on CartPole-v1 (PyTorch CPU, 1 thread), to set beside Tempo's
DqnGradientStepBenchmarks.GradientStep (a batch drawn from a full replay buffer, TD targets, loss, backward, Adam).

Usage: python3 peer_dqn_step.py cleanrl PATH/TO/cleanrl/dqn.py   -> microseconds per gradient step (dqn.py's defaults)
       python3 peer_dqn_step.py sb3                              -> the same for SB3 2.4.1's DQN.train(gradient_steps=1)

cleanrl: dqn.py's QNetwork (120-84) is loaded from the script itself (run_path without __main__ runs only the
definitions); the step is dqn.py's update as its documentation describes it: a batch of 128 from SB3's ReplayBuffer
(the buffer dqn.py uses), max over the target network's Q(s') for the TD target, MSE against Q(s, a), Adam at 2.5e-4.
sb3: SB3's own DQN with dqn.py's sizes (net_arch 120-84, batch 128; its default Huber loss), one call of its
train(gradient_steps=1), which samples, computes the loss, steps Adam and records its statistics.
Both buffers hold 10,000 random transitions; reported: mean over 2,000 steps after 200 warm-up ones.
"""
import runpy
import sys
import time
import types

import gymnasium as gym
import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(1)
# Debian packages no TensorBoard; the scripts only import SummaryWriter at module level.
sys.modules.setdefault("torch.utils.tensorboard", types.SimpleNamespace(SummaryWriter=None))
from stable_baselines3.common.buffers import ReplayBuffer  # noqa: E402

BATCH, GAMMA, BUFFER, WARM_UP, STEPS = 128, 0.99, 10_000, 200, 2_000


def fill(buffer, rng):
    for _ in range(BUFFER):
        observation = rng.uniform(-1, 1, (1, 4)).astype(np.float32)
        following = rng.uniform(-1, 1, (1, 4)).astype(np.float32)
        buffer.add(observation, following, rng.integers(0, 2, (1,)), np.ones(1, np.float32), rng.random((1,)) < 0.02, [{}])


def time_steps(step):
    for _ in range(WARM_UP):
        step()
    start = time.perf_counter()
    for _ in range(STEPS):
        step()
    return (time.perf_counter() - start) / STEPS * 1e6


def cleanrl(script):
    module = runpy.run_path(script, run_name="cleanrl_dqn")
    envs = gym.vector.SyncVectorEnv([lambda: gym.make("CartPole-v1")])
    torch.manual_seed(1)
    online, target = module["QNetwork"](envs), module["QNetwork"](envs)
    target.load_state_dict(online.state_dict())
    optimizer = torch.optim.Adam(online.parameters(), lr=2.5e-4)
    buffer = ReplayBuffer(BUFFER, envs.single_observation_space, envs.single_action_space, "cpu", handle_timeout_termination=False)
    fill(buffer, np.random.default_rng(1))

    def step():
        data = buffer.sample(BATCH)
        with torch.no_grad():
            best_next = target(data.next_observations).max(dim=1).values
            td_target = data.rewards.flatten() + GAMMA * best_next * (1 - data.dones.flatten())
        predicted = online(data.observations).gather(1, data.actions).squeeze()
        loss = F.mse_loss(td_target, predicted)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    return time_steps(step)


def sb3():
    from stable_baselines3 import DQN

    model = DQN("MlpPolicy", gym.make("CartPole-v1"), learning_rate=2.5e-4, buffer_size=BUFFER, batch_size=BATCH,
                gamma=GAMMA, policy_kwargs={"net_arch": [120, 84]}, seed=1, device="cpu")
    model.set_logger(__import__("stable_baselines3.common.logger", fromlist=["configure"]).configure(None, []))
    fill(model.replay_buffer, np.random.default_rng(1))
    return time_steps(lambda: model.train(gradient_steps=1, batch_size=BATCH))


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "cleanrl":
        print("%.1f" % cleanrl(sys.argv[2]))
    elif len(sys.argv) == 2 and sys.argv[1] == "sb3":
        print("%.1f" % sb3())
    else:
        sys.exit("usage: peer_dqn_step.py cleanrl PATH/TO/dqn.py | sb3")
