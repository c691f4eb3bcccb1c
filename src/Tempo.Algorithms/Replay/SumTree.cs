namespace Tempo.Algorithms.Replay;

/// <summary>A binary tree of non-negative priorities whose inner nodes hold the sums below them: sets a leaf and finds the leaf at a prefix sum in O(log n).</summary>
/// <remarks>Sums are doubles so that millions of float-sized priorities add up without drift changing which leaf a prefix sum lands on.</remarks>
public sealed class SumTree
{
    private readonly double[] _nodes;
    private readonly int _leafBase;

    /// <summary>Creates a tree of <paramref name="capacity"/> leaves, all zero.</summary>
    public SumTree(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        _leafBase = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity);
        _nodes = new double[2 * _leafBase];
    }

    /// <summary>Leaves in the tree.</summary>
    public int Capacity { get; }

    /// <summary>The sum of every leaf.</summary>
    public double Total => _nodes[1];

    /// <summary>The priority of leaf <paramref name="index"/>.</summary>
    public double this[int index] => _nodes[_leafBase + index];

    /// <summary>Sets leaf <paramref name="index"/> to <paramref name="priority"/> and updates the sums above it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside the tree or the priority is negative or not finite.</exception>
    public void Set(int index, double priority)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Capacity);
        if (!(priority >= 0) || double.IsInfinity(priority))
        {
            throw new ArgumentOutOfRangeException(nameof(priority), priority, "A priority must be a finite non-negative number.");
        }

        var node = _leafBase + index;
        _nodes[node] = priority;
        for (node >>= 1; node >= 1; node >>= 1)
        {
            _nodes[node] = _nodes[2 * node] + _nodes[(2 * node) + 1];
        }
    }

    /// <summary>The leaf where the running sum of leaves first reaches <paramref name="prefixSum"/> (going left when it equals the left sum, as rainbow_atari.py's retrieve).</summary>
    /// <remarks>A sum past the total (rounding) lands on the last leaf with a priority, never on an empty one.</remarks>
    public int Find(double prefixSum)
    {
        var node = 1;
        while (node < _leafBase)
        {
            var left = 2 * node;
            if (prefixSum <= _nodes[left] || _nodes[left + 1] <= 0)
            {
                node = left;
            }
            else
            {
                prefixSum -= _nodes[left];
                node = left + 1;
            }
        }

        return node - _leafBase;
    }
}
