using System.Reflection;
using System.Runtime.CompilerServices;

namespace JobManagement.Tests.ApiPolicy;

/// <summary>Holds design policies over the whole public surface of the core package (see STYLE.md).</summary>
public sealed class PublicSurfaceTests
{
    private static readonly Assembly Core = typeof(JobEngine).Assembly;

    private static IEnumerable<Type> PublicTypes => Core.GetExportedTypes();

    [Fact]
    public void AsyncMethods_TakeCancellationTokenLast()
    {
        var offenders = PublicTypes
            .SelectMany(static t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(static m => IsAsync(m.ReturnType))
            .Where(static m => m.GetParameters() is not [.., { ParameterType: var last }] || last != typeof(CancellationToken))
            .Select(static m => $"{m.DeclaringType!.Name}.{m.Name}")
            .ToList();

        offenders.Should().BeEmpty("every public async method takes a CancellationToken as its last parameter");
    }

    [Fact]
    public void AsyncMethods_ReturnValueTaskOrAsyncEnumerable()
    {
        var offenders = PublicTypes
            .SelectMany(static t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(static m => m.ReturnType == typeof(Task) || (m.ReturnType.IsGenericType && m.ReturnType.GetGenericTypeDefinition() == typeof(Task<>)))
            .Select(static m => $"{m.DeclaringType!.Name}.{m.Name}")
            .ToList();

        offenders.Should().BeEmpty("the public API returns ValueTask by default");
    }

    [Fact]
    public void ConcreteClasses_AreSealed()
    {
        var offenders = PublicTypes
            .Where(static t => t.IsClass && !t.IsAbstract && !t.IsSealed)
            .Select(static t => t.FullName)
            .ToList();

        offenders.Should().BeEmpty("public classes are sealed unless they are a designed extension point");
    }

    [Fact]
    public void Records_HaveNoPublicSetters()
    {
        var offenders = PublicTypes
            .Where(static t => t.GetMethod("<Clone>$") is not null || (t.IsValueType && t.GetMethod("PrintMembers", BindingFlags.NonPublic | BindingFlags.Instance) is not null))
            .SelectMany(static t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            .Where(static p => p.SetMethod is { IsPublic: true } setter && !IsInitOnly(setter))
            .Select(static p => $"{p.DeclaringType!.Name}.{p.Name}")
            .ToList();

        offenders.Should().BeEmpty("events, entries, plans and states are immutable records");
    }

    [Fact]
    public void Identifiers_AreReadOnlyRecordStructs()
    {
        Type[] ids = [typeof(JobId), typeof(EventId), typeof(EventTypeId), typeof(TaskId), typeof(JobType)];

        foreach (Type id in ids)
        {
            id.IsValueType.Should().BeTrue($"{id.Name} is a value type");
            id.GetCustomAttribute<IsReadOnlyAttribute>().Should().NotBeNull($"{id.Name} is a readonly struct");
            id.GetInterfaces().Should().Contain(typeof(IParsable<>).MakeGenericType(id), $"{id.Name} implements IParsable");
        }
    }

    [Fact]
    public void PublicRecordCollections_AreImmutable()
    {
        var offenders = PublicTypes
            .SelectMany(static t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(static p => p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() is var d
                && (d == typeof(List<>) || d == typeof(Dictionary<,>) || d == typeof(HashSet<>)))
            .Select(static p => $"{p.DeclaringType!.Name}.{p.Name}")
            .ToList();

        offenders.Should().BeEmpty("never hand out a mutable collection");
    }

    private static bool IsAsync(Type returnType) =>
        returnType == typeof(Task) || returnType == typeof(ValueTask)
        || (returnType.IsGenericType && returnType.GetGenericTypeDefinition() is var d
            && (d == typeof(Task<>) || d == typeof(ValueTask<>) || d == typeof(IAsyncEnumerable<>)));

    private static bool IsInitOnly(MethodInfo setter) =>
        setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));
}
