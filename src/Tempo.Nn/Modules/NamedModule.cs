namespace Tempo.Nn.Modules;

/// <summary>A child module together with the name it contributes to parameter paths.</summary>
/// <param name="Name">The path segment (e.g. <c>0</c> or <c>torso</c>); must not contain a dot.</param>
/// <param name="Module">The child.</param>
public readonly record struct NamedModule(string Name, Module Module);
