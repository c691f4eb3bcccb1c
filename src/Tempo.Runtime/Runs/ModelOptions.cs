using Tempo.Core.Configuration;

namespace Tempo.Runtime.Runs;

/// <summary>The network's widths; its input and output sizes come from the env's spaces.</summary>
/// <remarks>Binds to the config key and CLI flag <c>hidden-sizes</c>.</remarks>
public sealed record ModelOptions
{
    /// <summary>Hidden layer widths of the actor and critic MLPs (tanh); for a CNN or multi-input model, the width of its one fully connected layer.</summary>
    public IReadOnlyList<int> HiddenSizes { get; init; } = [64, 64];

    /// <summary>Throws unless there is at least one width and every width is positive.</summary>
    /// <exception cref="ArgumentException">A width is not positive, or there is none.</exception>
    public void Validate()
    {
        OptionError.Require(
            HiddenSizes is { Count: > 0 } && HiddenSizes.All(h => h > 0),
            nameof(HiddenSizes),
            $"[{string.Join(", ", HiddenSizes ?? [])}]",
            "must be one or more positive widths");
    }
}
