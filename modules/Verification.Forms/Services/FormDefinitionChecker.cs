using System.Text.RegularExpressions;
using Verification.Forms.Expressions;
using Verification.Forms.Models;

namespace Verification.Forms.Services;

public sealed record DefinitionProblem(string Path, string Message);

/// <summary>Checks a form definition before it is saved or published: keys, types, options, rows, expressions.</summary>
public static partial class FormDefinitionChecker
{
    public static IReadOnlyList<DefinitionProblem> Check(FormDocument form)
    {
        var problems = new List<DefinitionProblem>();
        if (!KeyPattern().IsMatch(form.Name))
        {
            problems.Add(new("name", "A form name uses lowercase letters, digits and hyphens."));
        }

        if (form.Pages.Count == 0)
        {
            problems.Add(new("pages", "A form needs at least one page."));
        }

        var paths = FieldPaths(form);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var p = 0; p < form.Pages.Count; p++)
        {
            CheckFields(form.Pages[p].Fields, $"pages[{p}]", paths, seen, null, problems);
        }

        return problems;
    }

    /// <summary>What expressions may refer to: top-level keys, group keys, and "group.field" paths.</summary>
    public static IReadOnlyList<string> FieldPaths(FormDocument form)
    {
        var paths = new List<string>();
        foreach (var field in form.Fields.Where(f => !FieldTypes.IsStatic(f.Type)))
        {
            paths.Add(field.Key);
            foreach (var child in field.Fields ?? [])
            {
                paths.Add(field.Key + "." + child.Key);
            }
        }

        return paths;
    }

    private static void CheckFields(IReadOnlyList<FormField> fields, string path, IReadOnlyList<string> formPaths, HashSet<string> seen, FormField? group, List<DefinitionProblem> problems)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            var at = $"{path}.fields[{i}]";
            if (!KeyPattern2().IsMatch(field.Key))
            {
                problems.Add(new(at + ".key", "A field key starts with a letter and uses letters, digits and '_'."));
            }
            else if (!seen.Add(group is null ? field.Key : group.Key + "." + field.Key))
            {
                problems.Add(new(at + ".key", $"Duplicate field key '{field.Key}'."));
            }

            if (!FieldTypes.All.Contains(field.Type))
            {
                problems.Add(new(at + ".type", $"Unknown field type '{field.Type}'."));
                continue;
            }

            if (field.Type is FieldTypes.Choice or FieldTypes.MultiChoice && OptionSets.For(field).Count == 0)
            {
                problems.Add(new(at + ".options", "A choice needs options or a known option set."));
            }

            if (field.Type == FieldTypes.Lookup && string.IsNullOrWhiteSpace(field.Lookup))
            {
                problems.Add(new(at + ".lookup", "A lookup names the content type whose items it offers."));
            }

            if (field.Type == FieldTypes.Division && field.DivisionLevel is not (null or "province" or "city" or "county"))
            {
                problems.Add(new(at + ".divisionLevel", "The division level is province, city or county."));
            }

            if (FieldTypes.IsUpload(field.Type))
            {
                if (field.MaxSizeKb is < 1 or > 51_200)
                {
                    problems.Add(new(at + ".maxSizeKb", "The size limit is between 1 KB and 50 MB."));
                }

                if (field.Accept?.Any(k => k is not (Verification.Cms.Media.FileSignatures.Image or Verification.Cms.Media.FileSignatures.Document)) == true)
                {
                    problems.Add(new(at + ".accept", "Accepted kinds are image and document."));
                }
            }

            if (field.Type == FieldTypes.Calculated && string.IsNullOrWhiteSpace(field.Calculate))
            {
                problems.Add(new(at + ".calculate", "A calculated field needs an expression."));
            }

            if (field.Type == FieldTypes.Group)
            {
                if (group is not null)
                {
                    problems.Add(new(at + ".type", "Groups cannot be nested."));
                }
                else if (field.Fields is not { Count: > 0 })
                {
                    problems.Add(new(at + ".fields", "A group needs fields."));
                }
                else
                {
                    CheckFields(field.Fields, at, formPaths, seen, field, problems);
                }

                if (field.MinRows > field.MaxRows)
                {
                    problems.Add(new(at + ".minRows", "minRows is larger than maxRows."));
                }
            }

            // Inside a group row, a row's own fields may be named directly.
            var scope = group is null ? formPaths : formPaths.Concat(group.Fields!.Select(f => f.Key)).ToList();
            foreach (var (name, expression) in Expressions(field))
            {
                foreach (var problem in ExpressionChecker.Check(expression, scope))
                {
                    problems.Add(new($"{at}.{name}", problem.Message));
                }
            }
        }
    }

    private static IEnumerable<(string Name, string Expression)> Expressions(FormField field)
    {
        if (field.VisibleIf is { } v)
        {
            yield return ("visibleIf", v);
        }

        if (field.RequiredIf is { } r)
        {
            yield return ("requiredIf", r);
        }

        if (field.ReadOnlyIf is { } ro)
        {
            yield return ("readOnlyIf", ro);
        }

        if (field.Calculate is { } c)
        {
            yield return ("calculate", c);
        }

        for (var i = 0; i < (field.Validations?.Count ?? 0); i++)
        {
            yield return ($"validations[{i}].rule", field.Validations![i].Rule);
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{1,63}$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,63}$")]
    private static partial Regex KeyPattern2();
}
