using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Recipes;
using Verification.Cms.Security;
using Verification.Cms.Tenants;
using Verification.Tenants.Services;

namespace Verification.Tenants.Api;

public sealed record TenantDto(string Name, string DisplayName, string State, string? Prefix, string? Host, string? Recipe, string Database, string? SetupError);

public sealed record CreateTenantRequest(string Name, string? DisplayName, string? Prefix, string? Host, string Recipe);

public sealed record CreateTenantResponse(TenantDto Tenant, IReadOnlyList<GeneratedLogin> Logins);

public sealed record ApiError(string Error, IReadOnlyList<string>? Details = null);

/// <summary>The host's management API for tenants (documented at /openapi/v1.json).</summary>
public static class TenantsApi
{
    public static IEndpointRouteBuilder MapTenantsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/tenants")
            .WithTags("Tenants")
            .RequireAuthorization(PermissionPolicy.For(Permissions.ManageTenants.Name))
            .AddEndpointFilter(ValidateAntiforgeryOnWrites);
        group.MapGet("/", List).WithName("ListTenants").WithSummary("All tenants with their state.");
        group.MapPost("/", Create).WithName("CreateTenant").WithSummary("Creates a tenant and sets it up from a recipe; returns the generated demo logins once.");
        group.MapPost("/{name}/disable", Disable).WithName("DisableTenant").WithSummary("Stops serving a tenant; its data stays.");
        group.MapPost("/{name}/enable", Enable).WithName("EnableTenant").WithSummary("Serves a disabled tenant again.");
        group.MapDelete("/{name}", Archive).WithName("ArchiveTenant").WithSummary("Removes a tenant from service and archives its data (never destroyed).");
        return routes;
    }

    public static Ok<List<TenantDto>> List(ShellHost shellHost) =>
        TypedResults.Ok(shellHost.AllSettings.Select(ToDto).ToList());

    public static async Task<Results<Created<CreateTenantResponse>, BadRequest<ApiError>>> Create(CreateTenantRequest request, TenantProvisioning provisioning, HttpContext http)
    {
        try
        {
            var (settings, output) = await provisioning.CreateAsync(new NewTenant(request.Name, request.DisplayName, request.Prefix, request.Host, request.Recipe), http.User.Identity?.Name, http.RequestAborted);
            return TypedResults.Created($"/api/tenants/{settings.Name}", new CreateTenantResponse(ToDto(settings), output.Logins));
        }
        catch (TenantRequestException ex)
        {
            return TypedResults.BadRequest(new ApiError(ex.Message));
        }
        catch (RecipeValidationException ex)
        {
            return TypedResults.BadRequest(new ApiError("The recipe is invalid.", ex.Errors.Select(e => e.ToString()).ToList()));
        }
    }

    public static Task<Results<NoContent, BadRequest<ApiError>>> Disable(string name, TenantProvisioning provisioning, HttpContext http) =>
        Change(name, TenantChange.Disable, provisioning, http);

    public static Task<Results<NoContent, BadRequest<ApiError>>> Enable(string name, TenantProvisioning provisioning, HttpContext http) =>
        Change(name, TenantChange.Enable, provisioning, http);

    public static Task<Results<NoContent, BadRequest<ApiError>>> Archive(string name, TenantProvisioning provisioning, HttpContext http) =>
        Change(name, TenantChange.Archive, provisioning, http);

    private static async Task<Results<NoContent, BadRequest<ApiError>>> Change(string name, TenantChange change, TenantProvisioning provisioning, HttpContext http)
    {
        try
        {
            await provisioning.ChangeAsync(name, change, http.RequestAborted);
            return TypedResults.NoContent();
        }
        catch (TenantRequestException ex)
        {
            return TypedResults.BadRequest(new ApiError(ex.Message));
        }
    }

    public static TenantDto ToDto(ShellSettings s) =>
        new(s.Name, s.DisplayName, s.State.ToString(), s.RequestUrlPrefix, s.RequestUrlHost, s.RecipeName, s.DatabaseProvider.ToString(), s.SetupError);

    private static async ValueTask<object?> ValidateAntiforgeryOnWrites(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!HttpMethods.IsGet(http.Request.Method))
        {
            var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return TypedResults.BadRequest(new ApiError("Missing or invalid RequestVerificationToken header."));
            }
        }

        return await next(context);
    }
}
