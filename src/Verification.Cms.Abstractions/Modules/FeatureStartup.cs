using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Verification.Cms.Modules;

/// <summary>
/// One startup per feature: registers its services (permissions, admin menu, recipe steps,
/// entity model, migrations) into the tenant's container and maps its endpoints.
/// </summary>
public abstract class FeatureStartup
{
    public abstract void ConfigureServices(IServiceCollection services);

    public virtual void MapEndpoints(IEndpointRouteBuilder routes)
    {
    }
}
