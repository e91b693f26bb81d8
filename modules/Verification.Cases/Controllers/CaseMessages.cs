using Microsoft.Extensions.Localization;

namespace Verification.Cases.Controllers;

/// <summary>Turns a pipeline refusal (an English key and its arguments) into the user's language; coded arguments ("state.…", "level.…") are translated too.</summary>
public static class CaseMessages
{
    public static string Localize(IStringLocalizer T, string message, IEnumerable<object> arguments) =>
        T[message, arguments.Select(a => a is string s && (s.StartsWith("state.", StringComparison.Ordinal) || s.StartsWith("level.", StringComparison.Ordinal)) ? T[s].Value : a).ToArray()].Value;
}
