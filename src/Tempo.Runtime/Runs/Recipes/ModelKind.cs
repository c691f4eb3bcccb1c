using System.Text.Json.Serialization;

namespace Tempo.Runtime.Runs.Recipes;

/// <summary>The actor-critic architectures a run builds, chosen from the env's spaces.</summary>
public enum ModelKind
{
    /// <summary>CleanRL's <c>ppo.py</c> agent: separate tanh MLPs, categorical policy, over float vectors.</summary>
    [JsonStringEnumMemberName("categorical-mlp")]
    CategoricalMlp,

    /// <summary>CleanRL's <c>ppo_continuous_action.py</c> agent: separate tanh MLPs, diagonal Gaussian policy with a state-independent log-std.</summary>
    [JsonStringEnumMemberName("gaussian-mlp")]
    GaussianMlp,

    /// <summary>CleanRL's <c>ppo_atari.py</c> agent: a Nature-CNN torso over byte frames shared by both heads, categorical policy.</summary>
    [JsonStringEnumMemberName("categorical-cnn")]
    CategoricalCnn,

    /// <summary>SB3's <c>MultiInputPolicy</c> shape over a dict observation: a Nature CNN per byte image part, a tanh MLP per vector part, concatenated and shared by both heads, categorical policy.</summary>
    [JsonStringEnumMemberName("categorical-multi-input")]
    CategoricalMultiInput,
}
