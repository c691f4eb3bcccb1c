namespace Tempo.Algorithms.Returns;

/// <summary>Boundary checks shared by the return kernels: every buffer covers the same [T, N] rollout.</summary>
internal static class RolloutChecks
{
    public static int StepCount(int length, int width, string lengthName, string widthName)
    {
        if (width == 0 || length % width != 0)
        {
            throw new ArgumentException($"{lengthName} has {length} elements, which is not a whole number of steps of {width} (the length of {widthName}).", lengthName);
        }

        return length / width;
    }

    public static void RequireLength(int actual, int expected, string name)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{name} has {actual} elements; the rollout has {expected}.", name);
        }
    }
}
