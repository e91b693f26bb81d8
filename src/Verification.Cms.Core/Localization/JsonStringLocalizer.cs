using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Localization;
using Verification.Cms.Modules;

namespace Verification.Cms.Localization;

/// <summary>
/// Translations from resource files embedded in each module as Localization/{culture}.json
/// (key = the English text, value = the translation). English is the key language; zh-CN is
/// the first language of the UI.
/// </summary>
public sealed class LocalizationCatalog
{
    private readonly Dictionary<string, Dictionary<string, string>> _byCulture = new(StringComparer.OrdinalIgnoreCase);

    public LocalizationCatalog(ModuleCatalog modules)
    {
        var assemblies = modules.Modules.Select(m => m.Assembly).Append(typeof(LocalizationCatalog).Assembly).Distinct();
        foreach (var assembly in assemblies)
        {
            foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.Contains(".Localization.", StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal)))
            {
                var culture = resource[(resource.IndexOf(".Localization.", StringComparison.Ordinal) + ".Localization.".Length)..^".json".Length];
                using var stream = assembly.GetManifestResourceStream(resource)!;
                var entries = JsonSerializer.Deserialize<Dictionary<string, string>>(stream) ?? [];
                if (!_byCulture.TryGetValue(culture, out var table))
                {
                    _byCulture[culture] = table = new Dictionary<string, string>(StringComparer.Ordinal);
                }

                foreach (var (key, value) in entries)
                {
                    table[key] = value;
                }
            }
        }
    }

    public static IReadOnlyList<CultureInfo> SupportedCultures { get; } = [new("zh-CN"), new("en")];

    public string? Find(string key, CultureInfo culture)
    {
        for (var c = culture; !string.IsNullOrEmpty(c.Name); c = c.Parent)
        {
            if (_byCulture.TryGetValue(c.Name, out var table) && table.TryGetValue(key, out var value))
            {
                return value;
            }
        }

        return null;
    }

    public IEnumerable<string> Keys(string culture) => _byCulture.TryGetValue(culture, out var t) ? t.Keys : [];

    internal static IEnumerable<Assembly> ResourceAssemblies(ModuleCatalog modules) => modules.Modules.Select(m => m.Assembly);
}

public sealed class JsonStringLocalizer(LocalizationCatalog catalog) : IStringLocalizer
{
    private static readonly System.Buffers.SearchValues<char> LowercaseLetters = System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz");

    public LocalizedString this[string name]
    {
        get
        {
            var value = catalog.Find(name, CultureInfo.CurrentUICulture);
            return new LocalizedString(name, value ?? Humanize(name), resourceNotFound: value is null);
        }
    }

    /// <summary>
    /// Keys built from a prefix and a code ("permission.ManageUsers", "level.city") read as English
    /// text when no translation is found ("Manage users", "City"); other keys are English already.
    /// </summary>
    internal static string Humanize(string key)
    {
        var dot = key.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == key.Length - 1 || key.AsSpan(0, dot).ContainsAnyExcept(LowercaseLetters) || key.Contains(' ', StringComparison.Ordinal))
        {
            return key;
        }

        var code = key[(dot + 1)..];
        var builder = new System.Text.StringBuilder();
        for (var i = 0; i < code.Length; i++)
        {
            var c = code[i];
            if (i > 0 && char.IsUpper(c) && !char.IsUpper(code[i - 1]))
            {
                builder.Append(' ').Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(i == 0 ? char.ToUpperInvariant(c) : c == '-' ? ' ' : c);
            }
        }

        return builder.ToString();
    }

    public LocalizedString this[string name, params object[] arguments]
    {
        get
        {
            var template = this[name];
            return new LocalizedString(name, string.Format(CultureInfo.CurrentCulture, template.Value, arguments), template.ResourceNotFound);
        }
    }

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) =>
        catalog.Keys(CultureInfo.CurrentUICulture.Name).Select(k => this[k]);
}

public sealed class JsonStringLocalizer<T>(LocalizationCatalog catalog) : IStringLocalizer<T>
{
    private readonly JsonStringLocalizer _inner = new(catalog);

    public LocalizedString this[string name] => _inner[name];

    public LocalizedString this[string name, params object[] arguments] => _inner[name, arguments];

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) => _inner.GetAllStrings(includeParentCultures);
}

public sealed class JsonStringLocalizerFactory(LocalizationCatalog catalog) : IStringLocalizerFactory
{
    public IStringLocalizer Create(Type resourceSource) => new JsonStringLocalizer(catalog);

    public IStringLocalizer Create(string baseName, string location) => new JsonStringLocalizer(catalog);
}
