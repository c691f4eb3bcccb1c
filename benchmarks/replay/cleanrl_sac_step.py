"""Times one SAC gradient step of CleanRL's unmodified sac_continuous_action.py on Pendulum-v1 (PyTorch CPU, 1 thread).

Usage: python3 cleanrl_sac_step.py PATH/TO/cleanrl/sac_continuous_action.py  -> prints milliseconds per env step's update

The script's networks (Actor, SoftQNetwork) are loaded from the file itself (run_path without __main__ runs only the
definitions); the update below is the script's training block copied verbatim in order (critic step every env step;
with policy-frequency 2, two actor and α steps every second env step; Polyak targets every step), on a random batch of
256 so no env or replay time is included. Reported: mean over 400 env steps (200 even + 200 odd) after 50 warm-up ones.
"""
import runpy
import sys
import time
import types

import gymnasium as gym
import numpy as np
import torch
import torch.nn.functional as F
import torch.optim as optim

torch.set_num_threads(1)
# Debian packages no TensorBoard; the script only imports SummaryWriter at module level, which this step never uses.
sys.modules["torch.utils.tensorboard"] = types.SimpleNamespace(SummaryWriter=None)
mod = runpy.run_path(sys.argv[1], run_name="cleanrl_sac")
envs = gym.vector.SyncVectorEnv([lambda: gym.wrappers.RecordEpisodeStatistics(gym.make("Pendulum-v1"))])
torch.manual_seed(1)
actor, qf1, qf2 = mod["Actor"](envs), mod["SoftQNetwork"](envs), mod["SoftQNetwork"](envs)
qf1_target, qf2_target = mod["SoftQNetwork"](envs), mod["SoftQNetwork"](envs)
qf1_target.load_state_dict(qf1.state_dict())
qf2_target.load_state_dict(qf2.state_dict())
q_optimizer = optim.Adam(list(qf1.parameters()) + list(qf2.parameters()), lr=1e-3)
actor_optimizer = optim.Adam(list(actor.parameters()), lr=3e-4)
target_entropy = -1.0
log_alpha = torch.zeros(1, requires_grad=True)
alpha = log_alpha.exp().item()
a_optimizer = optim.Adam([log_alpha], lr=1e-3)
gamma, tau, batch, policy_frequency = 0.99, 0.005, 256, 2
obs = torch.rand(batch, 3) * 2 - 1
next_obs = torch.rand(batch, 3) * 2 - 1
acts = torch.rand(batch, 1) * 4 - 2
rewards = -torch.rand(batch, 1) * 16
dones = torch.zeros(batch, 1)


def update(global_step):
    global alpha
    with torch.no_grad():
        next_state_actions, next_state_log_pi, _ = actor.get_action(next_obs)
        qf1_next_target = qf1_target(next_obs, next_state_actions)
        qf2_next_target = qf2_target(next_obs, next_state_actions)
        min_qf_next_target = torch.min(qf1_next_target, qf2_next_target) - alpha * next_state_log_pi
        next_q_value = rewards.flatten() + (1 - dones.flatten()) * gamma * (min_qf_next_target).view(-1)
    qf1_a_values = qf1(obs, acts).view(-1)
    qf2_a_values = qf2(obs, acts).view(-1)
    qf_loss = F.mse_loss(qf1_a_values, next_q_value) + F.mse_loss(qf2_a_values, next_q_value)
    q_optimizer.zero_grad()
    qf_loss.backward()
    q_optimizer.step()
    if global_step % policy_frequency == 0:
        for _ in range(policy_frequency):
            pi, log_pi, _ = actor.get_action(obs)
            actor_loss = ((alpha * log_pi) - torch.min(qf1(obs, pi), qf2(obs, pi))).mean()
            actor_optimizer.zero_grad()
            actor_loss.backward()
            actor_optimizer.step()
            with torch.no_grad():
                _, log_pi, _ = actor.get_action(obs)
            alpha_loss = (-log_alpha.exp() * (log_pi + target_entropy)).mean()
            a_optimizer.zero_grad()
            alpha_loss.backward()
            a_optimizer.step()
            alpha = log_alpha.exp().item()
    for param, target_param in zip(qf1.parameters(), qf1_target.parameters()):
        target_param.data.copy_(tau * param.data + (1 - tau) * target_param.data)
    for param, target_param in zip(qf2.parameters(), qf2_target.parameters()):
        target_param.data.copy_(tau * param.data + (1 - tau) * target_param.data)


for s in range(50):
    update(s)
start = time.perf_counter()
for s in range(400):
    update(s)
print("%.2f" % ((time.perf_counter() - start) / 400 * 1000))
