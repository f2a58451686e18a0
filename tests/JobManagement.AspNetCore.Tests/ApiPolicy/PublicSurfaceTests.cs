using System.Reflection;

namespace JobManagement.AspNetCore.Tests.ApiPolicy;

/// <summary>Holds the house policies over the AspNetCore package's public surface (see STYLE.md).</summary>
public sealed class PublicSurfaceTests
{
    private static readonly Type[] PublicTypes = typeof(JobEndpointsOptions).Assembly.GetExportedTypes();

    [Fact]
    public void ConcreteClasses_AreSealed()
    {
        PublicTypes.Where(static t => t.IsClass && !t.IsAbstract && !t.IsSealed).Select(static t => t.FullName)
            .Should().BeEmpty("public classes are sealed unless they are a designed extension point");
    }

    [Fact]
    public void Records_HaveNoPublicSetters()
    {
        PublicTypes.Where(static t => t.GetMethod("<Clone>$") is not null)
            .SelectMany(static t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            .Where(static p => p.SetMethod is { IsPublic: true } setter && !setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(System.Runtime.CompilerServices.IsExternalInit)))
            .Select(static p => $"{p.DeclaringType!.Name}.{p.Name}")
            .Should().BeEmpty("request and response bodies are immutable records");
    }

    [Fact]
    public void AsyncMethods_TakeCancellationTokenLast()
    {
        PublicTypes.SelectMany(static t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(static m => typeof(Task).IsAssignableFrom(m.ReturnType) || m.ReturnType.Name.StartsWith("ValueTask", StringComparison.Ordinal))
            .Where(static m => m.GetParameters() is not [.., { ParameterType: var last }] || last != typeof(CancellationToken))
            .Select(static m => $"{m.DeclaringType!.Name}.{m.Name}")
            .Should().BeEmpty();
    }
}
