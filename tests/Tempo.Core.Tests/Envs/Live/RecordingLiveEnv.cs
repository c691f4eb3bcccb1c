using Tempo.Core.Envs;
using Tempo.Core.Envs.Live;
using Tempo.Core.Spaces;

namespace Tempo.Core.Tests.Envs.Live;

/// <summary>One world tick of a <see cref="RecordingLiveEnv"/>: the episode tick number, the input applied (−1 for none) and when.</summary>
internal readonly record struct TickRecord(int EpisodeTick, int Input, long Timestamp);

/// <summary>
/// A live env whose world only counts: observation [ticks this episode, input applied by the last tick (−1: none)],
/// reward 1 per tick, terminating after <c>endAfterTicks</c> ticks when given. Every tick is logged with its system timestamp.
/// </summary>
internal sealed class RecordingLiveEnv(LiveTickOptions ticks, int? endAfterTicks = null, TimeProvider? timeProvider = null)
    : LiveEnv<float, int>(new BoxSpace<float>([0f, -1f], [1e9f, 2f]), new DiscreteSpace(3), ticks, timeProvider)
{
    private readonly List<TickRecord> _log = [];
    private int _episodeTicks;

    public int ResetCount { get; private set; }

    /// <summary>A copy of the tick log, taken under the world's lock.</summary>
    public TickRecord[] Log
    {
        get
        {
            lock (WorldLock)
            {
                return [.. _log];
            }
        }
    }

    protected override void ResetWorld(Span<float> observation, int? seed)
    {
        ResetCount++;
        _episodeTicks = 0;
        observation[0] = 0;
        observation[1] = -1;
    }

    protected override StepResult TickWorld(ReadOnlySpan<int> action, Span<float> observation)
    {
        var input = action.IsEmpty ? -1 : action[0];
        _episodeTicks++;
        _log.Add(new TickRecord(_episodeTicks, input, TimeProvider.System.GetTimestamp()));
        observation[0] = _episodeTicks;
        observation[1] = input;
        return new StepResult(1f, endAfterTicks is { } end && _episodeTicks >= end, false);
    }
}
