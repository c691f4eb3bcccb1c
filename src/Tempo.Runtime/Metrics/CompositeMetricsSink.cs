using System.Runtime.ExceptionServices;

namespace Tempo.Runtime.Metrics;

/// <summary>Fans every report and episode out to several sinks, in order.</summary>
/// <remarks>
/// The composite owns its sinks and disposes them. A sink that throws does not starve the others: every sink
/// is called, then the failure is rethrown (several failures as one <see cref="AggregateException"/>).
/// </remarks>
public sealed class CompositeMetricsSink : IMetricsSink
{
    private readonly IMetricsSink[] _sinks;
    private bool _disposed;

    /// <summary>Creates a composite over the given sinks, which it then owns.</summary>
    public CompositeMetricsSink(params IEnumerable<IMetricsSink> sinks)
    {
        ArgumentNullException.ThrowIfNull(sinks);
        _sinks = [.. sinks];
        for (var i = 0; i < _sinks.Length; i++)
        {
            if (_sinks[i] is null)
            {
                throw new ArgumentException($"Sink at index {i} is null.", nameof(sinks));
            }
        }
    }

    /// <summary>The sinks fed by this composite, in call order.</summary>
    public IReadOnlyList<IMetricsSink> Sinks => _sinks;

    /// <inheritdoc/>
    public void Write(TrainingReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        ObjectDisposedException.ThrowIf(_disposed, this);
        List<Exception>? failures = null;
        foreach (var sink in _sinks)
        {
            try
            {
                sink.Write(report);
            }
            catch (Exception exception)
            {
                (failures ??= []).Add(exception);
            }
        }

        ThrowIfAny(failures);
    }

    /// <inheritdoc/>
    public void WriteEpisode(EpisodeReport episode)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        List<Exception>? failures = null;
        foreach (var sink in _sinks)
        {
            try
            {
                sink.WriteEpisode(episode);
            }
            catch (Exception exception)
            {
                (failures ??= []).Add(exception);
            }
        }

        ThrowIfAny(failures);
    }

    /// <summary>Disposes every sink, even when some of them throw.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        List<Exception>? failures = null;
        foreach (var sink in _sinks)
        {
            try
            {
                sink.Dispose();
            }
            catch (Exception exception)
            {
                (failures ??= []).Add(exception);
            }
        }

        ThrowIfAny(failures);
    }

    private static void ThrowIfAny(List<Exception>? failures)
    {
        if (failures is null)
        {
            return;
        }

        if (failures.Count == 1)
        {
            ExceptionDispatchInfo.Throw(failures[0]);
        }

        throw new AggregateException("Several metrics sinks failed.", failures);
    }
}
