using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Verification.Cms.Hosting;

namespace Verification.Cms.Recipes;

/// <summary>
/// JSON files that recipe steps share ("file": "forms/declaration.form.json"), read from the
/// recipes folder only: the name must be "{folder}/{lowercase-name}.{kind}.json", so a recipe
/// cannot reach other files.
/// </summary>
public sealed partial class RecipeFiles(CmsPaths paths)
{
    public JsonObject? Read(string file, string folder, string kind)
    {
        var match = FilePattern().Match(file);
        if (!match.Success || match.Groups["folder"].Value != folder || match.Groups["kind"].Value != kind)
        {
            return null;
        }

        var full = Path.Combine(paths.Recipes, file);
        return File.Exists(full) ? JsonNode.Parse(File.ReadAllText(full)) as JsonObject : null;
    }

    [GeneratedRegex("^(?<folder>[a-z]+)/[a-z0-9-]+\\.(?<kind>[a-z]+)\\.json$")]
    private static partial Regex FilePattern();
}
