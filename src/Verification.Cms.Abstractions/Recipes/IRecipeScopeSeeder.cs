namespace Verification.Cms.Recipes;

/// <summary>
/// Adds what a running tenant already has (roles, org units) to the validation scope, so a
/// recipe re-run may refer to them without declaring them again.
/// </summary>
public interface IRecipeScopeSeeder
{
    Task SeedAsync(RecipeValidationScope scope, CancellationToken cancellationToken);
}
