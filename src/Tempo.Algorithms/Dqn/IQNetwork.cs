using Tempo.Nn.Modules;
using Tempo.Nn.Tensors;

namespace Tempo.Algorithms.Dqn;

/// <summary>A Q-network as DQN's learner and acting policy use it: observations of its element type in, one Q value per action out, gradients with respect to those values back.</summary>
/// <typeparam name="TObservation">Observation element type (float vectors for <see cref="QNetwork"/>, byte frames for <see cref="NatureQNetwork"/>).</typeparam>
public interface IQNetwork<TObservation>
    where TObservation : unmanaged
{
    /// <summary>Elements of one observation.</summary>
    int ObservationSize { get; }

    /// <summary>Discrete actions (Q values per observation).</summary>
    int Actions { get; }

    /// <summary>Equal frames an observation stacks, which replay keeps once each (a frame stack's channels; 1 for vectors).</summary>
    int FramesPerObservation { get; }

    /// <summary>The elements of an observation that hold those frames (a dict's frames part), or null when they all do.</summary>
    Range? FrameStack { get; }

    /// <summary>The network as a module: its parameters, names and gradients.</summary>
    Module Module { get; }

    /// <summary>Q values <c>[batch, Actions]</c> of <paramref name="batch"/> observations, valid until the next forward pass.</summary>
    Tensor Forward(ReadOnlySpan<TObservation> observations, int batch);

    /// <summary>A network of the same architecture, its weights drawn from <paramref name="random"/> (copy weights into it to make a target network).</summary>
    IQNetwork<TObservation> CreateSibling(Random random);
}
