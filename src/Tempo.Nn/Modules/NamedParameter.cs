namespace Tempo.Nn.Modules;

/// <summary>A parameter together with its hierarchical, PyTorch-style name (e.g. <c>torso.2.bias</c>).</summary>
/// <param name="Name">The dotted path from the module the enumeration started at.</param>
/// <param name="Parameter">The parameter.</param>
public readonly record struct NamedParameter(string Name, Parameter Parameter);
