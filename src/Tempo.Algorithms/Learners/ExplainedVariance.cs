namespace Tempo.Algorithms.Learners;

/// <summary>How much of the value targets' variance the value predictions explain, as CleanRL logs it.</summary>
internal static class ExplainedVariance
{
    /// <summary>1 − Var[R − V] / Var[R] (NaN when the targets do not vary).</summary>
    public static double Compute(ReadOnlySpan<float> predicted, ReadOnlySpan<float> targets)
    {
        double meanTarget = 0, meanResidual = 0;
        for (var i = 0; i < targets.Length; i++)
        {
            meanTarget += targets[i];
            meanResidual += targets[i] - predicted[i];
        }

        meanTarget /= targets.Length;
        meanResidual /= targets.Length;
        double varianceTarget = 0, varianceResidual = 0;
        for (var i = 0; i < targets.Length; i++)
        {
            var t = targets[i] - meanTarget;
            var r = targets[i] - predicted[i] - meanResidual;
            varianceTarget += t * t;
            varianceResidual += r * r;
        }

        return varianceTarget == 0 ? double.NaN : 1 - (varianceResidual / varianceTarget);
    }
}
