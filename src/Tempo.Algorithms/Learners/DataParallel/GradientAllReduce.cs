using System.Numerics;
using Tempo.Nn.Modules;

namespace Tempo.Algorithms.Learners.DataParallel;

/// <summary>
/// What joins data-parallel ranks: their gradients averaged into rank 0's (DDP's all-reduce, which CleanRL's
/// <c>ppo_atari_multigpu.py</c> spells <c>all_reduce(SUM)</c> then <c>/ world_size</c>), and rank 0's weights copied back to
/// every replica after rank 0's optimizer stepped.
/// </summary>
/// <remarks>
/// Every element is summed in rank order (rank 0 + rank 1 + …) and then divided by K, whichever thread sums it, so the
/// result does not depend on how the work was split: a fixed K trains to the same weights bit for bit.
/// </remarks>
internal static class GradientAllReduce
{
    /// <summary>Averages element share <paramref name="part"/> of <paramref name="parts"/> of every parameter's gradient over the replicas, into replica 0's.</summary>
    /// <param name="replicas">Each rank's parameters, in the same order; replica 0's gradients receive the average.</param>
    /// <param name="part">The share to reduce (0 … <paramref name="parts"/> − 1), so ranks can reduce disjoint shares at once.</param>
    /// <param name="parts">Shares the elements are cut into.</param>
    public static void AverageInto(Parameter[][] replicas, int part, int parts)
    {
        var ranks = replicas.Length;
        var master = replicas[0];
        var divisor = new Vector<float>(ranks);
        for (var p = 0; p < master.Length; p++)
        {
            var length = master[p].Gradient.Length;
            var from = (int)((long)length * part / parts);
            var to = (int)((long)length * (part + 1) / parts);
            var sum = master[p].Gradient.Span[from..to];
            for (var r = 1; r < ranks; r++)
            {
                Add(sum, replicas[r][p].Gradient.Span[from..to]);
            }

            var i = 0;
            for (; i <= sum.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                (new Vector<float>(sum[i..]) / divisor).CopyTo(sum[i..]);
            }

            for (; i < sum.Length; i++)
            {
                sum[i] /= ranks;
            }
        }
    }

    /// <summary>Copies <paramref name="source"/>'s weights into <paramref name="target"/>'s (the same architecture).</summary>
    public static void CopyWeights(Parameter[] source, Parameter[] target)
    {
        for (var p = 0; p < source.Length; p++)
        {
            source[p].Value.Span.CopyTo(target[p].Value.Span);
        }
    }

    private static void Add(Span<float> sum, ReadOnlySpan<float> addend)
    {
        var i = 0;
        for (; i <= sum.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            (new Vector<float>(sum[i..]) + new Vector<float>(addend[i..])).CopyTo(sum[i..]);
        }

        for (; i < sum.Length; i++)
        {
            sum[i] += addend[i];
        }
    }
}
