namespace Tempo.Algorithms.Dqn;

/// <summary>dqn.py's TD targets and loss, with Double-DQN target selection and prioritized replay's importance weights.</summary>
public static class DqnLoss
{
    /// <summary>TD targets y = r + factor · Q_target(s′, a′), a′ = argmax Q_target(s′) (dqn.py) or argmax Q_online(s′) (Double DQN).</summary>
    /// <param name="rewards">n-step returns, <c>[batch]</c>.</param>
    /// <param name="discounts">Bootstrap factors γ^m · (1 − terminated), <c>[batch]</c>.</param>
    /// <param name="targetNextQ">The target network's Q values at s′, <c>[batch, actions]</c>.</param>
    /// <param name="onlineNextQ">The online network's Q values at s′ to select a′ (Double DQN), or empty to take the target's maximum.</param>
    /// <param name="actions">Actions per row.</param>
    /// <param name="targets">Receives y, <c>[batch]</c>.</param>
    public static void TdTargets(ReadOnlySpan<float> rewards, ReadOnlySpan<float> discounts, ReadOnlySpan<float> targetNextQ, ReadOnlySpan<float> onlineNextQ, int actions, Span<float> targets)
    {
        var batch = targets.Length;
        for (var b = 0; b < batch; b++)
        {
            var row = targetNextQ.Slice(b * actions, actions);
            var selected = onlineNextQ.IsEmpty ? row[ArgMax(row)] : row[ArgMax(onlineNextQ.Slice(b * actions, actions))];
            targets[b] = rewards[b] + (discounts[b] * selected);
        }
    }

    /// <summary>The weighted mean squared TD error mean(w · (Q(s, a) − y)²) (dqn.py's <c>F.mse_loss</c> when every weight is 1), its gradient with respect to the Q values, and the TD errors.</summary>
    /// <param name="q">The online network's Q values at s, <c>[batch, actions]</c>.</param>
    /// <param name="taken">The actions taken, <c>[batch]</c>.</param>
    /// <param name="targets">TD targets, <c>[batch]</c>.</param>
    /// <param name="weights">Importance weights, <c>[batch]</c>.</param>
    /// <param name="qGradient">Receives ∂loss/∂Q, zero except at the taken actions, <c>[batch, actions]</c>.</param>
    /// <param name="tdErrors">Receives Q(s, a) − y, <c>[batch]</c>.</param>
    /// <param name="meanQ">The mean of Q(s, a) over the batch (dqn.py's <c>losses/q_values</c>).</param>
    /// <returns>The loss.</returns>
    /// <param name="huber">Use SB3's <c>F.smooth_l1_loss</c> (Huber with δ = 1: ½e² within ±1, |e| − ½ beyond) instead of the squared error.</param>
    public static float Loss(ReadOnlySpan<float> q, ReadOnlySpan<int> taken, ReadOnlySpan<float> targets, ReadOnlySpan<float> weights, Span<float> qGradient, Span<float> tdErrors, out float meanQ, bool huber = false)
    {
        var batch = targets.Length;
        var actions = q.Length / batch;
        qGradient.Clear();
        double loss = 0;
        double sumQ = 0;
        for (var b = 0; b < batch; b++)
        {
            var index = (b * actions) + taken[b];
            var error = q[index] - targets[b];
            tdErrors[b] = error;
            sumQ += q[index];
            if (huber && MathF.Abs(error) > 1f)
            {
                loss += weights[b] * (Math.Abs((double)error) - 0.5);
                qGradient[index] = weights[b] * MathF.Sign(error) / batch;
            }
            else if (huber)
            {
                loss += weights[b] * 0.5 * error * error;
                qGradient[index] = weights[b] * error / batch;
            }
            else
            {
                loss += weights[b] * (double)error * error;
                qGradient[index] = 2f * weights[b] * error / batch;
            }
        }

        meanQ = (float)(sumQ / batch);
        return (float)(loss / batch);
    }

    /// <summary>The first index of the largest value, as <c>torch.argmax</c>.</summary>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var j = 1; j < values.Length; j++)
        {
            if (values[j] > values[best])
            {
                best = j;
            }
        }

        return best;
    }
}
