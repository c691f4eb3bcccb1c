using Tempo.Runtime.Schedules;

namespace Tempo.Runtime.Checkpoints;

/// <summary>Writes a checkpoint every N learner updates (and when asked at the end of a run).</summary>
public sealed class PeriodicCheckpointer : ITrainingCallbacks
{
    private readonly int _every;
    private readonly Action _save;
    private long _updates;

    /// <summary>Calls <paramref name="save"/> after every <paramref name="every"/>-th update.</summary>
    public PeriodicCheckpointer(int every, Action save)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(every);
        _every = every;
        _save = save ?? throw new ArgumentNullException(nameof(save));
    }

    /// <summary>Checkpoints written so far.</summary>
    public int Saved { get; private set; }

    /// <inheritdoc/>
    public void OnUpdateFinished(in UpdateFinished update)
    {
        if (++_updates % _every == 0)
        {
            SaveNow();
        }
    }

    /// <summary>Writes a checkpoint now.</summary>
    public void SaveNow()
    {
        _save();
        Saved++;
    }
}
