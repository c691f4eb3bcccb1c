using Tempo.Algorithms.Ppo;

namespace Tempo.Cli.Training;

/// <summary>The PPO hyperparameters a user chose (a stored config, the config file's keys, then the flags), kept as edits to apply over a recipe's defaults.</summary>
/// <remarks>
/// The defaults depend on the recipe, and the recipe on the env, which a config file or a flag may name; so the
/// choices are collected first and applied last, each over the result of the ones before it (later ones win).
/// </remarks>
internal sealed class PpoChoices
{
    private readonly Func<PpoOptions, PpoOptions>[] _edits;

    /// <summary>Creates an empty list of choices: the defaults stay as they are.</summary>
    public PpoChoices()
        : this([])
    {
    }

    private PpoChoices(Func<PpoOptions, PpoOptions>[] edits) => _edits = edits;

    /// <summary>Returns these choices followed by <paramref name="edit"/>, which sees (and may override) what they set.</summary>
    public PpoChoices Then(Func<PpoOptions, PpoOptions> edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        return new PpoChoices([.. _edits, edit]);
    }

    /// <summary>Applies the choices, in order, over <paramref name="defaults"/>.</summary>
    public PpoOptions ApplyTo(PpoOptions defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        return _edits.Aggregate(defaults, (options, edit) => edit(options));
    }
}
