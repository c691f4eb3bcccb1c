using Tempo.Algorithms.Policies;
using Tempo.Nn.Distributions;

namespace Tempo.Algorithms.Models;

/// <summary>How a categorical policy turns rows of logits into actions: a draw from the softmax, or its most likely category.</summary>
internal static class CategoricalSelection
{
    /// <summary>Writes one action per row of <paramref name="logits"/> (<c>[batch, actionCount]</c>) into <paramref name="actions"/>.</summary>
    public static void Select(ReadOnlySpan<float> logits, int actionCount, ActionSelection selection, Random random, Span<int> actions)
    {
        if (selection == ActionSelection.Sample)
        {
            Categorical.Sample(logits, actionCount, random, actions);
            return;
        }

        for (var row = 0; row < actions.Length; row++)
        {
            actions[row] = ArgMax(logits.Slice(row * actionCount, actionCount));
        }
    }

    /// <summary>The first index of the largest value (PyTorch's <c>argmax</c> breaks ties the same way).</summary>
    private static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }
}
