using System.Collections.Immutable;

namespace JobManagement;

/// <summary>Finds every problem with a plan at once, so a user fixes them in one pass.</summary>
internal static class JobPlanValidator
{
    public static IReadOnlyList<string> Validate(JobPlan plan, bool hasHandler)
    {
        List<string> problems = [];
        if (plan.JobType.IsDefault)
        {
            problems.Add("JobType must not be default");
        }

        if (plan.Expectations.IsEmpty && !hasHandler && !plan.WaitsForChildren)
        {
            problems.Add("the plan has no expectations, the job type has no handler, and it does not wait for children: add at least one Expect(...)");
        }

        ReportDuplicates(plan.Expectations.Select(static e => e.Name), "expectation", problems);
        ReportDuplicates(plan.FailOn.Select(static f => f.Name), "failure rule", problems);

        foreach (ExpectedEvent expectation in plan.Expectations)
        {
            ValidateMatcher($"expectation '{expectation.Name}'", expectation.Name, expectation.Matcher, problems);
        }

        foreach (FailureRule rule in plan.FailOn)
        {
            ValidateMatcher($"failure rule '{rule.Name}'", rule.Name, rule.Matcher, problems);
        }

        if (plan.Compensation is { } compensation && string.IsNullOrWhiteSpace(compensation.Name))
        {
            problems.Add("Compensation.Name must not be empty");
        }

        return problems;
    }

    private static void ReportDuplicates(IEnumerable<string> names, string what, List<string> problems)
    {
        foreach (IGrouping<string, string> group in names.GroupBy(static n => n, StringComparer.Ordinal).Where(static g => g.Count() > 1))
        {
            problems.Add($"{what} name '{group.Key}' is used {group.Count()} times; names must be unique");
        }
    }

    private static void ValidateMatcher(string where, string name, EventMatcher? matcher, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            problems.Add($"{where} has an empty name");
        }

        if (matcher is null)
        {
            problems.Add($"{where} has no matcher");
            return;
        }

        if (matcher.EventType.IsDefault)
        {
            problems.Add($"{where} has a default event type");
        }
        else if (matcher.EventType.IsExecution)
        {
            problems.Add($"{where} matches '{matcher.EventType}', in the reserved execution namespace '{EventTypeId.ExecutionNamespace}'");
        }

        ValidatePredicate(where, matcher.Where, problems);
    }

    private static void ValidatePredicate(string where, CorrelationPredicate? predicate, List<string> problems)
    {
        switch (predicate)
        {
            case null:
                problems.Add($"{where} has no correlation predicate (use CorrelationPredicate.Always)");
                break;
            case AttributeEqualsPredicate equals:
                ValidateKey(where, equals.AttributeKey, problems);
                if (equals.Operand is null)
                {
                    problems.Add($"{where} compares '{equals.AttributeKey}' with nothing");
                }
                else if (equals.Operand.Source == CorrelationOperandSource.JobCorrelation)
                {
                    ValidateKey(where, equals.Operand.Value, problems);
                }

                break;
            case AttributeInPredicate inSet:
                ValidateKey(where, inSet.AttributeKey, problems);
                if (inSet.Values.IsDefaultOrEmpty)
                {
                    problems.Add($"{where} requires '{inSet.AttributeKey}' to be in an empty set, which nothing satisfies");
                }

                break;
            case AllOfPredicate allOf:
                foreach (CorrelationPredicate inner in allOf.Predicates.IsDefault ? ImmutableArray<CorrelationPredicate>.Empty : allOf.Predicates)
                {
                    ValidatePredicate(where, inner, problems);
                }

                break;
        }
    }

    private static void ValidateKey(string where, string? key, List<string> problems)
    {
        if (key is null || EventAttributes.Validate(key, string.Empty, allowReserved: false) is not null)
        {
            problems.Add($"{where} uses the attribute key '{key}', which is not a valid, non-reserved attribute key");
        }
    }
}
