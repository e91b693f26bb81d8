using Verification.Cms.Hosting;

namespace Verification.Cms.Recipes;

/// <summary>The recipes shipped under recipes/ ({name}.recipe.json).</summary>
public sealed class RecipeCatalog(CmsPaths paths)
{
    private const string Suffix = ".recipe.json";

    public IReadOnlyList<Recipe> All() => Directory.Exists(paths.Recipes)
        ? Directory.EnumerateFiles(paths.Recipes, "*" + Suffix)
            .Order(StringComparer.Ordinal)
            .Select(f => RecipeReader.Parse(File.ReadAllText(f)))
            .ToList()
        : [];

    public string ReadText(string name)
    {
        if (name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_')))
        {
            throw new ArgumentException($"Invalid recipe name '{name}'.", nameof(name));
        }

        var file = Path.Combine(paths.Recipes, name + Suffix);
        return File.Exists(file) ? File.ReadAllText(file) : throw new FileNotFoundException($"No recipe named '{name}'.", file);
    }

    public Recipe Get(string name, RecipeRunOptions? options = null) => RecipeReader.Parse(ReadText(name), options);
}
