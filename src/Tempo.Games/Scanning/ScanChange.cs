namespace Tempo.Games.Scanning;

/// <summary>How a value must have changed over one scripted step to stay a candidate.</summary>
public enum ScanChange
{
    /// <summary>No constraint (the step says nothing about this value).</summary>
    Any,

    /// <summary>The value grew.</summary>
    Increased,

    /// <summary>The value shrank.</summary>
    Decreased,

    /// <summary>The value is bit-for-bit the same.</summary>
    Unchanged,

    /// <summary>The value is different.</summary>
    Changed,
}
