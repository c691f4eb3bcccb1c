namespace Tempo.Core.Vector;

/// <summary>Raised when one env of a vector throws; names the env so that a supervisor can replace it.</summary>
/// <remarks>The env's own exception is the <see cref="Exception.InnerException"/>. The vector must be reset before it steps again.</remarks>
public sealed class VectorEnvException : Exception
{
    /// <summary>Creates the exception for env <paramref name="envIndex"/>, which threw <paramref name="innerException"/>.</summary>
    public VectorEnvException(int envIndex, string message, Exception innerException)
        : base(message, innerException) => EnvIndex = envIndex;

    /// <summary>The index of the env that threw.</summary>
    public int EnvIndex { get; }
}
