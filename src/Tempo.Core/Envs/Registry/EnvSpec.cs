using Tempo.Core.Wrappers;

namespace Tempo.Core.Envs.Registry;

/// <summary>How to make one registered environment: its id, time limit, element types, options type and factory.</summary>
/// <remarks>Create specs with <see cref="Create{TObservation, TAction, TOptions}"/> or <see cref="Create{TObservation, TAction}"/>.</remarks>
public sealed class EnvSpec
{
    private readonly Func<object?, IEnv> _make;

    private EnvSpec(string id, int? maxEpisodeSteps, Type observationElementType, Type actionElementType, Type? optionsType, Func<object?, IEnv> make)
    {
        Id = id;
        MaxEpisodeSteps = maxEpisodeSteps;
        ObservationElementType = observationElementType;
        ActionElementType = actionElementType;
        OptionsType = optionsType;
        _make = make;
    }

    /// <summary>The id the env is made by, Gymnasium style (<c>Name-vN</c>).</summary>
    public string Id { get; }

    /// <summary>The step after which episodes are truncated by a <see cref="TimeLimit{TObservation, TAction}"/>; null for none.</summary>
    public int? MaxEpisodeSteps { get; }

    /// <summary>The observation element type (<see cref="float"/> for vectors, <see cref="byte"/> for frames).</summary>
    public Type ObservationElementType { get; }

    /// <summary>The action element type (<see cref="int"/> for discrete actions, <see cref="float"/> for continuous ones).</summary>
    public Type ActionElementType { get; }

    /// <summary>The options record the factory accepts, or null when the env takes no options.</summary>
    public Type? OptionsType { get; }

    /// <summary>Describes an env whose factory takes an options record; <c>null</c> options mean <c>new TOptions()</c>.</summary>
    /// <param name="id">The id, e.g. <c>CartPole-v1</c>.</param>
    /// <param name="factory">Makes a fresh, unwrapped env from validated-by-the-env options.</param>
    /// <param name="maxEpisodeSteps">The time limit applied by the registry, or null for none.</param>
    public static EnvSpec Create<TObservation, TAction, TOptions>(string id, Func<TOptions, IEnv<TObservation, TAction>> factory, int? maxEpisodeSteps)
        where TObservation : unmanaged
        where TAction : unmanaged
        where TOptions : class, new()
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new EnvSpec(
            ValidateId(id),
            ValidateLimit(maxEpisodeSteps),
            typeof(TObservation),
            typeof(TAction),
            typeof(TOptions),
            options => WithTimeLimit(factory((TOptions?)options ?? new TOptions()), maxEpisodeSteps));
    }

    /// <summary>Describes an env that takes no options.</summary>
    /// <param name="id">The id, e.g. <c>LiveCartPole-v1</c>.</param>
    /// <param name="factory">Makes a fresh, unwrapped env.</param>
    /// <param name="maxEpisodeSteps">The time limit applied by the registry, or null for none.</param>
    public static EnvSpec Create<TObservation, TAction>(string id, Func<IEnv<TObservation, TAction>> factory, int? maxEpisodeSteps)
        where TObservation : unmanaged
        where TAction : unmanaged
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new EnvSpec(
            ValidateId(id),
            ValidateLimit(maxEpisodeSteps),
            typeof(TObservation),
            typeof(TAction),
            optionsType: null,
            _ => WithTimeLimit(factory(), maxEpisodeSteps));
    }

    /// <summary>Describes the spec as <c>Id: IEnv&lt;float, int&gt;, options CartPoleOptions, 500 steps</c>.</summary>
    public override string ToString()
    {
        var options = OptionsType is null ? "no options" : $"options {OptionsType.Name}";
        var limit = MaxEpisodeSteps is { } steps ? $"{steps} steps" : "no time limit";
        return $"{Id}: {EnvTypeName}, {options}, {limit}";
    }

    /// <summary>The typed env interface, e.g. <c>IEnv&lt;float, int&gt;</c>.</summary>
    internal string EnvTypeName => $"IEnv<{TypeName(ObservationElementType)}, {TypeName(ActionElementType)}>";

    /// <summary>Makes the env, wrapped in its time limit; the options have been type-checked by the registry.</summary>
    internal IEnv Make(object? options) => _make(options);

    /// <summary>The C# keyword for the usual element types, the type's name otherwise.</summary>
    internal static string TypeName(Type type) =>
        type == typeof(float) ? "float"
        : type == typeof(double) ? "double"
        : type == typeof(int) ? "int"
        : type == typeof(long) ? "long"
        : type == typeof(byte) ? "byte"
        : type.Name;

    private static IEnv<TObservation, TAction> WithTimeLimit<TObservation, TAction>(IEnv<TObservation, TAction> env, int? maxEpisodeSteps)
        where TObservation : unmanaged
        where TAction : unmanaged
    {
        if (env is null)
        {
            throw new InvalidOperationException("The env factory returned null.");
        }

        return maxEpisodeSteps is { } steps ? new TimeLimit<TObservation, TAction>(env, steps) : env;
    }

    private static string ValidateId(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        if (id.Trim() != id)
        {
            throw new ArgumentException($"An env id must not start or end with white space; got '{id}'.", nameof(id));
        }

        return id;
    }

    private static int? ValidateLimit(int? maxEpisodeSteps)
    {
        if (maxEpisodeSteps is { } steps)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps, nameof(maxEpisodeSteps));
        }

        return maxEpisodeSteps;
    }
}
