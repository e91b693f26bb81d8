using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Localization;
using Verification.Cms.People;
using Verification.Forms.Expressions;
using Verification.Forms.Models;

namespace Verification.Forms.Services;

public sealed record FieldError(string Path, string Message);

/// <param name="Data">The values kept: only fields of the form version, typed, calculated on the server, hidden ones removed.</param>
public sealed record FormValidationResult(JsonObject Data, IReadOnlyList<FieldError> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// The server's word on a submission (issue: forms runtime): whatever the browser sent, it keeps
/// only the fields of the form version, converts them to their types, recomputes calculated values,
/// discards values of hidden fields, and checks required fields, formats and rules.
/// A draft keeps what converts and reports nothing as missing.
/// </summary>
public sealed partial class FormSubmissionValidator(IStringLocalizer T)
{
    private const int MaxTextLength = 10_000;

    public FormValidationResult Validate(FormDocument form, JsonObject input, ExpressionContext context, bool draft)
    {
        var errors = new List<FieldError>();
        var fields = form.Fields.Where(f => !FieldTypes.IsStatic(f.Type)).ToList();
        var data = new JsonObject();

        // 1. Copy and convert what the form knows; unknown keys are dropped.
        foreach (var field in fields.Where(f => f.Type != FieldTypes.Calculated))
        {
            if (field.Type == FieldTypes.Group)
            {
                data[field.Key] = Rows(field, input[field.Key], errors);
            }
            else if (Convert(field, input[field.Key], field.Key, errors) is { } value)
            {
                data[field.Key] = value;
            }
        }

        // 2. Calculated values from the server's data only: each group's row values first (form totals may sum them), then the form's, in document order.
        foreach (var group in fields.Where(f => f.Type == FieldTypes.Group))
        {
            var rows = (JsonArray)data[group.Key]!;
            for (var i = 0; i < rows.Count; i++)
            {
                var row = (JsonObject)rows[i]!;
                foreach (var field in group.Fields!.Where(f => f.Type == FieldTypes.Calculated))
                {
                    row[field.Key] = Evaluate(field.Calculate!, RowScope(data, row), context, $"{group.Key}[{i}].{field.Key}", errors) is { } value ? ExpressionEvaluator.ToJson(value) : null;
                }
            }
        }

        foreach (var field in fields.Where(f => f.Type == FieldTypes.Calculated))
        {
            data[field.Key] = Evaluate(field.Calculate!, data, context, field.Key, errors) is { } value ? ExpressionEvaluator.ToJson(value) : null;
        }

        // 3. Hidden fields lose their values; visible ones are checked.
        foreach (var field in fields)
        {
            if (!IsTrue(field.VisibleIf, data, context, field.Key, errors, whenAbsent: true))
            {
                data.Remove(field.Key);
                continue;
            }

            if (field.Type == FieldTypes.Group)
            {
                CheckGroup(field, data, context, draft, errors);
            }
            else
            {
                CheckField(field, data, data, field.Key, context, draft, errors);
            }
        }

        return new FormValidationResult(data, errors);
    }

    private JsonArray Rows(FormField group, JsonNode? input, List<FieldError> errors)
    {
        var rows = new JsonArray();
        if (input is not JsonArray array)
        {
            return rows;
        }

        for (var i = 0; i < array.Count && i < 1000; i++)
        {
            var row = new JsonObject();
            foreach (var field in group.Fields!.Where(f => !FieldTypes.IsStatic(f.Type) && f.Type != FieldTypes.Calculated))
            {
                if (Convert(field, (array[i] as JsonObject)?[field.Key], $"{group.Key}[{i}].{field.Key}", errors) is { } value)
                {
                    row[field.Key] = value;
                }
            }

            rows.Add(row);
        }

        return rows;
    }

    private void CheckGroup(FormField group, JsonObject data, ExpressionContext context, bool draft, List<FieldError> errors)
    {
        var rows = (JsonArray)data[group.Key]!;
        if (!draft && group.MinRows is { } min && rows.Count < min)
        {
            errors.Add(new(group.Key, T["{0}: at least {1} rows.", group.Label, min]));
        }

        if (group.MaxRows is { } max && rows.Count > max)
        {
            errors.Add(new(group.Key, T["{0}: at most {1} rows.", group.Label, max]));
        }

        // Rules on the group itself (e.g. the roster count), over the whole form.
        if (!draft)
        {
            foreach (var rule in group.Validations ?? [])
            {
                if (!IsTrue(rule.Rule, data, context, group.Key, errors, whenAbsent: true))
                {
                    errors.Add(new(group.Key, rule.Message.GetValueOrDefault(CultureInfo.CurrentUICulture.Name) ?? rule.Message.GetValueOrDefault("zh-CN") ?? T["{0} is not valid.", group.Label]));
                }
            }
        }

        for (var i = 0; i < rows.Count; i++)
        {
            var row = (JsonObject)rows[i]!;
            foreach (var field in group.Fields!.Where(f => !FieldTypes.IsStatic(f.Type)))
            {
                var path = $"{group.Key}[{i}].{field.Key}";
                var scope = RowScope(data, row);
                if (!IsTrue(field.VisibleIf, scope, context, path, errors, whenAbsent: true))
                {
                    row.Remove(field.Key);
                    continue;
                }

                CheckField(field, row, scope, path, context, draft, errors);
            }
        }
    }

    private void CheckField(FormField field, JsonObject holder, JsonObject scope, string path, ExpressionContext context, bool draft, List<FieldError> errors)
    {
        var value = holder[field.Key];
        if (errors.Any(e => e.Path == path))
        {
            // Already reported as not convertible; "required" would only repeat it.
            return;
        }

        var required = field.Required || IsTrue(field.RequiredIf, scope, context, path, errors, whenAbsent: false);
        if (IsEmpty(value))
        {
            if (required && !draft)
            {
                errors.Add(new(path, T["{0} is required.", field.Label]));
            }

            return;
        }

        if (field.Min is { } min && value is JsonValue low && low.TryGetValue<decimal>(out var n1) && n1 < min)
        {
            errors.Add(new(path, T["{0} must be at least {1}.", field.Label, min]));
        }

        if (field.Max is { } max && value is JsonValue high && high.TryGetValue<decimal>(out var n2) && n2 > max)
        {
            errors.Add(new(path, T["{0} must be at most {1}.", field.Label, max]));
        }

        if (draft)
        {
            return;
        }

        foreach (var rule in field.Validations ?? [])
        {
            if (!IsTrue(rule.Rule, scope, context, path, errors, whenAbsent: true))
            {
                var culture = CultureInfo.CurrentUICulture.Name;
                errors.Add(new(path, rule.Message.GetValueOrDefault(culture) ?? rule.Message.GetValueOrDefault("zh-CN") ?? rule.Message.Values.FirstOrDefault() ?? T["{0} is not valid.", field.Label]));
            }
        }
    }

    /// <summary>Converts one submitted value to the field's type; reports what cannot be converted and keeps nothing of it.</summary>
    private JsonNode? Convert(FormField field, JsonNode? raw, string path, List<FieldError> errors)
    {
        if (raw is null || (raw is JsonValue s0 && s0.TryGetValue<string>(out var blank) && blank.Trim().Length == 0))
        {
            return null;
        }

        var text = raw is JsonValue v && v.TryGetValue<string>(out var str) ? str.Trim() : null;
        switch (field.Type)
        {
            case FieldTypes.Text or FieldTypes.LongText:
                if (text is null)
                {
                    return Fail(T["{0} must be text.", field.Label]);
                }

                var limit = field.MaxLength ?? MaxTextLength;
                return text.Length > limit ? Fail(T["{0} is longer than {1} characters.", field.Label, limit]) : text;
            case FieldTypes.RichText:
                if (text is null)
                {
                    return Fail(T["{0} must be text.", field.Label]);
                }

                var clean = Services.RichText.Sanitize(text);
                return clean.Length > (field.MaxLength ?? MaxTextLength) ? Fail(T["{0} is longer than {1} characters.", field.Label, field.MaxLength ?? MaxTextLength]) : clean;
            case FieldTypes.Number or FieldTypes.Money:
                var number = raw is JsonValue nv && nv.GetValueKind() == System.Text.Json.JsonValueKind.Number ? decimal.Parse(nv.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
                    : text is not null && decimal.TryParse(text.Replace(",", string.Empty, StringComparison.Ordinal), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var p) ? p
                    : (decimal?)null;
                if (number is null)
                {
                    return Fail(T["{0} must be a number.", field.Label]);
                }

                // Money is in yuan with at most 2 decimals (分).
                return field.Type == FieldTypes.Money && decimal.Round(number.Value, 2) != number.Value
                    ? Fail(T["{0}: amounts have at most 2 decimals.", field.Label])
                    : JsonValue.Create(number.Value);
            case FieldTypes.Date:
                return text is not null && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                    ? text
                    : Fail(T["{0} must be a date (yyyy-MM-dd).", field.Label]);
            case FieldTypes.DateTime:
                return text is not null && System.DateTime.TryParseExact(text, ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var moment)
                    ? moment.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture)
                    : Fail(T["{0} must be a date and time (yyyy-MM-dd HH:mm).", field.Label]);
            case FieldTypes.File or FieldTypes.Photo or FieldTypes.Signature:
                // Only the server puts file references into data, after storing an upload; anything else is refused.
                return MediaReferencePattern(raw) is { } reference ? reference : Fail(T["{0}: upload the file again.", field.Label]);
            case FieldTypes.Division:
                var required = field.DivisionLevel ?? "county";
                if (text is null || OptionSets.Find(OptionSets.Divisions)!.All(o => o.Value != text))
                {
                    return Fail(T["{0}: choose a division from the list.", field.Label]);
                }

                return LevelRank(OptionSets.Level(text)) < LevelRank(required) ? Fail(T["{0}: choose down to the {1} level.", field.Label, T["level." + required]]) : text;
            case FieldTypes.YesNo:
                return raw is JsonValue bv && bv.TryGetValue<bool>(out var b) ? b
                    : text is "true" or "on" or "1" ? true
                    : text is "false" or "off" or "0" ? false
                    : Fail(T["{0} must be yes or no.", field.Label]);
            case FieldTypes.Choice or FieldTypes.Lookup:
                return text is not null && OptionSets.For(field).Any(o => o.Value == text) ? text : Fail(T["{0}: choose one of the options.", field.Label]);
            case FieldTypes.MultiChoice:
                var options = OptionSets.For(field).Select(o => o.Value).ToHashSet(StringComparer.Ordinal);
                var chosen = raw is JsonArray a ? a.Select(n => n is JsonValue x && x.TryGetValue<string>(out var c) ? c : null).ToList() : [text];
                return chosen.All(c => c is not null && options.Contains(c))
                    ? new JsonArray(chosen.Distinct().Select(c => (JsonNode)c!).ToArray())
                    : Fail(T["{0}: choose among the options.", field.Label]);
            case FieldTypes.Phone:
                return text is not null && PhonePattern().IsMatch(text) ? text : Fail(T["{0} is not a valid phone number.", field.Label]);
            case FieldTypes.IdNumber:
                if (text is not null && CitizenIdNumber.TryParse(text, out var id, out _))
                {
                    return id.Value.Value;
                }

                return Fail(T["{0} is not a valid citizen ID number (GB 11643).", field.Label]);
            default:
                return null;
        }

        JsonNode? Fail(string message)
        {
            errors.Add(new(path, message));
            return null;
        }
    }

    private static int LevelRank(string level) => level switch { "province" => 0, "city" => 1, _ => 2 };

    /// <summary>A well-formed file reference ({ id, name, type, size }), copied field by field so nothing else rides along.</summary>
    private static JsonObject? MediaReferencePattern(JsonNode? raw) =>
        raw is JsonObject o
        && o["id"] is JsonValue id && id.TryGetValue<string>(out var idText) && MediaId().IsMatch(idText)
        && o["name"] is JsonValue name && name.TryGetValue<string>(out var nameText) && nameText.Length <= 200
        && o["type"] is JsonValue type && type.TryGetValue<string>(out var typeText) && typeText.Length <= 100
        && o["size"] is JsonValue size && size.GetValueKind() == System.Text.Json.JsonValueKind.Number && long.TryParse(size.ToJsonString(), CultureInfo.InvariantCulture, out var sizeValue)
            ? new JsonObject { ["id"] = idText, ["name"] = nameText, ["type"] = typeText, ["size"] = sizeValue }
            : null;

    private bool IsTrue(string? expression, JsonObject data, ExpressionContext context, string path, List<FieldError> errors, bool whenAbsent) =>
        expression is null ? whenAbsent : ExpressionEvaluator.IsTruthy(Evaluate(expression, data, context, path, errors));

    private object? Evaluate(string expression, JsonObject data, ExpressionContext context, string path, List<FieldError> errors)
    {
        try
        {
            return ExpressionEvaluator.Evaluate(expression, data, context);
        }
        catch (ExpressionException ex)
        {
            errors.Add(new(path, T["A rule of this field cannot be evaluated ({0}); tell the form's administrator.", ex.Code]));
            return null;
        }
    }

    /// <summary>Inside a row, the row's fields first, then the form's.</summary>
    private static JsonObject RowScope(JsonObject data, JsonObject row)
    {
        var scope = new JsonObject();
        foreach (var (key, value) in data)
        {
            scope[key] = value?.DeepClone();
        }

        foreach (var (key, value) in row)
        {
            scope[key] = value?.DeepClone();
        }

        return scope;
    }

    private static bool IsEmpty(JsonNode? value) => value switch
    {
        null => true,
        JsonValue v when v.TryGetValue<string>(out var s) => s.Trim().Length == 0,
        JsonArray a => a.Count == 0,
        _ => false,
    };

    // Mobile 1[3-9]xxxxxxxxx, or a landline with area code (010-12345678, 0755 1234567).
    [GeneratedRegex(@"^(1[3-9][0-9]{9}|0[0-9]{2,3}[- ]?[0-9]{7,8})$")]
    private static partial Regex PhonePattern();

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex MediaId();
}
