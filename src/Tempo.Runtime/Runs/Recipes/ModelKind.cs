using System.Text.Json.Serialization;

namespace Tempo.Runtime.Runs.Recipes;

/// <summary>The architectures a run builds, chosen from the env's spaces and what the algorithm learns (a policy and its value, or action values).</summary>
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

    /// <summary>CleanRL's <c>dqn.py</c> Q-network: a ReLU MLP from float vectors to one Q value per discrete action (optionally dueling).</summary>
    [JsonStringEnumMemberName("q-mlp")]
    QMlp,

    /// <summary>CleanRL's <c>dqn_atari.py</c> Q-network: the Nature CNN over byte frames, then a linear layer to one Q value per discrete action.</summary>
    [JsonStringEnumMemberName("q-cnn")]
    QCnn,

    /// <summary>SB3's DQN <c>MultiInputPolicy</c> shape over a dict observation: a Nature CNN per byte image part, a tanh MLP per vector part, concatenated, then a linear layer to one Q value per discrete action.</summary>
    [JsonStringEnumMemberName("q-multi-input")]
    QMultiInput,

    /// <summary>CleanRL's <c>sac_continuous_action.py</c> networks: a ReLU MLP actor (tanh-squashed Gaussian) and two ReLU MLP soft Q-networks over float vectors and box actions.</summary>
    [JsonStringEnumMemberName("sac-mlp")]
    SacMlp,

    /// <summary>CleanRL's <c>sac_atari.py</c> networks over float vectors: ReLU MLPs for the categorical actor and the two soft Q-networks (one Q value per discrete action).</summary>
    [JsonStringEnumMemberName("sac-discrete-mlp")]
    DiscreteSacMlp,
}
