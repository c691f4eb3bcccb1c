namespace Tempo.Core.Envs.Registry;

/// <summary>A set of environment specs made by id, as <c>gymnasium.make</c> does: <c>registry.Make("CartPole-v1")</c>.</summary>
/// <remarks>
/// An instance, not a global: the composition root builds one (usually with <see cref="CreateDefault"/>) and
/// registers its own envs. Registration and making are thread-safe.
/// </remarks>
public sealed class EnvRegistry
{
    private readonly Dictionary<string, EnvSpec> _specs = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Returns a new registry holding the five classic-control envs with Gymnasium's ids and time limits, their two live twins, and the pixel game Catch-v0.</summary>
    public static EnvRegistry CreateDefault()
    {
        var registry = new EnvRegistry();
        foreach (var spec in ClassicControlSpecs.All().Concat(LiveControlSpecs.All()).Concat(PixelGameSpecs.All()))
        {
            registry.Register(spec);
        }

        return registry;
    }

    /// <summary>The registered ids, sorted.</summary>
    public IReadOnlyList<string> Ids
    {
        get
        {
            lock (_lock)
            {
                var ids = _specs.Keys.ToArray();
                Array.Sort(ids, StringComparer.Ordinal);
                return ids;
            }
        }
    }

    /// <summary>Adds a spec; its id must not be registered yet.</summary>
    public void Register(EnvSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        lock (_lock)
        {
            if (!_specs.TryAdd(spec.Id, spec))
            {
                throw new ArgumentException($"An env with id '{spec.Id}' is already registered ({_specs[spec.Id]}).", nameof(spec));
            }
        }
    }

    /// <summary>Registers the envs of <paramref name="assembly"/>: creates every public, non-abstract <see cref="IEnvRegistration"/> in it and calls it.</summary>
    /// <returns>The ids that were added, sorted.</returns>
    /// <exception cref="ArgumentException">The assembly has no such registration, one cannot be created, or it registers an id that exists.</exception>
    public IReadOnlyList<string> RegisterFrom(System.Reflection.Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var registrations = assembly.GetExportedTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IEnvRegistration).IsAssignableFrom(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToArray();
        if (registrations.Length == 0)
        {
            throw new ArgumentException($"{assembly.GetName().Name} has no public class implementing {nameof(IEnvRegistration)}, so it registers no env.", nameof(assembly));
        }

        var before = new HashSet<string>(Ids, StringComparer.Ordinal);
        foreach (var type in registrations)
        {
            if (type.GetConstructor(Type.EmptyTypes) is null)
            {
                throw new ArgumentException($"{type.FullName} implements {nameof(IEnvRegistration)} but has no public parameterless constructor.", nameof(assembly));
            }

            ((IEnvRegistration)Activator.CreateInstance(type)!).Register(this);
        }

        return [.. Ids.Where(id => !before.Contains(id))];
    }

    /// <summary>Whether an env is registered under <paramref name="id"/>.</summary>
    public bool Contains(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_lock)
        {
            return _specs.ContainsKey(id);
        }
    }

    /// <summary>Returns the spec registered under <paramref name="id"/>; an unknown id lists the known ones.</summary>
    public EnvSpec GetSpec(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_lock)
        {
            if (_specs.TryGetValue(id, out var spec))
            {
                return spec;
            }
        }

        throw new ArgumentException(UnknownIdMessage(id), nameof(id));
    }

    /// <summary>Makes the env registered under <paramref name="id"/>, wrapped in its spec's time limit.</summary>
    /// <param name="id">The env id, e.g. <c>CartPole-v1</c>.</param>
    /// <param name="options">The env's options record (the spec's <see cref="EnvSpec.OptionsType"/>), or null for the defaults.</param>
    public IEnv Make(string id, object? options = null)
    {
        var spec = GetSpec(id);
        if (options is not null)
        {
            if (spec.OptionsType is null)
            {
                throw new ArgumentException($"{spec.Id} takes no options; got a {options.GetType().Name}.", nameof(options));
            }

            if (!spec.OptionsType.IsInstanceOfType(options))
            {
                throw new ArgumentException(
                    $"{spec.Id} takes options of type {spec.OptionsType.Name}; got a {options.GetType().Name}.", nameof(options));
            }
        }

        return spec.Make(options);
    }

    /// <summary>Makes the env registered under <paramref name="id"/> as a typed env, wrapped in its spec's time limit.</summary>
    /// <param name="id">The env id, e.g. <c>CartPole-v1</c>.</param>
    /// <param name="options">The env's options record, or null for the defaults.</param>
    /// <exception cref="ArgumentException">The id is unknown, the options have the wrong type, or the env's element types differ.</exception>
    public IEnv<TObservation, TAction> Make<TObservation, TAction>(string id, object? options = null)
        where TObservation : unmanaged
        where TAction : unmanaged
    {
        var spec = GetSpec(id);
        if (spec.ObservationElementType != typeof(TObservation) || spec.ActionElementType != typeof(TAction))
        {
            throw new ArgumentException(
                $"{spec.Id} is an {spec.EnvTypeName} (observations of {EnvSpec.TypeName(spec.ObservationElementType)}, "
                + $"actions of {EnvSpec.TypeName(spec.ActionElementType)}); it cannot be made as an "
                + $"IEnv<{EnvSpec.TypeName(typeof(TObservation))}, {EnvSpec.TypeName(typeof(TAction))}>.",
                nameof(id));
        }

        return (IEnv<TObservation, TAction>)Make(id, options);
    }

    private string UnknownIdMessage(string id)
    {
        var known = Ids;
        var suggestion = ClosestId(id, known);
        var hint = suggestion is null ? string.Empty : $" Did you mean '{suggestion}'?";
        var list = known.Count == 0 ? "none" : string.Join(", ", known);
        return $"No env is registered with id '{id}'.{hint} Known ids: {list}.";
    }

    /// <summary>The known id a typo most likely meant: same name with another version, other case, or a few edits away.</summary>
    private static string? ClosestId(string id, IReadOnlyList<string> known)
    {
        var name = NameWithoutVersion(id);
        foreach (var candidate in known)
        {
            if (string.Equals(NameWithoutVersion(candidate), name, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            var distance = EditDistance(id.ToUpperInvariant(), candidate.ToUpperInvariant());
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        // A near miss is at most a few edits and well short of retyping the whole id.
        return best is not null && bestDistance <= Math.Min(3, best.Length / 3) ? best : null;
    }

    private static string NameWithoutVersion(string id)
    {
        var versionStart = id.LastIndexOf("-v", StringComparison.OrdinalIgnoreCase);
        return versionStart > 0 && id.AsSpan(versionStart + 2).IndexOfAnyExceptInRange('0', '9') < 0 ? id[..versionStart] : id;
    }

    /// <summary>Levenshtein distance; only used to word an error message.</summary>
    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
