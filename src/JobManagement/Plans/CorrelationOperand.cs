using System.Diagnostics.CodeAnalysis;

namespace JobManagement;

/// <summary>The right-hand side of a correlation comparison: a constant, or one of the job's correlation values.</summary>
/// <param name="Source">Where the value comes from.</param>
/// <param name="Value">The constant, or the job's correlation key.</param>
public sealed record CorrelationOperand(CorrelationOperandSource Source, string Value)
{
    /// <summary>A constant value.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The operand.</returns>
    public static CorrelationOperand Constant(string value) => new(CorrelationOperandSource.Constant, value);

    /// <summary>The job's correlation value under <paramref name="key"/>.</summary>
    /// <param name="key">The job's correlation key.</param>
    /// <returns>The operand.</returns>
    public static CorrelationOperand JobCorrelation(string key) => new(CorrelationOperandSource.JobCorrelation, key);

    /// <summary>Resolves the operand against a job's correlation values.</summary>
    internal bool TryResolve(EventAttributes jobCorrelation, [NotNullWhen(true)] out string? value)
    {
        if (Source == CorrelationOperandSource.Constant)
        {
            value = Value;
            return true;
        }

        return jobCorrelation.TryGetValue(Value, out value);
    }

    /// <inheritdoc />
    public override string ToString() => Source == CorrelationOperandSource.Constant ? $"'{Value}'" : $"job.{Value}";
}

/// <summary>Where a <see cref="CorrelationOperand"/> takes its value from.</summary>
public enum CorrelationOperandSource
{
    /// <summary>A constant in the plan.</summary>
    Constant = 0,

    /// <summary>The job's correlation values, given when the job is created.</summary>
    JobCorrelation = 1,
}
