using Tempo.Core.Spaces;

namespace Tempo.Core.Vector;

/// <summary>Decides whether two spaces describe the same set, so that a vector can reject envs that do not match.</summary>
internal static class SpaceComparison
{
    public static bool AreEqual(ISpace first, ISpace second)
    {
        if (ReferenceEquals(first, second))
        {
            return true;
        }

        if (first.GetType() != second.GetType() || !first.Shape.SequenceEqual(second.Shape))
        {
            return false;
        }

        return (first, second) switch
        {
            (DiscreteSpace a, DiscreteSpace b) => a.N == b.N && a.Start == b.Start,
            (MultiDiscreteSpace a, MultiDiscreteSpace b) => a.Nvec.SequenceEqual(b.Nvec),
            (BoxSpace<float> a, BoxSpace<float> b) => a.Low.SequenceEqual(b.Low) && a.High.SequenceEqual(b.High),
            (BoxSpace<double> a, BoxSpace<double> b) => a.Low.SequenceEqual(b.Low) && a.High.SequenceEqual(b.High),
            (BoxSpace<byte> a, BoxSpace<byte> b) => a.Low.SequenceEqual(b.Low) && a.High.SequenceEqual(b.High),
            (BoxSpace<int> a, BoxSpace<int> b) => a.Low.SequenceEqual(b.Low) && a.High.SequenceEqual(b.High),

            // A space type this comparison does not know: its description is the best evidence available.
            _ => first.ToString() == second.ToString(),
        };
    }
}
