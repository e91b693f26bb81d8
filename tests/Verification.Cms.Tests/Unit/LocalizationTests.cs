using System.Globalization;
using System.Text.RegularExpressions;
using Verification.Cms.Localization;
using Verification.Cms.Modules;

namespace Verification.Cms.Tests.Unit;

/// <summary>The UI speaks Simplified Chinese first: every literal text passed to the localizer has a zh-CN translation.</summary>
public sealed partial class LocalizationTests
{
    [Fact]
    public void EveryLiteralUiTextHasAChineseTranslation()
    {
        var catalog = new LocalizationCatalog(ModuleCatalog.FromApplicationDirectory());
        var zh = new CultureInfo("zh-CN");
        var root = RepositoryRoot();
        var missing = new List<string>();
        foreach (var folder in new[] { "src", "modules", "themes" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, folder), "*.*", SearchOption.AllDirectories)
                .Where(f => (f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal)) && !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal)))
            {
                foreach (Match match in LiteralKey().Matches(File.ReadAllText(file)))
                {
                    var key = Regex.Unescape(match.Groups[1].Value);
                    if (catalog.Find(key, zh) is null)
                    {
                        missing.Add($"{Path.GetRelativePath(root, file)}: {key}");
                    }
                }
            }
        }

        Assert.True(missing.Count == 0, "Missing zh-CN translations:\n" + string.Join("\n", missing.Distinct()));
    }

    [Fact]
    public void ChineseIsTheFallbackOnlyForChineseCultures()
    {
        var catalog = new LocalizationCatalog(ModuleCatalog.FromApplicationDirectory());
        Assert.Equal("用户", catalog.Find("Users", new CultureInfo("zh-CN")));
        Assert.Null(catalog.Find("Users", new CultureInfo("en")));
    }

    [Theory]
    [InlineData("permission.ManageUsers", "Manage users")]
    [InlineData("level.city", "City")]
    [InlineData("change.CreateUser", "Create user")]
    [InlineData("category.personal-data", "Personal data")]
    [InlineData("Sign in", "Sign in")]
    [InlineData("The audit trail is broken at event {0}: {1}.", "The audit trail is broken at event {0}: {1}.")]
    public void CodedKeysReadAsEnglishWhenUntranslated(string key, string english) =>
        Assert.Equal(english, JsonStringLocalizer.Humanize(key));

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Verification.Cms.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Repository root not found.");
    }

    // T["literal"] and T["literal", args] — not T["prefix." + value] (those are checked by their own lists).
    [GeneratedRegex("""\bT\["((?:[^"\\]|\\.)*)"\s*[,\]]""")]
    private static partial Regex LiteralKey();
}
